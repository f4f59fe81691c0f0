// The lexer of the .lvs language: a scanner over character codes that produces the chevrotain
// tokens of tokens.ts, for the chevrotain parser (decisions.md, "A scanner in front of the
// parser"). The token patterns in tokens.ts stay the definition: this file implements them as
// chevrotain's Lexer applies them, and test/unit/front-end-equivalence.test.ts checks the two
// agree (on the examples and on random and mutated text).
//
// Chevrotain's rules, reproduced here:
// - at each offset the patterns are tried in definition order and the first match wins;
//   a keyword gives way to a longer Identifier (`longer_alt`), so a keyword is a whole word;
// - when nothing matches, characters are dropped one at a time until any pattern matches at
//   the offset, and the dropped run is one error.
import { defaultLexerErrorProvider, ILexingError, ILexingResult, IToken, TokenType } from 'chevrotain';
import * as T from './tokens';

/** Keywords by first character and length; a match yields the keyword's own string as image. */
interface Keyword { word: string; type: TokenType }
const KEYWORDS: (Keyword[] | undefined)[] = [];
T.keywordTokens.forEach((type, i) => {
  const word = T.keywordWords[i];
  (KEYWORDS[word.charCodeAt(0) * 16 + word.length] ??= []).push({ word, type });
});

function keywordAt(text: string, i: number, length: number): Keyword | undefined {
  const list = length < 16 ? KEYWORDS[text.charCodeAt(i) * 16 + length] : undefined;
  if (list === undefined) return undefined;
  for (const k of list) if (text.startsWith(k.word, i)) return k;
  return undefined;
}

// Character classes of the ASCII range (bit flags); everything else belongs to none.
const WS = 1; // [ \t\r\n]
const WORD_START = 2; // [A-Za-z_]
const WORD = 4; // [A-Za-z0-9_-]: the rest of a name
const WORD_CHAR = 8; // [A-Za-z0-9_]: a label's port part; what may not follow a duration
const SECRET = 16; // [A-Za-z0-9_./~-]: after `secret:`, `env:`, `file:`
const PATH = 32; // [A-Za-z0-9._/+@-]: after the slash of a path
const NUMBER_STOP = 64; // [A-Za-z_.]: what may not follow a number
const HEX = 128; // [0-9A-Fa-f]: the groups of an IPv6 address

const CLASS = new Uint8Array(128);
function mark(chars: string, flag: number) {
  for (const ch of chars) CLASS[ch.charCodeAt(0)] |= flag;
}
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
mark(' \t\r\n', WS);
mark(LETTERS + '_', WORD_START | NUMBER_STOP);
mark(LETTERS + DIGITS + '_-', WORD);
mark(LETTERS + DIGITS + '_', WORD_CHAR);
mark(LETTERS + DIGITS + '_./~-', SECRET);
mark(LETTERS + DIGITS + '._/+@-', PATH);
mark('.', NUMBER_STOP);
mark(DIGITS + 'ABCDEFabcdef', HEX);

const HASH = 35, QUOTE = 34, BACKSLASH = 92, LCURLY = 123, RCURLY = 125, EQUALS = 61, COLON = 58;
const DOT = 46, SLASH = 47, TILDE = 126, CR = 13, LF = 10;

function is(text: string, i: number, flag: number): boolean {
  const c = text.charCodeAt(i); // NaN past the end: in no class
  return c < 128 && (CLASS[c] & flag) !== 0;
}

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function digitsEnd(text: string, i: number): number {
  while (isDigit(text, i)) i++;
  return i;
}

function runEnd(text: string, i: number, flag: number): number {
  while (is(text, i, flag)) i++;
  return i;
}

/** StringLit `"(?:[^"\\\r\n]|\\.)*"`: end offset, or -1. */
function stringEnd(text: string, i: number): number {
  const n = text.length;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c === CR || c === LF) return -1;
    if (c === BACKSLASH) {
      // `.` matches anything but a line terminator.
      const e = text.charCodeAt(j + 1);
      if (j + 1 >= n || e === CR || e === LF || e === 0x2028 || e === 0x2029) return -1;
      j++;
    }
  }
  return -1;
}

/** SecretRef `(?:secret|env|file):[A-Za-z0-9_.\/~-]+`, given the end of the word at i. */
function secretEnd(text: string, i: number, wordEnd: number): number {
  const len = wordEnd - i;
  if (text.charCodeAt(wordEnd) !== COLON || !is(text, wordEnd + 1, SECRET)) return -1;
  if (len === 6 ? !text.startsWith('secret', i) : len === 3 ? !text.startsWith('env', i) : len !== 4 || !text.startsWith('file', i)) return -1;
  return runEnd(text, wordEnd + 1, SECRET);
}

/** PathLit `(?:~|\.{1,2})?\/[A-Za-z0-9._\/+@-]*`: end offset, or -1. */
function pathEnd(text: string, i: number): number {
  let j = i;
  const c = text.charCodeAt(i);
  if (c === TILDE) j++;
  else if (c === DOT) j += text.charCodeAt(i + 1) === DOT && text.charCodeAt(i + 2) === SLASH ? 2 : 1;
  if (text.charCodeAt(j) !== SLASH) return -1;
  return runEnd(text, j + 1, PATH);
}

/** Ipv4 `\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?`: end offset, or -1. */
function ipv4End(text: string, i: number): number {
  let j = i;
  for (let octet = 0; octet < 3; octet++) {
    const e = digitsEnd(text, j);
    if (e === j || e - j > 3 || text.charCodeAt(e) !== DOT) return -1;
    j = e + 1;
  }
  const e = digitsEnd(text, j);
  if (e === j) return -1;
  j = Math.min(e, j + 3);
  if (text.charCodeAt(j) === SLASH && isDigit(text, j + 1)) j = Math.min(digitsEnd(text, j + 1), j + 3);
  return j;
}

/**
 * Ipv6 `[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}(?:\/\d{1,3})?`: end offset, or -1. Backtracking
 * never finds a shorter match: a group cut short is followed by a hex digit, never a colon.
 */
function ipv6End(text: string, i: number): number {
  let j = i;
  while (j - i < 5 && is(text, j, HEX)) j++;
  if (j - i > 4) return -1;
  let groups = 0;
  while (groups < 8 && text.charCodeAt(j) === COLON) {
    j++;
    groups++;
    const start = j;
    while (j - start < 4 && is(text, j, HEX)) j++;
  }
  if (groups < 2) return -1;
  if (text.charCodeAt(j) === SLASH && isDigit(text, j + 1)) j = Math.min(digitsEnd(text, j + 1), j + 4);
  return j;
}

/** Duration `\d+(?:ms|s|m|h|d)(?![A-Za-z0-9_])`, given the end of the digits at i. */
function durationEnd(text: string, digits: number): number {
  const c = text.charCodeAt(digits);
  if (c === 109 /* m */ && text.charCodeAt(digits + 1) === 115 /* s */ && !is(text, digits + 2, WORD_CHAR)) return digits + 2;
  if ((c === 115 || c === 109 || c === 104 || c === 100) /* s m h d */ && !is(text, digits + 1, WORD_CHAR)) return digits + 1;
  return -1;
}

/** NumberLit `\d+(?![A-Za-z_.])`: the lookahead may give back the last digit. */
function numberEnd(text: string, i: number, digits: number): number {
  if (!is(text, digits, NUMBER_STOP)) return digits;
  return digits - i >= 2 ? digits - 1 : -1;
}

/** DottedName (a name, then `.` or `/` parts), given the end of the word. */
function dottedEnd(text: string, wordEnd: number): number {
  let j = wordEnd;
  for (;;) {
    const c = text.charCodeAt(j);
    if ((c !== DOT && c !== SLASH) || !is(text, j + 1, WORD)) break;
    j = runEnd(text, j + 2, WORD);
  }
  return j === wordEnd ? -1 : j;
}

/** Whether any pattern matches at i: where chevrotain's error recovery stops dropping characters. */
function anyMatchAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128 && (CLASS[c] & (WS | WORD_START)) !== 0) return true;
  if (c === HASH || c === LCURLY || c === RCURLY || c === EQUALS) return true;
  if (c === QUOTE) return stringEnd(text, i) >= 0;
  if (c === TILDE || c === DOT || c === SLASH) return pathEnd(text, i) >= 0;
  if (c === COLON) return ipv6End(text, i) >= 0;
  if (c >= 48 && c <= 57) {
    const digits = digitsEnd(text, i);
    return ipv6End(text, i) >= 0 || ipv4End(text, i) >= 0 || durationEnd(text, digits) >= 0 || numberEnd(text, i, digits) >= 0;
  }
  return false;
}

function token(text: string, start: number, end: number, type: TokenType): IToken {
  return { image: text.slice(start, end), startOffset: start, endOffset: end - 1, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type };
}

/** Lexes text into tokens (whitespace skipped), comments and errors, as chevrotain's Lexer would. */
export function tokenize(text: string): ILexingResult {
  // Sized from the text like chevrotain's lexer does, and cut to length at the end.
  const tokens: IToken[] = new Array<IToken>(Math.floor(text.length / 4));
  let count = 0;
  const comments: IToken[] = [];
  const errors: ILexingError[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let end = -1;
    let type: TokenType = T.Identifier;
    if (c < 128 && (CLASS[c] & HEX) !== 0 && (end = ipv6End(text, i)) >= 0) {
      type = T.Ipv6;
    } else if (c < 128 && (CLASS[c] & WORD_START) !== 0) {
      const wordEnd = runEnd(text, i + 1, WORD);
      if ((c === 115 || c === 101 || c === 102) /* s e f */ && (end = secretEnd(text, i, wordEnd)) >= 0) type = T.SecretRef;
      else if ((end = dottedEnd(text, wordEnd)) >= 0) type = T.DottedName;
      else if (text.charCodeAt(wordEnd) === COLON) {
        end = runEnd(text, wordEnd + 1, WORD_CHAR);
        type = T.Label;
      } else {
        // A keyword only as a whole word: `longer_alt: Identifier` takes any longer one.
        const kw = keywordAt(text, i, wordEnd - i);
        tokens[count++] = kw !== undefined
          ? { image: kw.word, startOffset: i, endOffset: wordEnd - 1, tokenTypeIdx: kw.type.tokenTypeIdx!, tokenType: kw.type }
          : { image: text.slice(i, wordEnd), startOffset: i, endOffset: wordEnd - 1, tokenTypeIdx: T.Identifier.tokenTypeIdx!, tokenType: T.Identifier };
        i = wordEnd;
        continue;
      }
    } else if (c < 128 && (CLASS[c] & WS) !== 0) {
      i = runEnd(text, i + 1, WS);
      continue;
    } else if (c >= 48 && c <= 57) {
      const digits = digitsEnd(text, i);
      if ((end = ipv4End(text, i)) >= 0) type = T.Ipv4;
      else if ((end = durationEnd(text, digits)) >= 0) type = T.Duration;
      else if ((end = numberEnd(text, i, digits)) >= 0) type = T.NumberLit;
    } else if (c === LCURLY) {
      end = i + 1;
      type = T.LCurly;
    } else if (c === RCURLY) {
      end = i + 1;
      type = T.RCurly;
    } else if (c === EQUALS) {
      end = i + 1;
      type = T.Equals;
    } else if (c === HASH) {
      let j = i + 1;
      for (let d = text.charCodeAt(j); j < n && d !== LF && d !== CR; d = text.charCodeAt(++j));
      comments.push(token(text, i, j, T.Comment));
      i = j;
      continue;
    } else if (c === QUOTE) {
      end = stringEnd(text, i);
      type = T.StringLit;
    } else if (c === TILDE || c === DOT || c === SLASH) {
      end = pathEnd(text, i);
      type = T.PathLit;
    } else if (c === COLON) {
      end = ipv6End(text, i);
      type = T.Ipv6;
    }
    if (end >= 0) {
      tokens[count++] = token(text, i, end, type);
      i = end;
      continue;
    }
    const start = i;
    do i++; while (i < n && !anyMatchAt(text, i));
    errors.push({
      offset: start, line: undefined, column: undefined, length: i - start,
      message: defaultLexerErrorProvider.buildUnexpectedCharactersMessage(text, start, i - start, undefined, undefined),
    });
  }
  tokens.length = count;
  return { tokens, groups: { comments }, errors };
}
