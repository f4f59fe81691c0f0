// A syntax error of the diagram model as the designer shows it (banner, problems list):
// "Line 7: …" worded from the extension's bundle; the message is already in the client's language.
import type { DiagramModel } from '../../server/protocol/diagram-model';
import * as l10n from './l10n';

export type SyntaxError = DiagramModel['syntaxErrors'][number];

export function syntaxErrorText(e: SyntaxError): string {
  return l10n.t('Line {0}: {1}', e.line, e.message);
}
