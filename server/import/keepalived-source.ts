// The text layer of keepalived.conf(5), written from its man page: files joined through
// `include` (globs, paths relative to the including file), `!`/`#` comments, quoted strings,
// `$NAME=VALUE` parameters (multi-line too) with `$NAME`/`${NAME}` substitution and the predefined `${_PWD}`, `~SEQ(var, start, step, end)`
// lines, and `@id`/`@^id` conditional lines for one config id. The result is a stream of words,
// each knowing its file and line, with `{`, `}` and line ends as separate tokens.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { t } from '../shared/l10n/message';
import { ImportFinding, importFinding, ImportInputError } from './findings';

export interface Token {
  /** A word, `{`, `}`, or '\n' for a line end. */
  text: string;
  file: string;
  line: number;
}

export interface SourceOptions {
  /** keepalived's config id (-i): selects `@id` lines; undefined selects none and every `@^id`. */
  configId?: string;
  /**
   * The files of another machine by absolute path (a live import read them over SSH): paths,
   * includes and globs are resolved among these instead of on this machine's disk.
   */
  hostFiles?: ReadonlyMap<string, string>;
}

const INCLUDE = /^include[rmwba]?$/;
const MAX_DEPTH = 32;
const MAX_SEQ = 100_000;

/** Minimal glob: `*`, `?` and `[...]` within one path segment (what keepalived's examples use). */
export function expandGlob(pattern: string, hostFiles?: ReadonlyMap<string, string>): string[] {
  if (!/[*?[]/.test(pattern)) return [pattern];
  if (hostFiles) {
    const re = new RegExp('^' + pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
    return [...hostFiles.keys()].filter((p) => re.test(p) && !p.split('/').some((seg) => seg.startsWith('.'))).sort();
  }
  const parts = pattern.split('/');
  let paths = [parts[0] === '' ? '/' : parts[0]];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    if (!/[*?[]/.test(part)) { paths = paths.map((p) => join(p, part)); continue; }
    const re = new RegExp('^' + part.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
    paths = paths.flatMap((p) => {
      try {
        return readdirSync(p).filter((n) => !n.startsWith('.') && re.test(n)).sort().map((n) => join(p, n));
      } catch { return []; }
    });
  }
  return paths;
}

/** Splits one line into words: quotes group, `{`/`}` stand alone, `#`/`!` start a comment. */
function words(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && i + 1 < line.length) { cur += line[++i]; continue; }
      if (ch === quote) { quote = ''; continue; }
      cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") { quote = ch; has = true; continue; }
    if ((ch === '#' || ch === '!') && !has) break;
    if (/\s/.test(ch) || ch === '{' || ch === '}') {
      if (has) out.push(cur);
      cur = ''; has = false;
      if (ch === '{' || ch === '}') out.push(ch);
      continue;
    }
    cur += ch; has = true;
  }
  if (has) out.push(cur);
  return out;
}

class Reader {
  readonly tokens: Token[] = [];
  readonly findings: ImportFinding[] = [];
  readonly params = new Map<string, string>();
  readonly files: string[] = [];

  constructor(private readonly opts: SourceOptions) {}

  readFile(path: string, depth: number, from?: { file: string; line: number }): void {
    if (depth > MAX_DEPTH) throw new ImportInputError(from!.file, from!.line, t`include nested deeper than ${MAX_DEPTH} files`);
    let text: string;
    try {
      const hosted = this.opts.hostFiles;
      if (hosted && !hosted.has(path)) throw Object.assign(new Error('not read from the host'), { code: 'ENOENT' });
      text = hosted ? hosted.get(path)! : readFileSync(path, 'utf8');
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? String(e);
      if (from) throw new ImportInputError(from.file, from.line, t`cannot read included file ${path} (${why})`);
      throw new ImportInputError(path, 0, t`cannot read (${why})`);
    }
    this.files.push(path);
    // keepalived's predefined ${_PWD}: the directory of the file being read.
    const outerPwd = this.params.get('_PWD');
    this.params.set('_PWD', dirname(path));
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const at = { file: path, line: i + 1 };
      const raw = lines[i].replace(/^\s+/, '');
      const cond = /^@(\^?)(\S+)\s*/.exec(raw);
      const body = cond ? raw.slice(cond[0].length) : raw;
      const def = /^\$([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(body);
      let value = def?.[2] ?? '';
      // A multi-line definition: every line but the last ends with `\`.
      if (def) while (value.endsWith('\\') && i + 1 < lines.length) value = value.slice(0, -1) + '\n' + lines[++i];
      if (cond && !this.selected(cond[1] === '^', cond[2], at)) continue;
      if (def) { this.params.set(def[1], value); continue; }
      this.statement(body, at, depth);
    }
    if (outerPwd === undefined) this.params.delete('_PWD'); else this.params.set('_PWD', outerPwd);
  }

  /** Whether an `@id` (or `@^id` when negated) line is read for the config id. */
  private selected(negated: boolean, id: string, at: { file: string; line: number }): boolean {
    if (this.opts.configId === undefined) this.findings.push(importFinding('note', at.file, at.line, t`conditional line @${negated ? '^' : ''}${id} read for no config id (pass --config-id to choose a director)`));
    return (this.opts.configId !== undefined && id === this.opts.configId) !== negated;
  }

  private statement(text: string, at: { file: string; line: number }, depth: number) {
    const seq = /^~SEQ(x?)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,([^)]*)\)\s*(.*)$/.exec(text);
    if (seq) this.sequence(seq[1] === 'x', seq[2], seq[3], seq[4], at, depth);
    else this.line(text, at, depth);
  }

  private sequence(hex: boolean, name: string, args: string, rest: string, at: { file: string; line: number }, depth: number) {
    const nums = args.split(',').map((a) => Number(a.trim()));
    if (nums.some((n) => !Number.isFinite(n)) || nums.length < 1 || nums.length > 3) throw new ImportInputError(at.file, at.line, t('~SEQ needs 1 to 3 numbers after its variable'));
    const end = nums[nums.length - 1];
    const start = nums.length >= 2 ? nums[0] : end > 0 ? 1 : -1;
    const step = nums.length === 3 ? nums[1] : end >= start ? 1 : -1;
    if (step === 0) throw new ImportInputError(at.file, at.line, t('~SEQ step 0'));
    let count = 0;
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
      if (++count > MAX_SEQ) throw new ImportInputError(at.file, at.line, t`~SEQ of more than ${MAX_SEQ} lines`);
      this.params.set(name, hex ? v.toString(16) : String(v));
      this.line(rest, at, depth);
    }
  }

  private substitute(line: string): string {
    for (let round = 0; round < 32 && line.includes('$'); round++) {
      const next = line.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)(?=\s|$)/g, (all, a: string | undefined, b: string | undefined) => this.params.get((a ?? b)!) ?? all);
      if (next === line) break;
      line = next;
    }
    return line;
  }

  private line(raw: string, at: { file: string; line: number }, depth: number) {
    const text = this.substitute(raw);
    if (text.includes('\n') || (text !== raw && /^\s*[@$~]/.test(text))) {
      // A multi-line value becomes several lines where it is used; a value may itself be a
      // conditional, a definition or a ~SEQ line.
      for (const part of text.split('\n')) {
        const p = part.replace(/^\s+/, '');
        const cond = /^@(\^?)(\S+)\s*/.exec(p);
        if (cond && !this.selected(cond[1] === '^', cond[2], at)) continue;
        const body = cond ? p.slice(cond[0].length) : p;
        const def = /^\$([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(body);
        if (def) this.params.set(def[1], def[2]);
        else if (body.startsWith('~SEQ')) this.statement(body, at, depth);
        else this.words(body, at, depth);
      }
      return;
    }
    this.words(text, at, depth);
  }

  /** A line's words as tokens, or the files an include line names. */
  private words(text: string, at: { file: string; line: number }, depth: number) {
    const ws = words(text);
    if (ws.length === 0) return;
    if (INCLUDE.test(ws[0])) {
      for (const pattern of ws.slice(1)) {
        const abs = isAbsolute(pattern) ? pattern : resolve(dirname(at.file), pattern);
        const hosted = this.opts.hostFiles;
        const isFile = (p: string) => (hosted ? hosted.has(p) : statSync(p).isFile());
        const matches = expandGlob(abs, hosted).filter((p) => { try { return isFile(p); } catch { return !/[*?[]/.test(abs); } });
        if (matches.length === 0) this.findings.push(importFinding('note', at.file, at.line, t`include ${pattern} matches no file`));
        for (const m of matches) this.readFile(m, depth + 1, at);
      }
      return;
    }
    for (const w of ws) this.tokens.push({ text: w, file: at.file, line: at.line });
    this.tokens.push({ text: '\n', file: at.file, line: at.line });
  }
}

export interface KeepalivedSource {
  tokens: Token[];
  findings: ImportFinding[];
  files: string[];
}

export function readKeepalivedSource(path: string, opts: SourceOptions = {}): KeepalivedSource {
  const r = new Reader(opts);
  r.readFile(path, 0);
  return { tokens: r.tokens, findings: r.findings, files: r.files };
}
