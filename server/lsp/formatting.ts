// Document formatting: re-indents each line by brace depth and tidies blank lines and trailing
// whitespace. Everything else (spacing inside a line, single-line blocks, comments, strings) is
// kept as written, so the formatter never fights the author's alignment and is idempotent.
import { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
}

interface Line {
  /** Offset of the line's first character. */
  start: number;
  /** The line without its terminator. */
  content: string;
  /** `\n`, `\r\n`, `\r` or '' for the last line. */
  eol: string;
}

/** What becomes of one input line: its new content, or deletion (surplus blank lines). */
type LineAction = { keep: true; content: string } | { keep: false };

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    lines.push({ start, content: text.slice(start, m.index), eol: m[0] });
    start = m.index + m[0].length;
  }
  lines.push({ start, content: text.slice(start), eol: '' });
  return lines;
}

interface Scan {
  /** `{` minus `}` outside strings and comments. */
  opens: number;
  closes: number;
  /** Closing braces before anything else on the line (they dedent the line itself). */
  leadingCloses: number;
  /** The line ends inside an unterminated string (its trailing whitespace belongs to the string). */
  openString: boolean;
}

/** Counts the braces of one line (already stripped of its indentation), skipping strings and comments. */
function scanLine(s: string): Scan {
  let opens = 0;
  let closes = 0;
  let leadingCloses = 0;
  let leading = true;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '#') break;
    if (c === '"') { inString = true; leading = false; continue; }
    if (c === '}') {
      closes++;
      if (leading) leadingCloses++;
      continue;
    }
    if (c === ' ' || c === '\t') continue;
    leading = false;
    if (c === '{') opens++;
  }
  return { opens, closes, leadingCloses, openString: inString };
}

function plan(text: string, opts: FormatOptions): { lines: Line[]; actions: LineAction[] } {
  const lines = splitLines(text);
  const unit = opts.insertSpaces ? ' '.repeat(Math.max(0, opts.tabSize)) : '\t';
  const actions: LineAction[] = [];
  let depth = 0;
  let blankRun = 0;
  let seenContent = false;
  for (const line of lines) {
    const body = line.content.replace(/^[ \t]+/, '');
    const scan = scanLine(body);
    const trimmed = scan.openString ? body : body.replace(/[ \t]+$/, '');
    if (trimmed === '') {
      // Blank: none at the start, at most one in a row (trailing ones are dropped below).
      actions.push(seenContent && blankRun === 0 ? { keep: true, content: '' } : { keep: false });
      blankRun++;
      continue;
    }
    blankRun = 0;
    seenContent = true;
    const level = Math.max(0, depth - scan.leadingCloses);
    actions.push({ keep: true, content: unit.repeat(level) + trimmed });
    depth = Math.max(0, depth + scan.opens - scan.closes);
  }
  // No blank lines at the end: the last kept line ends with exactly one newline.
  for (let i = actions.length - 1; i >= 0; i--) {
    const act = actions[i];
    if (act.keep && act.content !== '') break;
    actions[i] = { keep: false };
  }
  return { lines, actions };
}

function defaultEol(lines: Line[]): string {
  return lines.find((l) => l.eol !== '')?.eol ?? '\n';
}

/** The formatted text (line terminators as written; the final newline uses the file's first one). */
export function formatText(text: string, opts: FormatOptions): string {
  const { lines, actions } = plan(text, opts);
  const eol = defaultEol(lines);
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const act = actions[i];
    if (act.keep) out += act.content + (lines[i].eol || eol);
  }
  return out;
}

/** Minimal edits turning the document into formatText's result: one per changed line. */
export function formatEdits(doc: TextDocument, opts: FormatOptions): TextEdit[] {
  const text = doc.getText();
  const { lines, actions } = plan(text, opts);
  const eol = defaultEol(lines);
  const edits: TextEdit[] = [];
  const range = (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const act = actions[i];
    const contentEnd = line.start + line.content.length;
    if (!act.keep) {
      if (line.content === '' && line.eol === '') continue; // the empty tail after the final newline
      edits.push({ range: range(line.start, contentEnd + line.eol.length), newText: '' });
      continue;
    }
    const newText = act.content + (line.eol === '' ? eol : '');
    if (newText !== line.content) edits.push({ range: range(line.start, contentEnd), newText });
  }
  return edits;
}
