// Proof by real traffic, on the larger cluster (examples/large.lvs, cluster shop): two directors
// with keepalived, three real servers weighted 3/2/1 (wrr), two VIPs (www: HTTP 80 + 443,
// dns: UDP 53). The generated files are written into every lab host and applied with their own
// apply.sh; then 600 HTTP requests to www must split 3:2:1 (±10 % relative per server), the UDP
// service must answer from the VIP, and both VIPs must answer, all by Direct Routing.
// Measured numbers are printed as `# proof: …` lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateFile, GeneratedFile } from '../../server/generate';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { hostByName, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { applyChanges, ipvsReals, labLog, labSuite, serviceStats, tally, useTestStateDir, waitFor, writeFilesScript } from './helpers';

const WWW = '10.20.0.100';
const DNS = '10.20.0.53';
const REALS: Record<string, { address: string; weight: number }> = {
  app1: { address: '10.20.0.21', weight: 3 },
  app2: { address: '10.20.0.22', weight: 2 },
  app3: { address: '10.20.0.23', weight: 1 },
};
const SERVICES = [['tcp', `${WWW}:80`], ['tcp', `${WWW}:443`], ['udp', `${DNS}:53`]] as const;
const HTTP_CLIENT = resolve('test/lab/fixtures/http-requests.py');
const UDP_CLIENT = resolve('test/lab/fixtures/udp-requests.py');
const REQUESTS = 600;

function proof(line: string): void {
  console.log(`# proof: ${line}`);
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

labSuite('proof by real traffic: wrr, UDP, two VIPs', () => {
  describe('proof by real traffic: wrr 3/2/1, UDP and two VIPs (examples/large.lvs)', { timeout: 600_000 }, () => {
    let state: LabState | undefined;
    let files: GeneratedFile[] = [];
    const t0 = Date.now();

    before(async () => {
      await useTestStateDir('proof-wrr');
      const gen = generateFile(readFileSync('examples/large.lvs', 'utf8'), 'large.lvs', { secrets: (ref) => (ref.name === 'vrrp-shop' ? 'labpass2' : undefined) });
      assert.deepEqual(gen.clusters[0].warnings, []);
      files = gen.clusters[0].files;
      state = await labUp('examples/large.lvs', { log: labLog });
    });

    after(async () => {
      const s = readState() ?? state;
      if (s) await labDown(s);
      console.log(`# proof-wrr total ${s1(Date.now() - t0)}`);
    });

    const on = (host: string, argv: string[], input?: string) => execOnHost(state!, host, argv, { input, timeoutMs: 180_000 });

    async function client(argv: string[]): Promise<string[]> {
      const r = await on('client', ['/usr/bin/python3', ...argv]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim().split('\n');
    }

    async function vipsOn(host: string): Promise<string[]> {
      const h = hostByName(state!, host)!;
      const r = await on(host, ['ip', '-4', '-o', 'addr', 'show', 'dev', h.iface]);
      return [WWW, DNS].filter((v) => r.stdout.includes(`inet ${v}/32`));
    }

    async function tables(host: string): Promise<string> {
      return (await on(host, ['ipvsadm', '-Ln'])).stdout;
    }

    const wantReals = (port: number) => Object.values(REALS).map((r) => `${r.address}:${port}/${r.weight}`).sort();
    const haveReals = (text: string, proto: string, vipPort: string) => ipvsReals(text, proto, vipPort).map((r) => `${r.address}/${r.weight}`).sort();
    const complete = (text: string) => SERVICES.every(([proto, vp]) => JSON.stringify(haveReals(text, proto, vp)) === JSON.stringify(wantReals(Number(vp.split(':')[1]))));

    async function stats(host: string) {
      const text = (await on(host, ['ipvsadm', '-Ln', '--stats'])).stdout;
      return Object.fromEntries(SERVICES.map(([proto, vp]) => [`${proto} ${vp}`, serviceStats(text, proto, vp)]));
    }

    test('the generated files are applied (real servers, then directors); verify.sh passes everywhere', async () => {
      const t = Date.now();
      const deploy = async (host: string) => {
        const w = await on(host, ['sh', '-s'], writeFilesScript(files.filter((f) => f.host === host)));
        assert.equal(w.code, 0, `${host}: writing files: ${w.stderr}`);
        const r = await on(host, ['sh', '/opt/lvs/apply.sh']);
        const out = (r.stdout + r.stderr).trim();
        console.log(`# ${host} apply.sh (exit ${r.code}):\n${out.replace(/^/gm, '#   ')}`);
        assert.equal(r.code, 0, `${host} apply.sh failed`);
        assert.ok(applyChanges(out).length > 0, `${host}: the first apply.sh changes something`);
      };
      assert.deepEqual([...new Set(files.map((f) => f.host))].sort(), ['app1', 'app2', 'app3', 'lb1', 'lb2']);
      await Promise.all(['app1', 'app2', 'app3'].map(deploy));
      await Promise.all(['lb1', 'lb2'].map(deploy));
      await waitFor('lb1 (VRRP master) to own both VIPs', async () => (await vipsOn('lb1')).length === 2, 60_000);
      await waitFor('3 reals with weights 3/2/1 in every service of lb1 and lb2', async () => complete(await tables('lb1')) && complete(await tables('lb2')), 60_000);
      assert.deepEqual(await vipsOn('lb2'), [], 'the backup holds no VIP');
      await Promise.all(['app1', 'app2', 'app3', 'lb1', 'lb2'].map(async (host) => {
        const r = await on(host, ['sh', '/opt/lvs/verify.sh']);
        assert.equal(r.code, 0, `${host} verify.sh: ${r.stdout}${r.stderr}`);
        assert.equal(r.stdout.trim(), 'OK');
      }));
      const lo = await Promise.all(['app1', 'app2', 'app3'].map(async (h) => {
        const text = (await on(h, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'lo'])).stdout;
        return `${h} ${[...text.matchAll(/inet (\S+\/32) .*?(lo:\d+)/g)].map((m) => `${m[1]} ${m[2]}`).join(', ')}`;
      }));
      proof(`large.lvs deployed on 5 hosts in ${s1(Date.now() - t)}; lb1 holds ${WWW} and ${DNS}; verify.sh OK everywhere; VIPs on lo: ${lo.join('; ')}`);
    });

    test('the health-check path /healthz answers 200 on every real server', async () => {
      for (const [name, r] of Object.entries(REALS)) {
        assert.deepEqual(await client([HTTP_CLIENT, r.address, '80', '1', '/healthz']), [name], `GET http://${r.address}/healthz`);
      }
    });

    test(`5. ${REQUESTS} HTTP requests to VIP www split 3:2:1 (±10 % relative) by Direct Routing`, async () => {
      const before = (await stats('lb1'))[`tcp ${WWW}:80`];
      const t = Date.now();
      const answers = await client([HTTP_CLIENT, WWW, '80', String(REQUESTS)]);
      const ms = Date.now() - t;
      assert.equal(answers.length, REQUESTS);
      const counts = tally(answers);
      const total = Object.values(REALS).reduce((a, r) => a + r.weight, 0);
      const shares = Object.entries(REALS).map(([name, r]) => {
        const got = counts[name] ?? 0;
        const want = (REQUESTS * r.weight) / total;
        return { name, got, want, share: got / REQUESTS, dev: (got - want) / want };
      });
      proof(`wrr: ${REQUESTS} requests to ${WWW}:80 in ${s1(ms)}: ` + shares.map((x) => `${x.name} ${x.got} (${(x.share * 100).toFixed(1)} %, expected ${x.want}, ${(x.dev * 100).toFixed(1)} %)`).join(', ') +
        `; other answers: ${JSON.stringify(Object.fromEntries(Object.entries(counts).filter(([k]) => !(k in REALS))))}`);
      assert.deepEqual(Object.keys(counts).sort(), Object.keys(REALS).sort(), 'every request answered by one of the three servers');
      for (const x of shares) assert.ok(Math.abs(x.dev) <= 0.1, `${x.name}: ${x.got} of ${REQUESTS}, expected ${x.want} ±10 %`);
      let st = before;
      await waitFor('lb1\'s IPVS counters to include the requests', async () => ((st = (await stats('lb1'))[`tcp ${WWW}:80`])?.conns ?? 0) - (before?.conns ?? 0) >= REQUESTS, 10_000);
      assert.ok(st);
      proof(`lb1 ipvsadm -Ln --stats TCP ${WWW}:80: Conns ${st.conns} InPkts ${st.inPkts} OutPkts ${st.outPkts}`);
      assert.equal(st.conns - (before?.conns ?? 0), REQUESTS);
      assert.ok(st.inPkts > 0);
      assert.equal(st.outPkts, 0, 'DR: the replies bypass the director');
    });

    test('the UDP service (dns, port 53 on VIP dns) answers from the VIP, and both VIPs answer', async () => {
      const udp = await client([UDP_CLIENT, DNS, '53', '12']);
      const servers = udp.map((l) => l.split(' ')[0]);
      proof(`UDP ${DNS}:53: 12 datagrams from new sockets → ${JSON.stringify(tally(servers))} (${udp.join(' | ')})`);
      assert.deepEqual(udp.map((l) => l.split(' ')[1]), Array.from({ length: 12 }, (_, i) => `probe${i}`), 'every datagram echoed (by a connected socket: the reply came from the VIP)');
      for (const s of servers) assert.ok(s in REALS, `answered by a real server: ${s}`);
      assert.ok(new Set(servers).size >= 2, 'balanced across servers');
      const https = await client([HTTP_CLIENT, WWW, '443', '4']);
      proof(`VIP www ${WWW}:443 (persistence 30m): ${JSON.stringify(tally(https))}; VIP www :80 and VIP dns :53 answered above`);
      assert.equal(new Set(https).size, 1, 'persistence: one server for this client');
      assert.ok(https[0] in REALS, https[0]);
      await waitFor('lb1\'s UDP counters to include the datagrams', async () => ((await stats('lb1'))[`udp ${DNS}:53`]?.conns ?? 0) >= 12, 10_000);
      const st = await stats('lb1');
      proof(`lb1 ipvsadm -Ln --stats: ${SERVICES.map(([p, vp]) => `${p.toUpperCase()} ${vp} Conns ${st[`${p} ${vp}`]!.conns} InPkts ${st[`${p} ${vp}`]!.inPkts} OutPkts ${st[`${p} ${vp}`]!.outPkts}`).join('; ')}`);
      for (const [p, vp] of SERVICES) {
        const x = st[`${p} ${vp}`]!;
        assert.ok(x.inPkts > 0, `${p} ${vp} packets in`);
        assert.equal(x.outPkts, 0, `${p} ${vp}: DR, no packets out`);
      }
      const lb2 = await stats('lb2');
      for (const [p, vp] of SERVICES) assert.equal(lb2[`${p} ${vp}`]?.conns, 0, `the backup carried no ${p} ${vp} traffic`);
    });
  });
});
