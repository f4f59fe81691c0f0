// What every run (plan, deploy, rollback, drift) shares: the connections to the hosts, the
// credentials asked during the run, progress events with timings, journal step records,
// cancellation checks, locks, and reconnecting to a host that went away (for rollback).
import { ConnectError, CredentialCache, SshConnection } from './connection';
import { asMsg, CancelledError, DeployError, Words, wordsOf } from './errors';
import { english, listMsgs, t } from '../shared/l10n/message';
import { STEP_WORDS } from './step-words';
import { JournalHost, JournalStep } from './journal';
import { acquireLock, LockIdentity, newLockToken, releaseLock } from './lock';
import { preflight, osMismatch, requiredTools } from './preflight';
import { RemoteHost } from './remote';
import { boundedEach } from './order';
import { ClusterTarget, EngineOptions, EngineProgress, HostTarget, Step } from './types';

export const DEFAULTS = {
  concurrency: 4,
  connectTimeoutMs: 60_000,
  commandTimeoutMs: 120_000,
  reconnectTimeoutMs: 60_000,
  drainTimeoutMs: 60_000,
  lockStaleMs: 6 * 3600_000,
};

/** Lines of the journal's log kept per run (a runaway loop cannot grow the journal without end). */
const MAX_LOG_LINES = 5000;

export class Session {
  readonly creds: CredentialCache;
  readonly remotes = new Map<string, RemoteHost>();
  readonly locked = new Set<string>();
  /** Journal records per host (filled by step()). */
  readonly journalHosts = new Map<string, JournalHost>();
  readonly clusterSteps: JournalStep[] = [];
  /** Every progress event as a line, for the journal: the record survives a dead stdout pipe. */
  readonly log: string[] = [];

  /** Known only to this run: tells its own locks from any other's (lock.ts). */
  readonly lockToken = newLockToken();

  constructor(readonly target: ClusterTarget, readonly opts: EngineOptions, readonly runId: string) {
    this.creds = new CredentialCache(opts.ui);
  }

  get lockIdentity(): LockIdentity {
    return { deployId: this.runId, token: this.lockToken };
  }

  get commandTimeout(): number {
    return this.opts.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs;
  }

  emit(e: EngineProgress): void {
    if (this.log.length < MAX_LOG_LINES) {
      this.log.push(`${new Date().toISOString()} ${e.host ?? '-'} ${e.step} ${e.state}${e.ms !== undefined ? ` ${e.ms}ms` : ''}${e.detail ? `: ${e.detail}` : ''}`);
    }
    try {
      this.opts.ui?.progress?.(e);
    } catch { /* a broken progress callback never stops a deploy */ }
  }

  info(host: string | undefined, step: Step, detail: Words): void {
    this.emit({ host, step, state: 'info', ...details(detail) });
  }

  get cancelled(): boolean {
    return !!this.opts.signal?.aborted;
  }

  checkCancel(host: string | undefined, step: Step): void {
    if (this.cancelled) throw new CancelledError(host, step);
  }

  private record(host: string | undefined, s: JournalStep): void {
    const list = host ? this.journalHosts.get(host)?.steps : this.clusterSteps;
    list?.push(s);
  }

  /** Runs one step: progress start/done/failed with its duration, a journal record. */
  async step<T>(host: string | undefined, step: Step, fn: () => Promise<T>, describe?: (t: T) => Words | undefined): Promise<T> {
    const t0 = Date.now();
    const startedAt = new Date(t0).toISOString();
    this.emit({ host, step, state: 'start' });
    try {
      const r = await fn();
      const ms = Date.now() - t0;
      const said = describe?.(r);
      const d: Partial<ReturnType<typeof details>> = said === undefined ? {} : details(said);
      this.emit({ host, step, state: 'done', ms, ...d });
      this.record(host, { step, outcome: 'ok', startedAt, ms, detail: d.detail });
      return r;
    } catch (e) {
      const ms = Date.now() - t0;
      const err = e instanceof DeployError || e instanceof CancelledError ? e
        : new DeployError(host, step, wordsOf(e), e instanceof ConnectError ? e.kind : 'failed');
      const detail = err instanceof DeployError ? err.reason : err.message;
      this.emit({ host, step, state: 'failed', ms, detail, detailWords: err instanceof DeployError ? err.reasonWords : err.words });
      this.record(host, { step, outcome: err instanceof CancelledError ? 'cancelled' : 'failed', startedAt, ms, detail });
      throw err;
    }
  }

  skip(host: string | undefined, step: Step, detail: Words): void {
    const d = details(detail);
    this.emit({ host, step, state: 'skipped', ...d });
    this.record(host, { step, outcome: 'skipped', startedAt: new Date().toISOString(), ms: 0, detail: d.detail });
  }

  remote(name: string): RemoteHost {
    const r = this.remotes.get(name);
    if (!r) throw new DeployError(name, 'connect', t`not connected`);
    return r;
  }

  private readonly repoKnownHosts = new Map<string, Promise<boolean>>();

  /**
   * A known_hosts the .lvs file names inside its own repository came with the repository: say
   * where the host keys come from and use it only when the front end confirms that file (once
   * per file and run); otherwise refuse, naming the file.
   */
  private async checkKnownHostsSource(ht: HostTarget): Promise<void> {
    const repo = ht.knownHostsInRepo;
    if (!repo) return;
    let answer = this.repoKnownHosts.get(ht.knownHosts);
    if (!answer) {
      const same = this.target.hosts.filter((h) => h.knownHosts === ht.knownHosts && h.knownHostsInRepo);
      const hosts = same.map((h) => h.name);
      this.info(undefined, 'connect', t`host keys of ${listMsgs(hosts)} come from ${ht.knownHosts}, which is inside the repository ${repo}`);
      const ask = this.opts.ui?.confirmRepoKnownHosts;
      const targets = same.map((h) => ({ name: h.name, address: h.address, port: h.port }));
      answer = ask ? ask({ knownHosts: ht.knownHosts, repository: repo, hosts, targets }).catch(() => false) : Promise.resolve(false);
      this.repoKnownHosts.set(ht.knownHosts, answer);
    }
    if (!(await answer)) {
      throw new DeployError(ht.name, 'connect',
        t`the host keys would come from ${ht.knownHosts}, a known_hosts inside the repository ${repo}; whoever wrote the repository chose them, so it is not trusted silently: check its keys, then run again with --trust-repo-known-hosts (or name a known_hosts outside the repository)`, 'host-key-source');
    }
  }

  async connectOne(ht: HostTarget): Promise<RemoteHost> {
    return this.step(ht.name, 'connect', async () => {
      await this.checkKnownHostsSource(ht);
      const conn = await SshConnection.open(ht, { creds: this.creds, timeoutMs: this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs, signal: this.opts.signal });
      const r = new RemoteHost(ht, conn);
      this.remotes.set(ht.name, r);
      return r;
    }, () => `${ht.user}@${ht.address}:${ht.port}`);
  }

  /**
   * Connects to every host (parallel, bounded) and runs the preflight. Every host is tried;
   * the first failure (in file order) is thrown, naming all hosts that failed.
   */
  async connectAll(hosts: HostTarget[]): Promise<void> {
    const failures = new Map<string, DeployError>();
    await boundedEach(hosts, 8, async (ht) => {
      try {
        const r = await this.connectOne(ht);
        await this.preflightOne(r);
      } catch (e) {
        failures.set(ht.name, e as DeployError);
      }
    }, () => this.cancelled);
    this.checkCancel(undefined, 'connect');
    const first = hosts.find((h) => failures.has(h.name));
    if (first) {
      const err = failures.get(first.name)!;
      if (failures.size > 1 && err instanceof DeployError) {
        const others = listMsgs(hosts.filter((h) => h !== first && failures.has(h.name)).map((h) => t`${h.name} (${STEP_WORDS[failures.get(h.name)!.step]})`));
        throw new DeployError(err.host, err.step, t`${err.reasonWords} (also failed: ${others})`, err.code);
      }
      throw err;
    }
  }

  async preflightOne(r: RemoteHost): Promise<void> {
    const ht = r.target;
    await this.step(ht.name, 'preflight', async () => {
      const p = await preflight(r, requiredTools(ht.role, this.target.ha), this.commandTimeout);
      if (p.missingTools.length) throw new DeployError(ht.name, 'preflight', t`missing tools: ${listMsgs(p.missingTools)}`);
      const mismatch = osMismatch(ht.os, p.os);
      if (mismatch && !ht.skipOsCheck) throw new DeployError(ht.name, 'preflight', t`${mismatch} (use --skip-os-check to deploy anyway)`);
      return { p, mismatch };
    }, ({ p, mismatch }) => {
      const who = p.viaSudo ? t`${p.user} via sudo -n` : t`root`;
      const os = `${p.os.id} ${p.os.versionId}`;
      if (!mismatch) return t`${who}, ${os}`;
      return ht.skipOsCheck && this.target.kind === 'lab' ? t`${who}, ${os} (OS check skipped: lab target: ${mismatch})` : t`${who}, ${os} (OS check skipped: ${mismatch})`;
    });
  }

  /** Locks every host one after the other in address order (two deploys cannot both win). */
  async lockAll(hosts: HostTarget[]): Promise<void> {
    const sorted = [...hosts].sort((a, b) => addrKey(a.address) - addrKey(b.address) || a.port - b.port);
    for (const ht of sorted) {
      this.checkCancel(ht.name, 'lock');
      await this.step(ht.name, 'lock', async () => {
        const o = await acquireLock(this.remote(ht.name), this.lockIdentity, this.opts.lockStaleMs ?? DEFAULTS.lockStaleMs, this.commandTimeout);
        this.locked.add(ht.name);
        return o;
      }, (o) => (o.brokeStale ? t`broke a stale lock: ${o.brokeStale}` : undefined));
    }
  }

  /** Releases every lock this run holds, all hosts at once (release order does not matter). */
  async unlockAll(): Promise<void> {
    await Promise.all([...this.locked].map(async (name) => {
      const r = this.remotes.get(name);
      if (!r || !r.conn.alive) {
        this.info(name, 'unlock', t`connection gone: the lock is left and will be seen as stale by the next deploy`);
        return;
      }
      try {
        await this.step(name, 'unlock', () => releaseLock(r, this.runId, this.lockToken, this.commandTimeout), (ok) => (ok ? undefined : t`the lock was no longer ours`));
        this.locked.delete(name);
      } catch { /* reported by step() */ }
    }));
  }

  /** Makes sure the host is reachable again (for rollback): reconnect, preflight, re-lock. */
  async ensureConnected(name: string): Promise<RemoteHost> {
    const existing = this.remotes.get(name);
    if (existing && existing.conn.alive) return existing;
    const ht = this.target.hosts.find((h) => h.name === name)!;
    const deadline = Date.now() + (this.opts.reconnectTimeoutMs ?? DEFAULTS.reconnectTimeoutMs);
    let last: unknown;
    let attempt = 0;
    while (Date.now() < deadline) {
      attempt++;
      try {
        const conn = await SshConnection.open(ht, { creds: this.creds, timeoutMs: Math.min(this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs, Math.max(5000, deadline - Date.now())) });
        const r = new RemoteHost(ht, conn);
        r.sudo = existing?.sudo ?? '';
        if (!existing) await preflight(r, requiredTools(ht.role, this.target.ha), this.commandTimeout);
        this.remotes.set(name, r);
        if (this.locked.has(name)) await acquireLock(r, this.lockIdentity, this.opts.lockStaleMs ?? DEFAULTS.lockStaleMs, this.commandTimeout);
        this.info(name, 'connect', t`reconnected (attempt ${attempt})`);
        return r;
      } catch (e) {
        last = e;
        if (e instanceof ConnectError && (e.kind === 'host-key-changed' || e.kind === 'host-key-other-type' || e.kind === 'host-key-revoked' || e.kind === 'auth')) break;
        await new Promise((res) => setTimeout(res, 2000));
      }
    }
    throw new DeployError(name, 'connect', t`cannot reach the host again for the rollback: ${wordsOf(last)}`);
  }

  closeAll(): void {
    for (const r of this.remotes.values()) r.conn.close();
  }
}

/** A detail in English (journal, event channel) and as a message (the CLI's reader). */
function details(w: Words): { detail: string; detailWords: ReturnType<typeof asMsg> } {
  const m = asMsg(w);
  return { detail: english(m), detailWords: m };
}

function addrKey(a: string): number {
  return a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
