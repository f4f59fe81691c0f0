// IPv6 Direct Routing in the lab (issue 14). First, on the machine's own kernel (real servers are
// network namespaces of it), the fact the real-server files rest on: an IPv6 VIP /128 on `lo` is
// not answered in Neighbor Discovery, while the same address on the NIC is. Then the generated
// files of a dual-stack cluster (test/lab/fixtures/dual-v6.lvs: one IPv6 VIP, a VRRP pair in
// UML with IPv6 IPVS, two real servers) deployed by hand: HTTP over IPv6 through the VIP reaches
// both real servers, the director sends no packet back (DR), and the backup takes over the VIP
// within 4 s of the master's keepalived stopping.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { generateFile, GeneratedFile } from '../../server/generate';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { labLog, labSuite, settledStats, tally, useTestStateDir, waitFor, writeFilesScript } from './helpers';

const FIXTURE = 'test/lab/fixtures/dual-v6.lvs';
const VIP = '2001:db8:161::100';

function sh(script: string): { code: number; out: string } {
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

labSuite('IPv6 in the lab', () => {
  describe('a real server does not answer Neighbor Solicitations for an IPv6 VIP on lo (namespaces)', () => {
    const tag = `lvs6nd${process.pid}`;
    after(() => { sh(`ip netns del ${tag}-c 2>/dev/null; ip netns del ${tag}-r 2>/dev/null; true`); });

    test('VIP /128 on lo: the neighbour entry FAILS; the same kind of address on the NIC is REACHABLE', () => {
      const send = (addr: string) => `ip netns exec ${tag}-c python3 -c "import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).sendto(b'x', ('${addr}', 9))"`;
      const setup = sh([
        'set -e',
        `ip netns add ${tag}-c`, `ip netns add ${tag}-r`,
        `ip link add ${tag}c type veth peer name ${tag}r`,
        `ip link set ${tag}c netns ${tag}-c`, `ip link set ${tag}r netns ${tag}-r`,
        `ip -n ${tag}-c link set ${tag}c up`, `ip -n ${tag}-r link set ${tag}r up`, `ip -n ${tag}-r link set lo up`,
        `ip -n ${tag}-c addr add 2001:db8:162::1/64 dev ${tag}c nodad`,
        `ip -n ${tag}-r addr add 2001:db8:162::2/64 dev ${tag}r nodad`,
        // What the generated real-server files do: the VIP /128 on lo, nothing else.
        `ip -n ${tag}-r addr add 2001:db8:162::100/128 dev lo`,
        `ip -n ${tag}-r addr add 2001:db8:162::101/128 dev ${tag}r nodad`,
        send('2001:db8:162::100'), send('2001:db8:162::101'),
        'sleep 3.5', // three solicitations one second apart, then FAILED
        `ip -n ${tag}-c -6 neigh show dev ${tag}c`,
        `ip netns exec ${tag}-r sysctl -n net.ipv6.conf.all.proxy_ndp net.ipv6.conf.all.forwarding`,
      ].join('\n'));
      console.log(`# neighbour table of the client:\n${setup.out.trim().replace(/^/gm, '#   ')}`);
      assert.equal(setup.code, 0, setup.out);
      assert.match(setup.out, /2001:db8:162::100 +(FAILED|INCOMPLETE)/, 'nobody answers for the VIP on lo');
      assert.doesNotMatch(setup.out, /2001:db8:162::100 lladdr/);
      assert.match(setup.out, /2001:db8:162::101 lladdr \S+ (REACHABLE|STALE|DELAY)/, 'an address on the NIC is answered');
    });
  });

  describe('IPv6 Direct Routing through a VRRP pair (test/lab/fixtures/dual-v6.lvs)', { timeout: 600_000 }, () => {
    let state: LabState | undefined;
    let files: GeneratedFile[] = [];

    before(async () => {
      await useTestStateDir('ipv6');
      const gen = generateFile(readFileSync(FIXTURE, 'utf8'), 'dual-v6.lvs', {});
      files = gen.clusters[0].files;
      assert.deepEqual(gen.clusters[0].warnings, []);
      state = await labUp(FIXTURE, { log: labLog });
    });

    after(async () => {
      const s = readState() ?? state;
      if (s) await labDown(s);
    });

    const on = (host: string, argv: string[], input?: string) => execOnHost(state!, host, argv, { input, timeoutMs: 180_000 });
    const hasVip = async (host: string) => (await on(host, ['ip', '-6', '-o', 'addr', 'show', 'dev', 'eth0'])).stdout.includes(` ${VIP}/128 `);
    const get = (timeout = 5) => on('client', ['curl', '-g', '-s', '--max-time', String(timeout), `http://[${VIP}]/`]);
    const realsIn = async (host: string) => ((await on(host, ['ipvsadm', '-Ln'])).stdout.match(/-> \[2001:db8:161::1[12]\]:80\s+Route/g) ?? []).length;

    test('the UML director kernel has IPv6 IPVS, and every host applies its files (real servers first)', async () => {
      const mods = await on('d1', ['sh', '-c', 'cat /proc/net/if_inet6 >/dev/null && grep -c . /proc/net/ip_vs; grep -E "^(ip_vs|ipv6) " /proc/modules | cut -d" " -f1']);
      console.log(`# d1 kernel: ${mods.stdout.trim().replace(/\n/g, ' ')}`);
      assert.match(mods.stdout, /\bipv6\b/);
      assert.match(mods.stdout, /\bip_vs\b/);
      for (const host of ['r1', 'r2', 'd2', 'd1']) {
        const w = await on(host, ['sh', '-s'], writeFilesScript(files.filter((f) => f.host === host)));
        assert.equal(w.code, 0, `${host}: writing files: ${w.stderr}`);
        const r = await on(host, ['sh', '/opt/lvs/apply.sh']);
        console.log(`# ${host} apply.sh (exit ${r.code}):\n${(r.stdout + r.stderr).trim().replace(/^/gm, '#   ')}`);
        assert.equal(r.code, 0, `${host} apply.sh failed`);
      }
    });

    test('the master holds the IPv6 VIP, verify.sh passes everywhere, both real servers are in its IPVS table', async () => {
      const ms = await waitFor('d1 to hold the IPv6 VIP', () => hasVip('d1'), 60_000);
      console.log(`# d1 holds ${VIP}/128 after ${(ms / 1000).toFixed(1)} s`);
      assert.equal(await hasVip('d2'), false);
      for (const host of ['r1', 'r2', 'd1', 'd2']) {
        const r = await on(host, ['sh', '/opt/lvs/verify.sh']);
        assert.equal(r.code, 0, `${host} verify.sh: ${r.stdout}${r.stderr}`);
      }
      await waitFor('two IPv6 real servers in d1\'s table', async () => (await realsIn('d1')) === 2, 60_000);
    });

    test('HTTP over IPv6 through the VIP reaches both real servers; the director sends nothing back (OutPkts 0)', async () => {
      const answers: string[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await get();
        assert.equal(r.code, 0, `request ${i}: curl exit ${r.code} ${r.stderr}`);
        answers.push(r.stdout.trim());
      }
      console.log(`# answers: ${JSON.stringify(tally(answers))}`);
      assert.deepEqual(Object.keys(tally(answers)).sort(), ['r1', 'r2']);
      const { stats, raw } = await settledStats(async () => (await on('d1', ['ipvsadm', '-Ln', '--stats'])).stdout, 'tcp', `[${VIP}]:80`, 20);
      console.log(`# d1 ipvsadm -Ln --stats:\n${raw.trim().replace(/^/gm, '#   ')}`);
      assert.ok(stats && stats.conns >= 20 && stats.inPkts > 0, raw);
      assert.equal(stats.outPkts, 0, 'DR: the replies go from the real servers straight to the client');
    });

    test('VRRP failover: the backup holds the IPv6 VIP within 4 s of the master\'s keepalived stopping, and serves', async () => {
      await waitFor('two IPv6 real servers in d2\'s table', async () => (await realsIn('d2')) === 2, 60_000);
      const t0 = Date.now();
      const stop = await on('d1', ['sh', '-c', 'kill "$(cat /run/keepalived.pid)"']);
      assert.equal(stop.code, 0, stop.stderr);
      const sent = Date.now() - t0;
      await waitFor('d2 to hold the IPv6 VIP', () => hasVip('d2'), 30_000, 100);
      const takeover = Date.now() - t0;
      await waitFor('the VIP to answer through d2', async () => (await get(2)).code === 0 && !(await hasVip('d1')), 30_000, 100);
      const served = Date.now() - t0;
      console.log(`# failover: kill sent after ${sent} ms; d2 holds the VIP ${takeover} ms after, HTTP answered through d2 ${served} ms after`);
      assert.ok(takeover <= 4000, `the backup took ${takeover} ms to take the IPv6 VIP over`);
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) answers.push((await get()).stdout.trim());
      assert.deepEqual(Object.keys(tally(answers)).sort(), ['r1', 'r2']);
      const { stats, raw } = await settledStats(async () => (await on('d2', ['ipvsadm', '-Ln', '--stats'])).stdout, 'tcp', `[${VIP}]:80`);
      assert.ok(stats && stats.inPkts > 0, `d2 carries the traffic now: ${raw}`);
      assert.equal(stats.outPkts, 0);
    });
  });
});
