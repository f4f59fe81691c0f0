// The CLI's words for a person in that person's language: LC_ALL, then LC_MESSAGES, then LANG
// (server/shared/l10n/locale.ts), as `lvsdr check` picks it. JSON output stays English.
import { localeFromEnv } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import type { Msg } from '../shared/l10n/message';

/** The message in the language the environment of this process asks for. */
export function inReaderLanguage(m: Msg): string {
  return localize(m, localeFromEnv(process.env));
}
