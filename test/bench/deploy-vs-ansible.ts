// P4 (README, Benchmarks): `lvsdr deploy` to a lab of 20 real servers and 2 directors
// (examples/bench-p4.lvs: keepalived master/backup) against an Ansible playbook (Debian's
// `ansible`) that puts the same generated files on the same lab and runs the same scripts.
//
// For each tool, on a lab of its own, freshly brought up (so both start from the same state):
//   fresh  the tool's wall time from start to exit, hosts without any deployed file;
//   rerun  the same command again right away: nothing to change.
// Both run inside the lab's client namespace (no default route), as test/deploy/lab-deploy.test.ts
// runs the CLI: `ip netns exec <client> node dist/server/cli.js deploy FILE --target lab --yes`
// and `ip netns exec <client> ansible-playbook site.yml` (project written by ansible-playbook.ts
// from the files the deploy engine generates, with the same secret).
// Checked after every run, outside the timed part, so the numbers are honest:
//   fresh  exit 0; every host reported changed (journal / PLAY RECAP); every generated file on
//          every host has the generated sha256 and mode; 20 requests through the VIP from the
//          client are all answered by real servers;
//   rerun  exit 0; no change reported (journal `no-change` / changed=0 everywhere); every file
//          (sha256, mode, mtime), the addresses and keepalived's PID exactly as after the fresh run.
//
// The lab uses its own state directory (/var/lib/lvsdr/bench-p4) and is torn down in every case
// (error, SIGINT, SIGTERM). Skipped with one line when the lab or ansible-playbook cannot run.
// The CLI is copied to out/bench/p4-cli/ when P4 starts, and the Ansible tree is written by
// that copy (`lvsdr generate`, same secret): a rebuild of dist/ during the bench cannot make the two
// tools deploy different files, or make a rerun find changes.
// One bench run at a time owns the lab: /var/lib/lvsdr/bench-p4.owner holds its PID; a second run
// while that process lives skips P4 (a lab left by a dead run is taken down first).
// P4 takes about half an hour on a busy 2-core machine (Ansible: ~10 min per run);
// LVS_BENCH_SKIP_P4=1 skips it. LVS_BENCH_P4_RUNS=N repeats the whole measurement N times (default 1; each run brings up two
// labs of 22 hosts). Logs of every tool run: test-artifacts/bench-p4/.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Journal } from '../../server/deploy/journal';
import { resolveTarget } from '../../server/deploy/targets';
import { ClusterTarget } from '../../server/deploy/types';
import { secretEnvName } from '../../server/protocol/secret-env';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { checkPrerequisites, formatPrereqReport } from '../../server/lab/packages';
import { english } from '../../server/shared/l10n/message';
import { findBinary } from '../../server/lab/run';
import { clientHost, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { parseSnapshot, Snapshot, snapshotScript } from '../lab/host-snapshot';
import { AnsibleHost, ansibleProject, parseRecap } from './ansible-playbook';

const LVS_FILE = 'examples/bench-p4.lvs';
const STATE_DIR = '/var/lib/lvsdr/bench-p4';
const OWNER_FILE = `${STATE_DIR}.owner`;
const CLI = 'dist/server/cli.js';
/** The CLI's files (launcher, bundles, code caches), copied for every tool run of this bench. */
const CLI_FILES = /^(cli(-[a-z]+)?\.(js|v8cache)|server\.l10n\.zh-cn\.json)$/;
/** The copy of CLI every tool run of this bench uses (node_modules resolves as from dist/). */
const CLI_COPY = 'out/bench/p4-cli/cli.js';
const SECRET = 'benchp4x';
const FORKS = 25;
const LOG_DIR = 'test-artifacts/bench-p4';
const GOAL_FRESH = 0.2;
const GOAL_RERUN = 0.1;

interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}


/** Why P4 cannot run here, or undefined. */
function unavailable(): string | undefined {
  if (process.platform !== 'linux') return `the lab needs Linux (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'the lab needs root';
  const r = checkPrerequisites();
  if (!r.ok) return english(formatPrereqReport(r)).trim().replace(/\s*\n\s*/g, '; ');
  if (!findBinary('ansible-playbook')) return 'ansible-playbook is not installed (as root: apt-get install -y ansible)';
  if (!existsSync(CLI)) return `${CLI} is missing (npm run build)`;
  return undefined;
}

// ---- The lab, torn down whatever happens.

/** PID of another live process that owns the P4 lab, or undefined. */
function ownerAlive(): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(OWNER_FILE, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  return pid;
}

let current: LabState | undefined;
let tearing: Promise<void> | undefined;
let workDir: string | undefined;

async function teardown(): Promise<void> {
  const s = current;
  current = undefined;
  if (!s) return;
  const r = await labDown(s);
  if (r.leftovers.length) console.error(`P4: lab down left ${r.leftovers.join(', ')}`);
}

async function freshLab(log: (l: string) => void): Promise<LabState> {
  const t = performance.now();
  current = await labUp(LVS_FILE, { log: (l) => log(english(l)) });
  log(`lab ${current.id} up in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return current;
}

function onSignal(signal: NodeJS.Signals): void {
  console.error(`P4: ${signal}: tearing the lab down`);
  tearing ??= teardown().catch((e) => console.error(`P4: lab down failed: ${String(e)}`));
  void tearing.finally(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    rmSync(OWNER_FILE, { force: true });
    process.exit(130);
  });
}

// ---- Running the tools.

/** Runs argv inside the lab's client namespace; the wall time is the child's, start to exit. */
function inClient(state: LabState, argv: string[], opts: { cwd?: string; env?: Record<string, string> }): Promise<ToolRun> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn('ip', ['netns', 'exec', clientHost(state).ns, ...argv], {
      cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', rej);
    child.on('close', (code, sig) => res({ code: code ?? (sig ? 128 : 1), stdout, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

function saveLog(name: string, r: ToolRun): void {
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(join(LOG_DIR, `${name}.log`), `# exit ${r.code}, ${r.seconds.toFixed(2)} s\n# ---- stdout\n${r.stdout}\n# ---- stderr\n${r.stderr}`);
}

function check(ok: boolean, what: string, r?: ToolRun): void {
  if (!ok) throw new Error(`P4: ${what}${r ? `\n${(r.stdout + r.stderr).trim().split('\n').slice(-15).join('\n')}` : ''}`);
}

// ---- What is on the hosts.

async function on(state: LabState, host: string, script: string): Promise<string> {
  const r = await execOnHost(state, host, ['sh', '-c', script], { timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`P4: ${host}: ${script.split('\n')[0]}…: exit ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** What `lvsdr generate` wrote: host → its MANIFEST.json entries. */
type Expected = Map<string, Array<{ path: string; mode: string; sha256: string }>>;

function readManifests(clusterDir: string, target: ClusterTarget): Expected {
  const out: Expected = new Map();
  for (const h of target.hosts) {
    const m = JSON.parse(readFileSync(join(clusterDir, h.name, 'MANIFEST.json'), 'utf8')) as { files: Array<{ path: string; mode: string; sha256?: string }> };
    // A file holding a secret (keepalived.conf) has a keyed digest in MANIFEST.json, never a
    // plain sha256: its expected sha256 is the generated file's own.
    out.set(h.name, m.files.map((f) => ({
      ...f,
      sha256: f.sha256 ?? createHash('sha256').update(readFileSync(join(clusterDir, h.name, f.path))).digest('hex'),
    })));
  }
  return out;
}

async function snapshot(state: LabState, target: ClusterTarget, expected: Expected): Promise<Snapshot> {
  const out: Snapshot = {};
  await Promise.all(target.hosts.map(async (h) => {
    const text = await on(state, h.name, snapshotScript(expected.get(h.name)!.map((f) => f.path), [
      'ip -4 -o addr show | awk \'{print $2, $4}\' | sort',
      h.role === 'server' ? ':' : 'echo "keepalived $(cat /run/keepalived.pid 2>/dev/null || echo none)"',
    ]));
    out[h.name] = parseSnapshot(text);
  }));
  return out;
}

/** Every generated file is on its host with the generated bytes and mode. */
function checkFiles(snap: Snapshot, expected: Expected, label: string): void {
  for (const [host, files] of expected) {
    for (const f of files) {
      const got = snap[host]?.files[f.path] ?? 'absent';
      const want = `${f.sha256} ${Number.parseInt(f.mode, 8).toString(8)}`;
      check(got.split(' ').slice(0, 2).join(' ') === want, `${label}: ${host}:${f.path} is "${got}", expected sha256+mode "${want}"`);
    }
  }
}

function sameSnapshot(a: Snapshot, b: Snapshot, label: string): void {
  for (const h of Object.keys(a)) {
    check(JSON.stringify(a[h].files) === JSON.stringify(b[h]?.files), `${label}: files of ${h} changed (sha256, mode or mtime)`);
    check(a[h].runtime === b[h]?.runtime, `${label}: runtime state of ${h} changed:\n${a[h].runtime}\n---\n${b[h]?.runtime}`);
  }
}

/** 20 requests through the VIP from the client, once the VIP answers; all by real servers. */
async function trafficCheck(state: LabState, target: ClusterTarget, label: string): Promise<string> {
  const vip = target.vips[0];
  const servers = new Set(target.hosts.filter((h) => h.role === 'server').map((h) => h.name));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await execOnHost(state, 'client', ['curl', '-s', '--max-time', '3', `http://${vip}/`]);
    if (r.code === 0 && servers.has(r.stdout.trim())) break;
    check(Date.now() < deadline, `${label}: the VIP ${vip} did not answer within 60 s`);
    await new Promise((res) => setTimeout(res, 500));
  }
  const r = await execOnHost(state, 'client', ['sh', '-c', `i=0; while [ $i -lt 20 ]; do curl -s --max-time 5 http://${vip}/ || echo FAILED; echo; i=$((i+1)); done`]);
  const answers = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  check(answers.length === 20 && answers.every((a) => servers.has(a)), `${label}: 20 requests through ${vip}: ${answers.join(' ')}`);
  return `${new Set(answers).size} real servers answered 20 requests`;
}

// ---- lvsdr's own progress lines: where its time goes.

/** `  12.3s web1       upload    done     0.21s  …` → the time (s since start) each phase ended. */
function timeline(stderr: string, target: ClusterTarget): string {
  const role = new Map(target.hosts.map((h) => [h.name, h.role]));
  const end = new Map<string, number>();
  const mark = (k: string, t: number) => end.set(k, Math.max(end.get(k) ?? 0, t));
  for (const line of stderr.split('\n')) {
    const m = /^\s*([\d.]+)s\s+(\S+)\s+(\S+)\s+(done|skipped|info)\b/.exec(line);
    if (!m) continue;
    const [t, host, step] = [Number(m[1]), m[2], m[3]];
    if (step === 'connect' || step === 'preflight') mark('connect+preflight', t);
    else if (step === 'lock') mark('lock (one host after the other)', t);
    else if (step === 'read' || step === 'plan') mark('read+plan', t);
    else if (['backup', 'upload', 'apply', 'verify'].includes(step)) mark(role.get(host) === 'server' ? 'real servers' : `${host} (${role.get(host)})`, t);
    else if (step === 'probe') mark('probe', t);
    else if (step === 'unlock') mark('unlock', t);
  }
  const parts: string[] = [];
  let prev = 0;
  for (const [k, t] of [...end].sort((a, b) => a[1] - b[1])) {
    parts.push(`${k} ${(t - prev).toFixed(1)}`);
    prev = t;
  }
  return parts.join(', ');
}

function lastJournal(dir: string): Journal {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  return JSON.parse(readFileSync(join(dir, names[names.length - 1]), 'utf8')) as Journal;
}

// ---- One measurement of each tool.

interface Measured {
  fresh: number;
  rerun: number;
  notes: string[];
}

/** Shared by every run: the .lvs copy, the generated tree and the environment of the CLI. */
interface Setup {
  work: string;
  lvs: string;
  /** `lvsdr generate` output of the cluster: DIR/<host>/... + MANIFEST.json. */
  clusterDir: string;
  cliEnv: Record<string, string>;
}

/** Copies the CLI and the .lvs file, and writes the generated tree with the CLI copy. */
function prepare(work: string): Setup {
  mkdirSync(dirname(CLI_COPY), { recursive: true });
  for (const f of readdirSync(dirname(CLI)).filter((n) => CLI_FILES.test(n))) copyFileSync(join(dirname(CLI), f), join(dirname(CLI_COPY), f));
  const lvs = join(work, basename(LVS_FILE));
  writeFileSync(lvs, readFileSync(LVS_FILE, 'utf8'));
  const cliEnv = { LVSDR_LAB_DIR: STATE_DIR, [secretEnvName('vrrp-web')]: SECRET };
  const out = join(work, 'generated');
  const g = spawnSync(process.execPath, [resolve(CLI_COPY), 'generate', lvs, '--out', out], { env: { ...process.env, ...cliEnv }, encoding: 'utf8' });
  if (g.status !== 0) throw new Error(`P4: lvsdr generate failed: ${g.stderr}`);
  const cluster = /cluster (\S+):/.exec(g.stdout)?.[1];
  if (!cluster) throw new Error(`P4: lvsdr generate: no cluster in its output: ${g.stdout}`);
  return { work, lvs, clusterDir: join(out, cluster), cliEnv };
}

async function labTarget(setup: Setup): Promise<ClusterTarget> {
  return resolveTarget({ file: setup.lvs, target: 'lab', labDir: STATE_DIR, secrets: () => SECRET });
}

async function measureLvsdr(setup: Setup, n: number, log: (l: string) => void): Promise<Measured> {
  const state = await freshLab(log);
  try {
    const target = await labTarget(setup);
    const expected = readManifests(setup.clusterDir, target);
    const journals = join(dirname(setup.lvs), '.lvs-deploy');
    const argv = [process.execPath, resolve(CLI_COPY), 'deploy', setup.lvs, '--target', 'lab', '--yes'];

    const fresh = await inClient(state, argv, { env: setup.cliEnv });
    saveLog(`run${n}-lvsdr-fresh`, fresh);
    check(fresh.code === 0, `lvsdr fresh deploy exited ${fresh.code}`, fresh);
    const j1 = lastJournal(journals);
    check(j1.outcome === 'success' && j1.hosts.every((h) => h.outcome === 'deployed'), `lvsdr fresh deploy: journal ${j1.outcome}`, fresh);
    const traffic = await trafficCheck(state, target, 'after lvsdr fresh');
    const after = await snapshot(state, target, expected);
    checkFiles(after, expected, 'after lvsdr fresh');

    const rerun = await inClient(state, argv, { env: setup.cliEnv });
    saveLog(`run${n}-lvsdr-rerun`, rerun);
    check(rerun.code === 0, `lvsdr rerun exited ${rerun.code}`, rerun);
    const j2 = lastJournal(journals);
    check(j2.outcome === 'no-change' && j2.hosts.every((h) => h.outcome === 'unchanged'), `lvsdr rerun: journal ${j2.outcome}`, rerun);
    sameSnapshot(after, await snapshot(state, target, expected), 'lvsdr rerun');
    return {
      fresh: fresh.seconds, rerun: rerun.seconds,
      notes: [`lvsdr fresh (${traffic}), s per phase: ${timeline(fresh.stderr, target)}`, `lvsdr rerun, s per phase: ${timeline(rerun.stderr, target)}`],
    };
  } finally {
    await teardown();
  }
}

async function measureAnsible(setup: Setup, n: number, log: (l: string) => void): Promise<Measured> {
  const state = await freshLab(log);
  try {
    const target = await labTarget(setup);
    const expected = readManifests(setup.clusterDir, target);
    const project = join(setup.work, 'ansible');
    rmSync(project, { recursive: true, force: true });
    const hosts: AnsibleHost[] = target.hosts.map((h) => ({ name: h.name, address: h.address, role: h.role }));
    for (const [rel, text] of Object.entries(ansibleProject({
      hosts, filesRoot: setup.clusterDir, privateKey: state.keys.private, knownHosts: state.keys.knownHosts, forks: FORKS,
    }))) {
      mkdirSync(dirname(join(project, rel)), { recursive: true });
      writeFileSync(join(project, rel), text);
    }
    // Ansible's own files (temp files, ControlPersist sockets) stay in the project, not in ~/.ansible.
    const home = join(project, 'home');
    const env = { ANSIBLE_CONFIG: join(project, 'ansible.cfg'), ANSIBLE_HOME: home, ANSIBLE_SSH_CONTROL_PATH_DIR: join(home, 'cp'), ANSIBLE_NOCOLOR: '1' };
    const argv = ['ansible-playbook', 'site.yml'];

    const fresh = await inClient(state, argv, { cwd: project, env });
    saveLog(`run${n}-ansible-fresh`, fresh);
    check(fresh.code === 0, `ansible-playbook (fresh) exited ${fresh.code}`, fresh);
    const recap1 = parseRecap(fresh.stdout);
    check(target.hosts.every((h) => recap1.get(h.name)?.changed && recap1.get(h.name)?.failed === 0), 'ansible fresh: every host changed, none failed', fresh);
    const traffic = await trafficCheck(state, target, 'after ansible fresh');
    const after = await snapshot(state, target, expected);
    checkFiles(after, expected, 'after ansible fresh');

    const rerun = await inClient(state, argv, { cwd: project, env });
    saveLog(`run${n}-ansible-rerun`, rerun);
    check(rerun.code === 0, `ansible-playbook (rerun) exited ${rerun.code}`, rerun);
    const recap2 = parseRecap(rerun.stdout);
    check(target.hosts.every((h) => recap2.get(h.name)?.changed === 0 && recap2.get(h.name)?.failed === 0), 'ansible rerun: changed=0 and failed=0 everywhere', rerun);
    sameSnapshot(after, await snapshot(state, target, expected), 'ansible rerun');
    return { fresh: fresh.seconds, rerun: rerun.seconds, notes: [`ansible fresh: ${traffic}`] };
  } finally {
    await teardown();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function line(l: Measured, a: Measured, suffix = ''): string {
  const rf = l.fresh / a.fresh;
  const rr = l.rerun / a.rerun;
  return `P4 deploy 20 real servers + 2 directors${suffix}: fresh lvsdr ${l.fresh.toFixed(1)} s | ansible ${a.fresh.toFixed(1)} s | ratio ${rf.toFixed(2)} (goal ≤ ${GOAL_FRESH}); ` +
    `rerun lvsdr ${l.rerun.toFixed(1)} s | ansible ${a.rerun.toFixed(1)} s | ratio ${rr.toFixed(2)} (goal ≤ ${GOAL_RERUN})`;
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}

export async function run(): Promise<void> {
  if (process.env.LVS_BENCH_SKIP_P4 === '1') {
    console.log('P4 deploy vs Ansible: skipped: LVS_BENCH_SKIP_P4=1');
    return;
  }
  const why = unavailable();
  if (why) {
    console.log(`P4 deploy vs Ansible: skipped: ${why}`);
    return;
  }
  const owner = ownerAlive();
  if (owner) {
    console.log(`P4 deploy vs Ansible: skipped: another bench run (PID ${owner}) is using the P4 lab in ${STATE_DIR}`);
    return;
  }
  mkdirSync(dirname(OWNER_FILE), { recursive: true, mode: 0o700 });
  writeFileSync(OWNER_FILE, `${process.pid}\n`);
  const savedDir = process.env.LVSDR_LAB_DIR;
  process.env.LVSDR_LAB_DIR = STATE_DIR;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const work = mkdtempSync(join(tmpdir(), 'lvsdr-p4-'));
  workDir = work;
  const verbose = process.env.LVS_BENCH_P4_VERBOSE === '1';
  const log = (l: string) => { if (verbose) console.log(`  P4: ${l}`); };
  try {
    const stale = readState(STATE_DIR);
    if (stale) {
      console.log(`P4: a lab of an earlier bench run is still up in ${STATE_DIR} (lab ${stale.id}): taking it down first`);
      current = stale;
      await teardown();
    }
    const version = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    const runs = Math.max(1, Number(process.env.LVS_BENCH_P4_RUNS ?? 1) || 1);
    const setup = prepare(work);
    const ls: Measured[] = [];
    const as: Measured[] = [];
    for (let i = 1; i <= runs; i++) {
      const l = await measureLvsdr(setup, i, log);
      const a = await measureAnsible(setup, i, log);
      ls.push(l);
      as.push(a);
      console.log(line(l, a, runs > 1 ? ` (run ${i}/${runs})` : ''));
      for (const note of [...l.notes, ...a.notes]) console.log(`  ${note}`);
    }
    if (runs > 1) {
      const m = (xs: Measured[]): Measured => ({ fresh: median(xs.map((x) => x.fresh)), rerun: median(xs.map((x) => x.rerun)), notes: [] });
      console.log(line(m(ls), m(as), ` (median of ${runs})`));
    }
    console.log(`  (${version}, forks ${FORKS}, pipelining; load average ${loadAverage()}; logs in ${LOG_DIR}/)`);
  } finally {
    await (tearing ??= teardown());
    tearing = undefined;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    rmSync(work, { recursive: true, force: true });
    if (ownerAlive() === undefined) rmSync(OWNER_FILE, { force: true }); // ours (or gone)
    if (savedDir === undefined) delete process.env.LVSDR_LAB_DIR;
    else process.env.LVSDR_LAB_DIR = savedDir;
  }
}
