// The dead man's switch: a host the deploy changes restores its backup by itself when the
// deploy stops talking to it, e.g. because the change cut the deploy's session off.
//
//   arm (after the backup, before the upload)  writes two scripts into the run's backup
//       directory and starts the timer detached from the SSH session: `setsid nohup`, a new
//       session without a terminal, so neither the session's end nor a SIGHUP reaches it. (A
//       transient systemd-run timer would need systemd ≥ 236 for --collect, RHEL 7 has 219, and
//       lab hosts run no systemd; root's processes survive logout, KillUserProcesses=no and
//       KillExcludeUsers=root being logind's defaults.)
//   heartbeat (before apply.sh, before verify.sh)  moves the deadline to now + timeout, so a
//       slow host is never restored while the deploy is still working on it;
//   confirm (after verify.sh passed)  disarms it.
// The timer polls once a second; past the deadline it claims the switch with one atomic
// rename (deadman.armed → deadman.firing). Disarming claims it with the same rename
// (deadman.armed → deadman.disarmed): exactly one of the two wins, so a confirmed switch can
// never fire, and a firing one is reported, never half-cancelled.
// Firing does what the engine's rollback does (host-rollback.ts), from the same backup:
// stop a step left running, restore the files (restoreScript, checked against the sha256 of
// before), undo this generation's runtime state with its kept rollback.sh, run the previous
// apply.sh when there was one, put keepalived's start marker back. Every part is idempotent,
// so a rollback by the engine after a fired switch changes nothing more.
import { backupDir, RestoreEntry, restoreScript } from './backup';
import { DeployError } from './errors';
import { restoreStartMarker, setStartMarkerAside } from './host-rollback';
import { sq } from '../shared/shell-quote';
import { APPLY_SH, failureText, markedLines, MARK, PRELUDE, RemoteHost } from './remote';
import { stopOrphanScript } from './scripts';
import { chunk } from './staging';
import { Msg, t } from '../shared/l10n/message';

/** Default seconds a host waits for the deploy's next word before restoring itself. */
export const DEFAULT_CONFIRM_TIMEOUT_S = 120;

export interface SwitchInput {
  deployId: string;
  /** Files to put back (the engine's rollback entries). */
  entries: RestoreEntry[];
  /** The host had an apply.sh before: run it (restored) to bring the runtime state back. */
  hadApply: boolean;
  timeoutS: number;
}

/** What the host did with its switch. */
export type SwitchState =
  | { state: 'disarmed' }
  | { state: 'armed' }
  | { state: 'fired'; ok: boolean; at: number; log: string }
  | { state: 'firing' }
  | { state: 'none' };

export function timeoutProblems(s: number): Msg[] {
  return Number.isInteger(s) && s >= 5 && s <= 86_400 ? [] : [t`confirm timeout ${JSON.stringify(s)} is not a whole number of seconds from 5 to 86400`];
}

/** A subshell, so one part's `exit` ends only that part. */
function part(script: string, mayFail = false): string {
  return `(\n${script}\n)${mayFail ? ' || true' : ''}`;
}

/** The script the switch runs when it fires (also run by the tests). */
export function fireScript(x: SwitchInput): string {
  const B = backupDir(x.deployId);
  return [
    PRELUDE,
    part(stopOrphanScript(), true),
    part(restoreScript(x.deployId, x.entries, false)),
    part(setStartMarkerAside(x.deployId)),
    `sh ${sq(`${B}/rollback-new.sh`)}`,
    ...(x.hadApply ? [`sh ${sq(APPLY_SH)}`] : []),
    part(restoreStartMarker(x.deployId)),
    '',
  ].join('\n');
}

/** The timer: waits for the deadline while armed, claims the switch, fires, records the outcome. */
export function timerScript(deployId: string): string {
  return [
    PRELUDE,
    `B=${sq(backupDir(deployId))}`,
    'while :; do',
    '  [ -f "$B/deadman.armed" ] || exit 0',
    '  d=0; read -r d <"$B/deadman.deadline" || d=0',
    '  case "$d" in ""|*[!0-9]*) d=0 ;; esac',
    '  [ "$(date +%s)" -lt "$d" ] || break',
    '  sleep 1',
    'done',
    'mv "$B/deadman.armed" "$B/deadman.firing" 2>/dev/null || exit 0',
    'rc=0',
    'sh "$B/deadman-fire.sh" >"$B/deadman.log" 2>&1 </dev/null || rc=$?',
    'echo "$rc $(date +%s)" >"$B/deadman.fired"',
    'rm -f "$B/deadman.firing"',
    '',
  ].join('\n');
}

/** Writes both scripts into the backup directory, sets the deadline, starts the detached timer. */
export function armScript(x: SwitchInput): string {
  const B = sq(backupDir(x.deployId));
  const write = (name: string, text: string, tag: string) => [
    `base64 -d >"$B/${name}" <<'${tag}'`,
    ...chunk(Buffer.from(text, 'utf8').toString('base64')),
    tag,
  ];
  return [
    `B=${B}`,
    'umask 077',
    'if [ ! -f "$B/manifest" ]; then echo "no backup at $B" >&2; exit 1; fi',
    'rm -f "$B/deadman.disarmed" "$B/deadman.fired" "$B/deadman.firing"',
    ...write('deadman-fire.sh', fireScript(x), '__LVSDR_FIRE__'),
    ...write('deadman.sh', timerScript(x.deployId), '__LVSDR_TIMER__'),
    `echo $(( $(date +%s) + ${x.timeoutS} )) >"$B/deadman.deadline"`,
    ': >"$B/deadman.armed"',
    'setsid nohup sh "$B/deadman.sh" </dev/null >/dev/null 2>&1 &',
    `echo '${MARK} DEADMAN armed'`,
  ].join('\n');
}

/** Moves the deadline to now + timeout while the switch is armed; reports its state. */
export function heartbeatScript(deployId: string, timeoutS: number): string {
  return [
    `B=${sq(backupDir(deployId))}`,
    `if [ -f "$B/deadman.armed" ]; then echo $(( $(date +%s) + ${timeoutS} )) >"$B/deadman.deadline.tmp" && mv -f "$B/deadman.deadline.tmp" "$B/deadman.deadline"; fi`,
    stateLines(0),
  ].join('\n');
}

/** Disarms the switch (the confirm), or reports that it fired, waiting up to `waitS` for a firing one. */
export function disarmScript(deployId: string, waitS: number): string {
  return [
    `B=${sq(backupDir(deployId))}`,
    `if mv "$B/deadman.armed" "$B/deadman.disarmed" 2>/dev/null; then echo '${MARK} DEADMAN disarmed'; exit 0; fi`,
    stateLines(waitS),
  ].join('\n');
}

/** Reports the switch's state without changing it. */
export function switchStateScript(deployId: string): string {
  return [`B=${sq(backupDir(deployId))}`, stateLines(0)].join('\n');
}

function stateLines(waitS: number): string {
  return [
    'i=0',
    `while [ -f "$B/deadman.firing" ] && [ "$i" -lt ${waitS} ]; do sleep 1; i=$((i + 1)); done`,
    'if [ -f "$B/deadman.fired" ]; then',
    '  rc=1; at=0; read -r rc at <"$B/deadman.fired" || true',
    `  echo "${MARK} DEADMAN fired $rc $at"`,
    '  if [ -f "$B/deadman.log" ]; then tail -n 5 "$B/deadman.log"; fi',
    `  echo '${MARK} END'`,
    `elif [ -f "$B/deadman.firing" ]; then echo '${MARK} DEADMAN firing'`,
    `elif [ -f "$B/deadman.armed" ]; then echo '${MARK} DEADMAN armed'`,
    `elif [ -f "$B/deadman.disarmed" ]; then echo '${MARK} DEADMAN disarmed'`,
    `else echo '${MARK} DEADMAN none'; fi`,
  ].join('\n');
}

/** Reads the `@@LVSDR DEADMAN …` line of the scripts above. */
export function parseSwitchState(out: string): SwitchState {
  const sec = markedLines(out).find((s) => s.words[0] === 'DEADMAN');
  const w = sec?.words ?? [];
  switch (w[1]) {
    case 'fired': return { state: 'fired', ok: w[2] === '0', at: Number(w[3]) || 0, log: sec!.body.join('\n').trim() };
    case 'disarmed': case 'armed': case 'firing': return { state: w[1] };
    default: return { state: 'none' };
  }
}

async function runSwitch(h: RemoteHost, script: string, step: 'backup' | 'apply' | 'verify' | 'rollback', timeoutMs?: number): Promise<SwitchState> {
  const r = await h.run(script, timeoutMs);
  if (r.code !== 0) throw new DeployError(h.name, step, t`dead man's switch: ${failureText(r)}`);
  return parseSwitchState(r.stdout);
}

export async function armSwitch(h: RemoteHost, x: SwitchInput, timeoutMs?: number): Promise<void> {
  const st = await runSwitch(h, armScript(x), 'backup', timeoutMs);
  if (st.state !== 'armed') throw new DeployError(h.name, 'backup', t`the dead man's switch did not report armed`);
}

/** Before a step: the host must still be waiting for the deploy. */
export async function heartbeat(h: RemoteHost, deployId: string, timeoutS: number, step: 'apply' | 'verify', timeoutMs?: number): Promise<void> {
  const st = await runSwitch(h, heartbeatScript(deployId, timeoutS), step, timeoutMs);
  if (st.state !== 'armed') throw new DeployError(h.name, step, firedText(st));
}

export function disarmSwitch(h: RemoteHost, deployId: string, waitS: number, timeoutMs?: number): Promise<SwitchState> {
  return runSwitch(h, disarmScript(deployId, waitS), 'rollback', timeoutMs);
}

export function firedText(st: SwitchState): Msg {
  if (st.state === 'fired') {
    const at = new Date(st.at * 1000).toISOString();
    return st.ok ? t`the host restored its backup by itself at ${at} (dead man's switch: the deploy had not confirmed in time)`
      : t`the host restored its backup by itself at ${at} (dead man's switch: the deploy had not confirmed in time), but the restore failed: ${st.log}`;
  }
  return t`the dead man's switch is ${st.state}, not armed`;
}
