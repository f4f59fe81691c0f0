// The deploy engine end to end against the local lab (root + Linux; see docs/deploy.md).
// One lab for examples/seed.lvs serves every test; the `lvsdr` command line runs inside the
// lab's client namespace (no default route: nothing can leave the machine), exactly as a
// user would run it. Each fault is checked the same way: a snapshot of every host taken
// before the run (sha256, mode and mtime of every path a deploy touches; VIPs, the relevant
// sysctls, `ipvsadm -Sn` and keepalived's PID) must be found again afterwards, and the error
// must name the host and the step that failed.
//
// Faults and how they are injected (inside the lab hosts only):
//   sshd stopped before the run   kill the sshd processes of web2 (its own PID namespace)
//   sshd killed mid-run           a one-shot slow `sysctl` in web2's /usr/local/sbin makes its
//                                 apply.sh last 6 s; when the CLI reports `web2 apply start`,
//                                 every sshd of web2 is killed, and restarted 3 s later (the
//                                 rollback reconnects)
//   apply.sh failing (backup)     /usr/local/sbin/keepalived on lvs2 refuses `-t` (config test)
//   /etc read-only                `mount -o remount,ro /etc` in web1's mount namespace
//   wrong key / changed host key  --identity with a fresh key / --known-hosts with lvs2's key
//                                 replaced by another one
//   cancel                        SIGINT to the CLI when it reports `lvs2 backup start`
//   two deploys at once           a second CLI started once the first holds every lock
// Dev aid: LVSDR_DEPLOY_TEST_LAB_DIR=<state dir of a running lab of examples/seed.lvs> reuses
// that lab (it is reset first and left running).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFile } from '../../server/generate';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { sshdArgs } from '../../server/lab/sshd';
import { clientHost, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { sleep } from '../../server/lab/run';
import { Journal } from '../../server/deploy/journal';
import { labLog, labSuite, useTestStateDir } from '../lab/helpers';
import { HostSnapshot, parseSnapshot, Snapshot, snapshotScript } from '../lab/host-snapshot';
import { cliInvocation, runAsCliIfAsked } from './cli-mode';

const VIP = '192.168.147.100';
const SECRET = 'labpass1';
const HOSTS = ['lvs1', 'lvs2', 'web1', 'web2'];
const DIRECTORS = ['lvs1', 'lvs2'];

/** The seed with a change on every host: web1 weight 2, one more sysctl everywhere. */
function variant(seed: string): string {
  let s = seed.replace('real web1 weight 1', 'real web1 weight 2');
  s = s.replace(/(role (?:master|backup)\s+priority \d+)/g, '$1  sysctl net.ipv4.tcp_fin_timeout = 31');
  s = s.replace(/vip-on lo:0 \}/g, 'vip-on lo:0  sysctl net.ipv4.tcp_fin_timeout = 31 }');
  return s;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}


if (!runAsCliIfAsked()) {
  labSuite('deploy engine against the lab', () => {
    describe('lvsdr plan/deploy/rollback/drift against the lab (examples/seed.lvs)', { timeout: 1_800_000 }, () => {
      let state: LabState;
      let ownLab = true;
      let work = '';
      let lvs = '';
      let seedText = '';
      const paths = new Map<string, string[]>();
      const timings: string[] = [];

      before(async () => {
        const reuse = process.env.LVSDR_DEPLOY_TEST_LAB_DIR;
        if (reuse) {
          process.env.LVSDR_LAB_DIR = reuse;
          state = readState(reuse)!;
          assert.ok(state && state.phase === 'up', `no lab is up in ${reuse}`);
          ownLab = false;
        } else {
          await useTestStateDir('deploy');
          const t = Date.now();
          state = await labUp('examples/seed.lvs', { log: labLog });
          timings.push(`lab up ${((Date.now() - t) / 1000).toFixed(1)} s`);
        }
        work = join(state.dir, 'deploy-test-work');
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work, { recursive: true });
        lvs = join(work, 'seed.lvs');
        seedText = readFileSync('examples/seed.lvs', 'utf8');
        writeFileSync(lvs, seedText);
        // Every path a deploy of the seed or the variant touches, per host.
        for (const text of [seedText, variant(seedText)]) {
          for (const f of generateFile(text, 'seed.lvs', { secrets: () => SECRET }).clusters[0].files) {
            const list = paths.get(f.host) ?? [];
            if (!list.includes(f.path)) list.push(f.path);
            paths.set(f.host, list);
          }
        }
        // keepalived's start marker (which generation started it) must survive a rollback too.
        for (const d of DIRECTORS) paths.get(d)!.push('/var/lib/lvs-dr/keepalived.started');
        await Promise.all(HOSTS.map(resetHost));
      });

      after(async () => {
        console.log(`# timings: ${timings.join('; ')}`);
        if (ownLab) {
          const s = readState() ?? state;
          if (s) await labDown(s);
        } else {
          await Promise.all(HOSTS.map(resetHost)).catch(() => undefined);
        }
        rmSync(work, { recursive: true, force: true });
        if (ownLab) rmSync(state.dir, { recursive: true, force: true });
      });

      async function on(host: string, script: string, input?: string) {
        const r = await execOnHost(state, host, ['sh', '-c', script], { input, timeoutMs: 180_000 });
        return r;
      }

      async function must(host: string, script: string): Promise<string> {
        const r = await on(host, script);
        assert.equal(r.code, 0, `${host}: ${script}: ${r.stderr}`);
        return r.stdout;
      }

      /** Undoes any deployment on a host (runtime and files), as if the lab were new. */
      async function resetHost(host: string): Promise<void> {
        const list = paths.get(host) ?? [];
        await must(host, [
          'rm -f /usr/local/sbin/keepalived /usr/local/sbin/sysctl /run/lvsdr-slow-once',
          'mount -o remount,rw /etc 2>/dev/null || true',
          'if [ -f /opt/lvs/rollback.sh ]; then sh /opt/lvs/rollback.sh >/dev/null 2>&1 || true; fi',
          // A reused lab may still run keepalived (rollback.sh only stops what apply.sh started).
          'if [ -s /run/keepalived.pid ]; then kill "$(cat /run/keepalived.pid)" 2>/dev/null || true; sleep 2; fi',
          'if command -v ipvsadm >/dev/null 2>&1; then ipvsadm -C 2>/dev/null || true; fi',
          `for d in lo ens33; do ip addr del ${VIP}/32 dev $d 2>/dev/null || true; done`,
          `rm -rf /var/lib/lvs-dr /run/lvs-dr.lock ${list.map((p) => `'${p}'`).join(' ')}`,
          'rmdir /opt/lvs /etc/sysconfig/network-scripts /etc/sysconfig 2>/dev/null || true',
        ].join('; '));
      }

      /** Runs `lvsdr ARGS` in the client namespace; `onLine` sees each stderr line as it comes. */
      function cli(args: string[], opts: { onLine?: (line: string, child: ReturnType<typeof spawn>) => void; env?: Record<string, string> } = {}): Promise<RunResult> {
        const self = join(__dirname, 'lab-deploy.test.js');
        const inv = cliInvocation(self);
        const t0 = Date.now();
        return new Promise((resolve, reject) => {
          const child = spawn('ip', ['netns', 'exec', clientHost(state).ns, process.execPath, ...inv.argv, ...args], {
            env: { ...process.env, ...inv.env, LVSDR_LAB_DIR: state.dir, LVS_SECRET_VRRP_WEB: SECRET, ...opts.env },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          let partial = '';
          child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
          child.stderr!.on('data', (d: Buffer) => {
            err += d.toString();
            partial += d.toString();
            const lines = partial.split('\n');
            partial = lines.pop()!;
            for (const l of lines) opts.onLine?.(l, child);
          });
          child.on('error', reject);
          child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout: out, stderr: err, ms: Date.now() - t0 }));
        });
      }

      function lastJournal(): Journal {
        const dir = join(work, '.lvs-deploy');
        const names = execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter((n) => n.endsWith('.json')).sort();
        return JSON.parse(readFileSync(join(dir, names[names.length - 1]), 'utf8')) as Journal;
      }

      const SYSCTLS = [
        'net.ipv4.ip_forward', 'net.ipv4.tcp_fin_timeout',
        ...['all', 'default', 'lo', 'ens33'].flatMap((i) => ['arp_ignore', 'arp_announce', 'send_redirects'].map((k) => `net.ipv4.conf.${i}.${k}`)),
      ];

      async function snapshotHost(host: string): Promise<HostSnapshot> {
        return parseSnapshot(await must(host, snapshotScript(paths.get(host)!, [
          'ip -4 -o addr show | awk \'{print $2, $4}\' | sort',
          `for k in ${SYSCTLS.join(' ')}; do echo "$k=$(sysctl -n $k)"; done`,
          DIRECTORS.includes(host) ? 'ipvsadm -S -n | sort; echo "keepalived pid: $(cat /run/keepalived.pid 2>/dev/null || echo none)"' : ':',
        ])));
      }

      async function snapshot(): Promise<Snapshot> {
        const s: Snapshot = {};
        await Promise.all(HOSTS.map(async (h) => { s[h] = await snapshotHost(h); }));
        return s;
      }

      /** Files must be as before at once; runtime state within a few seconds (keepalived settles). */
      async function assertAsBefore(before: Snapshot, label: string): Promise<void> {
        let now = await snapshot();
        for (const h of HOSTS) assert.deepEqual(now[h].files, before[h].files, `${label}: files of ${h} (sha256, mode, mtime) as before`);
        const deadline = Date.now() + 30_000;
        while (HOSTS.some((h) => now[h].runtime !== before[h].runtime) && Date.now() < deadline) {
          await sleep(1000);
          now = await snapshot();
        }
        for (const h of HOSTS) assert.equal(now[h].runtime, before[h].runtime, `${label}: runtime state of ${h} as before`);
        for (const h of HOSTS) {
          const lock = await on(h, '[ -e /run/lvs-dr.lock ]');
          assert.equal(lock.code, 1, `${label}: no lock left on ${h}`);
        }
      }

      async function requests(n: number): Promise<string[]> {
        const r = await on('client', `i=0; while [ $i -lt ${n} ]; do curl -s --max-time 5 http://${VIP}/ || echo FAILED; echo; i=$((i+1)); done`);
        return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
      }

      async function killSshd(host: string): Promise<void> {
        await must(host, 'for p in /proc/[0-9]*; do c=$(cat $p/comm 2>/dev/null || true); case "$c" in sshd*) kill -9 ${p#/proc/} 2>/dev/null || true ;; esac; done');
      }

      /** Starts the host's sshd as the lab does (daemonized), unless one runs already. */
      async function startSshd(host: string): Promise<void> {
        const running = await must(host, 'n=0; for p in /proc/[0-9]*; do c=$(cat $p/comm 2>/dev/null || true); case "$c" in sshd*) n=$((n+1)) ;; esac; done; echo $n');
        if (Number(running.trim()) > 0) return;
        const h = state.hosts.find((x) => x.name === host)!;
        const args = sshdArgs(h.address, state.keys.hostKeys[host], state.keys.authorizedKeys).filter((a) => a !== '-D' && a !== '-e');
        await must(host, `${args.map((a) => `'${a}'`).join(' ')} </dev/null >/dev/null 2>&1`);
      }

      function useVariant(): void {
        writeFileSync(lvs, variant(seedText));
      }
      function useSeed(): void {
        writeFileSync(lvs, seedText);
      }

      function assertFailure(r: RunResult, host: string, step: string, why: RegExp, label: string): Journal {
        assert.equal(r.code, 1, `${label}: exit 1\n${r.stderr}`);
        assert.match(r.stderr, new RegExp(`lvsdr deploy: ${host}: ${step} failed: `), `${label}: names host and step\n${r.stderr}`);
        assert.match(r.stderr, why, `${label}: says why`);
        const j = lastJournal();
        assert.equal(j.outcome, 'failed');
        assert.equal(j.error?.host, host);
        assert.equal(j.error?.step, step);
        return j;
      }

      let fresh: Snapshot;
      let deployed: Snapshot;

      test('hostile input is refused before anything connects', async () => {
        const bad = join(work, 'hostile.lvs');
        const cases = [
          seedText.replace('server web1 {', 'server web1;reboot {'),
          seedText.replace('path "/"', 'path "/$(reboot)"'),
          seedText.replace('key ~/.ssh/id_ed25519', 'key ~/.ssh/`reboot`'),
          seedText.replace('known-hosts ~/.ssh/known_hosts', 'known-hosts ~/../../etc/shadow'),
        ];
        for (const text of cases) {
          writeFileSync(bad, text);
          const r = await cli(['deploy', bad, '--target', 'lab', '--yes']);
          assert.equal(r.code, 1, r.stderr);
          assert.match(r.stderr, /error LVS(001|090)/);
          assert.match(r.stderr, /nothing was contacted/);
          assert.doesNotMatch(r.stderr, /connect/);
        }
        rmSync(bad);
      });

      test('fresh hosts: apply.sh failing on the backup director rolls every host back (absent files deleted)', async () => {
        fresh = await snapshot();
        await must('lvs2', [
          'mkdir -p /usr/local/sbin',
          'printf \'#!/bin/sh\\ncase " $* " in *" -t "*) echo "keepalived: injected configuration test failure" >&2; exit 1 ;; esac\\nexec /usr/sbin/keepalived "$@"\\n\' >/usr/local/sbin/keepalived',
          'chmod 755 /usr/local/sbin/keepalived',
        ].join(' && '));
        const r = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
        timings.push(`failed first deploy + rollback ${(r.ms / 1000).toFixed(1)} s`);
        const j = assertFailure(r, 'lvs2', 'apply', /injected configuration test failure|keepalived rejects/, 'apply failure on fresh hosts');
        assert.equal(j.rolledBack?.[0], 'lvs2', 'the failing host is rolled back first');
        assert.deepEqual([...j.rolledBack!].sort(), ['lvs2', 'web1', 'web2']);
        assert.equal(j.hosts.find((h) => h.name === 'lvs1')!.outcome, 'not-reached');
        for (const h of ['lvs2', 'web1', 'web2']) assert.equal(j.hosts.find((x) => x.name === h)!.outcome, 'rolled-back');
        await must('lvs2', 'rm -f /usr/local/sbin/keepalived');
        await assertAsBefore(fresh, 'apply failure on fresh hosts');
        for (const h of HOSTS) assert.equal((await on(h, '[ -e /var/lib/lvs-dr ]')).code, 1, `${h}: no state left`);
      });

      test('deploy: every host in order, 20 requests through the VIP answered by both real servers', async () => {
        const r = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
        timings.push(`first deploy ${(r.ms / 1000).toFixed(1)} s`);
        assert.equal(r.code, 0, r.stderr);
        const j = lastJournal();
        assert.equal(j.outcome, 'success');
        assert.deepEqual(j.hosts.map((h) => `${h.name}:${h.outcome}`), ['lvs1:deployed', 'lvs2:deployed', 'web1:deployed', 'web2:deployed']);
        const order = j.hosts.sort((a, b) => a.order! - b.order!).map((h) => h.name);
        assert.deepEqual(order.slice(2), ['lvs2', 'lvs1'], 'real servers first, then the backup, then the master');
        assert.ok(j.probe?.ok, `probe: ${j.probe?.detail}`);
        const answers = await requests(20);
        console.log(`# answers: ${answers.join(' ')}`);
        assert.equal(answers.length, 20);
        assert.deepEqual([...new Set(answers)].sort(), ['web1', 'web2']);
        deployed = await snapshot();
        assert.match(deployed.lvs1.runtime, /ens33 192\.168\.147\.100\/32/, 'the master holds the VIP');
        assert.match(deployed.web1.runtime, /lo 192\.168\.147\.100\/32/);
      });

      test('second deploy: no change, nothing written, no script run', async () => {
        const backups = await Promise.all(HOSTS.map((h) => must(h, 'ls /var/lib/lvs-dr/backup')));
        const r = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
        timings.push(`no-change deploy ${(r.ms / 1000).toFixed(1)} s`);
        assert.equal(r.code, 0, r.stderr);
        const j = lastJournal();
        assert.equal(j.outcome, 'no-change');
        for (const h of j.hosts) {
          assert.equal(h.outcome, 'unchanged');
          assert.ok(h.files.every((f) => f.action === 'unchanged'));
          assert.deepEqual(h.steps.map((s) => s.step).filter((s) => ['backup', 'upload', 'apply', 'verify'].includes(s)), [], `${h.name}: nothing written, no script run`);
        }
        const p = await cli(['plan', lvs, '--target', 'lab']);
        assert.equal(p.code, 0, p.stderr);
        assert.match(p.stdout, /no changes/);
        await assertAsBefore(deployed, 'no-change deploy');
        assert.deepEqual(await Promise.all(HOSTS.map((h) => must(h, 'ls /var/lib/lvs-dr/backup'))), backups, 'no new backup');
      });

      test('plan of a change: unified diffs and JSON, exit 3, secrets masked; deploy bound to a plan id', async () => {
        useVariant();
        try {
          const p = await cli(['plan', lvs, '--target', 'lab']);
          assert.equal(p.code, 3, p.stderr);
          assert.match(p.stdout, /^-        weight 1$/m);
          assert.match(p.stdout, /^\+        weight 2$/m);
          assert.match(p.stdout, /^\+net\.ipv4\.tcp_fin_timeout = 31$/m);
          assert.ok(!p.stdout.includes(SECRET), 'the VRRP secret is not shown');
          const pj = await cli(['plan', lvs, '--target', 'lab', '--json']);
          assert.equal(pj.code, 3, pj.stderr);
          const json = JSON.parse(pj.stdout) as { planId: string; changed: boolean; hosts: Array<{ name: string; files: Array<{ path: string; action: string; before: string | null; after: string | null }> }> };
          assert.ok(json.changed);
          const conf = json.hosts.find((h) => h.name === 'lvs1')!.files.find((f) => f.path === '/etc/keepalived/keepalived.conf')!;
          assert.equal(conf.action, 'change');
          assert.match(conf.before!, /weight 1/);
          assert.match(conf.after!, /weight 2/);
          assert.ok(!pj.stdout.includes(SECRET), 'no secret in the JSON either');
          // A deploy bound to another plan id writes nothing.
          const wrong = json.planId.replace(/^./, (c) => (c === '0' ? '1' : '0'));
          const d = await cli(['deploy', lvs, '--target', 'lab', '--plan-id', wrong]);
          assert.equal(d.code, 1, d.stderr);
          assert.match(d.stderr, /the plan changed since it was shown/);
          const j = lastJournal();
          assert.equal(j.outcome, 'cancelled');
          assert.ok(j.hosts.every((h) => !h.steps.some((st) => st.step === 'backup')), 'nothing written');
        } finally {
          useSeed();
        }
        // Bound to the plan it saw (no change here), the deploy goes through.
        const seedPlan = JSON.parse((await cli(['plan', lvs, '--target', 'lab', '--json'])).stdout) as { planId: string };
        const ok = await cli(['deploy', lvs, '--target', 'lab', '--plan-id', seedPlan.planId]);
        assert.equal(ok.code, 0, ok.stderr);
        assert.equal(lastJournal().outcome, 'no-change');
        await assertAsBefore(deployed, 'plan ids');
      });

      test('fault: sshd stopped on web2 before the run', async () => {
        await killSshd('web2');
        useVariant();
        try {
          const r = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
          assertFailure(r, 'web2', 'connect', /ECONNREFUSED|cannot connect/, 'sshd stopped');
        } finally {
          useSeed();
          await startSshd('web2');
        }
        await assertAsBefore(deployed, 'sshd stopped');
      });

      test('fault: wrong key (authentication refused)', async () => {
        const key = join(work, 'wrong_ed25519');
        rmSync(key, { force: true });
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
        useVariant();
        try {
          const r = await cli(['deploy', lvs, '--target', 'lab', '--yes', '--identity', key]);
          assert.equal(r.code, 1);
          assert.match(r.stderr, /lvsdr deploy: (lvs1|lvs2|web1|web2): connect failed: authentication as root refused/);
        } finally {
          useSeed();
        }
        await assertAsBefore(deployed, 'wrong key');
      });

      test('fault: changed host key of lvs2', async () => {
        const other = join(work, 'other_host_key');
        rmSync(other, { force: true });
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
        const otherKey = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
        const kh = join(work, 'known_hosts.changed');
        writeFileSync(kh, readFileSync(state.keys.knownHosts, 'utf8').split('\n').map((l) => (l.startsWith('lvs2,') ? `lvs2,192.168.147.5 ${otherKey}` : l)).join('\n'));
        useVariant();
        try {
          const r = await cli(['deploy', lvs, '--target', 'lab', '--yes', '--known-hosts', kh]);
          assertFailure(r, 'lvs2', 'connect', /HOST KEY CHANGED for lvs2/, 'changed host key');
        } finally {
          useSeed();
        }
        const u = await cli(['plan', lvs, '--target', 'lab', '--known-hosts', join(work, 'empty_known_hosts')]);
        assert.equal(u.code, 1, 'unknown keys are refused without --accept-new');
        assert.match(u.stderr, /is not in .*empty_known_hosts.*refused/);
        // --accept-key (what VS Code passes after its modal): only the fingerprints given.
        const offered = [...new Set([...u.stderr.matchAll(/unknown host key of \S+ \([^)]*\): \S+ (SHA256:[A-Za-z0-9+/]{43})/g)].map((m) => m[1]))];
        assert.equal(offered.length, 4, `every host's key is reported: ${u.stderr}`);
        const pinned = join(work, 'pinned_known_hosts');
        rmSync(pinned, { force: true });
        const partial = await cli(['plan', lvs, '--target', 'lab', '--known-hosts', pinned, ...offered.slice(1).flatMap((fp) => ['--accept-key', fp])]);
        assert.equal(partial.code, 1, 'a key not given with --accept-key is refused');
        assert.match(partial.stderr, new RegExp(`${offered[0].replace(/[+/]/g, '\\$&')}; refused \\(it is not one of the keys given with --accept-key\\)`));
        const all = await cli(['plan', lvs, '--target', 'lab', '--known-hosts', pinned, ...offered.flatMap((fp) => ['--accept-key', fp])]);
        assert.equal(all.code, 0, all.stderr);
        assert.equal(readFileSync(pinned, 'utf8').trim().split('\n').length, 4, 'four keys recorded, none twice');
        const accepted = join(work, 'accepted_known_hosts');
        rmSync(accepted, { force: true });
        const a = await cli(['plan', lvs, '--target', 'lab', '--known-hosts', accepted, '--accept-new']);
        assert.equal(a.code, 0, a.stderr);
        assert.match(a.stderr, /accepting the new host key of lvs1/);
        assert.equal(readFileSync(accepted, 'utf8').trim().split('\n').length, 4, 'four keys recorded');
        const again = await cli(['plan', lvs, '--target', 'lab', '--known-hosts', accepted]);
        assert.equal(again.code, 0, again.stderr);
        await assertAsBefore(deployed, 'changed host key');
      });

      test('fault: /etc read-only on web1', async () => {
        await must('web1', 'mount -o remount,ro /etc');
        useVariant();
        try {
          const r = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
          assertFailure(r, 'web1', 'upload', /Read-only file system/, '/etc read-only');
        } finally {
          useSeed();
          await must('web1', 'mount -o remount,rw /etc');
        }
        await assertAsBefore(deployed, '/etc read-only');
      });

      test('fault: apply.sh failing on the backup director (deployed hosts)', async () => {
        // keepalived rejects the NEW configuration only (the previous one must still load for
        // the rollback): its config test fails when the file asks for weight 2.
        await must('lvs2', [
          'mkdir -p /usr/local/sbin',
          'printf \'#!/bin/sh\\ncase " $* " in *" -t "*) if grep -q "weight 2" /etc/keepalived/keepalived.conf; then echo "keepalived: injected configuration test failure" >&2; exit 1; fi ;; esac\\nexec /usr/sbin/keepalived "$@"\\n\' >/usr/local/sbin/keepalived',
          'chmod 755 /usr/local/sbin/keepalived',
        ].join(' && '));
        useVariant();
        try {
          const r = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
          timings.push(`apply failure on lvs2 + rollback ${(r.ms / 1000).toFixed(1)} s`);
          const j = assertFailure(r, 'lvs2', 'apply', /injected configuration test failure|keepalived rejects/, 'apply failure');
          assert.equal(j.rolledBack?.[0], 'lvs2', 'the failing host is rolled back first');
          assert.deepEqual([...j.rolledBack!].sort(), ['lvs2', 'web1', 'web2']);
        } finally {
          useSeed();
          await must('lvs2', 'rm -f /usr/local/sbin/keepalived');
        }
        await assertAsBefore(deployed, 'apply failure on the backup director');
      });

      test('fault: sshd killed on web2 while its apply.sh runs (the rollback reconnects)', async () => {
        await must('web2', [
          'mkdir -p /usr/local/sbin',
          'printf \'#!/bin/sh\\nif [ -e /run/lvsdr-slow-once ]; then rm -f /run/lvsdr-slow-once; sleep 6; fi\\nexec /usr/sbin/sysctl "$@"\\n\' >/usr/local/sbin/sysctl',
          'chmod 755 /usr/local/sbin/sysctl',
          'touch /run/lvsdr-slow-once',
        ].join(' && '));
        useVariant();
        let killed = false;
        try {
          const r = await cli(['deploy', lvs, '--target', 'lab', '--yes'], {
            onLine: (line) => {
              if (!killed && /\bweb2\s+apply\s+start\b/.test(line)) {
                killed = true;
                void (async () => {
                  await sleep(500);
                  await killSshd('web2');
                  await sleep(3000);
                  await startSshd('web2');
                })();
              }
            },
          });
          assert.ok(killed, 'the kill was triggered');
          const j = assertFailure(r, 'web2', 'apply', /connection|dropped|without an exit status/, 'sshd killed mid-run');
          assert.ok(j.rolledBack?.includes('web2'), 'web2 was rolled back after reconnecting');
          assert.match(r.stderr, /web2\s+connect\s+info\s+reconnected/);
        } finally {
          useSeed();
          await must('web2', 'rm -f /usr/local/sbin/sysctl /run/lvsdr-slow-once');
          await sleep(4000);
          await startSshd('web2');
        }
        await assertAsBefore(deployed, 'sshd killed mid-run');
      });

      test('fault: cancel (SIGINT) mid-run rolls back what changed', async () => {
        useVariant();
        let sent = false;
        try {
          const r = await cli(['deploy', lvs, '--target', 'lab', '--yes'], {
            onLine: (line, child) => {
              if (!sent && /\blvs2\s+backup\s+start\b/.test(line)) {
                sent = true;
                child.kill('SIGINT');
              }
            },
          });
          assert.ok(sent);
          assert.equal(r.code, 130, r.stderr);
          assert.match(r.stderr, /cancelled/);
          const j = lastJournal();
          assert.equal(j.outcome, 'cancelled');
          assert.ok(j.rolledBack!.includes('web1') && j.rolledBack!.includes('web2'), `rolled back: ${j.rolledBack}`);
          assert.equal(j.hosts.find((h) => h.name === 'lvs1')!.outcome, 'not-reached');
        } finally {
          useSeed();
        }
        await assertAsBefore(deployed, 'cancel');
      });

      /** The hosts' state once the master holds the VIP (keepalived settles after a deploy). */
      async function settled(): Promise<Snapshot> {
        const deadline = Date.now() + 30_000;
        let s = await snapshot();
        while (!s.lvs1.runtime.includes(`ens33 ${VIP}/32`) && Date.now() < deadline) {
          await sleep(1000);
          s = await snapshot();
        }
        return s;
      }

      /** A deploy of the variant whose parent goes away once `when` shows on stderr: `gone` does it. */
      async function deployLosingParent(when: RegExp, gone: (child: ReturnType<typeof spawn>) => void): Promise<{ r: RunResult; fired: boolean }> {
        useVariant();
        let fired = false;
        try {
          const r = await cli(['deploy', lvs, '--target', 'lab', '--yes'], {
            onLine: (line, child) => {
              if (!fired && when.test(line)) {
                fired = true;
                gone(child);
              }
            },
          });
          return { r, fired };
        } finally {
          useSeed();
        }
      }

      test('parent gone: SIGHUP while lvs2 runs apply.sh rolls every host back; the journal says why and holds the log', async () => {
        const start = await settled();
        const t0 = Date.now();
        const { r, fired } = await deployLosingParent(/\blvs2\s+apply\s+start\b/, (child) => child.kill('SIGHUP'));
        timings.push(`SIGHUP to rolled back ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        assert.ok(fired, r.stderr);
        assert.equal(r.code, 130, r.stderr);
        const j = lastJournal();
        assert.equal(j.outcome, 'cancelled');
        assert.match(j.error!.message, /went away \(SIGHUP\)/);
        for (const h of ['web1', 'web2', 'lvs2']) assert.ok(j.rolledBack!.includes(h), `${h} rolled back: ${j.rolledBack}`);
        assert.ok(j.log!.some((l) => /lvs2 apply start/.test(l)) && j.log!.some((l) => /lvs2 rollback done/.test(l)), 'the progress lines are in the journal');
        await assertAsBefore(start, 'SIGHUP');
      });

      test('parent gone: stdout and stderr pipes closed mid-run (EPIPE) — the engine keeps going without them and rolls back', async () => {
        const start = await settled();
        const { r, fired } = await deployLosingParent(/\blvs2\s+backup\s+start\b/, (child) => {
          child.stdout!.destroy();
          child.stderr!.destroy();
        });
        assert.ok(fired);
        assert.equal(r.code, 130, 'exit status of a cancelled deploy, not a crash on the dead pipe');
        const j = lastJournal();
        assert.equal(j.outcome, 'cancelled');
        assert.match(j.error!.message, /went away \((stderr|stdout) closed\)/);
        assert.ok(j.rolledBack!.includes('web1') && j.rolledBack!.includes('web2'), `rolled back: ${j.rolledBack}`);
        assert.ok(j.finishedAt, 'the journal was finished after the pipes closed');
        await assertAsBefore(start, 'pipes closed');
      });

      test('rollback --deploy ID of a deploy killed (SIGKILL) mid-apply and left at running', async () => {
        const start = await settled();
        const { r, fired } = await deployLosingParent(/\blvs2\s+apply\s+start\b/, (child) => child.kill('SIGKILL'));
        assert.ok(fired);
        assert.notEqual(r.code, 0);
        const left = lastJournal();
        assert.equal(left.kind, 'deploy');
        assert.equal(left.outcome, 'running', 'a killed deploy leaves its journal at running');
        assert.equal(left.hosts.find((h) => h.name === 'web1')!.outcome, 'deployed');
        // The hosts are half-applied now: web1 and web2 carry the variant.
        const half = await snapshot();
        assert.notDeepEqual(half.web1.files, start.web1.files, 'web1 was changed by the killed deploy');
        assert.ok(left.hosts.find((h) => h.name === 'lvs2')!.order, 'the journal names lvs2, whose apply was under way');
        // A wrong id and an unknown one are refused without touching anything.
        const unknown = await cli(['rollback', lvs, '--target', 'lab', '--deploy', '20000101T000000000Z-000000']);
        assert.equal(unknown.code, 1);
        assert.match(unknown.stderr, /no deploy 20000101T000000000Z-000000/);
        const t0 = Date.now();
        const rb = await cli(['rollback', lvs, '--target', 'lab', '--deploy', left.id]);
        timings.push(`rollback --deploy of an interrupted deploy ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        assert.equal(rb.code, 0, rb.stderr);
        assert.match(rb.stdout, new RegExp(`rolled back deploy ${left.id}`));
        await assertAsBefore(start, 'rollback --deploy of an interrupted deploy');
        const marked = JSON.parse(readFileSync(join(work, '.lvs-deploy', `${left.id}.json`), 'utf8')) as Journal;
        assert.equal(marked.outcome, 'cancelled');
        assert.ok(marked.rolledBackBy, 'the interrupted journal names the rollback that undid it');
        const again = await cli(['rollback', lvs, '--target', 'lab', '--deploy', left.id]);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /rolled back already/);
      });

      test('two deploys at once: the second is refused by the lock; rollback undoes the first', async () => {
        useVariant();
        let second: Promise<RunResult> | undefined;
        let first: RunResult;
        try {
          first = await cli(['deploy', lvs, '--target', 'lab', '--yes', '--journal-dir', join(work, '.lvs-deploy')], {
            onLine: (line) => {
              if (!second && /\blvs1\s+lock\s+done\b/.test(line)) second = cli(['deploy', lvs, '--target', 'lab', '--yes', '--journal-dir', join(work, 'second-journal')]);
            },
          });
        } finally {
          useSeed();
        }
        assert.ok(second, 'the second deploy was started');
        const s = await second!;
        assert.equal(first.code, 0, first.stderr);
        assert.equal(s.code, 1, s.stderr);
        assert.match(s.stderr, /lock failed: another deploy holds \/run\/lvs-dr\.lock: deploy \S+ from/);
        assert.doesNotMatch(s.stderr, /backup|upload|apply/);
        // The variant is deployed (drift against the seed shows it); roll it back.
        const d = await cli(['drift', lvs, '--target', 'lab']);
        assert.equal(d.code, 3, d.stdout);
        assert.match(d.stdout, /DRIFT/);
        const rb = await cli(['rollback', lvs, '--target', 'lab']);
        timings.push(`rollback command ${(rb.ms / 1000).toFixed(1)} s`);
        assert.equal(rb.code, 0, rb.stderr);
        assert.match(rb.stdout, /rolled back deploy/);
        await assertAsBefore(deployed, 'rollback of the first deploy');
        const again = await cli(['drift', lvs, '--target', 'lab']);
        assert.equal(again.code, 0, again.stdout);
      });

      test('gentle removal: a real server leaving the service is drained (weight 0, active connections waited for)', async () => {
        const flag = join(work, 'release-connections');
        rmSync(flag, { force: true });
        // Two idle connections through the VIP (round robin: one per real server), held open
        // until the flag file appears.
        const holder = `import os, socket, time
socks = [socket.create_connection(('${VIP}', 80), timeout=5) for _ in range(2)]
while not os.path.exists('${flag}'):
    time.sleep(0.2)
for s in socks:
    s.close()`;
        const holders = execOnHost(state, 'client', ['python3', '-c', holder], { timeoutMs: 300_000 });
        await sleep(1500);
        const ipvs = await must('lvs1', 'ipvsadm -L -n -t 192.168.147.100:80');
        assert.match(ipvs, /192\.168\.147\.3:80 +Route +1 +1 /, `web2 has an active connection:\n${ipvs}`);
        writeFileSync(lvs, seedText.replace(/\n\s*real web2 weight 1/, ''));
        let released = 0;
        let r: RunResult;
        try {
          r = await cli(['deploy', lvs, '--target', 'lab', '--yes', '--drain-timeout', '60'], {
            onLine: (line) => {
              if (!released && /^\s*[\d.]+s \*\s+drain\s+start/.test(line)) {
                released = Date.now();
                setTimeout(() => writeFileSync(flag, ''), 3000);
              }
            },
          });
        } finally {
          writeFileSync(flag, '');
          await holders;
        }
        assert.equal(r.code, 0, r.stderr);
        assert.ok(released, 'the drain wait started');
        assert.match(r.stderr, /lvs1\s+drain\s+done .*weight 0 for 192\.168\.147\.3:80/);
        assert.match(r.stderr, /lvs2\s+drain\s+done .*weight 0 for 192\.168\.147\.3:80/);
        const j = lastJournal();
        assert.deepEqual(j.drains?.map((d) => d.real), ['192.168.147.3:80']);
        const wait = j.steps?.find((st) => st.step === 'drain');
        assert.ok(wait && wait.ms >= 2500, `the deploy waited for the connection (${wait?.ms} ms)`);
        assert.match(wait!.detail ?? '', /no active connections left/);
        const after = await must('lvs1', 'ipvsadm -S -n');
        assert.doesNotMatch(after, /192\.168\.147\.3:80/, 'web2 is no longer balanced');
        // Back to the seed: web2 balanced again.
        useSeed();
        const back = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
        assert.equal(back.code, 0, back.stderr);
        let answers: string[] = [];
        for (let i = 0; i < 30 && new Set(answers).size < 2; i++) {
          await sleep(1000);
          answers = await requests(4);
        }
        assert.deepEqual([...new Set(answers)].sort(), ['web1', 'web2']);
      });

      test('drift: a file edited on a host is reported; a deploy repairs it; keepalived was never restarted', async () => {
        const kaPid = (await must('lvs1', 'cat /run/keepalived.pid')).trim();
        await must('web1', "echo '# edited by hand' >>/etc/sysctl.d/90-lvs-dr-rs.conf");
        const d = await cli(['drift', lvs, '--target', 'lab']);
        assert.equal(d.code, 3);
        assert.match(d.stdout, /web1 +1 of \d+ files differ/);
        assert.match(d.stdout, /differs +\/etc\/sysctl\.d\/90-lvs-dr-rs\.conf +\(changed on the host since the last deploy\)/);
        const r = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
        assert.equal(r.code, 0, r.stderr);
        assert.equal((await cli(['drift', lvs, '--target', 'lab'])).code, 0);
        assert.equal((await must('lvs1', 'cat /run/keepalived.pid')).trim(), kaPid, 'keepalived kept its PID through every deploy and rollback');
      });

      test('a hostile journal is no authority to delete: removals follow the record kept on the host', async () => {
        const CANARY = '/etc/sysctl.d/10-canary.conf';
        const PAM = '/etc/pam.d/sshd';
        await Promise.all(HOSTS.map((h) => must(h, `[ -f ${PAM} ] || { mkdir -p /etc/pam.d && echo '@include common-auth' >${PAM}; }; echo 'net.ipv4.tcp_syncookies = 1' >${CANARY}`)));
        const sums = async (h: string) => (await must(h, `sha256sum ${PAM} ${CANARY}`)).trim();
        const before = new Map(await Promise.all(HOSTS.map(async (h) => [h, await sums(h)] as const)));
        const sha = (h: string, path: string) => before.get(h)!.split('\n').find((l) => l.endsWith(path))!.split(' ')[0];
        // A journal newer than every real one (its id sorts last), saying the last deploy placed
        // the stock PAM file and the canary on every host, with their exact current digests.
        const hostile = JSON.parse(JSON.stringify(lastJournal())) as Journal;
        hostile.id = '99991231T235959999Z-ffffff';
        hostile.outcome = 'success';
        for (const h of hostile.hosts) {
          for (const path of [PAM, CANARY]) h.files.push({ path, action: 'add', before: null, after: { sha256: sha(h.name, path), mode: 0o644 } });
        }
        const hostileFile = join(work, '.lvs-deploy', '00000000-hostile.json');
        writeFileSync(hostileFile, JSON.stringify(hostile, null, 2));
        try {
          useVariant();
          const r = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
          assert.equal(r.code, 0, r.stderr);
          const j = lastJournal();
          assert.equal(j.outcome, 'success');
          assert.deepEqual(j.hosts.flatMap((h) => h.files.filter((f) => f.action === 'remove').map((f) => `${h.name}:${f.path}`)), [], 'the deploy removed nothing');
          for (const h of HOSTS) assert.equal(await sums(h), before.get(h), `${h}: ${PAM} and ${CANARY} untouched`);
          // The host's own record is the authority: when web1's record names the canary with its
          // digest (as if an earlier deploy had placed it), the next deploy removes it there only.
          await must('web1', `printf '%s  %s\\n' ${sha('web1', CANARY)} ${CANARY} >>/var/lib/lvs-dr/owned`);
          useSeed();
          const back = await cli(['deploy', lvs, '--target', 'lab', '--yes']);
          assert.equal(back.code, 0, back.stderr);
          const jb = lastJournal();
          assert.deepEqual(jb.hosts.flatMap((h) => h.files.filter((f) => f.action === 'remove').map((f) => `${h.name}:${f.path}`)), [`web1:${CANARY}`]);
          assert.equal((await on('web1', `[ -e ${CANARY} ]`)).code, 1, 'web1: the canary its record named is removed');
          for (const h of HOSTS.filter((x) => x !== 'web1')) assert.equal(await sums(h), before.get(h), `${h}: untouched`);
          assert.equal((await must('web1', `sha256sum ${PAM}`)).trim(), before.get('web1')!.split('\n')[0], `web1: ${PAM} untouched`);
          assert.doesNotMatch(await must('web1', 'cat /var/lib/lvs-dr/owned'), /canary/, 'the new record no longer names it');
        } finally {
          useSeed();
          rmSync(hostileFile, { force: true });
          await Promise.all(HOSTS.map((h) => on(h, `rm -f ${CANARY}`)));
        }
      });
    });
  });
}
