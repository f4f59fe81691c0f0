// The designer's strings in VS Code's display language: the extension hands the webview its
// localization bundle (vscode.l10n.bundle: English message → translation; empty in English) as a
// JSON block of the page, and the webview checks it here before using it. The webview's messages
// are English source strings looked up in this table, like vscode.l10n.t does in the extension.
import * as v from 'valibot';

/** The id of the `<script type="application/json">` element that carries the table. */
export const DESIGNER_STRINGS_ELEMENT_ID = 'lvs-strings';

/** English message → translation; a message missing here is shown in English. */
export const DesignerStrings = v.record(v.string(), v.string());
export type DesignerStrings = v.InferOutput<typeof DesignerStrings>;
