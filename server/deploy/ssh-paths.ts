// Paths the `ssh` block of a .lvs file names (`key ./id`, `known-hosts ./kh`): relative ones
// are resolved against the folder of the .lvs file, never the process's working directory
// (a VS Code window and a terminal in another folder must reach the same files). Paths given on
// the command line (`--identity`, `--known-hosts`) are the operator's and resolve as usual.
// A known_hosts file the .lvs file names inside its own repository (the nearest folder above it
// holding `.git`, else its folder) came with the repository: whoever wrote the repository chose
// which host keys are trusted, so the deploy does not use it silently (session.ts asks).
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return homedir() + p.slice(1);
  return p;
}

/** A path written in the .lvs file: `~` expanded, relative to the file's folder. */
export function pathFromFile(lvsFile: string, p: string): string {
  return resolve(dirname(resolve(lvsFile)), expandHome(p));
}

/** A path given on the command line: `~` expanded, relative to the working directory. */
export function pathFromCommandLine(p: string): string {
  return resolve(expandHome(p));
}

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
function realish(p: string): string {
  let head = resolve(p);
  const tail: string[] = [];
  while (!existsSync(head)) {
    const up = dirname(head);
    if (up === head) break;
    tail.unshift(head.slice(up.length).replace(/^[\\/]/, ''));
    head = up;
  }
  try {
    head = realpathSync(head);
  } catch { /* keep as is */ }
  return tail.length ? join(head, ...tail) : head;
}

/** The repository of a .lvs file: the nearest folder above it with `.git`, else its folder. */
export function repositoryOf(lvsFile: string): string {
  const start = realish(dirname(resolve(lvsFile)));
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return start;
  }
}

/** True when `p` is `dir` or lies below it (real paths compared, not string prefixes). */
export function isInside(p: string, dir: string): boolean {
  const rel = relative(realish(dir), realish(p));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
