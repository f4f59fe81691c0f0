// The name rule of the .lvs language in words, as a message (the reader's language): the same
// text as NAME_RULE in language/names.ts, which stays plain English because the language layer and
// the webview import nothing (test/unit/name-rule.test.ts holds the two equal).
import { t } from '../shared/l10n/message';

export const NAME_RULE_WORDS = t`a letter or '_' followed by letters, digits, '_' or '-'`;
