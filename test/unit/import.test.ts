// The importers on hand-written inputs: ipvsadm rules (what is reported and where), the
// keepalived.conf text layer (include globs and relative paths, parameters, conditional lines,
// ~SEQ, comments), deprecated names and inherited defaults, secrets, and the CLI's exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { generateFile } from '../../server/generate';
import { importCluster, importIpvsadmRules, importKeepalived, ImportInputError } from '../../server/import';

const dir = mkdtempSync(join(tmpdir(), 'lvs-import-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

test('ipvsadm -Sn: DR services and real servers are read; NAT, tunnel, IPv6, fwmark and extra flags are reported with their line', () => {
  const r = importIpvsadmRules([
    '-A -t 10.0.0.100:80 -s wrr -p 600 -M 255.255.255.0',
    '-a -t 10.0.0.100:80 -r 10.0.0.11:80 -g -w 3',
    '-a -t 10.0.0.100:80 -r 10.0.0.12:8080 -m -w 1',
    '-a -t 10.0.0.100:80 -r 10.0.0.13:80 -i -w 1',
    '-A -u 10.0.0.100:53 -s rr',
    '-a -u 10.0.0.100:53 -r 10.0.0.11:53 -g -w 1 -x 100',
    '-A -t [2001:db8::1]:80 -s rr',
    '-a -t [2001:db8::1]:80 -r [2001:db8::2]:80 -g -w 1',
    '-A -f 7 -s rr',
    '-A -t 10.0.0.100:443 -s sh -b sh-port',
  ].join('\n'), 'rules');
  assert.deepEqual(r.services.map((s) => [s.protocol, s.vip, s.port, s.scheduler, s.persistence, s.reals.map((x) => [x.address, x.port, x.weight])]), [
    ['tcp', '10.0.0.100', 80, 'wrr', { timeout: 600, netmask: '255.255.255.0' }, [['10.0.0.11', 80, 3]]],
    ['udp', '10.0.0.100', 53, 'rr', undefined, [['10.0.0.11', 53, 1]]],
    ['tcp', '10.0.0.100', 443, 'sh', undefined, []],
  ]);
  assert.deepEqual(r.findings.map((f) => [f.line, f.kind]), [3, 4, 6, 7, 8, 9, 10].map((l) => [l, 'not-expressible']));
  assert.match(r.findings[0].message, /NAT \(-m\)/);
  assert.match(r.findings[1].message, /tunnelling \(-i\)/);
  assert.match(r.findings[3].message, /IPv6/);
  assert.match(r.findings[5].message, /fwmark/);
});

test('ipvsadm: a real server before its service, or a line that is not a rule, is invalid input with its line', () => {
  assert.throws(() => importIpvsadmRules('-a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 1\n', 'r'), (e: ImportInputError) => e.line === 1 && /no -A line/.test(e.message));
  assert.throws(() => importIpvsadmRules('\nhello world\n', 'r'), (e: ImportInputError) => e.line === 2);
});

test('ipvsadm -Ln: the listing is read like -Sn', () => {
  const r = importIpvsadmRules([
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
    'TCP  10.0.0.100:80 wlc persistent 300',
    '  -> 10.0.0.11:80                  Route   2      0          0',
    '  -> 10.0.0.12:80                  Masq    1      0          0',
  ].join('\n'), 'list');
  assert.deepEqual(r.services.map((s) => [s.scheduler, s.persistence?.timeout, s.reals.map((x) => x.weight)]), [['wlc', 300, [2]]]);
  assert.deepEqual(r.findings.map((f) => f.line), [6]);
});

test('keepalived.conf: include globs relative to the including file, $PARAM (multi-line too), @id lines, ~SEQ, comments, deprecated names, inherited defaults', () => {
  file('ka/conf.d/b.conf', [
    'virtual_server ${VIP} 80 {',
    '  delay_loop 7  # inherited by the checkers',
    '  lb_algo wrr',
    '  lb_kind DR',
    '  protocol TCP',
    '  persistence_timeout 120',
    '  $RS=real_server 10.0.0.${N} 80 { \\',
    '    weight 2 \\',
    '    HTTP_GET { url { path /ok } \\',
    '      nb_get_retry 4 \\',
    '      connect_timeout 2 } }',
    '  ~SEQ(N, 11, 12) $RS',
    '}',
  ].join('\n'));
  file('ka/conf.d/a.conf', '! nothing but a comment\n');
  const main = file('ka/keepalived.conf', [
    '$VIP=10.0.0.100',
    'global_defs {',
    '  @lvsA router_id lvsA',
    '  @lvsB router_id lvsB',
    '}',
    'vrrp_instance VI_1 {',
    '  @lvsA state MASTER',
    '  @^lvsA state BACKUP',
    '  interface eth1',
    '  virtual_router_id 42',
    '  @lvsA priority 150',
    '  @lvsB priority 100',
    '  advert_int 2',
    '  authentication { auth_type PASS',
    '    auth_pass s3cret!x',
    '  }',
    '  virtual_ipaddress {',
    '    ${VIP}/32 dev eth1 label eth1:7',
    '  }',
    '}',
    'include conf.d/*.conf',
  ].join('\n'));
  const a = importKeepalived(main, { configId: 'lvsA', secretName: 'vrrp-x' });
  const b = importKeepalived(main, { configId: 'lvsB', secretName: 'vrrp-x' });
  assert.deepEqual(a.files.map((f) => f.slice(dir.length)), ['/ka/keepalived.conf', '/ka/conf.d/a.conf', '/ka/conf.d/b.conf']);
  assert.deepEqual(a.cluster.directors.map((d) => [d.name, d.role, d.priority, d.iface]), [['lvsA', 'master', 150, 'eth1']]);
  assert.deepEqual(b.cluster.directors.map((d) => [d.name, d.role, d.priority]), [['lvsB', 'backup', 100]]);
  assert.deepEqual(a.cluster.ha, { routerId: 42, advert: 2, unicast: false, authSecret: 'vrrp-x', vips: [{ address: '10.0.0.100', dev: 'eth1', label: 'eth1:7' }], trackInterfaces: [] });
  const svc = a.cluster.services[0];
  assert.deepEqual([svc.vip, svc.scheduler, svc.persistence, svc.reals.map((r) => [r.address, r.weight])], ['10.0.0.100', 'wrr', { timeout: 120 }, [['10.0.0.11', 2], ['10.0.0.12', 2]]]);
  assert.deepEqual(svc.checks, [{ type: 'http', path: '/ok', every: 7, timeout: 2, retry: 4 }]);
  assert.deepEqual(svc.reals[1].at.file.slice(dir.length), '/ka/conf.d/b.conf');
  assert.deepEqual(a.findings.filter((f) => f.kind === 'not-expressible'), []);
  // The secret's value never reaches the .lvs text.
  const r = importCluster({ keepalived: [{ path: main, configId: 'lvsA' }, { path: main, configId: 'lvsB' }], cluster: 'x' });
  assert.doesNotMatch(r.text, /s3cret/);
  assert.match(r.text, /auth secret:vrrp-x/);
  assert.match(r.findings.map((f) => f.message).join('\n'), /LVS_SECRET_VRRP_X/);
});

test('keepalived.conf(5) parameter examples: conditional definitions, a parameter holding a condition, a multi-line definition with conditional lines, ${_PWD}', () => {
  const p = file('ka3/keepalived.conf', [
    '@high $PRIORITY=130',
    '@low $PRIORITY=120',
    '$IF_HIGH=@high',
    '$INSTANCE= \\',
    'vrrp_instance VI_${NUM} { \\',
    '    interface eth0 \\',
    '    virtual_router_id ${NUM} \\',
    '    $IF_HIGH state MASTER \\',
    '    @low state BACKUP \\',
    '    priority $PRIORITY \\',
    '    virtual_ipaddress { \\',
    '        10.0.${NUM}.254/24 \\',
    '    } \\',
    '}',
    '$NUM=7',
    '$INSTANCE',
    'include ${_PWD}/extra.conf',
  ].join('\n'));
  file('ka3/extra.conf', 'global_defs {\n  router_id from_${_PWD}\n}\n');
  const high = importKeepalived(p, { configId: 'high' });
  const low = importKeepalived(p, { configId: 'low' });
  assert.deepEqual(high.cluster.directors.map((d) => [d.role, d.priority]), [['master', 130]]);
  assert.deepEqual(low.cluster.directors.map((d) => [d.role, d.priority]), [['backup', 120]]);
  assert.equal(high.cluster.ha?.routerId, 7);
  assert.deepEqual(high.cluster.ha?.vips, [{ address: '10.0.7.254' }]);
  assert.equal(high.cluster.directors[0].name, `from_${join(dir, 'ka3')}`);
  assert.deepEqual(high.findings.filter((f) => f.kind === 'not-expressible'), []);
});

test('keepalived.conf: keywords without a word are reported with file and line; the rest is imported', () => {
  const p = file('ka2.conf', [
    'vrrp_script chk { script "/bin/true" }',
    'vrrp_instance V {',
    '  interface eth0',
    '  virtual_router_id 9',
    '  track_script { chk }',
    '  virtual_ipaddress { 10.1.0.5 }',
    '}',
    'virtual_server 10.1.0.5 80 {',
    '  lvs_method DR',
    '  protocol TCP',
    '  sorry_server 10.1.0.9 80',
    '  real_server 10.1.0.6 80 { MISC_CHECK { misc_path /bin/true } }',
    '}',
    'virtual_server 10.1.0.5 81 {',
    '  real_server 10.1.0.6 81 { }',
    '}',
  ].join('\n'));
  const r = importKeepalived(p);
  assert.deepEqual(r.findings.filter((f) => f.kind === 'not-expressible').map((f) => f.line), [1, 5, 14]);
  assert.match(r.findings.find((f) => f.line === 14)!.message, /lvs_method NAT \(keepalived's default/);
  assert.deepEqual(r.cluster.services.map((s) => [s.port, s.reals.length, s.checks, s.sorry]), [[80, 1, [{ type: 'script', script: '/bin/true' }], { address: '10.1.0.9', port: 80 }]]);
});

test('keepalived.conf of the generated shop example: fwmark, timeouts, sync daemon, checks, quorum, sorry server and VRRP tuning come back', () => {
  const files = generateFile(readFileSync('examples/shop.lvs', 'utf8'), 'shop.lvs', { secrets: () => 'pw' }).clusters[0].files;
  const paths = ['d1', 'd2'].map((h) => file(`shop-${h}.conf`, files.find((f) => f.host === h && f.path === '/etc/keepalived/keepalived.conf')!.content));
  const r = importCluster({ keepalived: paths.map((path) => ({ path })), cluster: 'shop' });
  // The one thing keepalived.conf cannot say: which ports the firewall marks.
  assert.deepEqual(r.findings.filter((f) => f.kind === 'not-expressible').map((f) => f.message.replace(/\d+/g, 'N')), [
    "virtual_server fwmark N: keepalived.conf does not say which VIP and ports the director's firewall marks N; imported as `fwmark N` on the first VIP: add `ports P P`",
    "virtual_server fwmark N: keepalived.conf does not say which VIP and ports the director's firewall marks N; imported as `fwmark N` on the first VIP: add `ports P P`",
  ]);
  const t = r.text;
  assert.match(t, /ha \{ router-id 49 {2}advert 1s {2}auth secret:vrrp-shop {2}sync-daemon eth0 {2}preempt-delay 30s {2}garp-repeat 5 {2}notify "\/usr\/local\/sbin\/lvs-notify" \}/);
  assert.match(t, /timeouts \{ tcp 15m {2}tcp-fin 2m {2}udp 5m \}/);
  assert.match(t, /protocol tcp {2}fwmark \d+ {2}scheduler wlc/);
  assert.match(t, /check http path "\/healthz" expect 200 host "shop\.example\.com" port 8081 every 5s timeout 2s retry 1/);
  assert.match(t, /quorum 2 {2}hysteresis 1\n\s*sorry rs3/);
  assert.match(t, /check dns name "shop\.example\.com" type A every 5s timeout 2s retry 1/);
  assert.match(t, /check script "\/usr\/local\/bin\/check-app" every 10s timeout 5s retry 1/);
  assert.match(t, /server rs3 \{ address 10\.49\.0\.20/);
  // (preempt_delay is in d2's file only: keepalived clears it on an initial MASTER.)
});

test('keepalived.conf: an unclosed block or an unreadable include is invalid input with file and line', () => {
  assert.throws(() => importKeepalived(file('bad1.conf', 'global_defs {\n  router_id x\n')), (e: ImportInputError) => e.line === 1 && /never closed/.test(e.message));
  assert.throws(() => importKeepalived(file('bad2.conf', '\n\ninclude missing.conf\n')), (e: ImportInputError) => e.line === 3 && /cannot read/.test(e.message));
});

test('lvsdr import: .lvs on stdout, findings on stderr; exit 0 all imported, 4 not expressible, 1 invalid input, 2 usage', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['dist/server/cli.js', 'import', ...args], { encoding: 'utf8' });
  const clean = file('clean.rules', '-A -t 10.2.0.100:80 -s rr\n-a -t 10.2.0.100:80 -r 10.2.0.11:80 -g -w 1\n');
  const ok = run('--ipvsadm', clean, '--cluster', 'c1');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^cluster c1 \{/);
  assert.match(ok.stdout, /real rs1 weight 1/);
  const lossy = run('--ipvsadm', file('nat.rules', '-A -t 10.2.0.100:80 -s rr\n-a -t 10.2.0.100:80 -r 10.2.0.11:80 -m -w 1\n'));
  assert.equal(lossy.status, 4);
  assert.match(lossy.stderr, /nat\.rules:2: not-expressible: .*NAT/);
  const bad = run('--ipvsadm', file('bad.rules', '-a -t 10.2.0.100:80 -r 10.2.0.11:80 -g\n'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bad\.rules:1: /);
  assert.equal(run().status, 2);
  const out = join(dir, 'out.lvs');
  const written = run('--ipvsadm', clean, '--out', out);
  assert.equal(written.status, 0);
  assert.equal(written.stdout, '');
});
