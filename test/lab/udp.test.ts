// A second cluster shape in the lab: one director, interfaces named eth1, a UDP service and a
// TCP service on 8080, Direct Routing configured by hand. UDP replies come from the VIP
// (the responder answers from the address it was asked on), so a connected client socket
// accepts them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { labLog, labSuite, settledStats, useTestStateDir } from './helpers';

const VIP = '10.77.0.53';

labSuite('lab with a UDP service', () => {
  describe('lab with a UDP service (test/lab/fixtures/udp.lvs)', { timeout: 300_000 }, () => {
    let state: LabState | undefined;
    before(async () => {
      await useTestStateDir('udp');
      state = await labUp('test/lab/fixtures/udp.lvs', { log: labLog });
    });
    after(async () => {
      const s = readState() ?? state;
      if (s) await labDown(s);
    });

    test('UDP and TCP virtual services balance across both real servers by DR', async () => {
      const s = state!;
      let r = await execOnHost(s, 'lb1', ['sh', '-c', [
        `ip addr add ${VIP}/32 dev eth1 label eth1:0`,
        `ipvsadm -A -u ${VIP}:53 -s rr`, `ipvsadm -a -u ${VIP}:53 -r 10.77.0.21:53 -g`, `ipvsadm -a -u ${VIP}:53 -r 10.77.0.22:53 -g`,
        `ipvsadm -A -t ${VIP}:8080 -s rr`, `ipvsadm -a -t ${VIP}:8080 -r 10.77.0.21:8080 -g`, `ipvsadm -a -t ${VIP}:8080 -r 10.77.0.22:8080 -g`,
      ].join(' && ')]);
      assert.equal(r.code, 0, r.stderr);
      for (const rs of ['ns1', 'ns2']) {
        r = await execOnHost(s, rs, ['sh', '-c', `sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 && ip addr add ${VIP}/32 dev lo label lo:0`]);
        assert.equal(r.code, 0, r.stderr);
      }
      const udp = await execOnHost(s, 'client', ['/usr/bin/python3', '-c', [
        'import socket',
        'for i in range(4):',
        '    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5)',
        `    s.connect(('${VIP}', 53)); s.send(b'ping%d' % i); print(s.recv(200).decode())`,
      ].join('\n')]);
      assert.equal(udp.code, 0, udp.stderr);
      const lines = udp.stdout.trim().split('\n');
      assert.deepEqual(lines.map((l) => l.split(' ')[1]), ['ping0', 'ping1', 'ping2', 'ping3']);
      assert.deepEqual([...new Set(lines.map((l) => l.split(' ')[0]))].sort(), ['ns1', 'ns2']);
      const tcp: string[] = [];
      for (let i = 0; i < 4; i++) tcp.push((await execOnHost(s, 'client', ['curl', '-s', '--max-time', '5', `http://${VIP}:8080/`])).stdout.trim());
      assert.deepEqual([...new Set(tcp)].sort(), ['ns1', 'ns2']);
      for (const [proto, port] of [['udp', 53], ['tcp', 8080]] as const) {
        const { stats: st, raw } = await settledStats(async () => (await execOnHost(s, 'lb1', ['ipvsadm', '-Ln', '--stats'])).stdout, proto, `${VIP}:${port}`);
        assert.ok(st && st.inPkts > 0, raw);
        assert.equal(st.outPkts, 0);
      }
    });
  });
});
