// The deploy journal: `.lvs-deploy/<deploy-id>.json` beside the .lvs file (or in a given
// directory). One file per run (deploy or rollback), written when the run starts and rewritten
// when it ends: deploy id, target, every host with every file (sha256 and mode before/after,
// action), every step with its outcome and duration, the overall outcome and error.
// It is what `lvsdr rollback` (the last deploy) and `lvsdr drift` (deployed vs file) read.
// The sha256 of a file that may hold a secret (keepalived.conf: an 8-character auth_pass) is
// sealed under this machine's key on disk, since the journal may be committed and a plain hash
// lets the password be guessed offline; reading unseals it, so plan, drift and rollback compare
// plain sha256 values as before. A journal from another machine keeps the sealed value, which
// matches nothing: those files count as changed (never removed, drift cause `host`).
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { localSealKey } from '../generate/digest-key';
import { mayHoldSecret } from '../generate/keepalived';
import { isSealed, seal, unseal } from '../shared/sealed';
import { FileAction, FileState, HostRole, Step } from './types';
import type { JournalRunner } from '../protocol/journal-header';

export type { JournalRunner };

export const JOURNAL_DIR_NAME = '.lvs-deploy';

export interface JournalFile {
  path: string;
  action: FileAction;
  before: FileState | null;
  after: FileState | null;
  /** Seconds since the epoch, as read before the run (informational). */
  mtimeBefore?: number;
}

export interface JournalStep {
  step: Step;
  outcome: 'ok' | 'failed' | 'skipped' | 'cancelled';
  startedAt: string;
  ms: number;
  detail?: string;
}

export type HostOutcome = 'unchanged' | 'deployed' | 'rolled-back' | 'rollback-failed' | 'not-reached' | 'failed';

export interface JournalHost {
  name: string;
  address: string;
  role: HostRole;
  /** Position in the apply order (1-based), when the host had changes. */
  order?: number;
  changed: boolean;
  hadApply: boolean;
  outcome: HostOutcome;
  backupDir?: string;
  files: JournalFile[];
  steps: JournalStep[];
  warnings?: string[];
}

export type Outcome = 'running' | 'success' | 'no-change' | 'failed' | 'cancelled';

export interface Journal {
  version: 1;
  kind: 'deploy' | 'rollback';
  id: string;
  tool: 'lvs-dr-studio';
  source: string;
  sourceSha256: string;
  cluster: string;
  target: 'lab' | 'hosts';
  labId?: string;
  /** For a rollback run: the deploy it undid. */
  rollbackOf?: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  outcome: Outcome;
  error?: { host?: string; step: Step; message: string };
  /** Hosts rolled back during this run, in the order they were rolled back. */
  rolledBack?: string[];
  drains?: Array<{ key: string; real: string; weight: number; directors: string[] }>;
  probe?: { ok: boolean; detail: string; answeredBy: string[] };
  /** Cluster-wide steps (the drain wait, the probe). */
  steps?: JournalStep[];
  hosts: JournalHost[];
  /** The process that runs it (an `outcome: running` journal whose process is gone was interrupted). */
  runner?: JournalRunner;
  /** Every progress event of the run, one line each (what the terminal or VS Code showed). */
  log?: string[];
  /**
   * A deploy that changed the VRRP settings of a running pair: the setting names (never a value)
   * and the backups it held; `lvsdr rollback` undoes it in the same safe order.
   */
  vrrp?: { keys: string[]; hold: string[] };
  /** For a deploy interrupted before it could roll back: the rollback run that undid it. */
  rolledBackBy?: string;
}

/** Sortable by time: `20250601T123456789Z-1a2b3c`. */
export function newDeployId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}

export function journalDirFor(lvsFile: string, dir?: string): string {
  return dir ? resolve(dir) : join(dirname(resolve(lvsFile)), JOURNAL_DIR_NAME);
}

export function sourceHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function journalPath(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

const JOURNAL_SEAL = 'deploy journal digests';

/** The journal as written: digests of files that may hold a secret sealed (a copy; `j` is unchanged). */
export function sealedJournal(j: Journal, key?: Buffer): Journal {
  if (!j.hosts.some((h) => h.files.some((f) => mayHoldSecret(f.path)))) return j;
  const k = key ?? localSealKey(JOURNAL_SEAL);
  const sealState = (s: FileState | null): FileState | null => (s && !isSealed(s.sha256) ? { ...s, sha256: seal(k, s.sha256) } : s);
  return {
    ...j,
    hosts: j.hosts.map((h) => ({
      ...h,
      files: h.files.map((f) => (mayHoldSecret(f.path) ? { ...f, before: sealState(f.before), after: sealState(f.after) } : f)),
    })),
  };
}

/** Unseals, in place, the digests this machine sealed; others stay sealed (they match nothing). */
function unsealJournal(j: Journal, key: () => Buffer): Journal {
  for (const h of j.hosts) {
    for (const f of Array.isArray(h.files) ? h.files : []) {
      for (const s of [f.before, f.after]) {
        if (s && isSealed(s.sha256)) s.sha256 = unseal(key(), s.sha256) ?? s.sha256;
      }
    }
  }
  return j;
}

/** Writes atomically (temporary file + rename). */
export function writeJournal(dir: string, j: Journal, sealKey?: Buffer): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const f = journalPath(dir, j.id);
  writeFileSync(`${f}.tmp`, JSON.stringify(sealedJournal(j, sealKey), null, 2) + '\n', { mode: 0o644 });
  renameSync(`${f}.tmp`, f);
  return f;
}

export function readJournals(dir: string, sealKey?: Buffer): Journal[] {
  if (!existsSync(dir)) return [];
  const out: Journal[] = [];
  let k = sealKey;
  const key = (): Buffer => (k ??= localSealKey(JOURNAL_SEAL));
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    try {
      const j = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Journal;
      if (j.version === 1 && j.id && Array.isArray(j.hosts)) out.push(unsealJournal(j, key));
    } catch { /* a damaged journal is ignored */ }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function sameTarget(j: Journal, cluster: string, target: 'lab' | 'hosts'): boolean {
  return j.cluster === cluster && j.target === target;
}

/** Ids of deploys undone by a successful rollback run. */
function rolledBackIds(journals: Journal[]): Set<string> {
  return new Set(journals.filter((j) => j.kind === 'rollback' && j.outcome === 'success' && j.rollbackOf).map((j) => j.rollbackOf!));
}

/** The last deploy that changed something and was not rolled back (what `rollback` undoes). */
export function lastDeploy(journals: Journal[], cluster: string, target: 'lab' | 'hosts'): Journal | undefined {
  const undone = rolledBackIds(journals);
  const list = journals.filter((j) => j.kind === 'deploy' && sameTarget(j, cluster, target));
  for (let i = list.length - 1; i >= 0; i--) {
    const j = list[i];
    if (j.outcome === 'success' && !undone.has(j.id)) return j;
  }
  return undefined;
}

/**
 * What the hosts should hold according to the journals: the newest successful (or no-change)
 * deploy that was not rolled back, host → path → sha256 written.
 */
export function deployedState(journals: Journal[], cluster: string, target: 'lab' | 'hosts'): { journal?: Journal; files: Map<string, Map<string, string>> } {
  const undone = rolledBackIds(journals);
  const list = journals.filter((j) => j.kind === 'deploy' && sameTarget(j, cluster, target) && (j.outcome === 'success' || j.outcome === 'no-change') && !undone.has(j.id));
  const files = new Map<string, Map<string, string>>();
  const j = list[list.length - 1];
  if (!j) return { files };
  for (const h of j.hosts) {
    const m = new Map<string, string>();
    for (const f of h.files) if (f.after) m.set(f.path, f.after.sha256);
    files.set(h.name, m);
  }
  return { journal: j, files };
}
