// What a lab is made of, computed from a .lvs file (no root needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { layoutLab, LayoutError } from '../../server/lab/layout';
import { unusableStateDir } from '../../server/lab/state';
import { english } from '../../server/shared/l10n/message';

test('the seed: two directors, two real servers serving HTTP, a client on a free address', () => {
  const p = layoutLab('seed.lvs', readFileSync('examples/seed.lvs', 'utf8'));
  assert.equal(p.network, '192.168.147.0/24');
  assert.deepEqual(p.vips, ['192.168.147.100']);
  assert.deepEqual(p.hosts.map((h) => [h.name, h.kind, h.address, h.iface, h.tcpPorts.join(',')]), [
    ['lvs1', 'director', '192.168.147.6', 'ens33', ''],
    ['lvs2', 'director', '192.168.147.5', 'ens33', ''],
    ['web1', 'server', '192.168.147.4', 'ens33', '80'],
    ['web2', 'server', '192.168.147.3', 'ens33', '80'],
    ['client', 'client', '192.168.147.254', 'eth0', ''],
  ]);
});

test('UDP services give the real servers UDP echo ports; TCP ports are the services\' ones plus 80', () => {
  const p = layoutLab('udp.lvs', readFileSync('test/lab/fixtures/udp.lvs', 'utf8'));
  const ns1 = p.hosts.find((h) => h.name === 'ns1')!;
  assert.deepEqual(ns1.udpPorts, [53]);
  assert.deepEqual(ns1.tcpPorts, [80, 8080]);
  assert.equal(ns1.iface, 'eth1');
});

test('the client address avoids every node, VIP and gateway', () => {
  const text = readFileSync('examples/seed.lvs', 'utf8').replace('address 192.168.147.3 ', 'address 192.168.147.254 ');
  const p = layoutLab('x.lvs', text);
  assert.equal(p.hosts.find((h) => h.kind === 'client')!.address, '192.168.147.253');
});

test('refusals: syntax errors, several clusters without --cluster, no network', () => {
  const seed = readFileSync('examples/seed.lvs', 'utf8');
  assert.throws(() => layoutLab('x.lvs', seed.replace('priority 100', 'priorty 100')), LayoutError);
  const two = seed + '\n' + seed.replace('cluster web', 'cluster web2');
  assert.throws(() => layoutLab('x.lvs', two), /--cluster/);
  assert.equal(layoutLab('x.lvs', two, 'web2').cluster, 'web2');
  assert.throws(() => layoutLab('x.lvs', seed.replace(/network [^\n]*\n/, '\n')), /network/);
});

test('state directories the lab hosts cannot see are refused', () => {
  assert.match(english(unusableStateDir('/tmp/lab')!), /\/tmp/);
  assert.match(english(unusableStateDir('/run/x')!), /\/run/);
  assert.ok(unusableStateDir('relative'));
  assert.equal(unusableStateDir('/var/lib/lvsdr/lab'), undefined);
});

test('a dual-stack cluster: each host also gets its IPv6 address, the client a free one', () => {
  const p = layoutLab('dual-v6.lvs', readFileSync('test/lab/fixtures/dual-v6.lvs', 'utf8'));
  assert.deepEqual(p.hosts.map((h) => [h.name, h.address, h.address6, h.prefix6]), [
    ['d1', '192.168.161.5', '2001:db8:161::5', 64],
    ['d2', '192.168.161.6', '2001:db8:161::6', 64],
    ['r1', '192.168.161.11', '2001:db8:161::11', 64],
    ['r2', '192.168.161.12', '2001:db8:161::12', 64],
    ['client', '192.168.161.254', '2001:db8:161:0:ffff:ffff:ffff:fffe', 64],
  ]);
  // An IPv4-only cluster has no IPv6 keys at all.
  assert.ok(layoutLab('seed.lvs', readFileSync('examples/seed.lvs', 'utf8')).hosts.every((h) => !('address6' in h)));
});
