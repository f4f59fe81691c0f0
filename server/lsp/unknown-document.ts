// The refusal of a request about a document the client never opened (or already closed): the
// language server knows only open documents.
import { Msg, t } from '../shared/l10n/message';

export function unknownDocument(uri: string): Msg {
  return t`Unknown document ${uri}: it is not open in the language server.`;
}
