// Entry point of the language front end: text → tokens → AST plus syntax issues.
import { IToken } from 'chevrotain';
import { LvsFile, Span } from './ast';
import { editDistance } from './edit-distance';
import { lvsParser, parseTokens } from './parser';
import { tokenize } from './lexer';
import { keywordWords } from './tokens';
import { english, listMsgs, Msg, t } from '../shared/l10n/message';

export interface SyntaxIssue {
  /** In English… */
  message: string;
  /** …and the message to render in the reader's language. */
  msg: Msg;
  span: Span;
}

export interface ParseResult {
  ast: LvsFile;
  /** Lexer, parser and structural issues, all reported as LVS001. */
  issues: SyntaxIssue[];
  tokens: IToken[];
  comments: IToken[];
}

export function parse(text: string): ParseResult {
  const lexed = tokenize(text);
  const issues: SyntaxIssue[] = [];
  for (const e of lexed.errors) {
    const bad = text.substr(e.offset, e.length);
    const msg = bad.length > 1 ? t`Unexpected characters '${bad}'.` : t`Unexpected character '${bad}'.`;
    issues.push({ message: english(msg), msg, span: { start: e.offset, end: e.offset + Math.max(1, e.length) } });
  }
  const { ast, issues: structural } = parseTokens(lexed.tokens);
  for (const e of lvsParser.errors) {
    const msg = describeParseError(e.message, e.token);
    issues.push({ message: english(msg), msg, span: errorSpan(e.token, (e as { previousToken?: IToken }).previousToken, text) });
  }
  for (const i of structural) issues.push(i);
  issues.sort((a, b) => a.span.start - b.span.start);
  return { ast, issues, tokens: lexed.tokens, comments: (lexed.groups.comments as IToken[] | undefined) ?? [] };
}

/** Where a parse error is shown (exported for the frozen reference front end of the tests). */
export function errorSpan(token: IToken, previous: IToken | undefined, text: string): Span {
  if (!Number.isNaN(token.startOffset) && token.tokenType.name !== 'EOF') {
    return { start: token.startOffset, end: (token.endOffset ?? token.startOffset) + 1 };
  }
  // At the end of the file (or an inserted token): point just after the last real token.
  const at = previous && !Number.isNaN(previous.startOffset) ? (previous.endOffset ?? previous.startOffset) + 1 : text.length;
  return { start: Math.max(0, at - 1), end: at };
}

/** A parse error in plain words (exported for the frozen reference front end of the tests). */
export function describeParseError(message: string, token: IToken): Msg {
  // Chevrotain's messages list the expected tokens; restate them plainly and name what was found.
  const found = token.tokenType.name === 'EOF' ? t`end of file` : `'${token.image}'`;
  let expected: string[];
  if (/one of these possible Token sequences/.test(message)) {
    expected = [...message.matchAll(/\d+\. \[(.+?)\]/g)].map((m) => m[1]);
  } else {
    expected = [...message.matchAll(/--> (.+?) <--/g)].map((m) => m[1]).slice(0, 1);
  }
  const names = [...new Set(expected)].slice(0, 12);
  const best = /^[A-Za-z][A-Za-z-]*$/.test(token.image) ? didYouMean(token.image) : undefined;
  const hint = best ? t` Did you mean '${best}'?` : '';
  return names.length ? t`Expected ${listMsgs(names)} but found ${found}.${hint}` : t`Expected something else but found ${found}.${hint}`;
}

/** Suggests the keyword closest to a misspelt word (edit distance at most 2). */
function didYouMean(word: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const kw of keywordWords) {
    const d = editDistance(word, kw);
    if (d < bestDistance) { best = kw; bestDistance = d; }
  }
  return best && best !== word ? best : undefined;
}
