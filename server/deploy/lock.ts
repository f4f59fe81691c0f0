// The per-host deploy lock: a directory created with mkdir (atomic), holding an `owner` file:
// the deploy id, a random token only the taking run knows, the deploying machine's boot id
// (/proc/sys/kernel/random/boot_id) and PID, its host name (shown only), the start time, and
// the PID of the sshd process serving the connection that took it. Beside it, `step.pid`
// names a script session still running (scripts.ts). A second deploy is refused while the lock
// is held.
// A lock is stale — and broken — when the sshd process that served its owner's connection is
// gone, when its owner ran on this very boot of this machine and its PID is gone, or when it is
// older than the stale age (default 6 h); never while its step.pid names a live process (that
// record is what a rollback needs to stop the step, so nothing removes it while the step runs).
// Host names are not identity: two jump hosts both called localhost.localdomain are told apart
// by their boot ids; a run re-taking its own lock (after a lost connection) is recognised by
// its token.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { pidAlive } from '../shared/process-alive';
import { DeployError } from './errors';
import { idProblems, assertNoProblems } from './guard';
import { sq } from '../shared/shell-quote';
import { failureText, LOCK_DIR, RemoteHost } from './remote';
import { Msg, t } from '../shared/l10n/message';

export interface LockOwner {
  id: string;
  /** Random token of the run holding it (absent in a lock of an older version). */
  token?: string;
  /** Host name of the deploying machine (informational). */
  client: string;
  /** Boot id of the deploying machine (absent when it could not be read). */
  boot?: string;
  pid: number;
  since: number;
  conn?: number;
  connAlive: boolean;
  /** PID of a script session recorded in the lock directory, and whether it still runs. */
  step?: number;
  stepAlive: boolean;
}

export interface LockOutcome {
  acquired: boolean;
  /** The lock was stale and was taken over. */
  brokeStale?: Msg;
  /** The lock was already this run's own (a reconnect): taken over in place, step record kept. */
  retaken?: boolean;
  holder?: LockOwner;
}

const TOKEN_RE = /^[0-9a-f]{32}$/;
const BOOT_RE = /^[0-9a-f-]{36}$/;

export function newLockToken(): string {
  return randomBytes(16).toString('hex');
}

function safeHostname(): string {
  const h = hostname().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return h || 'unknown';
}

/** This machine's boot id, or '' when it cannot be read (not Linux). */
export function localBootId(): string {
  try {
    const b = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return BOOT_RE.test(b) ? b : '';
  } catch {
    return '';
  }
}

function tokenProblems(token: string): Msg[] {
  return TOKEN_RE.test(token) ? [] : [t`lock token ${JSON.stringify(token)} is not 32 hex digits`];
}

/** Shell lines setting $conn to the PID of the nearest sshd ancestor (builtins only). */
const FIND_CONN = [
  'conn=""',
  'p=$$',
  'i=0',
  'while [ "$i" -lt 10 ] && [ -n "$p" ] && [ "$p" -gt 1 ]; do',
  '  c=""',
  '  read -r c <"/proc/$p/comm" || true',
  '  case "$c" in sshd*) conn=$p; break ;; esac',
  '  pp=""',
  '  while read -r k v rest; do if [ "$k" = "PPid:" ]; then pp=$v; break; fi; done <"/proc/$p/status" || true',
  '  p=$pp',
  '  i=$((i + 1))',
  'done',
];

/** Shell lines setting $owner_id and $owner_token (and printing the owner file when `print`). */
function readOwner(print: boolean): string[] {
  return [
    'owner_id=""; owner_conn=""; owner_token=""',
    'if [ -f "$L/owner" ]; then',
    '  while IFS= read -r line; do',
    ...(print ? ['    echo "$line"'] : []),
    '    case "$line" in id=*) owner_id=${line#id=} ;; conn=*) owner_conn=${line#conn=} ;; token=*) owner_token=${line#token=} ;; esac',
    '  done <"$L/owner"',
    'fi',
  ];
}

/** Shell lines setting $step (the recorded step session, digits or empty) and $step_alive. */
const READ_STEP = [
  'step=""; step_alive=no',
  'if [ -f "$L/step.pid" ]; then read -r step <"$L/step.pid" || true; fi',
  'case "$step" in ""|*[!0-9]*) step="" ;; *) if kill -0 "$step" 2>/dev/null; then step_alive=yes; fi ;; esac',
  // A zombie has ended (only its parent has not collected it yet).
  'if [ "$step_alive" = yes ]; then',
  '  while read -r k v rest; do if [ "$k" = "State:" ]; then [ "$v" != Z ] || step_alive=no; break; fi; done <"/proc/$step/status" || true',
  'fi',
];

/** Shell lines printing whether the owner's connection is alive and the step record. */
const REPORT_HOLDER = [
  ...READ_STEP,
  'alive=unknown',
  'if [ -n "$owner_conn" ]; then',
  '  alive=no; c=""',
  '  read -r c <"/proc/$owner_conn/comm" 2>/dev/null || true',
  '  case "$c" in sshd*) alive=yes ;; esac',
  'fi',
  'echo "connAlive=$alive"',
  'echo "step=$step"',
  'echo "stepAlive=$step_alive"',
];

export interface LockIdentity {
  deployId: string;
  token: string;
  pid?: number;
  client?: string;
  boot?: string;
  now?: number;
}

/** The owner file's lines (printf arguments) for this run. */
function ownerPrintf(me: LockIdentity): string {
  const boot = me.boot ?? localBootId();
  return `printf 'id=%s\\ntoken=%s\\nclient=%s\\nboot=%s\\npid=%s\\nsince=%s\\nconn=%s\\n' ${sq(me.deployId)} ${sq(me.token)} ${sq(me.client ?? safeHostname())} ${sq(BOOT_RE.test(boot) ? boot : '')} ${sq(me.pid ?? process.pid)} ${sq(Math.floor((me.now ?? Date.now()) / 1000))} "$conn"`;
}

/**
 * Takes the lock, or re-takes it in place when it already carries this run's token (the
 * step record stays), or reports its holder (`LOCK=held` and the owner file).
 */
export function acquireScript(me: LockIdentity): string {
  assertNoProblems([...idProblems(me.deployId), ...tokenProblems(me.token)]);
  const L = sq(LOCK_DIR);
  return [
    `L=${L}`,
    ...FIND_CONN,
    'if mkdir -m 700 "$L" 2>/dev/null; then',
    `  ${ownerPrintf(me)} >"$L/owner"`,
    '  echo LOCK=acquired',
    '  exit 0',
    'fi',
    ...readOwner(false),
    `if [ "$owner_token" = ${sq(me.token)} ] && [ "$owner_id" = ${sq(me.deployId)} ]; then`,
    `  ${ownerPrintf(me)} >"$L/owner.new" && mv -f "$L/owner.new" "$L/owner"`,
    '  echo LOCK=retaken',
    '  exit 0',
    'fi',
    'echo LOCK=held',
    ...readOwner(true),
    ...REPORT_HOLDER,
  ].join('\n');
}

/** Reports the holder of the lock without taking it (`LOCK=free` or `LOCK=held` and the owner). */
export function inspectScript(): string {
  return [
    `L=${sq(LOCK_DIR)}`,
    'if [ ! -d "$L" ]; then echo LOCK=free; exit 0; fi',
    'echo LOCK=held',
    ...readOwner(true),
    ...REPORT_HOLDER,
  ].join('\n');
}

/**
 * Breaks the lock only if its owner file still names `owner` (id and token: another breaker
 * may have been faster) and no step it recorded is still running.
 */
export function breakScript(owner: { id: string; token?: string }): string {
  const L = sq(LOCK_DIR);
  return [
    `L=${L}`,
    '[ -d "$L" ] || { echo BREAK=gone; exit 0; }',
    ...readOwner(false),
    ...READ_STEP,
    'if [ "$step_alive" = yes ]; then echo "BREAK=step-running $step"; exit 0; fi',
    `if { [ "$owner_id" = ${sq(owner.id)} ] && [ "$owner_token" = ${sq(owner.token ?? '')} ]; } || [ ! -f "$L/owner" ]; then`,
    '  if mv "$L" "$L.stale.$$" 2>/dev/null; then rm -rf -- "$L.stale.$$"; fi',
    '  echo BREAK=done',
    'else',
    '  echo BREAK=changed',
    'fi',
  ].join('\n');
}

export function releaseScript(deployId: string, token: string): string {
  assertNoProblems([...idProblems(deployId), ...tokenProblems(token)]);
  const L = sq(LOCK_DIR);
  return [
    `L=${L}`,
    ...readOwner(false),
    `if [ "$owner_id" = ${sq(deployId)} ] && [ "$owner_token" = ${sq(token)} ]; then`,
    '  rm -rf -- "$L"',
    '  echo LOCK=released',
    'else',
    '  echo LOCK=not-ours',
    'fi',
  ].join('\n');
}

export function parseHolder(out: string): LockOwner | undefined {
  const v: Record<string, string> = {};
  for (const m of out.matchAll(/^(id|token|client|boot|pid|since|conn|connAlive|step|stepAlive)=(.*)$/gm)) v[m[1]] = m[2];
  if (!v.id) return undefined;
  return {
    id: v.id, token: v.token || undefined, client: v.client ?? '?', boot: v.boot || undefined,
    pid: Number(v.pid) || 0, since: (Number(v.since) || 0) * 1000,
    conn: v.conn ? Number(v.conn) : undefined, connAlive: v.connAlive !== 'no',
    step: v.step ? Number(v.step) : undefined, stepAlive: v.stepAlive === 'yes',
  };
}

/** Why a held lock is stale, or undefined when its owner may still be working (in the reader's language via the CLI). */
export function staleReason(o: LockOwner, now: number, staleMs: number, localBoot = localBootId()): Msg | undefined {
  if (o.stepAlive) return undefined;
  if (o.conn !== undefined && !o.connAlive) return t`the SSH connection of deploy ${o.id} is gone (sshd PID ${o.conn})`;
  if (o.boot && localBoot && o.boot === localBoot && !pidAlive(o.pid)) return t`deploy ${o.id} ran on this machine (boot ${o.boot}) as PID ${o.pid}, which is gone`;
  if (o.since > 0 && now - o.since > staleMs) return t`deploy ${o.id} took it ${Math.round((now - o.since) / 60000)} min ago`;
  return undefined;
}

/** Who holds a lock, as a message (the deploy engine's refusal speaks the reader's language). */
export function holderWords(o: LockOwner): Msg {
  const since = o.since ? new Date(o.since).toISOString() : '?';
  const boot = o.boot ?? 'unknown';
  const who = t`deploy ${o.id} from ${o.client} (PID ${o.pid}, boot ${boot}) since ${since}`;
  if (o.step === undefined) return who;
  return o.stepAlive ? t`${who}; step session ${o.step} still running` : t`${who}; step session ${o.step} gone`;
}

/**
 * Takes the lock of one host. A held lock is refused (DeployError step 'lock') unless it is
 * stale, or it carries this run's token (a rollback reconnecting after a lost connection).
 */
export async function acquireLock(h: RemoteHost, me: LockIdentity, staleMs: number, timeoutMs?: number): Promise<LockOutcome> {
  const r = await h.run(acquireScript(me), timeoutMs);
  if (r.code !== 0) throw new DeployError(h.name, 'lock', t`cannot take ${LOCK_DIR}: ${failureText(r)}`);
  if (/^LOCK=acquired$/m.test(r.stdout)) return { acquired: true };
  if (/^LOCK=retaken$/m.test(r.stdout)) return { acquired: true, retaken: true };
  const holder = parseHolder(r.stdout);
  const reason = !holder ? t`it has no owner file` : staleReason(holder, Date.now(), staleMs);
  if (!reason) {
    throw new DeployError(h.name, 'lock', t`another deploy holds ${LOCK_DIR}: ${holderWords(holder!)}; refused`, 'locked');
  }
  const b = await h.run(breakScript(holder ?? { id: '' }), timeoutMs);
  if (b.code !== 0) throw new DeployError(h.name, 'lock', t`cannot break the stale lock: ${failureText(b)}`);
  const again = await h.run(acquireScript(me), timeoutMs);
  if (/^LOCK=acquired$/m.test(again.stdout)) return { acquired: true, brokeStale: reason };
  const winner = parseHolder(again.stdout);
  throw new DeployError(h.name, 'lock', winner ? t`another deploy took ${LOCK_DIR} first: ${holderWords(winner)}; refused` : t`another deploy took ${LOCK_DIR} first: owner unknown; refused`, 'locked');
}

export async function releaseLock(h: RemoteHost, deployId: string, token: string, timeoutMs?: number): Promise<boolean> {
  const r = await h.run(releaseScript(deployId, token), timeoutMs);
  return r.code === 0 && /^LOCK=released$/m.test(r.stdout);
}

export type UnlockOutcome =
  | { state: 'free' }
  | { state: 'broken'; holder?: LockOwner; reason: Msg }
  | { state: 'refused'; holder: LockOwner; why: 'live' | 'step-running' | 'changed' };

/**
 * `lvsdr unlock`: shows who holds the lock and breaks it when it is stale, or when `force` is
 * given for a live-looking one. A lock whose step still runs is never broken.
 */
export async function unlockHost(h: RemoteHost, opts: { force: boolean; staleMs: number; timeoutMs?: number }): Promise<UnlockOutcome> {
  const r = await h.run(inspectScript(), opts.timeoutMs);
  if (r.code !== 0) throw new DeployError(h.name, 'lock', t`cannot read ${LOCK_DIR}: ${failureText(r)}`);
  if (/^LOCK=free$/m.test(r.stdout)) return { state: 'free' };
  const holder = parseHolder(r.stdout);
  if (holder?.stepAlive) return { state: 'refused', holder, why: 'step-running' };
  const stale = !holder ? t`it has no owner file` : staleReason(holder, Date.now(), opts.staleMs);
  if (!stale && !opts.force) return { state: 'refused', holder: holder!, why: 'live' };
  const b = await h.run(breakScript(holder ?? { id: '' }), opts.timeoutMs);
  if (b.code !== 0) throw new DeployError(h.name, 'lock', t`cannot break ${LOCK_DIR}: ${failureText(b)}`);
  if (/^BREAK=step-running/m.test(b.stdout)) return { state: 'refused', holder: holder!, why: 'step-running' };
  if (/^BREAK=changed$/m.test(b.stdout)) return { state: 'refused', holder: holder!, why: 'changed' };
  return { state: 'broken', holder, reason: stale ?? t`forced (--force)` };
}
