// P8 (README, Benchmarks): the live status engine on a 22-host lab (examples/bench-p4.lvs: a
// keepalived pair and 20 real servers, deployed), with `lvsdr status --watch --json` run in the
// lab's client namespace like every lab command:
//   refresh   the wall time of one refresh over the persistent connections (the snapshot's `ms`,
//             the first refresh, which connects, left out): median and max (goal ≤ 500 ms);
//   CPU       the master director's CPU spent on status at the 2 s default: its /proc/stat busy
//             time over a window with status running minus a window without (goal ≤ 1 %). A
//             user-mode-Linux guest counts as busy the time its process waits for the host's CPU,
//             so on a loaded machine that figure grows with the load; the host's own account of
//             the director's UML processes (their CPU time, read from the host's /proc) is
//             printed beside it and does not.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { clientHost, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { LiveSnapshot } from '../../server/protocol/live-snapshot';
import { labUnavailable } from '../lab/helpers';

const STATE_DIR = '/var/lib/lvsdr/bench-p8';
const WINDOW_S = Number(process.env.LVS_BENCH_P8_WINDOW_S ?? 30);

async function busyJiffies(state: LabState, host: string): Promise<{ busy: number; total: number }> {
  const r = await execOnHost(state, host, ['cat', '/proc/stat'], { timeoutMs: 30_000 });
  const f = r.stdout.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU ticks the host spent on a process tree: each live process's own and its reaped children's. */
function hostTreeTicks(root: number): number {
  const stats = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at state.
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      return [{ pid: Number(d), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) }];
    } catch {
      return [];
    }
  });
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of stats) {
      if (tree.has(p.pid) || !tree.has(p.ppid)) continue;
      tree.add(p.pid);
      grew = true;
    }
  }
  return stats.filter((p) => tree.has(p.pid)).reduce((a, p) => a + p.ticks, 0);
}

/** The director's CPU over a window: as its guest kernel counts it, and as the host does (% of one core). */
async function cpuPercent(state: LabState, host: string, seconds: number): Promise<{ guest: number; host: number }> {
  const pid = state.hosts.find((h) => h.name === host)?.pid;
  if (!pid) throw new Error(`no UML pid for ${host}`);
  const tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const a = await busyJiffies(state, host);
  const h0 = hostTreeTicks(pid);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = await busyJiffies(state, host);
  const h1 = hostTreeTicks(pid);
  return { guest: (100 * (b.busy - a.busy)) / Math.max(1, b.total - a.total), host: (100 * (h1 - h0)) / tick / ((Date.now() - t0) / 1000) };
}

export async function run(): Promise<void> {
  if (process.env.LVS_BENCH_SKIP_P8 === '1') return void console.log('P8 live status: skipped: LVS_BENCH_SKIP_P8=1');
  const why = labUnavailable();
  if (why) return void console.log(`P8 live status: skipped: ${why}`);
  const saved = process.env.LVSDR_LAB_DIR;
  process.env.LVSDR_LAB_DIR = STATE_DIR;
  const stale = readState(STATE_DIR);
  if (stale) await labDown(stale);
  const work = mkdtempSync(join(tmpdir(), 'lvsdr-p8-'));
  const lvs = join(work, 'bench.lvs');
  writeFileSync(lvs, readFileSync('examples/bench-p4.lvs', 'utf8'));
  let state: LabState | undefined;
  const env = { ...process.env, LVSDR_LAB_DIR: STATE_DIR, LVS_SECRET_VRRP_WEB: 'benchpass' };
  const cli = resolve('dist/server/cli.js');
  try {
    state = await labUp('examples/bench-p4.lvs', { log: () => undefined });
    const ns = clientHost(state).ns;
    const d = spawnSync('ip', ['netns', 'exec', ns, process.execPath, cli, 'deploy', lvs, '--target', 'lab', '--yes', '--no-probe'], { env, encoding: 'utf8' });
    if (d.status !== 0) throw new Error(`deploy failed: ${d.stderr.slice(-500)}`);
    const idle = await cpuPercent(state, 'lvs1', WINDOW_S);
    const snaps: LiveSnapshot[] = [];
    const watcher = spawn('ip', ['netns', 'exec', ns, process.execPath, cli, 'status', lvs, '--target', 'lab', '--json', '--watch', '--interval', '2'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let partial = '';
    watcher.stdout!.on('data', (b: Buffer) => {
      const lines = (partial + b.toString()).split('\n');
      partial = lines.pop()!;
      for (const l of lines) snaps.push(JSON.parse(l) as LiveSnapshot);
    });
    for (let i = 0; i < 600 && snaps.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    const busy = await cpuPercent(state, 'lvs1', WINDOW_S);
    watcher.kill('SIGTERM');
    const ms = snaps.slice(1).map((s) => s.ms).sort((a, b) => a - b);
    const hosts = snaps[0] ? snaps[0].directors.length + snaps[0].realServers.length : 0;
    const reachable = snaps.length ? snaps[snaps.length - 1].directors.concat().filter((x) => x.reachable).length : 0;
    const median = ms[Math.floor(ms.length / 2)] ?? NaN;
    console.log(`P8 live status, ${hosts}-host lab (${reachable} directors answering), ${ms.length} refreshes: one refresh median ${median} ms, max ${ms[ms.length - 1]} ms (goal ≤ 500 ms); ` +
      `director CPU for status at 2 s: ${(busy.guest - idle.guest).toFixed(2)} % as the director counts it (${busy.guest.toFixed(2)} % with status, ${idle.guest.toFixed(2)} % without), ` +
      `${(busy.host - idle.host).toFixed(2)} % of a core as the host counts the director's UML (${busy.host.toFixed(2)} % with, ${idle.host.toFixed(2)} % without); ${WINDOW_S} s windows, load average ${loadavg()[0].toFixed(1)}; goal ≤ 1 %`);
  } catch (e) {
    console.log(`P8 live status: failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    if (state) await labDown(readState(STATE_DIR) ?? state);
    rmSync(STATE_DIR, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    if (saved === undefined) delete process.env.LVSDR_LAB_DIR;
    else process.env.LVSDR_LAB_DIR = saved;
  }
}
