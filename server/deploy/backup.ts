// Backup and restore of the files a deploy touches on one host.
//   /var/lib/lvs-dr/backup/<deploy-id>/ (mode 0700)
//     manifest          `present PATH` / `absent PATH`, one line per touched file
//     sums              sha256sum of the copies
//     files/<path>      copies (cp -p --parents: bytes, mode, owner, mtime) of the present ones
//     dirs              directories that did not exist (created by the upload, removed on restore)
//     state-dir-existed whether /var/lib/lvs-dr existed before (removed again if empty)
//     rollback-new.sh   the rollback.sh of the generation being deployed (run after a restore)
//     keepalived-was-running  yes/no before this deploy (see host-rollback.ts)
//     keepalived.started      a copy of keepalived's start marker, when there was one
// Restore puts back every file whose bytes or mode differ from the backup (atomically: copy to
// a temporary name in the same directory, then rename), deletes files that were absent, drops
// the engine's temporary files and the directories the upload created, then reports the
// sha256 and mode of every file so the engine can check they are exactly as before.
// Process starts are costly on small or emulated hosts, so each script starts a handful of
// processes whatever the number of files (builtins and `case` do the comparing).
import { dirname } from 'node:path';
import { STATE_DIR } from '../generate';
import { DeployError } from './errors';
import { assertNoProblems, idProblems, pathProblems } from './guard';
import { octal } from './octal-mode';
import { sq, sqList } from '../shared/shell-quote';
import { BACKUP_ROOT, failureText, markedLines, MARK, RemoteHost } from './remote';
import { chunk, parentDirs, tempPath } from './staging';
import { t } from '../shared/l10n/message';

export function backupDir(deployId: string): string {
  assertNoProblems(idProblems(deployId));
  return `${BACKUP_ROOT}/${deployId}`;
}

export interface BackupEntry {
  path: string;
  /** sha256 of the backed-up copy, or null when the file was absent. */
  sha256: string | null;
}

/** keepalived's start marker: apply.sh creates it when it starts keepalived (apply-script.ts). */
export const KEEPALIVED_START_MARKER = `${STATE_DIR}/keepalived.started`;

/** Records whether keepalived runs now (systemd unit active, or a live PID in its pidfile). */
const KEEPALIVED_WAS_RUNNING = [
  'ka=no',
  'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet keepalived 2>/dev/null; then ka=yes; fi',
  'for pf in /run/keepalived.pid /var/run/keepalived.pid; do',
  '  kp=""',
  '  if [ -s "$pf" ]; then read -r kp <"$pf" || true; fi',
  '  if [ -n "$kp" ] && kill -0 "$kp" 2>/dev/null; then ka=yes; fi',
  'done',
  'echo "$ka" >"$B/keepalived-was-running"',
  // The start marker as it was (whether a deployment started keepalived), put back by a rollback.
  `if [ -f ${sq(KEEPALIVED_START_MARKER)} ]; then cp -p ${sq(KEEPALIVED_START_MARKER)} "$B/keepalived.started"; fi`,
];

/** A newline in a variable, for exact-line `case` matches against command output. */
const NL = "NL='\n'";

export function backupScript(deployId: string, paths: string[], rollbackScript: string): string {
  assertNoProblems(paths.flatMap((p) => pathProblems(p)));
  const B = sq(backupDir(deployId));
  const lines = [
    `B=${B}`,
    'umask 077',
    `if [ -d ${sq(STATE_DIR)} ]; then state_existed=yes; else state_existed=no; fi`,
    'mkdir -p "$B/files"',
    'echo "$state_existed" >"$B/state-dir-existed"',
    ': >"$B/manifest"',
    ': >"$B/dirs"',
    'set --',
  ];
  for (const p of paths) {
    const q = sq(p);
    lines.push(
      `if [ -f ${q} ] && [ ! -L ${q} ]; then set -- "$@" ${q}; echo present ${q} >>"$B/manifest"`,
      `elif [ -e ${q} ] || [ -L ${q} ]; then echo ${sq(`${p} is not a regular file`)} >&2; exit 1`,
      `else echo absent ${q} >>"$B/manifest"; fi`,
    );
  }
  for (const d of parentDirs(paths)) lines.push(`[ -d ${sq(d)} ] || echo ${sq(d)} >>"$B/dirs"`);
  lines.push(...KEEPALIVED_WAS_RUNNING);
  lines.push(
    'if [ "$#" -gt 0 ]; then cp -p --parents -- "$@" "$B/files/"; fi',
    ': >"$B/sums"',
    'cd "$B/files"',
    'set --',
    `for p in ${sqList(paths.map((p) => p.slice(1)))}; do if [ -f "$p" ]; then set -- "$@" "$p"; fi; done`,
    'if [ "$#" -gt 0 ]; then sha256sum -- "$@" >"$B/sums"; fi',
    'cd /',
    `base64 -d >"$B/rollback-new.sh" <<'__LVSDR_ROLLBACK__'`,
    ...chunk(Buffer.from(rollbackScript, 'utf8').toString('base64')),
    '__LVSDR_ROLLBACK__',
    `echo '${MARK} MANIFEST'`,
    'while IFS= read -r line; do echo "$line"; done <"$B/manifest"',
    `echo '${MARK} SUMS'`,
    'while IFS= read -r line; do echo "$line"; done <"$B/sums"',
    `echo '${MARK} END'`,
  );
  return lines.join('\n');
}

/** The backup's answer: manifest (`present|absent PATH`) and sums (`HASH  relative/path`). */
export function parseBackup(manifest: string[], sums: string[]): BackupEntry[] {
  const byPath = new Map<string, string>();
  for (const l of sums) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(l.trim());
    if (m) byPath.set(`/${m[2]}`, m[1]);
  }
  const out: BackupEntry[] = [];
  for (const line of manifest) {
    const m = /^(present|absent) (\/\S*)$/.exec(line.trim());
    if (!m) continue;
    out.push({ path: m[2], sha256: m[1] === 'present' ? byPath.get(m[2]) ?? 'missing' : null });
  }
  return out;
}

export async function backupHost(h: RemoteHost, deployId: string, paths: string[], rollbackScript: string, timeoutMs?: number): Promise<BackupEntry[]> {
  const r = await h.run(backupScript(deployId, paths, rollbackScript), timeoutMs);
  if (r.code !== 0) throw new DeployError(h.name, 'backup', failureText(r));
  const sec = markedLines(r.stdout);
  const manifest = sec.find((s) => s.words[0] === 'MANIFEST');
  const sums = sec.find((s) => s.words[0] === 'SUMS');
  if (!manifest || !sums) throw new DeployError(h.name, 'backup', t`the backup manifest was not reported`);
  return parseBackup(manifest.body, sums.body);
}

/** What a file must be after a restore: its bytes' sha256 and mode, or absent. */
export interface RestoreEntry {
  path: string;
  before: { sha256: string; mode: number } | null;
}

/** Shell lines reporting sha256 and mode of the entries that exist (two processes). */
function stateReport(entries: RestoreEntry[]): string[] {
  const lines = ['set --'];
  for (const e of entries) lines.push(`if [ -f ${sq(e.path)} ]; then set -- "$@" ${sq(e.path)}; fi`);
  lines.push(
    `echo '${MARK} SUMS'`,
    'if [ "$#" -gt 0 ]; then sha256sum -- "$@"; fi',
    `echo '${MARK} MODES'`,
    'if [ "$#" -gt 0 ]; then stat -c \'%a %n\' -- "$@"; fi',
    `echo '${MARK} END'`,
  );
  return lines;
}

/** Path → {sha256, mode} from the SUMS and MODES sections. */
export function parseStateReport(out: string): Map<string, { sha256: string; mode: string }> {
  const res = new Map<string, { sha256: string; mode: string }>();
  const sec = markedLines(out);
  for (const l of sec.find((x) => x.words[0] === 'SUMS')?.body ?? []) {
    const m = /^([0-9a-f]{64}) [ *](\/\S*)$/.exec(l.trim());
    if (m) res.set(m[2], { sha256: m[1], mode: '' });
  }
  for (const l of sec.find((x) => x.words[0] === 'MODES')?.body ?? []) {
    const m = /^([0-7]+) (\/\S*)$/.exec(l.trim());
    const e = m && res.get(m[2]);
    if (e) e.mode = m[1];
  }
  return res;
}

export function restoreScript(deployId: string, entries: RestoreEntry[], removeBackup: boolean): string {
  assertNoProblems(entries.flatMap((e) => pathProblems(e.path)));
  const B = sq(backupDir(deployId));
  const lines = [
    `B=${B}`,
    NL,
    'if [ ! -f "$B/manifest" ]; then',
    '  echo "no backup at $B" >&2',
    '  exit 1',
    'fi',
  ];
  if (entries.length) {
    // Current state of every touched file (one sha256sum, one stat).
    lines.push('set --');
    for (const e of entries) lines.push(`if [ -f ${sq(e.path)} ]; then set -- "$@" ${sq(e.path)}; fi`);
    lines.push(
      'sums=""; modes=""',
      'if [ "$#" -gt 0 ]; then sums=$(sha256sum -- "$@"); modes=$(stat -c \'%a %n\' -- "$@"); fi',
      'set --',
    );
    const tmps = entries.map((e) => tempPath(e.path, deployId));
    lines.push(`for t in ${sqList(tmps)}; do if [ -e "$t" ] || [ -L "$t" ]; then set -- "$@" "$t"; fi; done`);
    entries.forEach((e, i) => {
      const q = sq(e.path);
      if (e.before) {
        const mode = (e.before.mode & 0o7777).toString(8);
        const copy = `"$B"${sq(`/files${e.path}`)}`;
        const tmp = sq(tempPath(e.path, deployId));
        lines.push(
          `case "$NL$sums$NL" in *"$NL"${sq(e.before.sha256)}"  "${q}"$NL"*) ok=1 ;; *) ok=0 ;; esac`,
          `case "$NL$modes$NL" in *"$NL"${sq(mode)}" "${q}"$NL"*) ;; *) ok=0 ;; esac`,
          'if [ "$ok" = 0 ]; then',
          `  if [ ! -f ${copy} ]; then echo ${sq(`backup copy of ${e.path} is missing`)} >&2; exit 1; fi`,
          `  [ -d ${sq(dirname(e.path))} ] || mkdir -p -- ${sq(dirname(e.path))}`,
          `  cp -p -- ${copy} ${tmp}`,
          `  mv -f -- ${tmp} ${q}`,
          `  echo '${MARK} RESTORED ${i}'`,
          'fi',
        );
      } else {
        lines.push(`if [ -e ${q} ] || [ -L ${q} ]; then set -- "$@" ${q}; echo '${MARK} REMOVED ${i}'; fi`);
      }
    });
    lines.push('if [ "$#" -gt 0 ]; then rm -f -- "$@"; fi');
  }
  lines.push(
    // Directories the upload created, deepest first, when empty.
    'set --',
    'while IFS= read -r d; do [ -n "$d" ] && set -- "$d" "$@"; done <"$B/dirs"',
    'if [ "$#" -gt 0 ]; then rmdir --ignore-fail-on-non-empty -- "$@" 2>/dev/null || true; fi',
  );
  if (entries.length) lines.push(...stateReport(entries));
  if (removeBackup) {
    lines.push(
      'existed=yes; read -r existed <"$B/state-dir-existed" || true',
      'rm -rf -- "$B"',
      `rmdir ${sq(BACKUP_ROOT)} 2>/dev/null || true`,
      `if [ "$existed" = no ]; then rmdir ${sq(STATE_DIR)} 2>/dev/null || true; fi`,
    );
  }
  return lines.join('\n');
}

export interface RestoreResult {
  restored: string[];
  removed: string[];
}

export async function restoreHost(h: RemoteHost, deployId: string, entries: RestoreEntry[], removeBackup: boolean, timeoutMs?: number): Promise<RestoreResult> {
  const r = await h.run(restoreScript(deployId, entries, removeBackup), timeoutMs);
  if (r.code !== 0) throw new DeployError(h.name, 'restore', failureText(r));
  const restored: string[] = [];
  const removed: string[] = [];
  const mismatches: string[] = [];
  for (const s of markedLines(r.stdout)) {
    const e = entries[Number(s.words[1])];
    if (!e) continue;
    if (s.words[0] === 'RESTORED') restored.push(e.path);
    else if (s.words[0] === 'REMOVED') removed.push(e.path);
  }
  const state = parseStateReport(r.stdout);
  for (const e of entries) {
    const now = state.get(e.path);
    const ok = e.before ? !!now && now.sha256 === e.before.sha256 && now.mode === (e.before.mode & 0o7777).toString(8) : !now;
    if (!ok) {
      mismatches.push(`${e.path} is ${now ? `${now.sha256.slice(0, 12)}… mode ${now.mode}` : 'absent'}, expected ${e.before ? `${e.before.sha256.slice(0, 12)}… mode ${octal(e.before.mode)}` : 'absent'}`);
    }
  }
  if (mismatches.length) throw new DeployError(h.name, 'restore', t`files not back to their previous state: ${mismatches.join('; ')}`);
  return { restored, removed };
}

/** Keeps the newest `keep` backups of the host (deploy ids sort by time). */
export function pruneScript(keep: number): string {
  return [
    `R=${sq(BACKUP_ROOT)}`,
    '[ -d "$R" ] || exit 0',
    'set --',
    'for d in "$R"/*; do [ -d "$d" ] && set -- "$d" "$@"; done',
    `n=0; old=""`,
    'for d in "$@"; do',
    '  n=$((n + 1))',
    `  if [ "$n" -gt ${Math.max(1, Math.floor(keep))} ]; then`,
    '    case "${d##*/}" in ""|.*|*[!0-9A-Za-z._-]*) ;; *) old="$old $d" ;; esac',
    '  fi',
    'done',
    '# shellcheck disable=SC2086',
    '[ -z "$old" ] || rm -rf -- $old',
  ].join('\n');
}

/** Removes a backup directory that is not needed (a run that changed nothing on the host). */
export function discardBackupScript(deployId: string): string {
  const B = sq(backupDir(deployId));
  return [
    `B=${B}`,
    'existed=yes; read -r existed <"$B/state-dir-existed" 2>/dev/null || true',
    'rm -rf -- "$B"',
    `rmdir ${sq(BACKUP_ROOT)} 2>/dev/null || true`,
    `if [ "$existed" = no ]; then rmdir ${sq(STATE_DIR)} 2>/dev/null || true; fi`,
  ].join('\n');
}
