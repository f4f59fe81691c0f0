// Quick fixes: the fixes a rule attached to its finding, offered for the diagnostics in range.
import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, TextEdit } from 'vscode-languageserver';
import { Analysis } from './analysis';
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import { toDiagnostic } from './diagnostics';
import { toRange } from './positions';

function sameRange(a: Diagnostic, b: Diagnostic): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character
    && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
}

export function codeActions(a: Analysis, params: CodeActionParams, locale: Locale = 'en'): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix))) return [];
  const actions: CodeAction[] = [];
  for (const f of a.findings) {
    if (f.fixes.length === 0) continue;
    const diag = toDiagnostic(a.doc, f, locale);
    const requested = params.context.diagnostics.find((d) => d.code === f.code && sameRange(d, diag));
    if (!requested) continue;
    for (const fix of f.fixes) {
      actions.push({
        title: localize(fix.title, locale),
        kind: CodeActionKind.QuickFix,
        diagnostics: [requested],
        isPreferred: fix.preferred,
        edit: { changes: { [a.doc.uri]: fix.edits.map((e) => TextEdit.replace(toRange(a.doc, e.span), e.newText)) } },
      });
    }
  }
  return actions;
}
