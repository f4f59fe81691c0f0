// Issue 11 item 9 in the lab: hosts whose interface has a dot in its name (`eth0.100`, as a VLAN
// interface is named). The generated apply.sh and verify.sh run on each host and pass; the
// per-interface sysctls they set are really in /proc/sys/net/ipv4/conf/eth0.100/, while the
// all-dots spelling of the same key is refused by that host's sysctl; and the VIP answers by DR.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateFile } from '../../server/generate';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { labLog, labSuite, useTestStateDir, writeFilesScript } from './helpers';

const FIXTURE = 'test/lab/fixtures/vlan.lvs';
const VIP = '10.78.0.100';
const PROC = '/proc/sys/net/ipv4/conf/eth0.100';

labSuite('lab with dotted interface names', () => {
  describe('lab with dotted interface names (test/lab/fixtures/vlan.lvs)', { timeout: 400_000 }, () => {
    let state: LabState | undefined;
    const files = generateFile(readFileSync(FIXTURE, 'utf8'), 'vlan.lvs').clusters[0].files;
    before(async () => {
      await useTestStateDir('vlan');
      state = await labUp(FIXTURE, { log: labLog });
    });
    after(async () => {
      const s = readState() ?? state;
      if (s) await labDown(s);
    });
    const on = (host: string, argv: string[], input?: string) => execOnHost(state!, host, argv, { input, timeoutMs: 180_000 });

    test('the hosts really have an interface named eth0.100', async () => {
      for (const host of ['rs1', 'rs2', 'lb1']) {
        const r = await on(host, ['cat', `${PROC}/send_redirects`]);
        assert.equal(r.code, 0, `${host}: ${r.stderr}`);
      }
    });

    test('apply.sh passes on every host (real servers first) and sets the eth0.100 sysctls', async () => {
      for (const host of ['rs1', 'rs2', 'lb1']) {
        const w = await on(host, ['sh', '-s'], writeFilesScript(files.filter((f) => f.host === host)));
        assert.equal(w.code, 0, `${host}: writing files: ${w.stderr}`);
        const r = await on(host, ['sh', '/opt/lvs/apply.sh']);
        const out = (r.stdout + r.stderr).trim();
        console.log(`# ${host} apply.sh:\n${out.replace(/^/gm, '#   ')}`);
        assert.equal(r.code, 0, `${host} apply.sh failed:\n${out}`);
        assert.match(out, /sysctl net\.ipv4\.conf\.eth0\/100\.(send_redirects|rp_filter) = /);
      }
      const redirects = await on('lb1', ['cat', `${PROC}/send_redirects`]);
      assert.equal(redirects.stdout.trim(), '0', 'director: send_redirects off on eth0.100');
      for (const rs of ['rs1', 'rs2']) {
        const rp = await on(rs, ['cat', `${PROC}/rp_filter`]);
        assert.equal(rp.stdout.trim(), '2', `${rs}: rp_filter of eth0.100 (either spelling in the file)`);
      }
      // The spelling this replaces: the host's sysctl reads it as a path that does not exist.
      const dotted = await on('lb1', ['sysctl', '-n', 'net.ipv4.conf.eth0.100.send_redirects']);
      assert.notEqual(dotted.code, 0, 'the all-dots key is refused by sysctl');
      console.log(`# proof: sysctl -n net.ipv4.conf.eth0.100.send_redirects on lb1: exit ${dotted.code}: ${dotted.stderr.trim()}`);
    });

    test('verify.sh passes on every host; the VIP answers by DR through eth0.100', async () => {
      for (const host of ['rs1', 'rs2', 'lb1']) {
        const r = await on(host, ['sh', '/opt/lvs/verify.sh']);
        assert.equal(r.code, 0, `${host} verify.sh: ${r.stdout}${r.stderr}`);
      }
      const answers: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await on('client', ['curl', '-s', '--max-time', '5', `http://${VIP}/`]);
        assert.equal(r.code, 0, r.stderr);
        answers.push(r.stdout.trim());
      }
      assert.deepEqual([...new Set(answers)].sort(), ['rs1', 'rs2'], JSON.stringify(answers));
      console.log(`# proof: verify.sh OK on rs1, rs2, lb1; 4 requests to ${VIP} answered by ${answers.join(', ')}`);
    });
  });
});
