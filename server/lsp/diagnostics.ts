// Findings → LSP diagnostics, each with its stable code and a link to its docs section.
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Finding, Severity } from '../validation/types';
import { RULES_DOC_URL } from './docs-links';
import { toRange } from './positions';
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/** The finding as a diagnostic, its message in the client's language (code and range are the same in every language). */
export function toDiagnostic(doc: TextDocument, f: Finding, locale: Locale = 'en'): Diagnostic {
  return {
    range: toRange(doc, f.span),
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: `${RULES_DOC_URL}#${f.code.toLowerCase()}` },
    source: 'lvs',
    message: localize(f.msg, locale),
  };
}
