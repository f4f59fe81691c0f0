// The name rule in words is one text: the message (model/name-rule.ts) reads in English exactly as
// the plain string of the language layer (language/names.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NAME_RULE } from '../../server/language/names';
import { NAME_RULE_WORDS } from '../../server/model/name-rule';
import { english } from '../../server/shared/l10n/message';

test('the name rule as a message reads as the language\'s NAME_RULE', () => {
  assert.equal(english(NAME_RULE_WORDS), NAME_RULE);
});
