// A live import's parts without SSH: the read script's answer (as a classic hand-configured
// cluster's hosts print it: dr.sh-style director with the VIP on eth0:0 and ip_forward on, real
// servers with the VIP on lo:0 and the ARP sysctls) parsed and assembled into a .lvs that checks
// clean. The SSH path itself runs against a real sshd in test/deploy/import-live-sandbox.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { importLive, importResult, liveReadScript, parseLiveRead } from '../../server/import';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function answer(o: { host: string; addrs: string[]; ipvsadm?: string; sysctl: string[]; files?: Record<string, string>; os?: string }): string {
  return [
    '@@IMPORT hostname', o.host,
    '@@IMPORT os-release', o.os ?? 'NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"',
    '@@IMPORT addresses', ...o.addrs,
    '@@IMPORT default-route', 'default via 10.0.0.1 dev eth0 onlink',
    '@@IMPORT ipvsadm', o.ipvsadm ?? '@@IMPORT-ERROR no ipvsadm',
    '@@IMPORT keepalived-running', 'no',
    '@@IMPORT sysctl', ...o.sysctl,
    ...Object.entries(o.files ?? {}).flatMap(([p, t]) => [`@@IMPORT file ${p}`, b64(t)]),
    '@@IMPORT end', '',
  ].join('\n');
}

const DIRECTOR = answer({
  host: 'lvs1.example.org',
  addrs: [
    '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
    '2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever preferred_lft forever',
    '2: eth0    inet 10.0.0.100/32 scope global eth0:0\\       valid_lft forever preferred_lft forever',
  ],
  ipvsadm: '-A -t 10.0.0.100:80 -s wlc\n-a -t 10.0.0.100:80 -r 10.0.0.11:80 -g -w 1\n-a -t 10.0.0.100:80 -r 10.0.0.12:80 -g -w 2',
  sysctl: ['net.ipv4.ip_forward = 1', 'net.ipv4.conf.all.send_redirects = 0', 'net.ipv4.conf.default.send_redirects = 0', 'net.ipv4.conf.eth0.send_redirects = 0'],
});

function realServer(host: string, address: string): string {
  return answer({
    host,
    addrs: [
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '1: lo    inet 10.0.0.100/32 scope global lo:0\\       valid_lft forever preferred_lft forever',
      `2: ens3    inet ${address}/24 brd 10.0.0.255 scope global ens3\\       valid_lft forever preferred_lft forever`,
    ],
    sysctl: ['net.ipv4.ip_forward = 0', 'net.ipv4.conf.all.arp_ignore = 1', 'net.ipv4.conf.all.arp_announce = 2', 'net.ipv4.conf.lo.arp_ignore = 1', 'net.ipv4.conf.lo.arp_announce = 2'],
  });
}

test('the read script is read-only and passes shellcheck', () => {
  const script = liveReadScript();
  for (const word of ['rm ', 'mv ', '>/etc', 'ipvsadm -A', 'ipvsadm -C', 'ip addr add', 'sysctl -w', 'tee ']) assert.ok(!script.includes(word), word);
  const sc = spawnSync('shellcheck', ['-s', 'sh', '-e', 'SC2086', '-'], { input: script, encoding: 'utf8' });
  if (sc.error) return; // shellcheck is checked where it is installed (the lint tier installs it)
  assert.equal(sc.status, 0, sc.stdout);
});

test('parseLiveRead: addresses with labels, default route, IPVS table, sysctls, OS, files byte for byte', () => {
  const files = { '/etc/keepalived/keepalived.conf': 'include conf.d/*.conf\n# ünïcode\n' };
  const r = parseLiveRead(answer({ host: 'x', addrs: ['1: lo    inet 10.0.0.100/32 scope global lo:0\\  valid_lft forever'], sysctl: ['net.ipv4.ip_forward = 1'], files }));
  assert.deepEqual(r.addresses, [{ iface: 'lo', address: '10.0.0.100', prefix: 32, label: 'lo:0' }]);
  assert.equal(r.gateway, '10.0.0.1');
  assert.equal(r.ipvsadm, undefined);
  assert.equal(r.ipvsadmError, 'no ipvsadm');
  assert.equal(r.sysctls.get('net.ipv4.ip_forward'), '1');
  assert.deepEqual(r.os, { id: 'debian', versionId: '12', idLike: [] });
  assert.deepEqual([...r.keepalivedFiles], Object.entries(files));
});

test('a hand-configured cluster (dr.sh, lo:0, ARP sysctls) becomes a complete cluster that checks clean', () => {
  const hosts = [
    { address: '10.0.0.5', read: parseLiveRead(DIRECTOR) },
    { address: '10.0.0.11', read: parseLiveRead(realServer('web1', '10.0.0.11')), discovered: true },
    { address: '10.0.0.12', read: parseLiveRead(realServer('web2', '10.0.0.12')), discovered: true },
  ];
  const live = importLive(hosts, 'web');
  const r = importResult(live.cluster, live.findings, 'web');
  assert.deepEqual(r.validation.filter((v) => v.severity === 'error'), [], r.text);
  assert.match(r.text, /^ {2}network 10\.0\.0\.0\/24 {3}# read: the director's interface$/m);
  assert.match(r.text, /^ {2}gateway 10\.0\.0\.1 {3}# read: the director's default route$/m);
  assert.match(r.text, /^ {2}director lvs1 \{\n {4}address 10\.0\.0\.5 {2}interface eth0\n {4}sysctl net\.ipv4\.ip_forward = 1\n {2}\}$/m, 'dr.sh turned forwarding on: kept, so a deploy changes nothing');
  assert.match(r.text, /real web1 weight 1\n\s+real web2 weight 2/);
  assert.match(r.text, /^ {2}server web1 \{ address 10\.0\.0\.11 {2}interface ens3 {2}vip-on lo:0 \}$/m);
  assert.match(r.text, /^ {2}target os debian {3}# read: \/etc\/os-release$/m);
  assert.equal(r.lossy, false);
});
