// An error whose text is a message (server/shared/l10n/message.ts): `message` is the English
// (logs, journals and JSON keep it), `words` render in the reader's language (`wordsOf` in
// server/deploy/errors.ts picks them up wherever an error is shown to a person).
import { english, Msg } from './message';

export class MessageError extends Error {
  constructor(readonly words: Msg) {
    super(english(words));
    this.name = 'MessageError';
  }
}
