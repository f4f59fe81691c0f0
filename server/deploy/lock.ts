// The per-host deploy lock: a directory created with mkdir (atomic), holding an `owner` file
// (deploy id, deploying machine and PID, start time, and the PID of the sshd process serving
// the connection that took it). A second deploy is refused while the lock is held.
// A lock is stale — and broken — when the sshd process that served its owner's connection is
// gone (the owner crashed or lost the connection), when the owner ran on this machine and its
// PID is gone, or when it is older than the stale age (default 6 h).
import { hostname } from 'node:os';
import { pidAlive } from '../shared/process-alive';
import { DeployError } from './errors';
import { idProblems, assertNoProblems } from './guard';
import { sq } from '../shared/shell-quote';
import { failureText, LOCK_DIR, RemoteHost } from './remote';

export interface LockOwner {
  id: string;
  client: string;
  pid: number;
  since: number;
  conn?: number;
  connAlive: boolean;
}

export interface LockOutcome {
  acquired: boolean;
  /** The lock was stale (or our own from a lost connection) and was taken over. */
  brokeStale?: string;
  holder?: LockOwner;
}

function safeHostname(): string {
  const h = hostname().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return h || 'unknown';
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

/** Shell lines setting $owner_id (and printing the owner file when `print`). */
function readOwner(print: boolean): string[] {
  return [
    'owner_id=""; owner_conn=""',
    'if [ -f "$L/owner" ]; then',
    '  while IFS= read -r line; do',
    ...(print ? ['    echo "$line"'] : []),
    '    case "$line" in id=*) owner_id=${line#id=} ;; conn=*) owner_conn=${line#conn=} ;; esac',
    '  done <"$L/owner"',
    'fi',
  ];
}

export function acquireScript(deployId: string, localPid = process.pid, client = safeHostname(), now = Date.now()): string {
  assertNoProblems(idProblems(deployId));
  const L = sq(LOCK_DIR);
  return [
    `L=${L}`,
    ...FIND_CONN,
    'if mkdir -m 700 "$L" 2>/dev/null; then',
    `  printf 'id=%s\\nclient=%s\\npid=%s\\nsince=%s\\nconn=%s\\n' ${sq(deployId)} ${sq(client)} ${sq(localPid)} ${sq(Math.floor(now / 1000))} "$conn" >"$L/owner"`,
    '  echo LOCK=acquired',
    '  exit 0',
    'fi',
    'echo LOCK=held',
    ...readOwner(true),
    'alive=unknown',
    'if [ -n "$owner_conn" ]; then',
    '  alive=no; c=""',
    '  read -r c <"/proc/$owner_conn/comm" 2>/dev/null || true',
    '  case "$c" in sshd*) alive=yes ;; esac',
    'fi',
    'echo "connAlive=$alive"',
  ].join('\n');
}

/** Breaks the lock only if its owner file still says `ownerId` (another breaker may be faster). */
export function breakScript(ownerId: string): string {
  const L = sq(LOCK_DIR);
  return [
    `L=${L}`,
    ...readOwner(false),
    `if [ "$owner_id" = ${sq(ownerId)} ] || { [ -d "$L" ] && [ ! -f "$L/owner" ]; }; then`,
    '  if mv "$L" "$L.stale.$$" 2>/dev/null; then rm -rf -- "$L.stale.$$"; fi',
    'fi',
    'echo broken',
  ].join('\n');
}

export function releaseScript(deployId: string): string {
  assertNoProblems(idProblems(deployId));
  const L = sq(LOCK_DIR);
  return [
    `L=${L}`,
    ...readOwner(false),
    `if [ "$owner_id" = ${sq(deployId)} ]; then`,
    '  rm -rf -- "$L"',
    '  echo LOCK=released',
    'else',
    '  echo LOCK=not-ours',
    'fi',
  ].join('\n');
}

export function parseHolder(out: string): LockOwner | undefined {
  const v: Record<string, string> = {};
  for (const m of out.matchAll(/^(id|client|pid|since|conn|connAlive)=(.*)$/gm)) v[m[1]] = m[2];
  if (!v.id) return undefined;
  return {
    id: v.id, client: v.client ?? '?', pid: Number(v.pid) || 0, since: (Number(v.since) || 0) * 1000,
    conn: v.conn ? Number(v.conn) : undefined, connAlive: v.connAlive !== 'no',
  };
}

/** Why a held lock is stale, or undefined when its owner may still be working. */
export function staleReason(o: LockOwner, now: number, staleMs: number, localHost = safeHostname()): string | undefined {
  if (o.conn !== undefined && !o.connAlive) return `the SSH connection of deploy ${o.id} is gone (sshd PID ${o.conn})`;
  if (o.client === localHost && !pidAlive(o.pid)) return `deploy ${o.id} ran on this machine as PID ${o.pid}, which is gone`;
  if (o.since > 0 && now - o.since > staleMs) return `deploy ${o.id} took it ${Math.round((now - o.since) / 60000)} min ago`;
  return undefined;
}

export function describeHolder(o: LockOwner): string {
  const since = o.since ? new Date(o.since).toISOString() : '?';
  return `deploy ${o.id} from ${o.client} (PID ${o.pid}) since ${since}`;
}

/**
 * Takes the lock of one host. A held lock is refused (DeployError step 'lock') unless it is
 * stale, or it belongs to `deployId` itself (a rollback reconnecting after a lost connection).
 */
export async function acquireLock(h: RemoteHost, deployId: string, staleMs: number, timeoutMs?: number): Promise<LockOutcome> {
  const r = await h.run(acquireScript(deployId), timeoutMs);
  if (r.code !== 0) throw new DeployError(h.name, 'lock', `cannot take ${LOCK_DIR}: ${failureText(r)}`);
  if (/^LOCK=acquired$/m.test(r.stdout)) return { acquired: true };
  const holder = parseHolder(r.stdout);
  const reason = !holder ? 'it has no owner file'
    : holder.id === deployId ? "it is this deploy's own lock (reconnected)"
      : staleReason(holder, Date.now(), staleMs);
  if (!reason) {
    throw new DeployError(h.name, 'lock', `another deploy holds ${LOCK_DIR}: ${describeHolder(holder!)}; refused`, 'locked');
  }
  const b = await h.run(breakScript(holder?.id ?? ''), timeoutMs);
  if (b.code !== 0) throw new DeployError(h.name, 'lock', `cannot break the stale lock: ${failureText(b)}`);
  const again = await h.run(acquireScript(deployId), timeoutMs);
  if (/^LOCK=acquired$/m.test(again.stdout)) return { acquired: true, brokeStale: reason };
  const winner = parseHolder(again.stdout);
  throw new DeployError(h.name, 'lock', `another deploy took ${LOCK_DIR} first: ${winner ? describeHolder(winner) : 'owner unknown'}; refused`, 'locked');
}

export async function releaseLock(h: RemoteHost, deployId: string, timeoutMs?: number): Promise<boolean> {
  const r = await h.run(releaseScript(deployId), timeoutMs);
  return r.code === 0 && /^LOCK=released$/m.test(r.stdout);
}
