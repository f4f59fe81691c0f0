// The one name rule (server/language/names.ts) is what the lexer accepts as a name: a string
// matches NAME_RE exactly when the lexer (the scanner the server uses, and chevrotain's lexer
// over the token definitions) reads it as one token of the Name category and nothing else.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ILexingResult, tokenMatcher } from 'chevrotain';
import fc from 'fast-check';
import { tokenize } from '../../server/language/lexer';
import { NAME_RE } from '../../server/language/names';
import { keywordWords, Name, referenceLexer } from '../../server/language/tokens';

function oneName(r: ILexingResult, text: string): boolean {
  return r.errors.length === 0 && r.groups.comments?.length === 0 && r.tokens.length === 1
    && tokenMatcher(r.tokens[0], Name) && r.tokens[0].image === text;
}

function agree(text: string): void {
  const expected = NAME_RE.test(text);
  assert.equal(oneName(tokenize(text), text), expected, `scanner on ${JSON.stringify(text)}: NAME_RE says ${expected}`);
  assert.equal(oneName(referenceLexer().tokenize(text), text), expected, `chevrotain on ${JSON.stringify(text)}: NAME_RE says ${expected}`);
}

// Characters around the rule's edges: its alphabet, separators other tokens use, and others.
const CHARS = ['a', 'Z', 'q', '_', '-', '0', '9', '.', ':', '/', '~', '@', ' ', '#', '"', '=', '{', 'é', '\n'];

describe('the name rule equals the lexer', () => {
  test('every string of up to three interesting characters', () => {
    const strings = [''];
    for (let len = 1; len <= 3; len++) {
      for (const prefix of strings.filter((s) => s.length === len - 1)) for (const c of CHARS) strings.push(prefix + c);
    }
    for (const s of strings) agree(s);
  });

  test('keywords, names around them and typical values', () => {
    for (const k of keywordWords) for (const s of [k, `${k}1`, `${k}-x`, `_${k}`, `${k}.1`, `${k}:0`]) agree(s);
    for (const s of ['web1', 'lvs-1', 'eth0', 'eth0.100', 'lo:0', 'ens33', '5s', '10', '10.0.0.1', 'secret:x', 'env:A', 'a/b', 'web_1-x', 'A', '_']) agree(s);
  });

  test('random strings over the same characters', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 12 }), (s) => agree(s)), { numRuns: 3000 });
  });
});
