// Reads the current state of the files a host would receive: present (mode, mtime, bytes),
// absent, or something else (a directory, a symlink: refused by the plan). Directors also
// report their live IPVS table (`ipvsadm -S -n`), which the drain step compares with the new one.
import { createHash } from 'node:crypto';
import { DeployError } from './errors';
import { assertNoProblems, pathProblems } from './guard';
import { sq } from '../shared/shell-quote';
import { failureText, markedLines, MARK, RemoteHost } from './remote';
import { t } from '../shared/l10n/message';

export interface RemoteFile {
  path: string;
  state: 'present' | 'absent' | 'other';
  mode?: number;
  /** Seconds since the epoch. */
  mtime?: number;
  content?: Buffer;
  sha256?: string;
}

export interface RemoteSnapshot {
  files: RemoteFile[];
  /** `ipvsadm -S -n` lines (directors only; empty when ipvsadm has no table). */
  ipvs?: string[];
}

export function sha256Bytes(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * One `stat` for every present file, then one `cat | base64` of all of them (process starts are
 * expensive on small or emulated hosts: three for any number of files).
 */
export function readScript(paths: string[], withIpvs: boolean): string {
  assertNoProblems(paths.flatMap((p) => pathProblems(p)));
  const lines = ['set --'];
  paths.forEach((p, i) => {
    const q = sq(p);
    lines.push(
      `if [ -L ${q} ] || { [ -e ${q} ] && [ ! -f ${q} ]; }; then echo '${MARK} FILE ${i} other'`,
      `elif [ -f ${q} ]; then echo '${MARK} FILE ${i} present'; set -- "$@" ${q}`,
      `else echo '${MARK} FILE ${i} absent'; fi`,
    );
  });
  lines.push(
    'if [ "$#" -gt 0 ]; then',
    `  echo '${MARK} STAT'`,
    "  stat -c '%a %Y %s %n' -- \"$@\"",
    `  echo '${MARK} DATA'`,
    '  cat -- "$@" | base64',
    `  echo '${MARK} END'`,
    'fi',
  );
  if (withIpvs) lines.push(`echo '${MARK} IPVS'`, 'ipvsadm -S -n 2>/dev/null </dev/null || true', `echo '${MARK} END'`);
  return lines.join('\n');
}

export function parseRead(paths: string[], out: string): RemoteSnapshot {
  const files: RemoteFile[] = paths.map((path) => ({ path, state: 'absent' }));
  const seen = new Set<number>();
  let ipvs: string[] | undefined;
  let stat: string[] = [];
  let data = '';
  for (const s of markedLines(out)) {
    if (s.words[0] === 'IPVS') ipvs = s.body.map((l) => l.trim()).filter(Boolean);
    else if (s.words[0] === 'STAT') stat = s.body.filter((l) => l.trim() !== '');
    else if (s.words[0] === 'DATA') data = s.body.join('');
    else if (s.words[0] === 'FILE') {
      const i = Number(s.words[1]);
      if (!Number.isInteger(i) || i < 0 || i >= paths.length) continue;
      seen.add(i);
      const st = s.words[2];
      files[i].state = st === 'present' || st === 'other' ? st : 'absent';
    }
  }
  if (seen.size !== paths.length) throw new Error(`incomplete answer: ${paths.length - seen.size} of ${paths.length} files not reported`);
  const present = files.filter((f) => f.state === 'present');
  if (stat.length !== present.length) throw new Error(`incomplete answer: ${stat.length} of ${present.length} files described`);
  const bytes = Buffer.from(data, 'base64');
  let offset = 0;
  present.forEach((f, k) => {
    const m = /^([0-7]+) (\d+) (\d+) (\S+)$/.exec(stat[k].trim());
    if (!m || m[4] !== f.path) throw new Error(`unexpected stat line for ${f.path}: ${stat[k]}`);
    const size = Number(m[3]);
    f.mode = parseInt(m[1], 8);
    f.mtime = Number(m[2]);
    f.content = bytes.subarray(offset, offset + size);
    f.sha256 = sha256Bytes(f.content);
    offset += size;
  });
  if (offset !== bytes.length) throw new Error('a file changed while it was read (sizes do not add up); try again');
  return { files, ipvs };
}

export async function readRemote(h: RemoteHost, paths: string[], withIpvs: boolean, timeoutMs?: number): Promise<RemoteSnapshot> {
  for (let attempt = 1; ; attempt++) {
    const r = await h.run(readScript(paths, withIpvs), timeoutMs);
    if (r.code !== 0) throw new DeployError(h.name, 'read', t`cannot read the current files: ${failureText(r)}`);
    try {
      return parseRead(paths, r.stdout);
    } catch (e) {
      if (attempt >= 2) throw new DeployError(h.name, 'read', (e as Error).message);
    }
  }
}
