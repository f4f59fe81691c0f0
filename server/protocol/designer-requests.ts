// The designer's custom LSP requests between the VS Code client and the language server:
// `lvs/diagramModel` (the diagram of an open document) and `lvs/applyIntent` (minimal TextEdits
// for a designer intent, computed against the document version the webview saw).
import * as v from 'valibot';
import { DesignerIntent } from './designer-intent';
import { Range } from './diagram-model';

const NonEmptyUri = v.pipe(v.string("Field 'uri' must be a string."), v.minLength(1, "Field 'uri' must not be empty."));

/** `lvs/diagramModel` request: params; the result is a DiagramModel. */
export const DIAGRAM_MODEL_REQUEST = 'lvs/diagramModel';
export const DiagramModelParams = v.object({ uri: NonEmptyUri }, 'lvs/diagramModel expects { uri: string }.');
export type DiagramModelParams = v.InferOutput<typeof DiagramModelParams>;

/** `lvs/applyIntent` request: the server answers minimal TextEdits, or why not. */
export const APPLY_INTENT_REQUEST = 'lvs/applyIntent';
export const ApplyIntentParams = v.object({
  uri: NonEmptyUri,
  version: v.pipe(v.number("Field 'version' must be an integer."), v.integer("Field 'version' must be an integer.")),
  intent: DesignerIntent,
}, (issue) => (issue.path ? `Field '${String(issue.path[0].key)}' of lvs/applyIntent is missing.` : 'lvs/applyIntent expects { uri, version, intent }.'));
export type ApplyIntentParams = v.InferOutput<typeof ApplyIntentParams>;

export const TextEditData = v.object({ range: Range, newText: v.string() });
export type TextEditData = v.InferOutput<typeof TextEditData>;

export const IntentResult = v.variant('ok', [
  v.object({ ok: v.literal(true), edits: v.array(TextEditData) }),
  v.object({ ok: v.literal(false), reason: v.picklist(['stale', 'invalid', 'syntax', 'unknown-document']), message: v.string() }),
]);
export type IntentResult = v.InferOutput<typeof IntentResult>;
