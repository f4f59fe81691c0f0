// Operator actions on the running cluster, over the status engine's connections:
//   drain     the real server's weight 0 on every director's IPVS (recorded on each director as
//             a runtime override first), then wait until its active connections reach 0;
//   restore   the file's weights again, the override record removed;
//   failover  keepalived stopped on the VIP holder (the backup takes over at once: a stopping
//             keepalived sends a priority-0 advertisement), started again (it preempts back),
//             with a request loop through the VIP measuring the gap a client sees.
// A drain survives a keepalived reload: keepalived changes a real server's live weight only
// when its configured weight changed (or its health check changes state); the record on the
// directors keeps it visible as drift (LVS510) either way.
import { request } from 'node:http';
import { serviceKey } from '../generate/spec';
import { STATE_DIR } from '../generate';
import { KEEPALIVED_CONF } from '../generate/keepalived';
import { FN_KEEPALIVED_PID, FN_SYSTEMD } from '../generate/shell';
import { activeConnections, setWeights } from '../deploy/drain';
import { failureText, RemoteHost } from '../deploy/remote';
import { sq } from '../shared/shell-quote';
import { listMsgs, Msg, t } from '../shared/l10n/message';
import { MessageError } from '../shared/l10n/message-error';
import { LiveStatus } from './engine';
import { OVERRIDES_FILE } from './read-scripts';

/** A progress line for the person running the action. */
export type Report = (line: Msg) => void;

function itemsFor(live: LiveStatus, server: string, weight: (fileWeight: number) => number) {
  const s = live.spec.servers.find((x) => x.name === server);
  if (!s) throw new MessageError(t`no real server ${server} in cluster ${live.spec.name} (real servers: ${listMsgs(live.spec.servers.map((x) => x.name))})`);
  const items = live.spec.services.flatMap((svc) => svc.reals.filter((r) => r.name === server)
    .map((r) => ({ key: serviceKey(svc), real: `${r.address}:${r.port}`, weight: weight(r.weight), service: svc.name })));
  if (items.length === 0) throw new MessageError(t`${server} is in no service`);
  return { server: s, items };
}

/** Refuses a name that is not a real server of a service of the cluster (before anything is previewed or touched). */
export function requireRealServer(live: LiveStatus, server: string): void {
  itemsFor(live, server, (w) => w);
}

/** Every director, connected; refuses when one does not answer (a drain on half the pair is no drain). */
async function directors(live: LiveStatus): Promise<RemoteHost[]> {
  return Promise.all(live.spec.directors.map((d) => live.connected(d.name)));
}

/** Replaces the server's line of the override record (or removes it when `line` is undefined). */
function overrideScript(server: string, line: string | undefined): string {
  return [
    `mkdir -p ${sq(STATE_DIR)}`,
    `f=${sq(OVERRIDES_FILE)}`,
    'tmp="$f.tmp.$$"',
    `if [ -f "$f" ]; then grep -v -- ${sq(`^drain ${server} `)} "$f" >"$tmp" || true; else : >"$tmp"; fi`,
    ...(line ? [`printf '%s\\n' ${sq(line)} >>"$tmp"`] : []),
    'if [ -s "$tmp" ]; then mv -f "$tmp" "$f"; else rm -f "$tmp" "$f"; fi',
  ].join('\n');
}

async function run(h: RemoteHost, script: string, what: Msg): Promise<string> {
  const r = await h.run(script, 30_000);
  if (r.code !== 0) throw new MessageError(t`${h.name}: ${what}: ${failureText(r)}`);
  return r.stdout;
}

export interface DrainResult {
  /** Active connections left when the wait ended (0: drained). */
  active: number;
  ms: number;
}

export async function drain(live: LiveStatus, server: string, opts: { timeoutMs: number; wait: boolean; report: Report; signal?: AbortSignal }): Promise<DrainResult> {
  const t0 = Date.now();
  const { server: s, items } = itemsFor(live, server, () => 0);
  const hosts = await directors(live);
  const since = new Date().toISOString();
  for (const h of hosts) await run(h, overrideScript(s.name, `drain ${s.name} ${s.address} ${since}`), t`recording the drain`);
  for (const h of hosts) {
    await setWeights(h, items);
    opts.report(t`${h.name}: weight 0 for ${s.name} in ${listMsgs([...new Set(items.map((i) => i.service))])}`);
  }
  let active = 0;
  if (!opts.wait) return { active: -1, ms: Date.now() - t0 };
  for (;;) {
    const counts = await Promise.all(hosts.map((h) => activeConnections(h, items)));
    active = counts.reduce((n, m) => n + items.reduce((k, i) => k + (m.get(`${i.key} ${i.real}`) ?? 0), 0), 0);
    const waited = Date.now() - t0;
    const seconds = (waited / 1000).toFixed(0);
    opts.report(active === 1 ? t`${s.name}: 1 active connection after ${seconds} s` : t`${s.name}: ${active} active connections after ${seconds} s`);
    if (active === 0 || waited >= opts.timeoutMs || opts.signal?.aborted) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { active, ms: Date.now() - t0 };
}

export async function restore(live: LiveStatus, server: string, report: Report): Promise<void> {
  const { server: s, items } = itemsFor(live, server, (w) => w);
  const hosts = await directors(live);
  for (const h of hosts) {
    await setWeights(h, items);
    await run(h, overrideScript(s.name, undefined), t`clearing the drain record`);
    report(t`${h.name}: ${s.name} back to the file's weight (${listMsgs(items.map((i) => `${i.service} ${i.weight}`))})`);
  }
}

// Stopping waits until keepalived has exited: a start right after a TERM would otherwise find
// the exiting process still running and do nothing, so the VIPs would never come back.
const STOP_KEEPALIVED = [FN_SYSTEMD, FN_KEEPALIVED_PID,
  'if systemd_running && systemctl is-active --quiet keepalived; then systemctl stop keepalived; else kill -TERM "$(keepalived_pid)"; fi',
  'tries=0',
  'while keepalived_pid >/dev/null; do',
  '  tries=$((tries + 1))',
  '  if [ "$tries" -gt 100 ]; then echo "keepalived still running 20 s after it was told to stop" >&2; exit 1; fi',
  '  sleep 0.2',
  'done'].join('\n');
const START_KEEPALIVED = [FN_SYSTEMD, FN_KEEPALIVED_PID,
  'if keepalived_pid >/dev/null; then exit 0; fi',
  `if systemd_running; then systemctl start keepalived; else keepalived -f ${sq(KEEPALIVED_CONF)}; fi`].join('\n');

/** One HTTP GET with a short timeout: true when it answered. */
function probeOnce(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((done) => {
    const req = request(url, { timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(true));
      res.on('error', () => done(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.end();
  });
}

/** Requests in a loop; the gap is the longest time between two answered requests. */
class GapMeter {
  private last = 0;
  private stopped = false;
  private readonly loop: Promise<void>;
  maxGapMs = 0;
  answered = 0;
  failed = 0;
  constructor(private readonly url: string) {
    this.last = Date.now();
    this.loop = (async () => {
      while (!this.stopped) {
        const ok = await probeOnce(this.url, 400);
        const now = Date.now();
        if (ok) {
          this.maxGapMs = Math.max(this.maxGapMs, now - this.last);
          this.last = now;
          this.answered++;
        } else this.failed++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
  }
  /** Starts a new measurement window. */
  reset(): void {
    this.maxGapMs = 0;
    this.last = Date.now();
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

export interface FailoverResult {
  from: string;
  to: string;
  /** Longest time without an answer through the VIP while the VIPs moved over, and back. */
  gapOverMs?: number;
  gapBackMs?: number;
  overMs: number;
  backMs?: number;
  probe?: string;
}

async function waitFor(what: Msg, timeoutMs: number, test: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await test()) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new MessageError(t`${what}: not within ${(timeoutMs / 1000).toFixed(0)} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function holds(h: RemoteHost, vips: string[]): Promise<boolean> {
  const out = await run(h, 'ip -o addr show', t`reading addresses`);
  return vips.every((v) => out.includes(` ${v}/`));
}

export async function failover(live: LiveStatus, opts: { back: boolean; probe?: string; report: Report }): Promise<FailoverResult> {
  if (!live.spec.ha || live.spec.directors.length < 2) throw new MessageError(t`cluster ${live.spec.name} has no director pair with keepalived (ha): there is nothing to fail over to`);
  const snap = await live.refresh();
  const bad = snap.directors.filter((d) => !d.reachable || !d.keepalived);
  if (bad.length) throw new MessageError(t`not ready (unreachable or keepalived down): ${listMsgs(bad.map((d) => d.name))}; refused, the VIPs would have nowhere to go`);
  const vips = live.spec.vips.map((v) => v.address);
  const holder = snap.directors.find((d) => vips.every((v) => d.vips.includes(v)));
  if (!holder) throw new MessageError(t`no director holds every VIP now: refused (see \`lvsdr status\`)`);
  const other = snap.directors.find((d) => d !== holder)!;
  const [from, to] = [await live.connected(holder.name), await live.connected(other.name)];
  const probe = opts.probe ?? live.target.probes[0]?.url;
  const meter = probe ? new GapMeter(probe) : undefined;
  try {
    if (meter) await new Promise((r) => setTimeout(r, 300));
    meter?.reset();
    opts.report(t`stopping keepalived on ${from.name} (the VIPs go to ${to.name})`);
    const t0 = Date.now();
    await run(from, STOP_KEEPALIVED, t`stopping keepalived`);
    await waitFor(t`${to.name} taking ${listMsgs(vips)}`, 20_000, () => holds(to, vips));
    const overMs = Date.now() - t0;
    if (meter) await waitFor(t`an answer through the VIP`, 10_000, () => probeOnce(probe!, 1000));
    const res: FailoverResult = { from: from.name, to: to.name, overMs, gapOverMs: meter?.maxGapMs, probe };
    const over = (overMs / 1000).toFixed(1);
    opts.report(meter ? t`${to.name} holds the VIPs after ${over} s; longest gap seen by a client ${meter.maxGapMs} ms` : t`${to.name} holds the VIPs after ${over} s`);
    if (!opts.back) return res;
    meter?.reset();
    opts.report(t`starting keepalived on ${from.name} again (it takes the VIPs back)`);
    const t1 = Date.now();
    await run(from, START_KEEPALIVED, t`starting keepalived`);
    await waitFor(t`${from.name} taking the VIPs back`, 30_000, async () => (await holds(from, vips)) && !(await holds(to, vips)));
    res.backMs = Date.now() - t1;
    if (meter) {
      await new Promise((r) => setTimeout(r, 500));
      res.gapBackMs = meter.maxGapMs;
    }
    const back = (res.backMs / 1000).toFixed(1);
    opts.report(meter ? t`${from.name} holds the VIPs again after ${back} s; longest gap ${res.gapBackMs ?? 0} ms` : t`${from.name} holds the VIPs again after ${back} s`);
    return res;
  } finally {
    await meter?.stop();
  }
}
