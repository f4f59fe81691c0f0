// Interface names with a dot (VLANs: `ens33.100`) in sysctl keys. `sysctl` reads
// `net.ipv4.conf.ens33.100.send_redirects` as the path net/ipv4/conf/ens33/100/… and fails, so
// every generated key writes such a name with '/' inside its part (`net.ipv4.conf.ens33/100.…`,
// the form `sysctl -a` prints), and both spellings a user may write mean that key. Also: the
// generator refuses what LVS116/LVS117 refuse, without relying on validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateCluster, generateFile } from '../../server/generate';
import { GenerateError } from '../../server/generate/types';
import { parse } from '../../server/language/parse';
import { buildModel } from '../../server/model/topology';
import { confKey, normalizeKey } from '../../server/model/sysctl';
import { findingsWithCode } from './helpers';

const seed = readFileSync('examples/seed.lvs', 'utf8');
const vlan = seed.replace(/interface ens33/g, 'interface ens33.100');

test('normalizeKey: a /proc/sys path swaps dots and slashes, a dotted name stays as written', () => {
  assert.equal(normalizeKey('net/ipv4/conf/ens33.100/rp_filter'), 'net.ipv4.conf.ens33/100.rp_filter');
  assert.equal(normalizeKey('net.ipv4.conf.ens33/100.rp_filter'), 'net.ipv4.conf.ens33/100.rp_filter');
  assert.equal(normalizeKey('net/ipv4/conf/all/arp_ignore'), 'net.ipv4.conf.all.arp_ignore');
  assert.equal(normalizeKey('net.ipv4.conf.all.arp_ignore'), 'net.ipv4.conf.all.arp_ignore');
  assert.equal(confKey('ens33.100', 'send_redirects'), 'net.ipv4.conf.ens33/100.send_redirects');
  assert.equal(confKey('ens33', 'send_redirects'), 'net.ipv4.conf.ens33.send_redirects');
});

for (const os of ['rhel7', 'rhel9', 'debian', 'ubuntu']) {
  test(`${os}: sysctl.d, apply.sh, verify.sh and rollback.sh never spell a dotted interface with dots in a key`, () => {
    const text = vlan.replace('target os rhel7', `target os ${os}`)
      .replace('role backup  priority 90 }', 'role backup  priority 90  sysctl net/ipv4/conf/ens33.100/rp_filter = 2 }');
    const [cluster] = generateFile(text, 'vlan.lvs', { preview: true }).clusters;
    const all = cluster.files.map((f) => `${f.host}:${f.path}\n${f.content}`).join('\n');
    assert.doesNotMatch(all, /conf\.ens33\.100\./, 'no all-dots key');
    for (const dir of ['lvs1', 'lvs2']) {
      const file = (suffix: string) => cluster.files.find((f) => f.host === dir && f.path.endsWith(suffix))?.content ?? '';
      assert.match(file('/etc/sysctl.d/90-lvs-dr.conf'), /^net\.ipv4\.conf\.ens33\/100\.send_redirects = 0$/m);
      assert.match(file('/apply.sh'), /^set_sysctl 'net\.ipv4\.conf\.ens33\/100\.send_redirects' '0'$/m);
      assert.match(file('/verify.sh'), /^check_sysctl 'net\.ipv4\.conf\.ens33\/100\.send_redirects' '0'$/m);
    }
    // The user's path spelling becomes the same name form.
    const lvs2 = (suffix: string) => cluster.files.find((f) => f.host === 'lvs2' && f.path.endsWith(suffix))!.content;
    assert.match(lvs2('/etc/sysctl.d/90-lvs-dr.conf'), /^net\.ipv4\.conf\.ens33\/100\.rp_filter = 2$/m);
    assert.match(lvs2('/apply.sh'), /^set_sysctl 'net\.ipv4\.conf\.ens33\/100\.rp_filter' '2'$/m);
  });
}

test('rules see a dotted interface in either spelling of a key (LVS100, LVS034)', () => {
  for (const key of ['net/ipv4/conf/ens33.100/send_redirects', 'net.ipv4.conf.ens33/100.send_redirects']) {
    const text = vlan.replace('role master  priority 100 }', `role master  priority 100  sysctl ${key} = 1 }`);
    const list = findingsWithCode(text, 'LVS100');
    assert.equal(list.length, 1, key);
    assert.match(list[0].message, /send_redirects is 1 for 'ens33\.100' on director lvs1/);
  }
  const proxy = vlan.replace('vip-on lo:0 }', 'vip-on lo:0  sysctl net/ipv4/conf/ens33.100/proxy_arp = 1 }');
  assert.equal(findingsWithCode(proxy, 'LVS034').length, 1);
  assert.deepEqual(findingsWithCode(vlan, 'LVS100'), []);
});

test('the generator itself refuses a non-network sysctl and two directors without ha (validation bypassed)', () => {
  const gen = (text: string) => generateCluster(buildModel(parse(text).ast).clusters[0], { sourceName: 'x.lvs', preview: true });
  assert.ok(gen(seed).length > 0);
  assert.throws(() => gen(seed.replace('role master  priority 100 }', 'role master  priority 100  sysctl kernel.modprobe = "/var/tmp/x" }')),
    (e: unknown) => e instanceof GenerateError && e.problems.some((p) => p.includes('director lvs1: sysctl kernel.modprobe is not a network setting')));
  assert.throws(() => gen(seed.replace('vip-on lo:0 }', 'vip-on lo:0  sysctl kernel/core_pattern = x }')), GenerateError);
  assert.throws(() => gen(seed.replace(/\n\s*ha \{[^}]*\}[^\n]*/, '')),
    (e: unknown) => e instanceof GenerateError && e.problems.some((p) => p.includes('2 directors and no ha block')));
});
