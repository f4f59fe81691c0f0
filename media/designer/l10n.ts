// The webview's half of localization: t() looks an English message up in the table the extension
// put into the page (server/protocol/designer-strings.ts) and fills in {0}, {1}… as vscode.l10n.t
// does. English is the source and the fallback.
import { check } from '../../server/protocol/check';
import { DESIGNER_STRINGS_ELEMENT_ID, DesignerStrings } from '../../server/protocol/designer-strings';

let table: DesignerStrings | undefined;

function strings(): DesignerStrings {
  if (table) return table;
  table = {};
  // no page (the unit tests run the webview's modules in Node): English
  const raw = typeof document === 'undefined' ? undefined : document.getElementById(DESIGNER_STRINGS_ELEMENT_ID)?.textContent;
  if (raw) {
    try {
      const checked = check(DesignerStrings, JSON.parse(raw));
      if (checked.ok) table = checked.value;
    } catch { /* not JSON: English */ }
  }
  return table;
}

/** `message` in the display language, `{n}` replaced by `args[n]`. */
export function t(message: string, ...args: Array<string | number>): string {
  const text = strings()[message] ?? message;
  return text.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}
