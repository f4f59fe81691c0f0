// Runtime state follows the file, both ways, against the lab of examples/seed.lvs (keepalived
// pair lvs1/lvs2, real servers web1/web2), deployed with the `lvsdr` command line run in the
// lab's client namespace. One lab for both proofs:
//   rollback without blips  a request loop through the VIP runs while a deploy of a change on
//                           every host (a sysctl everywhere, web1's weight) fails in verify.sh
//                           on the master and is rolled back: no request fails (0.95 s timeout:
//                           a packet lost to a missing VIP costs a 1 s SYN retransmit), and every host
//                           is back to its runtime state before the deploy (the hosts already
//                           applied are converged by their previous apply.sh, not torn down);
//   a VIP moved             the VIP changed from .100 to .101 and deployed: .100 is on no host
//                           and no IPVS service, .101 answers through DR (both real servers,
//                           the master's IPVS counts the connections), and the client's ARP
//                           entry for .101, planted stale with the backup's MAC, follows to the
//                           master's MAC within 2 s of the master taking the address (measured
//                           and printed; the client sends nothing to .101 meanwhile).
// The verify failure on the master: a `sysctl` in lvs1's /usr/local/sbin that reads a wrong
// tcp_fin_timeout when its caller is verify.sh (apply.sh and the real value are untouched).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { clientHost, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { Journal } from '../../server/deploy/journal';
import { labLog, labSuite, serviceStats, useTestStateDir, waitFor } from '../lab/helpers';
import { cliInvocation, runAsCliIfAsked } from './cli-mode';

const OLD_VIP = '192.168.147.100';
const NEW_VIP = '192.168.147.101';
const SECRET = 'labpass1';
const HOSTS = ['lvs1', 'lvs2', 'web1', 'web2'];
const HTTP_CLIENT = resolve('test/lab/fixtures/http-requests.py');

/** A change on every host: one more sysctl on each, web1's weight. */
function everyHostChanged(seed: string): string {
  let s = seed.replace('real web1 weight 1', 'real web1 weight 2');
  s = s.replace(/(role (?:master|backup)\s+priority \d+)/g, '$1  sysctl net.ipv4.tcp_fin_timeout = 31');
  return s.replace(/vip-on lo:0 \}/g, 'vip-on lo:0  sysctl net.ipv4.tcp_fin_timeout = 31 }');
}

/** lvs1's verify.sh reads tcp_fin_timeout as 77; everything else sees the real sysctl. */
const LYING_SYSCTL = [
  '#!/bin/sh',
  'if [ "$*" = "-n net.ipv4.tcp_fin_timeout" ] && tr \'\\0\' \' \' <"/proc/$PPID/cmdline" | grep -q verify.sh; then',
  '  echo 77',
  '  exit 0',
  'fi',
  'exec /usr/sbin/sysctl "$@"',
].join('\n');

const proof = (line: string) => console.log(`# proof: ${line}`);

if (!runAsCliIfAsked()) {
  labSuite('runtime state follows the file (lab)', () => {
    describe('runtime state follows the file: rollback without blips, a moved VIP (examples/seed.lvs)', { timeout: 900_000 }, () => {
      let state: LabState;
      let work = '';
      let lvs = '';
      let seedText = '';

      before(async () => {
        await useTestStateDir('runtime-state');
        const t = Date.now();
        state = await labUp('examples/seed.lvs', { log: labLog });
        console.log(`# lab up ${((Date.now() - t) / 1000).toFixed(1)} s`);
        work = join(state.dir, 'runtime-state-work');
        mkdirSync(work, { recursive: true });
        lvs = join(work, 'seed.lvs');
        seedText = readFileSync('examples/seed.lvs', 'utf8');
      });

      after(async () => {
        const s = readState() ?? state;
        if (s) await labDown(s);
        if (s) rmSync(s.dir, { recursive: true, force: true });
      });

      async function sh(host: string, script: string): Promise<string> {
        const r = await execOnHost(state, host, ['sh', '-c', script], { timeoutMs: 120_000 });
        assert.equal(r.code, 0, `${host}: ${script}: ${r.stdout}${r.stderr}`);
        return r.stdout;
      }

      function cli(args: string[]): Promise<{ code: number; stderr: string; ms: number }> {
        const inv = cliInvocation(join(__dirname, 'lab-runtime-state.test.js'));
        const t0 = Date.now();
        return new Promise((done, fail) => {
          const child = spawn('ip', ['netns', 'exec', clientHost(state).ns, process.execPath, ...inv.argv, ...args], {
            env: { ...process.env, ...inv.env, LVSDR_LAB_DIR: state.dir, LVS_SECRET_VRRP_WEB: SECRET },
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
          child.on('error', fail);
          child.on('close', (code) => done({ code: code ?? 1, stderr: err, ms: Date.now() - t0 }));
        });
      }

      const deploy = (text: string) => {
        writeFileSync(lvs, text);
        return cli(['deploy', lvs, '--target', 'lab', '--yes']);
      };

      function lastJournal(): Journal {
        const dir = join(work, '.lvs-deploy');
        const names = execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter((n) => n.endsWith('.json')).sort();
        return JSON.parse(readFileSync(join(dir, names[names.length - 1]), 'utf8')) as Journal;
      }

      /** Addresses, the sysctl the change touches, the IPVS table: what a rollback must restore. */
      async function runtime(): Promise<Record<string, string>> {
        const out: Record<string, string> = {};
        await Promise.all(HOSTS.map(async (h) => {
          out[h] = await sh(h, [
            "ip -4 -o addr show | awk '{print $2, $4}' | sort",
            'echo "tcp_fin_timeout=$(sysctl -n net.ipv4.tcp_fin_timeout)"',
            h.startsWith('lvs') ? 'ipvsadm -S -n | sort' : ':',
          ].join('; '));
        }));
        return out;
      }

      /** A request loop in the client namespace: one line per request, stamped when it arrives. */
      function requestLoop(vip: string): { count: () => number; stop: () => Promise<Array<{ at: number; answer: string }>> } {
        const lines: Array<{ at: number; answer: string }> = [];
        // 0.95 s per request: a SYN the path dropped is sent again after 1 s (TCP's initial RTO), so
        // a request that lost a packet to a VIP missing for a moment fails instead of only stalling.
        const child = spawn('ip', ['netns', 'exec', clientHost(state).ns, '/usr/bin/python3', HTTP_CLIENT, vip, '80', '1000000', '/', '0.95'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let partial = '';
        child.stdout!.on('data', (d: Buffer) => {
          const parts = (partial + d.toString()).split('\n');
          partial = parts.pop()!;
          for (const p of parts) lines.push({ at: Date.now(), answer: p.trim() });
        });
        const closed = new Promise<void>((r) => child.on('close', () => r()));
        return { count: () => lines.length, stop: async () => { child.kill('SIGTERM'); await closed; return lines; } };
      }

      test('first deploy of the seed', async () => {
        const r = await deploy(seedText);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(lastJournal().outcome, 'success');
        proof(`first deploy ${(r.ms / 1000).toFixed(1)} s`);
        // keepalived settles: the master (priority 100) takes the VIP over from the backup, which
        // started first and was alone for a moment.
        await waitFor('lvs1 to hold the VIP', async () => (await sh('lvs1', 'ip -4 -o addr show dev ens33')).includes(` ${OLD_VIP}/32 `), 30_000, 250);
      });

      test('rollback after a verify failure on the master: no failed request, hosts converged without teardown', async () => {
        const before = await runtime();
        await sh('lvs1', `mkdir -p /usr/local/sbin && printf '%s\\n' '${LYING_SYSCTL.replace(/'/g, `'\\''`)}' >/usr/local/sbin/sysctl && chmod 755 /usr/local/sbin/sysctl`);
        const loop = requestLoop(OLD_VIP);
        try {
          await waitFor('the request loop answering', async () => loop.count() >= 5, 10_000, 100);
          const t0 = Date.now();
          const r = await deploy(everyHostChanged(seedText));
          const t1 = Date.now();
          await new Promise((res) => setTimeout(res, 1500));
          const lines = await loop.stop();
          assert.notEqual(r.code, 0, 'the deploy fails');
          const j = lastJournal();
          assert.equal(j.outcome, 'failed', r.stderr);
          assert.equal(j.error?.host, 'lvs1');
          assert.equal(j.error?.step, 'verify');
          assert.match(j.error?.message ?? '', /tcp_fin_timeout/);
          const during = lines.filter((l) => l.at >= t0 && l.at <= t1);
          const failed = lines.filter((l) => !/^web[12]$/.test(l.answer));
          proof(`requests during the failed deploy and its rollback (${((t1 - t0) / 1000).toFixed(1)} s): ${during.length}, ` +
            `failed ${failed.length}${failed.length ? `: ${failed.map((f) => `${f.answer}@+${f.at - t0}ms`).join(' ')}` : ''}; requests in all ${lines.length}`);
          assert.ok(during.length >= 20, `the loop ran during the deploy (${during.length} requests)`);
          assert.deepEqual(failed, [], 'no request failed');
          for (const h of j.hosts) {
            assert.equal(h.outcome, 'rolled-back', `${h.name}: ${h.outcome}`);
            const rb = h.steps.find((st) => st.step === 'rollback' && st.outcome === 'ok');
            assert.match(rb?.detail ?? '', /no teardown/, `${h.name} converged by its previous apply.sh, not torn down: ${rb?.detail}`);
          }
          // keepalived settles after its reloads (the master may hand the VIP over for a moment).
          let now = await runtime();
          const deadline = Date.now() + 30_000;
          while (JSON.stringify(now) !== JSON.stringify(before) && Date.now() < deadline) {
            await new Promise((res) => setTimeout(res, 1000));
            now = await runtime();
          }
          assert.deepEqual(now, before, 'every host back to its runtime state before the deploy');
        } finally {
          await loop.stop().catch(() => undefined);
          await sh('lvs1', 'rm -f /usr/local/sbin/sysctl');
        }
      });

      test('a VIP moved: the old address on no host, the new one served through DR, the client\'s ARP entry follows', async () => {
        const macOf = async (h: string) => (await sh(h, "cat /sys/class/net/ens33/address")).trim();
        const [masterMac, backupMac] = [await macOf('lvs1'), await macOf('lvs2')];
        const client = clientHost(state);
        // The client believes .101 is at the backup (as if the VIP had lived there): a stale entry.
        execFileSync('ip', ['-n', client.ns, 'neigh', 'replace', NEW_VIP, 'lladdr', backupMac, 'dev', client.iface, 'nud', 'stale']);
        const clientEntry = () => execFileSync('ip', ['-n', client.ns, 'neigh', 'show', NEW_VIP, 'dev', client.iface], { encoding: 'utf8' }).trim();
        assert.match(clientEntry(), new RegExp(backupMac));

        // Watch, while the deploy runs: when the master takes .101, and when the client's entry moves.
        let tVip = 0;
        let tArp = 0;
        let watching = true;
        const watchVip = (async () => {
          while (watching && !tVip) {
            const r = await execOnHost(state, 'lvs1', ['ip', '-4', '-o', 'addr', 'show', 'dev', 'ens33'], { timeoutMs: 10_000 });
            if (r.stdout.includes(` ${NEW_VIP}/32 `)) tVip = Date.now();
            else await new Promise((res) => setTimeout(res, 50));
          }
        })();
        const watchArp = (async () => {
          while (watching && !tArp) {
            if (clientEntry().includes(masterMac)) tArp = Date.now();
            else await new Promise((res) => setTimeout(res, 50));
          }
        })();
        const tDeploy = Date.now();
        const r = await deploy(seedText.replace(`vip ${OLD_VIP}`, `vip ${NEW_VIP}`));
        try {
          assert.equal(r.code, 0, r.stderr);
          await waitFor('the master to hold the new VIP', async () => tVip > 0, 10_000, 100);
          await waitFor('the client\'s ARP entry to follow', async () => tArp > 0, 10_000, 100).catch(() => undefined);
        } finally {
          watching = false;
          await Promise.all([watchVip, watchArp]);
        }
        const follow = tArp ? tArp - tVip : NaN;
        proof(`VIP moved ${OLD_VIP} → ${NEW_VIP}: the client's ARP entry followed to the master ${Number.isNaN(follow) ? 'NOT within 10 s' : `${Math.max(0, follow)} ms`} after the master took the address (master seen with it at +${tVip - tDeploy} ms, entry moved at +${tArp - tDeploy} ms of the deploy; ` +
          `the deploy's own probe comes after the master's verify; now: ${clientEntry()}); deploy ${(r.ms / 1000).toFixed(1)} s`);
        assert.ok(follow <= 2000, `the client's ARP entry follows within 2 s (${follow} ms)`);

        const addrs = await Promise.all(HOSTS.map(async (h) => `${h}: ${(await sh(h, "ip -4 -o addr show | awk '{print $2, $4}'")).trim().replace(/\n/g, ', ')}`));
        proof(`addresses after the move: ${addrs.join('; ')}`);
        for (const line of addrs) assert.doesNotMatch(line, new RegExp(` ${OLD_VIP.replace(/\./g, '\\.')}/`), `the old VIP is on no host (${line})`);
        for (const h of ['lvs1', 'lvs2']) assert.doesNotMatch(await sh(h, 'ipvsadm -S -n'), new RegExp(OLD_VIP.replace(/\./g, '\\.')), `${h}: no IPVS service of the old VIP`);
        for (const h of ['web1', 'web2']) assert.match(addrs.find((l) => l.startsWith(h))!, new RegExp(`lo ${NEW_VIP.replace(/\./g, '\\.')}/32`), `${h} holds the new VIP on lo`);

        const before = serviceStats(await sh('lvs1', 'ipvsadm -Ln --stats'), 'tcp', `${NEW_VIP}:80`)?.conns ?? 0;
        const res = await execOnHost(state, 'client', ['/usr/bin/python3', HTTP_CLIENT, NEW_VIP, '80', '20'], { timeoutMs: 60_000 });
        const answers = res.stdout.trim().split('\n');
        proof(`20 requests to ${NEW_VIP}: ${answers.join(' ')}`);
        assert.deepEqual([...new Set(answers)].sort(), ['web1', 'web2'], 'both real servers answer the new VIP');
        await waitFor('the master to count the connections (DR through lvs1)', async () =>
          (serviceStats(await sh('lvs1', 'ipvsadm -Ln --stats'), 'tcp', `${NEW_VIP}:80`)?.conns ?? 0) >= before + 20, 10_000, 250);
      });
    });
  });
}
