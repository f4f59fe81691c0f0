// The generated files, deployed by hand into the lab: every host of examples/seed.lvs gets
// its files (piped through `lab exec`), runs /opt/lvs/apply.sh, then verify.sh; then real
// traffic from the client namespace goes through the VRRP master by Direct Routing, and when
// the master's keepalived stops the backup takes the VIP over.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateFile, GeneratedFile } from '../../server/generate';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { sleep } from '../../server/lab/run';
import { sq } from '../../server/shared/shell-quote';
import { labLog, labSuite, serviceStats, settledStats, useTestStateDir } from './helpers';

const VIP = '192.168.147.100';

labSuite('generated files in the lab', () => {
  describe('generated files deployed into the lab (examples/seed.lvs)', { timeout: 600_000 }, () => {
    let state: LabState | undefined;
    let files: GeneratedFile[] = [];

    before(async () => {
      await useTestStateDir('dr');
      const text = readFileSync('examples/seed.lvs', 'utf8');
      const gen = generateFile(text, 'seed.lvs', { secrets: (ref) => (ref.name === 'vrrp-web' ? 'labpass1' : undefined) });
      files = gen.clusters[0].files;
      assert.deepEqual(gen.clusters[0].warnings, []);
      state = await labUp('examples/seed.lvs', { log: labLog });
    });

    after(async () => {
      const s = readState() ?? state;
      if (s) await labDown(s);
    });

    async function on(host: string, argv: string[], input?: string) {
      return execOnHost(state!, host, argv, { input, timeoutMs: 180_000 });
    }

    async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
      const t = Date.now();
      while (Date.now() - t < timeoutMs) {
        if (await probe()) return Date.now() - t;
        await sleep(250);
      }
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    }

    async function hasVip(host: string): Promise<boolean> {
      const r = await on(host, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'ens33']);
      return r.stdout.includes(`inet ${VIP}/32`);
    }

    async function requests(n: number): Promise<string[]> {
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const c = await on('client', ['curl', '-s', '--max-time', '5', `http://${VIP}/`]);
        assert.equal(c.code, 0, `request ${i}: curl exit ${c.code} ${c.stderr}`);
        out.push(c.stdout.trim());
      }
      return out;
    }

    test('each host receives its files and apply.sh succeeds (real servers first)', async () => {
      const order = ['web1', 'web2', 'lvs1', 'lvs2'];
      assert.deepEqual([...new Set(files.map((f) => f.host))].sort(), [...order].sort());
      for (const host of order) {
        // One script per host writes all its files (one exec instead of one per file: UML is slow to fork).
        const script = ['set -e', ...files.filter((x) => x.host === host).flatMap((f) => [
          `mkdir -p ${sq(dirname(f.path))}`,
          `printf '%s' ${sq(f.content)} > ${sq(f.path)}`,
          `chmod ${f.mode.toString(8)} ${sq(f.path)}`,
        ])].join('\n') + '\n';
        const w = await on(host, ['sh', '-s'], script);
        assert.equal(w.code, 0, `${host}: writing files: ${w.stderr}`);
        const r = await on(host, ['sh', '/opt/lvs/apply.sh']);
        console.log(`# ${host} apply.sh (exit ${r.code}):\n${(r.stdout + r.stderr).trim().replace(/^/gm, '#   ')}`);
        assert.equal(r.code, 0, `${host} apply.sh failed`);
      }
    });

    test('the VRRP master takes the VIP and verify.sh passes on every host', async () => {
      const ms = await waitFor('lvs1 to own the VIP', () => hasVip('lvs1'), 60_000);
      console.log(`# lvs1 owns the VIP after ${(ms / 1000).toFixed(1)} s`);
      assert.equal(await hasVip('lvs2'), false, 'the backup does not hold the VIP');
      for (const host of ['web1', 'web2', 'lvs1', 'lvs2']) {
        const r = await on(host, ['sh', '/opt/lvs/verify.sh']);
        assert.equal(r.code, 0, `${host} verify.sh: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, /OK/);
      }
    });

    test('traffic to the VIP is balanced across both real servers by Direct Routing', async () => {
      // keepalived adds the real servers once their HTTP checks pass.
      await waitFor('two real servers in lvs1\'s IPVS table', async () => {
        const r = await on('lvs1', ['ipvsadm', '-Ln']);
        return (r.stdout.match(/-> 192\.168\.147\.[34]:80\s+Route/g) ?? []).length === 2;
      }, 60_000);
      const answers = await requests(20);
      console.log(`# answers: ${answers.join(' ')}`);
      assert.deepEqual([...new Set(answers)].sort(), ['web1', 'web2']);
      const { stats, raw } = await settledStats(async () => (await on('lvs1', ['ipvsadm', '-Ln', '--stats'])).stdout, 'tcp', `${VIP}:80`);
      assert.ok(stats && stats.inPkts > 0, raw);
      assert.equal(stats.outPkts, 0, 'DR: replies bypass the director');
    });

    test('when the master\'s keepalived stops, the backup takes over the VIP and traffic', async () => {
      const stop = await on('lvs1', ['sh', '-c', 'kill "$(cat /run/keepalived.pid)"']);
      assert.equal(stop.code, 0, stop.stderr);
      const ms = await waitFor('lvs2 to own the VIP', () => hasVip('lvs2'), 60_000);
      console.log(`# lvs2 owns the VIP ${(ms / 1000).toFixed(1)} s after keepalived stopped on lvs1`);
      // lvs1's keepalived removes the VIP and its rules while shutting down (slowly, in UML);
      // until then the client may still reach it through its ARP cache.
      await waitFor('lvs1 to drop the VIP', async () => !(await hasVip('lvs1')), 60_000);
      await waitFor('keepalived to end on lvs1', async () => (await on('lvs1', ['sh', '-c', 'kill -0 "$(cat /run/keepalived.pid 2>/dev/null)" 2>/dev/null'])).code !== 0, 60_000);
      await waitFor('two real servers in lvs2\'s IPVS table', async () => {
        const r = await on('lvs2', ['ipvsadm', '-Ln']);
        return (r.stdout.match(/-> 192\.168\.147\.[34]:80\s+Route/g) ?? []).length === 2;
      }, 60_000);
      // The client follows the new master's gratuitous ARP.
      await waitFor('the VIP to answer through lvs2', async () => (await on('client', ['curl', '-s', '--max-time', '2', `http://${VIP}/`])).code === 0, 30_000);
      const before = serviceStats((await on('lvs1', ['ipvsadm', '-Ln', '--stats'])).stdout, 'tcp', `${VIP}:80`);
      assert.equal(before, undefined, 'lvs1 no longer has the virtual service');
      const answers = await requests(6);
      assert.deepEqual([...new Set(answers)].sort(), ['web1', 'web2']);
      const { stats, raw } = await settledStats(async () => (await on('lvs2', ['ipvsadm', '-Ln', '--stats'])).stdout, 'tcp', `${VIP}:80`);
      assert.ok(stats && stats.inPkts > 0, `lvs2 carries the traffic now: ${raw}`);
      assert.equal(stats.outPkts, 0);
    });
  });
});
