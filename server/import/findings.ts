// What an import reports: a source position (file and 1-based line) and what happened there.
// `not-expressible` marks input the language has no word for (exit 4 in the CLI); `inferred`
// marks a value the importer chose because the input did not say it. The words are a message
// (server/shared/l10n): the CLI and VS Code show them in the reader's language, `message` keeps
// the English for JSON and the event channel.
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import { english, joinMsgs, Msg, t } from '../shared/l10n/message';
import { MessageError } from '../shared/l10n/message-error';

export type ImportFindingKind = 'not-expressible' | 'inferred' | 'note';

export interface ImportFinding {
  kind: ImportFindingKind;
  file: string;
  line: number;
  /** What happened, in English. */
  message: string;
  /** The same as a message, for the reader's language. */
  words: Msg;
}

/** A finding whose English `message` is its words in English. */
export function importFinding(kind: ImportFindingKind, file: string, line: number, words: Msg): ImportFinding {
  return { kind, file, line, message: english(words), words };
}

/** Unreadable or invalid input: the import stops (exit 1 in the CLI). */
export class ImportInputError extends MessageError {
  constructor(readonly file: string, readonly line: number, why: Msg) {
    // `file:line: ` stays as it is in every language, as in findingText: terminals and problem
    // matchers find the position by it.
    super(joinMsgs([`${file}:${line}: `, why], ''));
    this.name = 'ImportInputError';
  }
}

// The kinds as a reader sees them; in English they are the kinds themselves.
const KIND_WORDS: Record<ImportFindingKind, Msg> = {
  'not-expressible': t`not-expressible`,
  inferred: t`inferred`,
  note: t`note`,
};

/** `file:line: kind: message`, in English unless a locale is given. */
export function findingText(f: ImportFinding, locale: Locale = 'en'): string {
  return `${f.file}:${f.line}: ${localize(t`${KIND_WORDS[f.kind]}: ${f.words}`, locale)}`;
}
