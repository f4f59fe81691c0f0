// The live status engine against a real cluster: the lab of test/lab/fixtures/live.lvs
// (keepalived pair lvs1/lvs2, web1..web3, HTTP check every 2 s), deployed, then watched by one
// `lvsdr status --watch --json --interval 1` in the lab's client namespace while faults are made
// by hand and the actions run:
//   a responder killed      → its server inService:false within its check interval + 2 s, back when started
//   VIP added on the backup → split brain LVS501 on both directors
//   VIP removed from a lo   → LVS506 naming the server
//   keepalived killed       → the backup MASTER within 5 s, the old master STOPPED (LVS503)
//   drain during downloads  → the held download through the server completes, active reaches 0,
//                             new requests avoid it; weight 0 survives a keepalived reload; restore
//   failover                → over and back, the client-visible gap measured and printed
// The test file runs itself as the CLI in the lab's client namespace (cli-mode.ts), so a rebuild
// of dist/ meanwhile cannot change what runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { clientHost, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { checkLiveSnapshot, LiveSnapshot } from '../../server/protocol/live-snapshot';
import { labLog, labSuite, useTestStateDir } from './helpers';
import { runAsCliIfAsked } from '../deploy/cli-mode';

const VIP = '192.168.147.100';
const SECRET = 'labpass1';
const HTTP_CLIENT = resolve('test/lab/fixtures/http-requests.py');
const HELD_CLIENT = resolve('test/lab/fixtures/held-requests.py');
const proof = (line: string) => console.log(`# proof: ${line}`);

if (!runAsCliIfAsked()) {
  labSuite('live status (lab)', () => {
    describe('live status, runtime findings and actions on a running pair (test/lab/fixtures/live.lvs)', { timeout: 600_000 }, () => {
      let state: LabState;
      let lvs = '';
      let watcher: ChildProcess | undefined;
      const snaps: Array<{ at: number; s: LiveSnapshot }> = [];

      function cliEnv() {
        return { ...process.env, LVSDR_DEPLOY_TEST_CLI: '1', LVSDR_LAB_DIR: state.dir, LVS_SECRET_VRRP_WEB: SECRET };
      }

      function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
        const t0 = Date.now();
        return new Promise((done, fail) => {
          const child = spawn('ip', ['netns', 'exec', clientHost(state).ns, process.execPath, __filename, ...args], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
          child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
          child.on('error', fail);
          child.on('close', (code) => done({ code: code ?? 1, stdout: out, stderr: err, ms: Date.now() - t0 }));
        });
      }

      async function sh(host: string, script: string): Promise<string> {
        const r = await execOnHost(state, host, ['sh', '-c', script], { timeoutMs: 60_000 });
        assert.equal(r.code, 0, `${host}: ${script}: ${r.stdout}${r.stderr}`);
        return r.stdout;
      }

      /** The first snapshot after `since` for which `pred` holds; the time it arrived. */
      async function until(what: string, since: number, timeoutMs: number, pred: (s: LiveSnapshot) => boolean): Promise<{ at: number; s: LiveSnapshot }> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const hit = snaps.find((x) => x.at >= since && pred(x.s));
          if (hit) return hit;
          if (Date.now() > deadline) {
            const last = snaps[snaps.length - 1]?.s;
            assert.fail(`${what}: not within ${timeoutMs} ms; last snapshot: ${JSON.stringify(last && { d: last.directors.map((d) => [d.name, d.vrrp, d.vips]), r: last.services[0]?.reals.map((r) => [r.name, r.inService, r.weight]), f: last.findings.map((f) => f.code) })}`);
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      }

      const real = (s: LiveSnapshot, name: string) => s.services[0].reals.find((r) => r.name === name)!;
      const dir = (s: LiveSnapshot, name: string) => s.directors.find((d) => d.name === name)!;

      before(async () => {
        await useTestStateDir('live');
        const t = Date.now();
        state = await labUp('test/lab/fixtures/live.lvs', { log: labLog });
        const work = join(state.dir, 'live-work');
        mkdirSync(work, { recursive: true });
        lvs = join(work, 'live.lvs');
        writeFileSync(lvs, readFileSync('test/lab/fixtures/live.lvs', 'utf8'));
        const d = await cli(['deploy', lvs, '--target', 'lab', '--yes', '--no-probe']);
        assert.equal(d.code, 0, d.stderr);
        console.log(`# lab up and deployed in ${((Date.now() - t) / 1000).toFixed(1)} s`);
        watcher = spawn('ip', ['netns', 'exec', clientHost(state).ns, process.execPath, __filename, 'status', lvs, '--target', 'lab', '--json', '--watch', '--interval', '1'], { env: cliEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
        let partial = '';
        watcher.stdout!.on('data', (b: Buffer) => {
          const lines = (partial + b.toString()).split('\n');
          partial = lines.pop()!;
          for (const l of lines) {
            const c = checkLiveSnapshot(JSON.parse(l));
            assert.ok(c.ok, c.ok ? '' : c.error);
            snaps.push({ at: Date.now(), s: c.value });
          }
        });
      });

      after(async () => {
        watcher?.kill('SIGTERM');
        const s = readState() ?? state;
        if (s) await labDown(s);
        if (s) rmSync(s.dir, { recursive: true, force: true });
      });

      test('a healthy cluster: MASTER/BACKUP with priorities, all in service, no finding; one refresh timed', async () => {
        const { s } = await until('a healthy snapshot', 0, 60_000, (x) => x.services[0].reals.every((r) => r.inService) && dir(x, 'lvs1').vrrp === 'MASTER' && dir(x, 'lvs1').priority !== null);
        assert.deepEqual(s.directors.map((d) => [d.name, d.reachable, d.keepalived, d.vrrp, d.vips]), [['lvs1', true, true, 'MASTER', [VIP]], ['lvs2', true, true, 'BACKUP', []]]);
        assert.deepEqual(s.directors.map((d) => d.priority), [100, 90]);
        assert.deepEqual(s.realServers.map((r) => [r.name, r.loVips, r.ports[0].answers]), ['web1', 'web2', 'web3'].map((n) => [n, [{ address: VIP, prefix: 32 }], true]));
        assert.deepEqual(s.findings, []);
        await until('five refreshes', 0, 30_000, () => snaps.length >= 6);
        const ms = snaps.slice(1, 6).map((x) => x.s.ms);
        proof(`refresh of 5 hosts (2 UML directors) over persistent connections: ${ms.join(', ')} ms (the first, which connects: ${snaps[0].s.ms} ms)`);
        const one = await cli(['status', lvs, '--target', 'lab']);
        assert.equal(one.code, 0, one.stderr);
        assert.match(one.stdout, /lvs1 .*MASTER/);
      });

      test('a real server whose responder dies is out of service within its check interval + 2 s, and back once it answers', async () => {
        // The fixture's check: every 2 s, timeout 1 s, retry 0 (the first failed check takes the
        // server out; with keepalived's default of one retry after 3 s it would take up to 5 s).
        const script = join(state.dir, 'responder.py');
        const startResponder = () => sh('web2', `pgrep -f -- 'python3 [/].*responder[.]py web2' >/dev/null || setsid /usr/bin/python3 ${JSON.stringify(script)} web2 80 '' >/dev/null 2>&1 </dev/null &`);
        const t0 = Date.now();
        try {
          // The bracket keeps the pattern from matching this very shell's command line.
          await sh('web2', `for p in $(pgrep -f -- 'python3 [/].*responder[.]py web2'); do kill "$p"; done`);
          const out = await until('web2 out of service', t0, 15_000, (x) => !real(x, 'web2').inService);
          proof(`web2 inService:false ${((out.at - t0) / 1000).toFixed(1)} s after its responder was killed (check every 2 s, timeout 1 s, retry 0)`);
          assert.ok(out.at - t0 <= 4000, `${out.at - t0} ms`);
          await until('LVS508 for web2', t0, 15_000, (x) => x.findings.some((f) => f.code === 'LVS508' && f.host === 'web2'));
        } finally {
          // Started again whatever happened above, so the later tests see three answering servers.
          const t1 = Date.now();
          await startResponder();
          const back = await until('web2 back in service', t1, 15_000, (x) => real(x, 'web2').inService && !x.findings.some((f) => f.code === 'LVS508'));
          proof(`web2 back in service ${((back.at - t1) / 1000).toFixed(1)} s after its responder started`);
        }
      });

      test('the VIP put on the backup by hand is a split brain on both directors (LVS501)', async () => {
        const t0 = Date.now();
        await sh('lvs2', `ip addr add ${VIP}/32 dev ens33`);
        try {
          const { s } = await until('split brain', t0, 10_000, (x) => x.findings.filter((f) => f.code === 'LVS501').length === 2);
          assert.deepEqual(s.findings.filter((f) => f.code === 'LVS501').map((f) => f.host).sort(), ['lvs1', 'lvs2']);
          proof(`split brain reported ${((Date.now() - t0) / 1000).toFixed(1)} s after the address was added`);
        } finally {
          await sh('lvs2', `ip addr del ${VIP}/32 dev ens33`);
        }
        await until('split brain gone', Date.now(), 10_000, (x) => !x.findings.some((f) => f.code === 'LVS501'));
      });

      test('the VIP removed from a real server\'s lo is a finding naming it (LVS506)', async () => {
        const t0 = Date.now();
        await sh('web3', `ip addr del ${VIP}/32 dev lo`);
        try {
          const { s } = await until('LVS506 web3', t0, 10_000, (x) => x.findings.some((f) => f.code === 'LVS506' && f.host === 'web3'));
          assert.match(s.findings.find((f) => f.code === 'LVS506')!.message, /web3 does not hold the VIP 192\.168\.147\.100 on lo/);
        } finally {
          await sh('web3', `ip addr add ${VIP}/32 dev lo label lo:0`);
        }
        await until('LVS506 gone', Date.now(), 10_000, (x) => !x.findings.some((f) => f.code === 'LVS506'));
      });

      test('keepalived killed on the master: the backup is MASTER within 5 s, the old master STOPPED (LVS503)', async () => {
        const t0 = Date.now();
        await sh('lvs1', 'kill -TERM "$(cat /run/keepalived.pid)"');
        const { at, s } = await until('lvs2 MASTER, lvs1 STOPPED', t0, 10_000, (x) => dir(x, 'lvs2').vrrp === 'MASTER' && dir(x, 'lvs1').vrrp === 'STOPPED');
        proof(`lvs2 MASTER and lvs1 STOPPED in the snapshot ${((at - t0) / 1000).toFixed(1)} s after keepalived was killed on lvs1`);
        assert.ok(at - t0 <= 5000, `${at - t0} ms`);
        assert.ok(s.findings.some((f) => f.code === 'LVS503' && f.host === 'lvs1'));
        await sh('lvs1', 'keepalived -f /etc/keepalived/keepalived.conf');
        await until('lvs1 MASTER again', Date.now(), 20_000, (x) => dir(x, 'lvs1').vrrp === 'MASTER' && dir(x, 'lvs2').vrrp === 'BACKUP' && !x.findings.some((f) => f.code === 'LVS503'));
      });

      test('drain during held downloads: they complete, active reaches 0, new requests avoid it; survives a keepalived reload; restore', async () => {
        // Three held connections (rr: one per real server), each completes after 4 s.
        const held = spawn('ip', ['netns', 'exec', clientHost(state).ns, '/usr/bin/python3', HELD_CLIENT, VIP, '80', '3', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let heldOut = '';
        held.stdout!.on('data', (d: Buffer) => { heldOut += d.toString(); });
        const heldDone = new Promise<void>((r) => held.on('close', () => r()));
        for (let i = 0; i < 100 && !heldOut.includes('open'); i++) await new Promise((r) => setTimeout(r, 50));
        assert.ok(heldOut.includes('open'));
        const t0 = Date.now();
        const d = await cli(['drain', lvs, 'web1', '--target', 'lab', '--yes', '--timeout', '30']);
        assert.equal(d.code, 0, d.stderr);
        await heldDone;
        const answers = heldOut.split('\n').slice(1).filter(Boolean);
        assert.deepEqual([...answers].sort(), ['web1', 'web2', 'web3'], 'every held download completed, web1\'s too');
        proof(`drain of web1 waited ${((d.ms) / 1000).toFixed(1)} s for its held connection (completed after 4 s); progress: ${d.stderr.split('\n').filter((l) => /active/.test(l)).length} lines`);
        assert.ok(Date.now() - t0 >= 3500, 'the drain waited for the held connection');
        const later = await execOnHost(state, 'client', ['/usr/bin/python3', HTTP_CLIENT, VIP, '80', '6'], { timeoutMs: 60_000 });
        assert.ok(!later.stdout.includes('web1') && later.stdout.trim().split('\n').length === 6, later.stdout);
        const { s } = await until('web1 drained', t0, 10_000, (x) => real(x, 'web1').drained && real(x, 'web1').weight === 0);
        assert.ok(s.findings.some((f) => f.code === 'LVS510' && f.severity === 'information'));
        for (const h of ['lvs1', 'lvs2']) assert.match(await sh(h, 'ipvsadm -Ln'), /192\.168\.147\.4:80\s+Route\s+0\s/);
        // keepalived reload (SIGHUP, as a deploy with an unchanged file does): the drain stays.
        await sh('lvs1', 'kill -HUP "$(cat /run/keepalived.pid)"');
        await new Promise((r) => setTimeout(r, 3000));
        assert.match(await sh('lvs1', 'ipvsadm -Ln'), /192\.168\.147\.4:80\s+Route\s+0\s/, 'weight 0 after a keepalived reload');
        const drift = await cli(['drift', lvs, '--target', 'lab']);
        assert.equal(drift.code, 3, drift.stdout + drift.stderr);
        assert.match(drift.stdout, /LVS510 web1/);
        const r = await cli(['restore', lvs, 'web1', '--target', 'lab', '--yes']);
        assert.equal(r.code, 0, r.stderr);
        await until('web1 restored', Date.now(), 10_000, (x) => !real(x, 'web1').drained && real(x, 'web1').weight === 1 && x.findings.length === 0);
        const log = readFileSync(join(state.dir, 'live-work', '.lvs-deploy', 'actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; outcome: string });
        assert.deepEqual(log.map((x) => [x.action, x.outcome]), [['drain', 'done'], ['restore', 'done']]);
      });

      test('controlled failover: over to lvs2 and back, the client-visible gap measured', async () => {
        const t0 = Date.now();
        const f = await cli(['failover', lvs, '--target', 'lab', '--yes']);
        assert.equal(f.code, 0, f.stderr);
        proof(f.stdout.trim());
        assert.match(f.stdout, /failover lvs1 → lvs2 in [\d.]+ s, client gap \d+ ms; back to lvs1 in [\d.]+ s, client gap \d+ ms/);
        const over = snaps.find((x) => x.at >= t0 && dir(x.s, 'lvs2').vrrp === 'MASTER');
        assert.ok(over, 'the watcher saw lvs2 as MASTER during the failover');
        await until('lvs1 MASTER again', t0, 20_000, (x) => dir(x, 'lvs1').vrrp === 'MASTER' && dir(x, 'lvs2').vrrp === 'BACKUP');
      });
    });
  });
}
