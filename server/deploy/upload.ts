// Atomic upload of one host's new files: every file is first written to a temporary name in
// its own directory (`.NAME.lvsdr-<id>.tmp`), given its mode and checked against its sha256;
// only when all are staged are they renamed over the targets (rename(2): a reader sees the old
// or the new file, never half of one). Files no longer generated are then removed.
// A failure while staging removes the temporary files and leaves every target untouched.
// Durability: the staged files are fsynced before the renames and their directories after
// them (`sync FILE...` calls fsync on each), so a power loss after `COMMITTED` cannot leave an
// empty or old file behind (XFS, as RHEL uses it, otherwise may). A coreutils older than 8.24
// ignores the arguments and syncs every file system, which is slower and as durable.
import { dirname } from 'node:path';
import { DeployError } from './errors';
import { assertNoProblems, idProblems, modeProblems, pathProblems } from './guard';
import { t } from '../shared/l10n/message';
import { octal } from './octal-mode';
import { sq } from '../shared/shell-quote';
import { failureText, markedLines, MARK, RemoteHost } from './remote';
import { chunk, parentDirs, tempPath } from './staging';

/** The directories holding these paths, each once. */
export function directoriesOf(paths: string[]): string[] {
  return [...new Set(paths.map((p) => dirname(p)))];
}

export interface UploadFile {
  path: string;
  mode: number;
  content: string;
  sha256: string;
}

export function uploadScript(deployId: string, files: UploadFile[], removals: string[]): string {
  assertNoProblems([
    ...idProblems(deployId),
    ...files.flatMap((f) => [...pathProblems(f.path), ...modeProblems(f.mode, t`mode of ${f.path}`)]),
    ...removals.flatMap((p) => pathProblems(p)),
  ]);
  const tmps = files.map((f) => sq(tempPath(f.path, deployId)));
  const lines: string[] = [];
  // Missing directories (mode 0755 under umask 022), in one mkdir.
  const dirs = parentDirs(files.map((f) => f.path));
  if (dirs.length) {
    lines.push('set --', ...dirs.map((d) => `[ -d ${sq(d)} ] || set -- "$@" ${sq(d)}`), 'if [ "$#" -gt 0 ]; then mkdir -p -- "$@"; fi');
  }
  if (files.length) {
    lines.push(
      `trap ${sq(`rm -f -- ${tmps.join(' ')}`)} EXIT`, // the quoted names, quoted once more for trap
      'umask 077', // staged copies are private until they have their final mode
    );
  }
  files.forEach((f, i) => {
    const eof = `__LVSDR_FILE_${i}__`;
    lines.push(`base64 -d >${tmps[i]} <<'${eof}'`, ...chunk(Buffer.from(f.content, 'utf8').toString('base64')), eof);
  });
  const byMode = new Map<number, string[]>();
  files.forEach((f, i) => byMode.set(f.mode & 0o7777, [...(byMode.get(f.mode & 0o7777) ?? []), tmps[i]]));
  for (const [mode, list] of byMode) lines.push(`chmod ${octal(mode)} -- ${list.join(' ')}`);
  if (files.length) {
    lines.push(`NL='\n'`, `sums=$(sha256sum -- ${tmps.join(' ')})`);
    files.forEach((f, i) => {
      lines.push(`case "$NL$sums$NL" in *"$NL"${sq(f.sha256)}"  "${tmps[i]}"$NL"*) ;; *) echo ${sq(`staged copy of ${f.path} does not match its checksum`)} >&2; exit 1 ;; esac`);
    });
  }
  if (files.length) {
    lines.push(`sync -- ${tmps.join(' ')}`);
    files.forEach((f, i) => lines.push(`mv -f -- ${tmps[i]} ${sq(f.path)}`));
    lines.push(`sync -- ${directoriesOf(files.map((f) => f.path)).map(sq).join(' ')}`);
    files.forEach((_, i) => lines.push(`echo '${MARK} COMMITTED ${i}'`));
  }
  if (removals.length) {
    lines.push(
      `rm -f -- ${removals.map(sq).join(' ')}`,
      `sync -- ${directoriesOf(removals).map(sq).join(' ')}`,
      ...removals.map((_, i) => `echo '${MARK} REMOVED ${i}'`),
    );
  }
  lines.push('trap - EXIT', `echo '${MARK} UPLOADED'`);
  return lines.join('\n');
}

export async function uploadHost(h: RemoteHost, deployId: string, files: UploadFile[], removals: string[], timeoutMs?: number): Promise<void> {
  const r = await h.run(uploadScript(deployId, files, removals), timeoutMs);
  if (r.code !== 0 || !markedLines(r.stdout).some((s) => s.words[0] === 'UPLOADED')) {
    throw new DeployError(h.name, 'upload', failureText(r));
  }
}
