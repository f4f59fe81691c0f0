// Offset-based text edits for the designer: insert or remove exactly the lines or tokens an
// intent touches, with the indentation, separators and line terminators the file already uses,
// so comments and the formatting of untouched text stay byte-identical.
import { Span } from '../language/ast';

/** Replaces [start, end) with newText (offsets in the original text). */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

const isEolChar = (ch: string | undefined) => ch === '\n' || ch === '\r';
const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** Offset of the first character of the line containing `off`. */
export function lineStart(text: string, off: number): number {
  let i = off;
  while (i > 0 && !isEolChar(text[i - 1])) i--;
  return i;
}

/** Start of the line before the line starting at `start`, or -1 for the first line. */
export function prevLineStart(text: string, start: number): number {
  if (start <= 0) return -1;
  return lineStart(text, start - (text[start - 1] === '\n' && text[start - 2] === '\r' ? 2 : 1));
}

/** Offset of the terminator of the line containing `off` (or the text's length). */
export function lineEnd(text: string, off: number): number {
  let i = off;
  while (i < text.length && !isEolChar(text[i])) i++;
  return i;
}

/** Length of the line terminator at `at` (2 for CRLF, 1 for LF or CR, 0 at the end). */
export function eolLength(text: string, at: number): number {
  if (text[at] === '\r') return text[at + 1] === '\n' ? 2 : 1;
  return text[at] === '\n' ? 1 : 0;
}

/** The file's line terminator (its first one), LF by default. */
export function detectEol(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? m[0] : '\n';
}

/** One level of indentation as the file writes it (a tab, or the smallest space indent), else two spaces. */
export function indentUnit(text: string): string {
  let smallest = Infinity;
  for (const m of text.matchAll(/^([ \t]+)\S/gm)) {
    if (m[1].startsWith('\t')) return '\t';
    smallest = Math.min(smallest, m[1].length);
  }
  return smallest === Infinity ? '  ' : ' '.repeat(smallest);
}

/** Leading whitespace of the line containing `off`. */
export function indentAt(text: string, off: number): string {
  const start = lineStart(text, off);
  return /^[ \t]*/.exec(text.slice(start, lineEnd(text, start)))![0];
}

/** Only blanks between the start of the line and `off`. */
export function onlyBlanksBefore(text: string, off: number): boolean {
  return text.slice(lineStart(text, off), off).trim() === '';
}

/** Only blanks, optionally followed by a comment, between `off` and the end of its line. */
export function onlyTriviaAfter(text: string, off: number): boolean {
  let i = off;
  while (isBlank(text[i])) i++;
  return i >= text.length || isEolChar(text[i]) || text[i] === '#';
}

/** The item is alone on its line(s), apart from blanks and a trailing comment. */
export function aloneOnLine(text: string, span: Span): boolean {
  return onlyBlanksBefore(text, span.start) && onlyTriviaAfter(text, span.end);
}

/** A line's code without its comment and strings (for brace checks). */
function codeOf(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/#.*$/, '');
}

/** Removal of one item: its whole line(s) when nothing else is on them, else the item and one separator. */
function removalOf(text: string, span: Span): OffsetEdit & { whole: boolean } {
  if (aloneOnLine(text, span)) {
    let start = lineStart(text, span.start);
    const end = lineEnd(text, span.end);
    const eol = eolLength(text, end);
    if (eol === 0 && start > 0) {
      // Last line without a terminator: take the previous line's terminator instead.
      start -= text[start - 1] === '\n' && text[start - 2] === '\r' ? 2 : 1;
    }
    return { start, end: end + eol, newText: '', whole: true };
  }
  // Other items share the line: remove the item and the blanks on one side of it.
  let after = span.end;
  while (isBlank(text[after])) after++;
  const tokenFollows = after < text.length && !isEolChar(text[after]) && text[after] !== '#' && text[after] !== '}';
  let before = span.start;
  while (before > 0 && isBlank(text[before - 1])) before--;
  if (tokenFollows || before === span.start || onlyBlanksBefore(text, span.start)) return { start: span.start, end: after, newText: '', whole: false };
  return { start: before, end: span.end, newText: '', whole: false };
}

/** After removing whole lines, drop one blank line that would otherwise be left as debris. */
function tidy(text: string, r: OffsetEdit): OffsetEdit {
  const prevStart = prevLineStart(text, r.start);
  const prevLine = prevStart >= 0 ? text.slice(prevStart, lineEnd(text, prevStart)) : undefined;
  const atEnd = r.end >= text.length;
  const nextEnd = lineEnd(text, r.end);
  const nextLine = atEnd ? undefined : text.slice(r.end, nextEnd);
  const prevBlank = prevLine !== undefined && prevLine.trim() === '';
  const nextBlank = nextLine !== undefined && nextLine.trim() === '';
  const nextCloses = nextLine !== undefined && nextLine.trim().startsWith('}');
  const prevOpens = prevLine === undefined || codeOf(prevLine).trimEnd().endsWith('{');
  if (prevBlank && (nextBlank || nextCloses || atEnd)) return { ...r, start: prevStart };
  if (prevOpens && nextBlank) return { ...r, end: nextEnd + eolLength(text, nextEnd) };
  return r;
}

/**
 * Edits removing every span (properties, `real` lines, blocks): whole lines when the item is
 * alone on them, else just the item and a separator. Adjacent removed lines merge, and a blank
 * line that would end up doubled, or right after `{` / before `}`, goes with them.
 */
export function removeSpans(text: string, spans: Span[]): OffsetEdit[] {
  const parts = spans.map((s) => removalOf(text, s)).sort((x, y) => x.start - y.start || y.end - x.end);
  const merged: (OffsetEdit & { whole: boolean })[] = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if (last && p.start <= last.end && (p.start < last.end || (last.whole && p.whole))) {
      last.end = Math.max(last.end, p.end);
      last.whole = last.whole && p.whole;
    } else merged.push({ ...p });
  }
  const out: OffsetEdit[] = merged.map((m) => {
    const e = { start: m.start, end: m.end, newText: '' };
    return m.whole ? tidy(text, e) : e;
  });
  // Tidying can make neighbours touch: merge once more.
  const final: OffsetEdit[] = [];
  for (const e of out) {
    const last = final[final.length - 1];
    if (last && e.start <= last.end) last.end = Math.max(last.end, e.end);
    else final.push({ ...e });
  }
  return final;
}

/** A new line holding `content` (already indented) after the line containing `off`. */
export function insertLineAfter(text: string, off: number, content: string): OffsetEdit {
  const at = lineEnd(text, off);
  return { start: at, end: at, newText: detectEol(text) + content };
}

/** A new line holding `content` (already indented) before the line containing `off`. */
export function insertLineBefore(text: string, off: number, content: string): OffsetEdit {
  const at = lineStart(text, off);
  return { start: at, end: at, newText: content + detectEol(text) };
}

/** The blanks separating the item from its neighbour on the same line (after, else before), else one space. */
function separatorNear(text: string, span: Span): string {
  let after = span.end;
  while (isBlank(text[after])) after++;
  if (after > span.end && after < text.length && !isEolChar(text[after]) && text[after] !== '#' && text[after] !== '}') return text.slice(span.end, after);
  let before = span.start;
  while (before > 0 && isBlank(text[before - 1])) before--;
  if (before < span.start && before > 0 && !isEolChar(text[before - 1]) && text[before - 1] !== '{') return text.slice(before, span.start);
  return ' ';
}

/** Inserts `snippet` after an item: on a new line when the item has a line to itself, else inline. */
export function insertAfterItem(text: string, span: Span, snippet: string): OffsetEdit {
  if (aloneOnLine(text, span)) return insertLineAfter(text, span.end, indentAt(text, span.start) + snippet);
  return { start: span.end, end: span.end, newText: separatorNear(text, span) + snippet };
}

/** Inserts `snippet` before an item: on a new line when the item has a line to itself, else inline. */
export function insertBeforeItem(text: string, span: Span, snippet: string): OffsetEdit {
  if (aloneOnLine(text, span)) return insertLineBefore(text, span.start, indentAt(text, span.start) + snippet);
  return { start: span.start, end: span.start, newText: snippet + separatorNear(text, span) };
}

/**
 * Appends `snippet` as the last item of a `{ … }` block (`body` covers both braces): on a new
 * line before a `}` that has a line to itself, else on the line of the `}`.
 */
export function appendToBlock(text: string, body: Span, snippet: string): OffsetEdit {
  const open = body.start;
  const close = text[body.end - 1] === '}' ? body.end - 1 : body.end;
  if (onlyBlanksBefore(text, close) && lineStart(text, close) > open) {
    // `}` on its own line: indent like the block's last line of content, else one level in.
    const closeLineStart = lineStart(text, close);
    let indent = indentAt(text, close) + indentUnit(text);
    for (let at = closeLineStart; at > open;) {
      const prevStart = prevLineStart(text, at);
      if (prevStart <= open) break;
      const line = text.slice(prevStart, lineEnd(text, prevStart));
      if (line.trim() !== '') {
        indent = /^[ \t]*/.exec(line)![0];
        break;
      }
      at = prevStart;
    }
    return insertLineBefore(text, close, indent + snippet);
  }
  let at = close;
  while (at > open + 1 && isBlank(text[at - 1])) at--;
  if (at === open + 1) return { start: at, end: at, newText: close === at ? ` ${snippet} ` : ` ${snippet}` };
  return { start: at, end: at, newText: ` ${snippet}` };
}

/** Applies non-overlapping edits to the text. */
export function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  const sorted = [...edits].sort((x, y) => x.start - y.start || x.end - y.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}
