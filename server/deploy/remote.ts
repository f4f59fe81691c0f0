// A connected host as the engine uses it: the SSH connection, how to become root (already
// root, or `sudo -n`), and one primitive: run a POSIX sh script fed on stdin. The command line
// itself is a constant (`sh -s` / `sudo -n sh -s`); every value travels inside the script,
// single-quoted (shared/shell-quote.ts) after the guard (guard.ts) accepted it.
import { SCRIPT_DIR, STATE_DIR } from '../generate';
import { ExecResult, SshConnection } from './connection';
import { HostTarget } from './types';

/** Remote paths the engine owns. */
export const LOCK_DIR = '/run/lvs-dr.lock';
export const BACKUP_ROOT = `${STATE_DIR}/backup`;
export const APPLY_SH = `${SCRIPT_DIR}/apply.sh`;
export const VERIFY_SH = `${SCRIPT_DIR}/verify.sh`;
export const ROLLBACK_SH = `${SCRIPT_DIR}/rollback.sh`;

/** First lines of every script: strict mode, a root PATH, C locale, no group/other write. */
export const PRELUDE = [
  'set -eu',
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'LC_ALL=C',
  'export PATH LC_ALL',
  'umask 022',
  'cd /', // cp -p --parents resolves parents against the working directory (coreutils 9.1)
].join('\n');

/** Marker lines in script output, so stray output of a remote profile cannot be mistaken. */
export const MARK = '@@LVSDR';

export class RemoteHost {
  /** '' when the login user is root, 'sudo -n ' otherwise (set by preflight). */
  sudo = '';

  constructor(readonly target: HostTarget, public conn: SshConnection) {}

  get name(): string {
    return this.target.name;
  }

  /** Runs a script (PRELUDE prepended) with root privileges; resolves to its result. */
  run(script: string, timeoutMs?: number): Promise<ExecResult> {
    return this.conn.exec(`${this.sudo}sh -s`, { stdin: `${PRELUDE}\n${script}\n`, timeoutMs });
  }

  /** Runs a script as the login user (privilege detection). */
  runUnprivileged(script: string, timeoutMs?: number): Promise<ExecResult> {
    return this.conn.exec('sh -s', { stdin: `${PRELUDE}\n${script}\n`, timeoutMs });
  }

  /** Runs a script as the login user on each ProxyJump hop on the way to this host. */
  runOnJumpHosts(script: string, timeoutMs?: number, want?: (hop: string) => boolean): Promise<Array<{ hop: string; result?: ExecResult; error?: string }>> {
    return this.conn.execOnJumpHosts('sh -s', { stdin: `${PRELUDE}\n${script}\n`, timeoutMs }, want);
  }
}

/** Lines of `out` between `@@LVSDR <tag>` markers, keyed by the marker's remaining words. */
export function markedLines(out: string): Array<{ words: string[]; body: string[] }> {
  const sections: Array<{ words: string[]; body: string[] }> = [];
  let cur: { words: string[]; body: string[] } | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith(`${MARK} `)) {
      const words = line.slice(MARK.length + 1).trim().split(/\s+/);
      if (words[0] === 'END') {
        cur = undefined;
        continue;
      }
      cur = { words, body: [] };
      sections.push(cur);
    } else if (cur) {
      cur.body.push(line);
    }
  }
  return sections;
}

/** Short text of a failed command for messages: the last stderr (or stdout) lines. */
export function failureText(r: ExecResult, lines = 6): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n').filter((l) => !l.startsWith(MARK)).slice(-lines).join('\n');
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}${text ? `: ${text}` : ''}`;
}
