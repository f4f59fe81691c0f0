// The self-address check (server/deploy/self-address-guard.ts): which addresses of a plan
// would cut the deploy off from a host, read from the real targets resolveTarget builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTarget } from '../../server/deploy/targets';
import { DeployError } from '../../server/deploy/errors';
import { checkClusterAddresses, parseSessionView, selfAddressProblems, SessionView } from '../../server/deploy/self-address-guard';
import { ClusterTarget } from '../../server/deploy/types';
import { english } from '../../server/shared/l10n/message';

const SEED = `cluster web {
  network 192.168.147.0/24
  vip VIP
  director lvs1 { address 192.168.147.6  interface ens33 }
  service http { protocol tcp  port 80  scheduler rr  real web1  real web2 }
  server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 }
  server web2 { address 192.168.147.3  interface ens33  vip-on lo:0 }
  ssh { user root  key /nonexistent/id  known-hosts /nonexistent/kh }
  target os debian
}
`;

async function target(vip: string, text = SEED): Promise<ClusterTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'self-addr-'));
  try {
    const f = join(dir, 'c.lvs');
    writeFileSync(f, text.replace('VIP', vip));
    return await resolveTarget({ file: f, target: 'hosts', hostsOnly: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const from = (addr: string, at?: string): SessionView => ({ from: addr, at });

test('SSH_CONNECTION and SSH_CLIENT are read (IPv4, IPv4-mapped IPv6), anything else is ignored', () => {
  assert.deepEqual(parseSessionView('conn=192.168.147.254 51234 192.168.147.4 22\nclient=192.168.147.254 51234 22\n'), { from: '192.168.147.254', at: '192.168.147.4' });
  assert.deepEqual(parseSessionView('conn=::ffff:10.0.0.9 1 ::ffff:10.0.0.1 22\nclient=\n'), { from: '10.0.0.9', at: '10.0.0.1' });
  assert.deepEqual(parseSessionView('conn=\nclient=10.1.2.3 4 22\n'), { from: '10.1.2.3', at: undefined });
  assert.deepEqual(parseSessionView('conn=fe80::1 1 fe80::2 22\nclient=$(reboot)\n'), { from: undefined, at: undefined });
});

test('the targets say which addresses each host carries: directors every VIP, real servers their lo VIPs', async () => {
  const t = await target('192.168.147.100');
  assert.deepEqual(t.hosts.map((h) => [h.name, h.placedAddresses]), [['lvs1', ['192.168.147.100']], ['web1', ['192.168.147.100']], ['web2', ['192.168.147.100']]]);
});

test('a VIP equal to the address a host sees the deploy from is refused on that host, naming host and address', async () => {
  const t = await target('192.168.147.254');
  const views = new Map([['lvs1', from('192.168.147.9')], ['web1', from('192.168.147.254')], ['web2', from('192.168.147.254')]]);
  const p = selfAddressProblems(t, views);
  assert.deepEqual(p.map((x) => `${x.host} ${x.address}`), ['web1 192.168.147.254', 'web2 192.168.147.254']);
  assert.match(english(p[0].reason), /web1 sees this deploy coming from 192\.168\.147\.254/);
  // The same plan from elsewhere is fine.
  assert.deepEqual(selfAddressProblems(t, new Map([...views].map(([h]) => [h, from('10.9.9.9')]))), []);
});

test('a VIP equal to where the deploy reaches the host (NAT) is refused', async () => {
  const t = await target('203.0.113.7');
  const p = selfAddressProblems(t, new Map([['lvs1', from('10.9.9.9', '203.0.113.7')]]));
  assert.deepEqual(p.map((x) => `${x.host} ${x.address}`), ['lvs1 203.0.113.7']);
});

test('through a bastion, a VIP equal to where the bastion sees the deploy from, or where the deploy reaches it, is refused on every host', async () => {
  const hostsSeeBastion = new Map([['lvs1', from('192.168.147.201')], ['web1', from('192.168.147.201')], ['web2', from('192.168.147.201')]]);
  const hops = [{ hop: 'bastion', from: '10.213.0.2', at: '10.213.0.1' }];
  const deployer = selfAddressProblems(await target('10.213.0.2'), hostsSeeBastion, hops);
  assert.deepEqual(deployer.map((x) => `${x.host} ${x.address}`), ['lvs1 10.213.0.2', 'web1 10.213.0.2', 'web2 10.213.0.2']);
  assert.match(english(deployer[0].reason), /jump host bastion sees this deploy coming from 10\.213\.0\.2/);
  const bastion = selfAddressProblems(await target('10.213.0.1'), hostsSeeBastion, hops);
  assert.match(english(bastion[0].reason), /10\.213\.0\.1 is where this deploy reaches jump host bastion/);
  // Without the hop's view (a hop that only forwards), the hosts' own views are all there is.
  assert.deepEqual(selfAddressProblems(await target('10.213.0.2'), hostsSeeBastion, [{ hop: 'bastion' }]), []);
});

test('an address of a cluster host on another host is refused before connecting (also for targets built by hand)', async () => {
  // The validator refuses this in a .lvs file (LVS050); the engine does not rely on it.
  const t = await target('192.168.147.100');
  assert.doesNotThrow(() => checkClusterAddresses(t));
  t.hosts.find((h) => h.name === 'lvs1')!.placedAddresses = ['192.168.147.100', '192.168.147.4'];
  t.hosts.find((h) => h.name === 'web2')!.placedAddresses = ['192.168.147.3'];
  assert.throws(() => checkClusterAddresses(t), (e: unknown) => {
    assert.ok(e instanceof DeployError);
    assert.equal(e.host, 'lvs1');
    assert.equal(e.code, 'self-address');
    assert.match(e.message, /^lvs1: preflight failed: refused: the plan puts 192\.168\.147\.4 on lvs1, but 192\.168\.147\.4 is the address of web1/);
    assert.match(e.message, /also: web2 192\.168\.147\.3/);
    assert.match(e.message, /Nothing was applied/);
    return true;
  });
});

test('a real server without the VIP on lo is not blamed for it', async () => {
  const text = SEED.replace('real web1  real web2', 'real web1').replace("server web2 { address 192.168.147.3  interface ens33  vip-on lo:0 }", 'server web2 { address 192.168.147.3  interface ens33 }');
  const t = await target('192.168.147.254', text);
  const web2 = t.hosts.find((h) => h.name === 'web2');
  assert.deepEqual(web2?.placedAddresses, []);
  const p = selfAddressProblems(t, new Map([['web2', from('192.168.147.254')], ['web1', from('192.168.147.254')]]));
  assert.deepEqual(p.map((x) => x.host), ['web1']);
});
