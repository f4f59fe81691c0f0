// The live status engine: one persistent SSH connection per host (the deploy engine's connect,
// with its host-key rules) holding one long-lived read-only reader (read-scripts.ts) that
// answers one request per refresh; the replies are parsed and assembled into a LiveSnapshot. A
// host that fails is retried with a growing delay and shown unreachable meanwhile, never healthy. No `vscode` here: the CLI drives it, VS Code reads the
// CLI's JSON lines.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { specifyCluster, ClusterSpec } from '../generate/spec';
import { validateText } from '../validation/registry';
import { Session } from '../deploy/session';
import { preflight } from '../deploy/preflight';
import { wordsOf } from '../deploy/errors';
import { isMsg, Msg, t } from '../shared/l10n/message';
import { MessageError } from '../shared/l10n/message-error';
import type { RemoteHost } from '../deploy/remote';
import type { ClusterTarget, DeployUi, HostTarget } from '../deploy/types';
import type { LiveSnapshot } from '../protocol/live-snapshot';
import type { Locale } from '../shared/l10n/locale';
import { assemble, HostReading, LiveHistory, newHistory } from './assemble';
import { directorLoopScript, readerCommand, realServerLoopScript } from './read-scripts';
import { LoopReader } from './loop-reader';
import { applyRates, DirectorRead, parseDirectorRead } from './parse-director';
import { parseRealServerRead, RealServerRead } from './parse-real-server';

export const LIVE_DEFAULTS = {
  intervalMs: 2000,
  connectTimeoutMs: 30_000,
  readTimeoutMs: 5000,
  /** The IPVS timeouts change rarely: read every this many refreshes. */
  timeoutsEvery: 15,
  /** `ipvsadm --rate` costs a director more CPU than the rest of a refresh: every this many. */
  ratesEvery: 10,
  /**
   * A real server's listening sockets (`ss`, a program start) change rarely: read every this
   * many refreshes, the real servers in turn (a fifth of them on each refresh).
   */
  listenEvery: 5,
  maxBackoffMs: 60_000,
};

/** Set before a reader's loop: a known PATH and locale, nothing inherited from the login. */
const READER_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; LC_ALL=C; export PATH LC_ALL; umask 022; cd /';

export interface LiveOptions {
  ui?: DeployUi;
  intervalMs?: number;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  /** The language of the findings' messageLocalized (the CLI's reader's). */
  locale?: Locale;
}

interface HostLink {
  t: HostTarget;
  remote?: RemoteHost;
  connecting?: Promise<void>;
  failures: number;
  nextTryAt: number;
  lastError?: Msg;
  /** The host's long-lived reader on its connection (read-scripts.ts). */
  reader?: LoopReader;
  /** The last rates and VRRP dump read (refreshes in between reuse them). */
  rates?: DirectorRead['rates'];
  vrrp?: DirectorRead['vrrp'];
  /** A real server's listening sockets as last read (refreshes in between reuse them). */
  listening?: Set<string>;
  /** Which refreshes read this real server's listening sockets: the host's place in the cluster. */
  turn: number;
  reads: number;
}

/** The cluster's spec as the generators see it, from the target's file (validated by resolveTarget). */
export function specOf(target: ClusterTarget): ClusterSpec {
  const result = validateText(readFileSync(target.file, 'utf8'));
  const model = result.model.clusters.find((c) => c.cluster.name.text === target.cluster);
  if (!model) throw new Error(`no cluster ${target.cluster} in ${target.file}`);
  return specifyCluster(model, basename(target.file));
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

export class LiveStatus {
  readonly spec: ClusterSpec;
  readonly session: Session;
  private readonly links = new Map<string, HostLink>();
  private readonly history: LiveHistory = newHistory();
  private readonly timeouts = new Map<string, NonNullable<DirectorRead['timeouts']>>();
  private closed = false;

  constructor(readonly target: ClusterTarget, private readonly opts: LiveOptions = {}) {
    this.spec = specOf(target);
    this.session = new Session(target, { ui: opts.ui, connectTimeoutMs: opts.connectTimeoutMs ?? LIVE_DEFAULTS.connectTimeoutMs }, `live-${randomBytes(3).toString('hex')}`);
    target.hosts.forEach((t, turn) => this.links.set(t.name, { t, failures: 0, nextTryAt: 0, reads: 0, turn }));
  }

  private get interval(): number {
    return this.opts.intervalMs ?? LIVE_DEFAULTS.intervalMs;
  }

  /** The connected host, for actions (drain, failover) that share the status connections. */
  async connected(name: string): Promise<RemoteHost> {
    const l = this.links.get(name);
    if (!l) throw new MessageError(t`no host ${name} in cluster ${this.target.cluster}`);
    if (!l.remote?.conn.alive) {
      l.nextTryAt = 0;
      await this.connect(l);
    }
    if (!l.remote?.conn.alive) throw new MessageError(t`${name} (${l.t.address}) does not answer: ${l.lastError ?? t`not connected`}`);
    return l.remote;
  }

  private connect(l: HostLink): Promise<void> {
    l.connecting ??= (async () => {
      try {
        const r = await this.session.connectOne(l.t);
        await preflight(r, [], this.opts.readTimeoutMs ?? LIVE_DEFAULTS.readTimeoutMs * 4);
        if (this.closed) r.conn.close();
        const script = l.t.role === 'server' ? realServerLoopScript() : directorLoopScript();
        l.reader = new LoopReader(await r.conn.openChannel(`${r.sudo}${readerCommand(script, READER_ENV)}`));
        l.remote = r;
        l.lastError = undefined;
      } catch (e) {
        this.failed(l, e);
      } finally {
        l.connecting = undefined;
      }
    })();
    return l.connecting;
  }

  private failed(l: HostLink, e: unknown): void {
    l.failures++;
    l.lastError = isMsg(e) ? e : wordsOf(e);
    l.nextTryAt = Date.now() + Math.min(this.interval * 2 ** Math.min(l.failures, 10), LIVE_DEFAULTS.maxBackoffMs);
    l.reader?.close();
    l.reader = undefined;
    l.remote?.conn.close();
    l.remote = undefined;
    l.listening = undefined;
  }

  /** One host's read; on the first refresh it waits for the connection, later it never blocks on one. */
  private async read(l: HostLink, first: boolean): Promise<{ out?: string; error?: Msg }> {
    if (!l.remote?.conn.alive || !l.reader?.alive) {
      if (l.remote) this.failed(l, t`the connection dropped`);
      if (Date.now() < l.nextTryAt) return { error: t`${l.lastError ?? t`no answer`} (retrying in ${Math.ceil((l.nextTryAt - Date.now()) / 1000)} s)` };
      const c = this.connect(l);
      if (first) await c;
      else await Promise.race([c, delay(Math.min(this.interval, 1000))]);
      if (!l.remote) return { error: l.connecting ? t`connecting` : l.lastError ?? t`no answer` };
    }
    // The first request also waits for the reader to start (its shell and `keepalived --signum`,
    // each a program start: seconds on a loaded user-mode-Linux director, as preflight allows).
    const timeoutMs = (this.opts.readTimeoutMs ?? LIVE_DEFAULTS.readTimeoutMs) * (l.reader!.answered === 0 ? 4 : 1);
    try {
      const out = await l.reader!.request(this.requestWords(l).join(' '), timeoutMs);
      l.reads++;
      l.failures = 0;
      return { out };
    } catch (e) {
      this.failed(l, e);
      return { error: l.lastError };
    }
  }

  /**
   * What a host's reader is asked (read-scripts.ts). A director: rates and timeouts every few
   * refreshes, read at once on a reader's first request, later after the reply (`later`: they
   * come with the next one, so no refresh waits for ipvsadm). A real server: its listening
   * sockets when none are known, else on its turn.
   */
  private requestWords(l: HostLink): string[] {
    if (l.t.role === 'server') {
      return ['read', ...(!l.listening || (l.reads + l.turn) % LIVE_DEFAULTS.listenEvery === 0 ? ['listen'] : [])];
    }
    return ['read', ...(l.reader!.answered > 0 ? ['later'] : []),
      ...(l.reads % LIVE_DEFAULTS.ratesEvery === 0 ? ['rates'] : []), ...(l.reads % LIVE_DEFAULTS.timeoutsEvery === 0 ? ['timeouts'] : [])];
  }

  async refresh(): Promise<LiveSnapshot> {
    const t0 = Date.now();
    const first = this.history.refreshes === 0;
    const hosts = [...this.links.values()];
    const outs = await Promise.all(hosts.map((l) => this.read(l, first)));
    const byName = new Map(hosts.map((l, i) => [l.t.name, { l, ...outs[i] }]));
    const directors: HostReading<DirectorRead>[] = this.spec.directors.map((d) => {
      const x = byName.get(d.name);
      if (!x?.out) return { name: d.name, address: d.address, error: x?.error };
      const read = parseDirectorRead(x.out);
      if (read.timeouts) this.timeouts.set(d.name, read.timeouts);
      // Rates are read every few refreshes, and a dump caught while keepalived wrote it is no
      // dump: the last ones stand in (the VIPs held, read every time, still decide the state).
      if (read.rates) x.l.rates = read.rates;
      else if (x.l.rates) applyRates(read, x.l.rates);
      if (read.vrrp) x.l.vrrp = read.vrrp;
      else if (read.keepalivedPid !== undefined) read.vrrp = x.l.vrrp;
      return { name: d.name, address: d.address, read };
    });
    const servers: HostReading<RealServerRead>[] = this.spec.servers.map((s) => {
      const x = byName.get(s.name);
      if (!x?.out) return { name: s.name, address: s.address, error: x?.error };
      const read = parseRealServerRead(x.out);
      if (read.listening) x.l.listening = read.listening;
      else read.listening = x.l.listening;
      return { name: s.name, address: s.address, read };
    });
    return assemble({ spec: this.spec, target: this.target.kind, at: t0, ms: Date.now() - t0, directors, servers, timeouts: this.timeouts, locale: this.opts.locale }, this.history);
  }

  close(): void {
    this.closed = true;
    for (const l of this.links.values()) {
      l.reader?.close();
      l.remote?.conn.close();
    }
  }
}
