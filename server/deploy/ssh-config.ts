// The operator's OpenSSH client configuration (~/.ssh/config, parsed by the `ssh-config`
// package; patterns matched here): which values apply to a host and which block of which file each came from.
// Only the user's own file is ever read (and the files its `Include` names): the path is fixed
// here, never taken from a .lvs file or a workspace, since a config chooses where connections go
// and which keys they use. `Match` blocks are not evaluated (`Match exec` would run commands);
// they are listed as skipped so --explain-ssh can say so.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import SSHConfig, { LineType } from 'ssh-config';
import type { Line, Section } from 'ssh-config';
import { english, Msg, t } from '../shared/l10n/message';

/** One value of a directive and where it was written. */
export interface ConfigValue {
  value: string;
  /** `~/.ssh/config line 12 (Host lb*)` */
  from: Msg;
}

export interface HostConfig {
  /** First value of each directive (lower-cased name), as OpenSSH takes the first one obtained. */
  values: Map<string, ConfigValue>;
  /** Every IdentityFile (they accumulate, in order). */
  identityFiles: ConfigValue[];
  /** Files read (the config and what its Include lines named). */
  files: string[];
  /** Things not applied, for the explanation (`Match` blocks, unreadable includes), in words for a person. */
  skipped: Msg[];
}

interface Block {
  /** Host patterns; undefined for top-level lines (they apply to every host). */
  patterns?: string[];
  match?: string;
  header: string;
  directives: Array<{ param: string; value: string; from: Msg }>;
}

const MAX_INCLUDE_DEPTH = 8;

export function userSshDir(home = homedir()): string {
  return join(home, '.ssh');
}

/** The user's ssh config path ($HOME/.ssh/config). */
export function userSshConfigPath(home = homedir()): string {
  return join(userSshDir(home), 'config');
}

function valueText(v: string | Array<{ val: string }>): string {
  if (typeof v === 'string') return v;
  return v.map((p) => p.val).join(' ');
}

function valueList(v: string | Array<{ val: string }>): string[] {
  return typeof v === 'string' ? v.split(/[ \t,]+/).filter(Boolean) : v.map((p) => p.val);
}

/** Shown path: `~/…` below the home folder. */
export function shownPath(p: string, home = homedir()): string {
  return p.startsWith(`${home}/`) ? `~${p.slice(home.length)}` : p;
}

/** Line numbers of the parsed lines: the parser keeps the text around each line in before/after. */
function lineNumbers(lines: SSHConfig): Map<Line, number> {
  const out = new Map<Line, number>();
  let consumed = 0;
  const countTo = (s: string) => { consumed += (s.match(/\n/g) ?? []).length; };
  const walk = (list: SSHConfig) => {
    for (const l of list) {
      countTo(l.before);
      out.set(l, consumed + 1);
      if ('config' in l && l.type === LineType.DIRECTIVE) {
        countTo(l.after);
        walk((l as Section).config);
      } else countTo(l.after);
    }
  };
  walk(lines);
  return out;
}

/** Files an Include names: relative ones under ~/.ssh, `*` and `?` in the last part. */
function includeTargets(pattern: string, home: string): string[] {
  const p = pattern.startsWith('~/') ? join(home, pattern.slice(2)) : isAbsolute(pattern) ? pattern : join(userSshDir(home), pattern);
  if (!/[*?]/.test(p)) return [p];
  const dir = dirname(p);
  const last = p.slice(dir.length + 1);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.filter((n) => wildcardMatch(last, n)).map((n) => join(dir, n));
}

/** Reads a config file into blocks, Includes spliced in where they stand. */
function readBlocks(file: string, home: string, skipped: Msg[], files: string[], depth: number, into: Block[], current?: Block): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (depth > 0) skipped.push(t`Include ${shownPath(file, home)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return;
  }
  // A file that includes itself is read again at each level (as ssh does) but listed once.
  if (!files.includes(file)) files.push(file);
  const parsed = SSHConfig.parse(text);
  const lines = lineNumbers(parsed);
  const shown = shownPath(file, home);
  const takeDirective = (block: Block, d: Line) => {
    if (d.type !== LineType.DIRECTIVE) return;
    const line = String(lines.get(d) ?? '?');
    if (/^include$/i.test(d.param)) {
      if (depth >= MAX_INCLUDE_DEPTH) { skipped.push(t`${shown} line ${line}: Include nested too deep`); return; }
      for (const f of valueList(d.value).flatMap((v) => includeTargets(v, home))) readBlocks(f, home, skipped, files, depth + 1, into, block);
      return;
    }
    block.directives.push({ param: d.param.toLowerCase(), value: valueText(d.value), from: block.header ? t`${shown} line ${line} (${block.header})` : t`${shown} line ${line}` });
  };
  // Top-level lines of an included file belong to the block the Include stood in.
  let block: Block = current ?? { header: '', directives: [] };
  if (!current) into.push(block);
  for (const l of parsed) {
    if (l.type !== LineType.DIRECTIVE) continue;
    if (/^(host|match)$/i.test(l.param) && 'config' in l) {
      const isHost = /^host$/i.test(l.param);
      const header = `${isHost ? 'Host' : 'Match'} ${valueText(l.value)}`;
      block = isHost ? { patterns: valueList(l.value), header, directives: [] } : { match: valueText(l.value), header, directives: [] };
      into.push(block);
      for (const d of (l as Section).config) takeDirective(block, d);
    } else takeDirective(block, l);
  }
}

/**
 * One OpenSSH pattern: `*` any run of characters, `?` exactly one (the package's own `glob`
 * lets `?` match nothing, so `Host web?` would take `web` too), case-insensitive.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const re = pattern.toLowerCase().replace(/[\\^$.+()[\]{}|]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(text.toLowerCase());
}

/** OpenSSH pattern-list semantics over several names: a negation matching any name excludes. */
function blockApplies(patterns: string[], names: string[]): boolean {
  const negated = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const positive = patterns.filter((p) => !p.startsWith('!'));
  if (negated.some((p) => names.some((n) => wildcardMatch(p, n)))) return false;
  return positive.some((p) => names.some((n) => wildcardMatch(p, n)));
}

/**
 * What the user's ssh config says for a host known by `names` (its name in the .lvs file and
 * its address; a `Host` block applies when its patterns match any of them). Returns undefined
 * values when there is no config file.
 */
export function lookupHost(names: string[], home = homedir()): HostConfig {
  const skipped: Msg[] = [];
  const files: string[] = [];
  const blocks: Block[] = [];
  const path = userSshConfigPath(home);
  if (existsSync(path)) readBlocks(resolve(path), home, skipped, files, 0, blocks);
  const values = new Map<string, ConfigValue>();
  const identityFiles: ConfigValue[] = [];
  for (const b of blocks) {
    if (b.match !== undefined) {
      skipped.push(t`${b.header}: Match blocks are not evaluated`);
      continue;
    }
    if (b.patterns && !blockApplies(b.patterns, names)) continue;
    for (const d of b.directives) {
      if (d.param === 'identityfile') identityFiles.push({ value: d.value, from: d.from });
      else if (!values.has(d.param)) values.set(d.param, { value: d.value, from: d.from });
    }
  }
  // The same remark once (a Match block or an Include seen for every host name).
  const seen = new Set<string>();
  return { values, identityFiles, files, skipped: skipped.filter((m) => !seen.has(english(m)) && !!seen.add(english(m))) };
}

/**
 * OpenSSH's `%` tokens and `~` in a path of the config: %d home, %u local user, %h host name
 * to connect to, %n the name as given, %r remote user, %p port, %% a percent sign.
 */
export function expandTokens(p: string, t: { home: string; localUser: string; host: string; original: string; user: string; port: number }): string {
  const out = p.replace(/%([%dhnrpu])/g, (_m, c: string) => ({ '%': '%', d: t.home, h: t.host, n: t.original, r: t.user, p: String(t.port), u: t.localUser })[c] ?? '');
  if (out === '~') return t.home;
  if (out.startsWith('~/')) return join(t.home, out.slice(2));
  // A relative path is taken from the home folder (where ssh is usually started).
  return isAbsolute(out) ? out : join(t.home, out);
}
