// The shop's service in the lab (issue 14): test/lab/fixtures/shop.lvs (a keepalived pair d1/d2,
// real servers r1 (weight 2) and r2 (weight 1), sorry server maint; one service on ports 80 and
// 443 with persistence, quorum 2 hysteresis 1, IPVS timeouts, the sync daemon) deployed by the
// real engine (`lvsdr deploy --target lab` in the client namespace), then real traffic:
//   timeouts     → `ipvsadm -L --timeout` on both directors shows the file's values (not the kernel's)
//   multi-port   → 20 clients (own source addresses): each one's :80 and :443 land on one real
//                  server (one firewall-mark service, persistent), and the clients use both
//   sorry/quorum → r1 stopped: r2 alone serves (weight 1 is below quorum 2 but within
//                  hysteresis 1); r2 stopped too: maint answers; r2 alone started: still maint,
//                  r2 kept out (weight 1 < quorum 2: keepalived's quorum-down state); r1 started
//                  too (weight 3 ≥ quorum 2 + hysteresis 1): maint leaves, the real servers answer
//   sync daemon  → a held connection, synced to d2, completes through d2 after d1's keepalived
//                  stops; one opened while d2's backup sync daemon was stopped is reset
// The lab's directors are UML kernels without nftables' ip family, so the fixture targets rhel7,
// whose directors mark with iptables (server/lab/uml-director.ts, FIREWALL_MODULES).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { binary, labEnv } from '../../server/lab/run';
import { clientHost, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { runAsCliIfAsked } from '../deploy/cli-mode';
import { labLog, labSuite, lvsdrInLab, startResponder, stopResponder, tally, useTestStateDir, waitFor } from './helpers';

const FIXTURE = 'test/lab/fixtures/shop.lvs';
const VIP = '10.49.0.100';
const SECRET = 'shoppass1';
/** The file's `timeouts { tcp 20m  tcp-fin 90s  udp 4m }` as ipvsadm shows them. */
const FILE_TIMEOUTS = '1200 90 240';
const CLIENTS = Array.from({ length: 20 }, (_, i) => `10.49.0.${200 + i}`);
const SYNCED_SOURCE = '10.49.0.230';
const UNSYNCED_SOURCE = '10.49.0.231';
const HELD_CLIENT = resolve('test/lab/fixtures/held-requests.py');
const proof = (line: string) => console.log(`# proof: ${line}`);

if (!runAsCliIfAsked()) {
  labSuite('shop (lab)', () => {
    describe('multi-port persistence, timeouts, sorry server, quorum and the sync daemon (test/lab/fixtures/shop.lvs)', { timeout: 900_000 }, () => {
      let state: LabState;
      const timeoutsBefore = new Map<string, string>();

      async function sh(host: string, script: string): Promise<string> {
        const r = await execOnHost(state, host, ['sh', '-c', script], { timeoutMs: 60_000 });
        assert.equal(r.code, 0, `${host}: ${script}: ${r.stdout}${r.stderr}`);
        return r.stdout;
      }

      const timeouts = async (d: string) => (/Timeout \(tcp tcpfin udp\): (\d+ \d+ \d+)/.exec(await sh(d, 'ipvsadm -L --timeout'))?.[1] ?? '');
      const hasVip = async (d: string) => (await sh(d, 'ip -4 -o addr show dev eth0')).includes(` ${VIP}/32 `);
      /** Addresses of the real servers in the director's one (firewall-mark) service. */
      const reals = async (d: string) => [...(await sh(d, 'ipvsadm -Ln')).matchAll(/-> (10\.49\.0\.\d+):0\s+Route/g)].map((m) => m[1]).sort();

      /** One request per source address to VIP:PORT; the answering servers' names, in order. */
      async function ask(port: number, sources: string[]): Promise<string[]> {
        const script = sources.map((s) => `curl -s --max-time 3 --interface ${s} http://${VIP}:${port}/ || echo ERROR`).join('\n');
        return (await sh('client', script)).trim().split('\n');
      }

      before(async () => {
        await useTestStateDir('shop');
        const t = Date.now();
        state = await labUp(FIXTURE, { log: labLog });
        const up = Date.now() - t;
        for (const d of ['d1', 'd2']) timeoutsBefore.set(d, await timeouts(d));
        const work = join(state.dir, 'shop-work');
        mkdirSync(work, { recursive: true });
        const lvs = join(work, 'shop.lvs');
        writeFileSync(lvs, readFileSync(FIXTURE, 'utf8'));
        const d = await lvsdrInLab(state, __filename, ['deploy', lvs, '--target', 'lab', '--yes', '--no-probe'], { LVS_SECRET_SHOP_VRRP: SECRET });
        assert.equal(d.code, 0, d.stderr);
        console.log(`# lab up in ${(up / 1000).toFixed(1)} s, deployed in ${((Date.now() - t - up) / 1000).toFixed(1)} s`);
        // The clients: addresses of their own in the client namespace (which has no default route).
        await sh('client', [...CLIENTS, SYNCED_SOURCE, UNSYNCED_SOURCE].map((a) => `ip addr add ${a}/24 dev ${clientHost(state).iface}`).join('\n'));
        await waitFor('d1 to hold the VIP with both real servers in service', async () => (await hasVip('d1')) && (await reals('d1')).join() === '10.49.0.11,10.49.0.12', 60_000, 500);
      });

      after(async () => {
        const s = readState() ?? state;
        if (s) await labDown(s);
        if (s) rmSync(s.dir, { recursive: true, force: true });
      });

      test('IPVS timeouts: both directors run the file\'s values (the kernel\'s were different)', async () => {
        for (const d of ['d1', 'd2']) {
          const now = await timeouts(d);
          proof(`${d} ipvsadm -L --timeout (tcp tcpfin udp): ${timeoutsBefore.get(d)} before the deploy, ${now} after`);
          assert.notEqual(timeoutsBefore.get(d), FILE_TIMEOUTS, 'the fixture\'s values differ from the kernel\'s defaults');
          assert.equal(now, FILE_TIMEOUTS);
        }
      });

      test('ports 80 443: each client\'s connections to both ports land on one real server; 20 clients use both', async () => {
        const fw = await sh('d1', 'iptables -t mangle -S LVS-DR; ipvsadm -Ln');
        const mark = /--set-xmark (0x[0-9a-f]+)\/0xffffffff/.exec(fw)?.[1];
        assert.ok(mark, `d1 marks the service's ports:\n${fw}`);
        assert.match(fw, new RegExp(`-d ${VIP}/32 -p tcp -m multiport --dports 80,443 -j MARK`));
        assert.match(fw, new RegExp(`^FWM\\s+${Number(mark)} wlc persistent 1800$`, 'm'), 'one persistent firewall-mark service');
        const http = await ask(80, CLIENTS);
        const https = await ask(443, CLIENTS);
        const pairs = CLIENTS.map((c, i) => `${c} ${http[i]}/${https[i]}`);
        proof(`per client :80/:443 answers: ${pairs.join(', ')}`);
        proof(`clients per real server: ${JSON.stringify(tally(http))}`);
        for (let i = 0; i < CLIENTS.length; i++) {
          assert.match(http[i], /^r[12]$/, `client ${CLIENTS[i]} on :80`);
          assert.equal(https[i], http[i], `client ${CLIENTS[i]}: :443 answered by the server of :80`);
        }
        assert.deepEqual(Object.keys(tally(http)).sort(), ['r1', 'r2']);
      });

      test('sorry server and quorum: r1 down → r2 serves (hysteresis); r2 down too → maint; r2 back alone is below quorum → still maint; r1 too → the real servers', async () => {
        const sample = CLIENTS.slice(0, 4);
        const answeredBy = async (want: string[]) => (await ask(80, sample)).every((a) => want.includes(a));
        // Three check intervals (every 2 s, timeout 1 s): long enough for keepalived to act.
        const checks = () => new Promise((r) => setTimeout(r, 6000));
        try {
          await stopResponder(state, 'r1');
          await waitFor('r1 out of d1\'s service', async () => !(await reals('d1')).includes('10.49.0.11'), 20_000, 500);
          await checks();
          const left = await reals('d1');
          const alone = await ask(80, sample);
          proof(`r1 stopped (weight 1 left, below quorum 2 but not below quorum 2 − hysteresis 1): d1's service ${left.join(', ')}, answers ${alone.join(' ')}`);
          assert.deepEqual(left, ['10.49.0.12'], 'hysteresis: the quorum stays up with r2 alone');
          assert.deepEqual(alone, sample.map(() => 'r2'));

          await stopResponder(state, 'r2');
          const t0 = Date.now();
          await waitFor('maint to answer', () => answeredBy(['maint']), 20_000, 500);
          proof(`every responder stopped: maint answers ${((Date.now() - t0) / 1000).toFixed(1)} s later; d1's service: ${(await reals('d1')).join(', ')}`);
          assert.deepEqual(await reals('d1'), ['10.49.0.20']);

          await startResponder(state, 'r2');
          await waitFor('r2 to answer on its own address', async () => (await sh('client', 'curl -s --max-time 2 http://10.49.0.12/ || true')).trim() === 'r2', 10_000, 200);
          // keepalived has seen r2 healthy; its weight 1 is below quorum 2 (+ hysteresis 1 to
          // regain it), so the quorum stays down.
          await checks();
          const kept = await reals('d1');
          const answers = await ask(80, sample);
          proof(`r2 answering for 6 s (weight 1 < quorum 2; regaining needs quorum 2 + hysteresis 1): d1's service ${kept.join(', ')}, answers ${answers.join(' ')}`);
          assert.deepEqual(kept, ['10.49.0.20'], 'quorum down: the sorry server alone, r2 kept out');
          assert.deepEqual(answers, sample.map(() => 'maint'));
        } finally {
          await startResponder(state, 'r1');
          await startResponder(state, 'r2').catch(() => undefined);
        }
        const t1 = Date.now();
        await waitFor('the real servers to answer again', () => answeredBy(['r1', 'r2']), 20_000, 500);
        proof(`r1 started too (weight 3 ≥ quorum 2 + hysteresis 1): the real servers answer ${((Date.now() - t1) / 1000).toFixed(1)} s later; d1's service: ${(await reals('d1')).join(', ')}`);
        assert.deepEqual(await reals('d1'), ['10.49.0.11', '10.49.0.12'], 'quorum up: maint removed');
      });

      test('sync daemon: a held connection synced to d2 completes through d2 after d1\'s keepalived stops; one not synced is reset', async () => {
        const held = (source: string) => {
          const child = spawn(binary('ip'), ['netns', 'exec', clientHost(state).ns, '/usr/bin/python3', HELD_CLIENT, VIP, '443', '1', 'stdin', source], { env: labEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
          let out = '';
          child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
          const done = new Promise<string>((r) => child.on('close', () => r(out)));
          return { child, out: () => out, done };
        };
        const entry = async (d: string, source: string) => new RegExp(`^TCP .* ESTABLISHED ${source.replace(/\./g, '\\.')}:\\d+\\s+${VIP.replace(/\./g, '\\.')}:443\\s+(10\\.49\\.0\\.1[12]):443`, 'm').exec(await sh(d, 'ipvsadm -Lnc'))?.[1];
        await waitFor('both real servers in d1\'s service', async () => (await reals('d1')).join() === '10.49.0.11,10.49.0.12', 30_000, 500);
        const a = held(SYNCED_SOURCE);
        let syncedTo: string | undefined;
        let b: ReturnType<typeof held> | undefined;
        try {
          await waitFor('the synced connection to be open', async () => a.out().includes('open'), 20_000, 100);
          const dest = await entry('d1', SYNCED_SOURCE);
          assert.ok(dest, 'd1 carries the held connection');
          const ms = await waitFor('d2 to hold the synced connection', async () => (await entry('d2', SYNCED_SOURCE)) === dest, 20_000, 250);
          proof(`d2's ipvsadm -Lnc shows ${SYNCED_SOURCE} → ${dest} ESTABLISHED ${ms} ms after it opened (sync daemon)`);

          // The control: without the backup's sync daemon, a connection d2 never hears of.
          await sh('d2', 'ipvsadm --stop-daemon backup');
          b = held(UNSYNCED_SOURCE);
          await waitFor('the unsynced connection to be open', async () => b!.out().includes('open'), 20_000, 100);
          assert.ok(await entry('d1', UNSYNCED_SOURCE), 'd1 carries the second held connection');
          await new Promise((r) => setTimeout(r, Math.max(4000, 2 * ms)));
          assert.equal(await entry('d2', UNSYNCED_SOURCE), undefined, 'd2 has no entry for the connection opened without its sync daemon');

          const t0 = Date.now();
          await sh('d1', 'kill -TERM "$(cat /run/keepalived.pid)"');
          await waitFor('d2 alone to hold the VIP', async () => (await hasVip('d2')) && !(await hasVip('d1')), 20_000, 100);
          proof(`d2 alone holds the VIP ${Date.now() - t0} ms after d1's keepalived was sent SIGTERM`);
          assert.deepEqual(await reals('d1'), [], 'd1 has no virtual server left: packets to the VIP go through d2');
          syncedTo = dest;
        } finally {
          a.child.stdin!.end('\n');
          b?.child.stdin!.end('\n');
        }
        const [outA, outB] = await Promise.all([a.done, b!.done]);
        const answerA = outA.trim().split('\n')[1];
        const answerB = outB.trim().split('\n')[1];
        const d2 = await sh('d2', 'ipvsadm -L --daemon; ipvsadm -Lnc');
        proof(`after the failover: the synced connection answered '${answerA}', the unsynced one '${answerB}'`);
        assert.equal(answerA, { '10.49.0.11': 'r1', '10.49.0.12': 'r2' }[syncedTo!], 'the synced connection completes its request through d2, at its real server');
        assert.match(d2, /master sync daemon/, 'd2, now master, runs the master sync daemon');
        assert.equal(answerB, 'ERROR-ConnectionResetError', 'without the sync daemon the connection is reset');
      });
    });
  });
}
