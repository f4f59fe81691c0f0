// Writes generated files as a tree: DIR/<cluster>/<host>/<absolute target path>, with modes,
// plus DIR/<cluster>/<host>/MANIFEST.json. Used by `lvsdr generate` and the VS Code command.
//
// The output folder may come from a cloned repository, so every path is treated as hostile:
// nothing is written or removed through a symlink (every directory and file on the way is
// checked with lstat, files are created with O_EXCL|O_NOFOLLOW and renamed into place), every
// real path must stay inside the output folder's real path, and a file is removed only when the
// previous MANIFEST.json lists it and its bytes still have the digest recorded there. Anything
// else found in the tree is kept and reported.
import { randomBytes } from 'node:crypto';
import {
  closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync,
  renameSync, rmSync, Stats, unlinkSync, writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { localDigestKey } from './digest-key';
import { buildManifest, entryMatches, manifestText } from './manifest';
import { GeneratedFile } from './types';
import { bulletMsgs, english, Msg, t } from '../shared/l10n/message';

export const MANIFEST_NAME = 'MANIFEST.json';

export interface WriteTreeOptions {
  /** The output folder's real path must lie inside this folder's real path (VS Code: the workspace folder). */
  within?: string;
  /** Key of the keyed digests of secret-bearing files (default: this machine's, see digest-key.ts). */
  digestKey?: Buffer;
}

export interface KeptFile {
  /** Path relative to the output folder. */
  path: string;
  /** Why it was left alone, in English. */
  reason: string;
  /** The same as a message (the CLI renders it in the reader's language). */
  words: Msg;
}

export interface WriteReport {
  written: number;
  /** Files of the previous generation, unchanged and no longer generated: removed (relative paths). */
  removed: string[];
  /** Files found in the tree and left alone, with why. */
  kept: KeptFile[];
}

/** The output tree cannot be written safely; nothing was written. */
export class OutputTreeError extends Error {
  /** Each problem in English. */
  readonly problems: string[];

  /** The whole message as a message (the CLI renders it in the reader's language). */
  readonly words: Msg;

  constructor(readonly problemWords: Msg[]) {
    const words = t`refusing to write the generated files:${bulletMsgs(problemWords)}`;
    super(english(words));
    this.name = 'OutputTreeError';
    this.words = words;
    this.problems = problemWords.map(english);
  }
}

/** A file left alone in the output tree, and why. */
function kept(path: string, words: Msg): KeptFile {
  return { path, reason: english(words), words };
}

/** True when `child` is `parent` or lies below it (both absolute, already real paths). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The real path a not-yet-existing path will have: its nearest existing ancestor, resolved. */
function futureRealPath(path: string): string {
  const rest: string[] = [];
  let p = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(p), ...rest.reverse());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = dirname(p);
      if (parent === p) throw err;
      rest.push(p.slice(parent.length).replace(/^\/+/, ''));
      p = parent;
    }
  }
}

/** A single path component we may create: no separator, not `.`/`..`, not empty. */
function componentProblem(name: string, what: 'cluster' | 'host'): Msg | undefined {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) return what === 'cluster' ? t`cluster name '${name}' is not a plain file name` : t`host name '${name}' is not a plain file name`;
  return undefined;
}

/** `/etc/x/y` → ['etc', 'x', 'y']; undefined for anything but a plain absolute path. */
export function targetParts(path: string): string[] | undefined {
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('\0')) return undefined;
  const parts = path.split('/').slice(1);
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  return parts;
}

/**
 * Checks (create = false) or creates (create = true) the directories `root/parts…`, one lstat
 * per component: a symlink or a non-directory on the way is a problem. Returns the problem.
 */
function walkDirs(root: string, parts: string[], create: boolean, checked: Map<string, Msg | undefined>): Msg | undefined {
  let p = root;
  for (const part of parts) {
    p = join(p, part);
    if (checked.has(p)) {
      const known = checked.get(p);
      if (known !== undefined) return known;
      continue;
    }
    const st = lstatOrUndefined(p);
    let problem: Msg | undefined;
    if (!st) {
      if (create) mkdirSync(p, { mode: 0o755 });
      else return undefined; // nothing below a missing directory exists yet
    } else if (st.isSymbolicLink()) problem = t`${p} is a symlink: the generator never writes through one (remove it)`;
    else if (!st.isDirectory()) problem = t`${p} is not a directory`;
    checked.set(p, problem);
    if (problem) return problem;
  }
  return undefined;
}

/** Writes a file by creating a new one (O_EXCL|O_NOFOLLOW) beside it and renaming it into place. */
function writeFileNoFollow(path: string, content: string, mode: number): void {
  const tmp = join(dirname(path), `.${path.slice(dirname(path).length + 1)}.lvsdr-${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode & 0o7777);
  try {
    writeSync(fd, content);
    fchmodSync(fd, mode & 0o7777); // the umask may have removed bits
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  // rename(2) replaces whatever name is there, a symlink included, and never follows it.
  renameSync(tmp, path);
}

function groupByHost(files: GeneratedFile[]): Map<string, GeneratedFile[]> {
  const byHost = new Map<string, GeneratedFile[]>();
  for (const f of files) {
    const list = byHost.get(f.host);
    if (list) list.push(f);
    else byHost.set(f.host, [f]);
  }
  return byHost;
}

/** Prepares the output folder and returns its real path (refused when outside `within`). */
function outputRoot(outDir: string, within: string | undefined): string {
  const abs = resolve(outDir);
  if (within !== undefined) {
    const base = realpathSync(within);
    const future = futureRealPath(abs);
    if (!isInside(base, future)) throw new OutputTreeError([t`the output folder ${outDir} resolves to ${future}, outside ${base}`]);
  }
  mkdirSync(abs, { recursive: true });
  const root = realpathSync(abs);
  if (within !== undefined && !isInside(realpathSync(within), root)) throw new OutputTreeError([t`the output folder ${outDir} resolves to ${root}, outside ${within}`]);
  if (!lstatSync(root).isDirectory()) throw new OutputTreeError([t`${outDir} is not a directory`]);
  return root;
}

interface OldEntry {
  path: unknown;
  sha256?: unknown;
  keyed?: unknown;
}

function readOldManifest(path: string): OldEntry[] {
  const st = lstatOrUndefined(path);
  if (!st || !st.isFile()) return [];
  try {
    const old = JSON.parse(readFileSync(path, 'utf8')) as { files?: unknown };
    return Array.isArray(old.files) ? old.files.filter((f): f is OldEntry => !!f && typeof f === 'object') : [];
  } catch {
    return []; // an unreadable old manifest only means there is nothing we may remove
  }
}

/** Every file (and symlink) under dir, relative to dir, found without following symlinks. */
function listTree(dir: string, prefix = ''): { rel: string; symlink: boolean }[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: { rel: string; symlink: boolean }[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isSymbolicLink()) out.push({ rel, symlink: true });
    else if (e.isDirectory()) out.push(...listTree(join(dir, e.name), rel));
    else out.push({ rel, symlink: false });
  }
  return out;
}

/**
 * Writes one cluster's files under `outDir/<cluster>/<host>/` with MANIFEST.json per host.
 * Throws OutputTreeError, before writing anything, when a path on the way is a symlink or not a
 * directory, or when the output folder lies outside `opts.within`.
 */
export function writeCluster(outDir: string, cluster: string, sourceName: string, files: GeneratedFile[], opts: WriteTreeOptions = {}): WriteReport {
  const byHost = groupByHost(files);
  const problems: Msg[] = [];
  const clusterProblem = componentProblem(cluster, 'cluster');
  if (clusterProblem) problems.push(clusterProblem);
  for (const [host, hostFiles] of byHost) {
    const hp = componentProblem(host, 'host');
    if (hp) problems.push(hp);
    for (const f of hostFiles) if (!targetParts(f.path)) problems.push(t`${host}: target path '${f.path}' is not a plain absolute path`);
  }
  if (problems.length > 0) throw new OutputTreeError(problems);

  const root = outputRoot(outDir, opts.within);
  // Check pass: every directory and file name we are about to use, before anything is written.
  const checked = new Map<string, Msg | undefined>();
  for (const [host, hostFiles] of byHost) {
    const hostParts = [cluster, host];
    const paths = [[...hostParts, MANIFEST_NAME], ...hostFiles.map((f) => [...hostParts, ...targetParts(f.path)!])];
    for (const parts of paths) {
      const problem = walkDirs(root, parts.slice(0, -1), false, checked);
      if (problem) continue;
      const st = lstatOrUndefined(join(root, ...parts));
      if (st?.isSymbolicLink()) problems.push(t`${join(root, ...parts)} is a symlink: the generator never writes through one (remove it)`);
      else if (st && !st.isFile()) problems.push(t`${join(root, ...parts)} is not a regular file`);
    }
  }
  for (const p of checked.values()) if (p && !problems.includes(p)) problems.push(p);
  if (problems.length > 0) throw new OutputTreeError(problems);

  let key = opts.digestKey;
  const digestKey = (): Buffer => (key ??= localDigestKey());
  const report: WriteReport = { written: 0, removed: [], kept: [] };
  const created = new Map<string, Msg | undefined>();
  for (const [host, hostFiles] of byHost) {
    const hostDir = join(root, cluster, host);
    const relHost = `${cluster}/${host}`;
    const fail = (problem: Msg | undefined): void => {
      if (problem) throw new OutputTreeError([problem]);
    };
    fail(walkDirs(root, [cluster, host], true, created));
    const manifestPath = join(hostDir, MANIFEST_NAME);
    const now = new Set(hostFiles.map((f) => f.path));
    const old = readOldManifest(manifestPath);
    const listed = new Set<string>();
    for (const entry of old) {
      const parts = targetParts(entry.path as string);
      if (!parts) {
        report.kept.push(kept(`${relHost}/${MANIFEST_NAME}`, t`lists ${JSON.stringify(entry.path)}, which is not a path inside the host folder: ignored`));
        continue;
      }
      const path = entry.path as string;
      listed.add(path);
      if (now.has(path)) continue; // written again below
      const rel = `${relHost}${path}`;
      const target = join(hostDir, ...parts);
      if (walkDirs(hostDir, parts.slice(0, -1), false, new Map()) !== undefined) {
        report.kept.push(kept(rel, t`a directory on its way is a symlink or not a directory`));
        continue;
      }
      const st = lstatOrUndefined(target);
      if (!st) continue;
      if (!st.isFile()) {
        report.kept.push(kept(rel, st.isSymbolicLink() ? t`is a symlink` : t`is not a regular file`));
        continue;
      }
      if (!isInside(root, realpathSync(dirname(target)))) {
        report.kept.push(kept(rel, t`resolves outside the output folder`));
        continue;
      }
      const needsKey = typeof entry.sha256 !== 'string' && typeof entry.keyed === 'string';
      if (!entryMatches(entry, readFileSync(target), needsKey ? digestKey() : undefined)) {
        report.kept.push(kept(rel, t`changed since it was generated (its digest differs from MANIFEST.json)`));
        continue;
      }
      rmSync(target);
      report.removed.push(rel);
    }
    for (const f of hostFiles) {
      const parts = targetParts(f.path)!;
      fail(walkDirs(hostDir, parts.slice(0, -1), true, created));
      const target = join(hostDir, ...parts);
      if (!isInside(root, realpathSync(dirname(target)))) fail(t`${target} resolves outside the output folder`);
      writeFileNoFollow(target, f.content, f.mode);
      report.written++;
    }
    const needsKey = hostFiles.some((f) => f.secret);
    writeFileNoFollow(manifestPath, manifestText(buildManifest(sourceName, cluster, host, hostFiles, needsKey ? digestKey() : undefined)), 0o644);
    // Report what is in the host folder but neither written now nor removed.
    const removed = new Set(report.removed);
    for (const e of listTree(hostDir)) {
      const path = `/${e.rel}`;
      const rel = `${relHost}${path}`;
      if (e.rel === MANIFEST_NAME || now.has(path) || removed.has(rel)) continue;
      if (report.kept.some((k) => k.path === rel)) continue;
      report.kept.push(kept(rel, e.symlink ? t`is a symlink` : listed.has(path) ? t`listed by the previous MANIFEST.json` : t`not listed by the previous MANIFEST.json`));
    }
  }
  return report;
}
