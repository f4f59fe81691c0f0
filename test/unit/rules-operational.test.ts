// Operational rules (LVS035, LVS042, LVS053, LVS060–LVS119): for each code a case that fires
// (code, range, message), a case that must not, every quick fix as exact text, and the examples.
import { english } from '../../server/shared/l10n/message';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { applyFix, findings, findingsWithCode, slice } from './helpers';
import { Finding } from '../../server/validation/types';

const seed = readFileSync('examples/seed.lvs', 'utf8');

const CODES = [
  'LVS035', 'LVS042', 'LVS053', 'LVS060', 'LVS070', 'LVS071', 'LVS080', 'LVS081', 'LVS090', 'LVS100',
  'LVS101', 'LVS102', 'LVS103', 'LVS104', 'LVS105', 'LVS106', 'LVS107', 'LVS108', 'LVS109', 'LVS110',
  'LVS111', 'LVS112', 'LVS113', 'LVS114', 'LVS115', 'LVS116', 'LVS117', 'LVS118', 'LVS119',
];

/** The seed with each `from` replaced (once) by `to`; fails when `from` is not in the text. */
function edit(text: string, ...pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    assert.ok(out.includes(from), `test setup: '${from}' not found`);
    out = out.replace(from, () => to);
  }
  return out;
}
const variant = (...pairs: [string, string][]) => edit(seed, ...pairs);

/** Exactly one finding of `code`; checks its range text and a message substring. */
function one(text: string, code: string, rangeText: string, message: string | RegExp): Finding {
  const list = findingsWithCode(text, code);
  assert.equal(list.length, 1, `expected one ${code}, got ${JSON.stringify(list.map((f) => f.message))}`);
  const f = list[0];
  assert.equal(slice(text, f.span), rangeText);
  if (typeof message === 'string') assert.ok(f.message.includes(message), `message '${f.message}' lacks '${message}'`);
  else assert.match(f.message, message);
  return f;
}

function none(text: string, code: string) {
  assert.deepEqual(findingsWithCode(text, code).map((f) => f.message), []);
}

/** Applies the fix titled `title` (or the only/first one) and checks the exact resulting text. */
function fixes(text: string, f: Finding, expected: string, title?: string | RegExp) {
  const fix = title === undefined ? f.fixes[0] : f.fixes.find((x) => (typeof title === 'string' ? english(x.title) === title : title.test(english(x.title))));
  assert.ok(fix, `no fix ${String(title)} among ${JSON.stringify(f.fixes.map((x) => english(x.title)))}`);
  assert.equal(applyFix(text, fix), expected);
  none(expected, f.code);
}

// ---------------------------------------------------------------------------------------------

test('the seed has no findings at all', () => {
  assert.deepEqual(findings(seed), []);
});

for (const code of CODES) {
  test(`examples/broken/${code}.lvs yields ${code} and nothing else`, () => {
    const path = `examples/broken/${code}.lvs`;
    assert.ok(existsSync(path), `${path} exists`);
    const found = findings(readFileSync(path, 'utf8'));
    assert.ok(found.some((f) => f.code === code), `${code} not reported`);
    assert.deepEqual([...new Set(found.map((f) => f.code))], [code]);
  });
}

// LVS060 ----------------------------------------------------------------------------------------

test('LVS060 unknown scheduler, with the closest one as fix', () => {
  const text = variant(['scheduler rr', 'scheduler wlcc']);
  const f = one(text, 'LVS060', 'wlcc', "Unknown scheduler 'wlcc' in service http");
  assert.equal(f.severity, 'error');
  fixes(text, f, variant(['scheduler rr', 'scheduler wlc']), "Replace with 'wlc'");
  for (const s of ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos']) {
    none(variant(['scheduler rr', `scheduler ${s}`]), 'LVS060');
  }
});

test('LVS060 protocol, on-failure, check type, role and target os words', () => {
  const proto = variant(['protocol tcp', 'protocol TCP']);
  fixes(proto, one(proto, 'LVS060', 'TCP', "Unknown protocol 'TCP'"), seed, "Replace with 'tcp'");
  none(variant(['protocol tcp', 'protocol udp']), 'LVS060');
  one(variant(['protocol tcp', 'protocol sctp']), 'LVS060', 'sctp', 'TCP or UDP');
  one(variant(['scheduler rr', 'scheduler rr  on-failure drain']), 'LVS060', 'drain', "Unknown on-failure action 'drain'");
  none(variant(['scheduler rr', 'scheduler rr  on-failure quiesce']), 'LVS060');
  const check = variant(['check http', 'check htp']);
  fixes(check, one(check, 'LVS060', 'htp', "Unknown health check type 'htp' in service http"), seed);
  const role = variant(['role backup', 'role standby']);
  const rf = one(role, 'LVS060', 'standby', "Unknown role 'standby' of director lvs2");
  assert.deepEqual(rf.fixes, []); // too far from any valid word to guess
  const os = variant(['target os rhel7', 'target os rhel8']);
  fixes(os, one(os, 'LVS060', 'rhel8', "Unknown target os 'rhel8' of cluster web"), seed, "Replace with 'rhel7'");
  one(variant(['vip-on lo:0 }', 'vip-on lo:0  target os centos }']), 'LVS060', 'centos', 'of server web1');
});

test('LVS060 numeric ranges: weight, ports, persistence, status, netmask', () => {
  one(variant(['real web1 weight 1', 'real web1 weight 65536']), 'LVS060', '65536', 'Weight of real web1 in service http is 65536, outside 0–65535');
  none(variant(['real web1 weight 1', 'real web1 weight 65535']), 'LVS060');
  none(variant(['real web1 weight 1', 'real web1 weight 0'], ['real web2 weight 1', 'real web2 weight 0']), 'LVS060');
  one(variant(['port 80', 'port 70000']), 'LVS060', '70000', 'Port of service http is 70000, outside 0–65535');
  none(variant(['port 80', 'port 0  persistence 300s']), 'LVS060');
  one(variant(['user root', 'user root  port 0']), 'LVS060', '0', 'SSH port of cluster web');
  one(variant(['scheduler rr', 'scheduler rr  persistence 32d']), 'LVS060', '32d', 'outside 1s–31d');
  one(variant(['scheduler rr', 'scheduler rr  persistence 500ms']), 'LVS060', '500ms', 'outside 1s–31d');
  none(variant(['scheduler rr', 'scheduler rr  persistence 31d']), 'LVS060');
  none(variant(['scheduler rr', 'scheduler rr  persistence 1s']), 'LVS060');
  const frac = variant(['scheduler rr', 'scheduler rr  persistence 1500ms']);
  fixes(frac, one(frac, 'LVS060', '1500ms', 'not a whole number of seconds'), variant(['scheduler rr', 'scheduler rr  persistence 2s']));
  one(variant(['scheduler rr', 'scheduler rr  persistence 300s netmask 255.0.255.0']), 'LVS060', '255.0.255.0', 'not a contiguous netmask');
  none(variant(['scheduler rr', 'scheduler rr  persistence 300s netmask 255.255.255.0']), 'LVS060');
  one(variant(['expect 200', 'expect 99']), 'LVS060', '99', 'Expected HTTP status of service http is 99');
  one(variant(['every 5s', 'every 0s']), 'LVS060', '0s', 'interval 0s');
  const path = variant(['path "/"', 'path "health"']);
  fixes(path, one(path, 'LVS060', '"health"', "must start with '/'"), variant(['path "/"', 'path "/health"']));
});

// LVS070 ----------------------------------------------------------------------------------------

test('LVS070 priority and router-id ranges', () => {
  one(variant(['priority 90', 'priority 255']), 'LVS070', '255', 'Priority 255 of director lvs2 is outside 1–254');
  one(variant(['priority 90', 'priority 0']), 'LVS070', '0', 'outside 1–254');
  none(variant(['priority 90', 'priority 254'], ['priority 100', 'priority 1']), 'LVS070');
  one(variant(['router-id 51', 'router-id 256']), 'LVS070', '256', 'router-id 256 is outside 1–255');
  none(variant(['router-id 51', 'router-id 255']), 'LVS070');
});

test('LVS070 missing router-id gets one', () => {
  const text = variant(['ha { router-id 51  advert 1s', 'ha { advert 1s']);
  const f = one(text, 'LVS070', 'ha', 'has no router-id');
  fixes(text, f, variant(['ha { router-id 51  advert 1s', 'ha { router-id 51 advert 1s']));
});

test('LVS070 advert interval whole seconds within 1–255', () => {
  const text = variant(['advert 1s', 'advert 1500ms']);
  fixes(text, one(text, 'LVS070', '1500ms', 'not a whole number of seconds'), variant(['advert 1s', 'advert 2s']));
  const low = variant(['advert 1s', 'advert 500ms']);
  fixes(low, one(low, 'LVS070', '500ms', 'outside 1s–255s'), seed);
  one(variant(['advert 1s', 'advert 5m']), 'LVS070', '5m', 'outside 1s–255s');
  none(variant(['advert 1s', 'advert 255s']), 'LVS070');
});

test('LVS070 exactly one master among two directors', () => {
  const two = variant(['role backup', 'role master']);
  const f = one(two, 'LVS070', 'master', 'both have role master');
  assert.equal(f.span.start, two.indexOf('role master', two.indexOf('lvs2')) + 5);
  fixes(two, f, seed);
  const noMaster = variant(['role master', 'role backup']);
  fixes(noMaster, one(noMaster, 'LVS070', 'backup', 'Neither lvs1 nor lvs2 has role master'), seed);
  const noRoles = variant(['  role master', ''], ['  role backup', '']);
  // No role written: the first director is the master (the documented default).
  none(noRoles, 'LVS070');
  const backupOnly = variant(['  role master', '']);
  const nf = one(backupOnly, 'LVS070', 'lvs1', 'Neither lvs1 nor lvs2');
  fixes(backupOnly, nf, variant(['  role master  priority 100 }', '  priority 100 role master }']));
  // Both BACKUP with nopreempt is keepalived's non-preemptive setup.
  none(variant(['role master  priority 100', 'role backup  priority 100 nopreempt']), 'LVS070');
  // No ha block: roles do not matter.
  none(variant(['role backup', 'role master'], ['  ha { router-id 51  advert 1s  auth secret:vrrp-web }   # secrets are references, never inline\n', '']), 'LVS070');
});

test('LVS070 more than two directors in an ha pair', () => {
  const text = variant(['  ha {', '  director lvs3 { address 192.168.147.7  interface ens33  role backup  priority 80 }\n  ha {']);
  one(text, 'LVS070', 'lvs3', 'third director');
});

// LVS071 ----------------------------------------------------------------------------------------

test('LVS071 strict / no-accept in ha, removed by the fix', () => {
  const text = variant(['auth secret:vrrp-web }', 'auth secret:vrrp-web  strict }']);
  const f = one(text, 'LVS071', 'strict', "'strict' in the ha block of cluster web");
  fixes(text, f, seed);
  const multi = variant(['  ha { router-id 51  advert 1s  auth secret:vrrp-web }', '  ha {\n    router-id 51\n    no-accept\n    advert 1s\n  }']);
  const g = one(multi, 'LVS071', 'no-accept', 'no_accept');
  fixes(multi, g, variant(['  ha { router-id 51  advert 1s  auth secret:vrrp-web }', '  ha {\n    router-id 51\n    advert 1s\n  }']));
  const first = variant(['ha { router-id 51', 'ha { strict router-id 51']);
  fixes(first, one(first, 'LVS071', 'strict', 'strict'), seed);
  none(variant(['auth secret:vrrp-web }', 'auth secret:vrrp-web  unicast }']), 'LVS071');
});

// LVS080 ----------------------------------------------------------------------------------------

test('LVS080 interface names and alias labels', () => {
  one(variant(['interface ens33  role backup', 'interface abcdefghijklmnop  role backup']), 'LVS080', 'abcdefghijklmnop', "'abcdefghijklmnop' of director lvs2 is 16 characters");
  none(variant(['interface ens33  role backup', 'interface abcdefghijklmno  role backup']), 'LVS080');
  one(variant(['vip-on lo:0 }', 'vip-on lo: }']), 'LVS080', 'lo:', "needs a suffix");
  one(variant(['vip-on lo:0 }', 'vip-on lo:vip_abcdefghijk }']), 'LVS080', 'lo:vip_abcdefghijk', 'of server web1 is 18 characters');
  none(variant(['vip-on lo:0 }', 'vip-on lo:vip_1 }']), 'LVS080');
  one(variant(['vip 192.168.147.100', 'vip 192.168.147.100 interface ens33:verylongname']), 'LVS080', 'ens33:verylongname', 'VIP 192.168.147.100');
  one(variant(['vip-on lo:0 }', 'vip-on lo:0  link thisnameistoolong 10.0.0.4/24 }']), 'LVS080', 'thisnameistoolong', 'server web1');
});

// LVS081 ----------------------------------------------------------------------------------------

test('LVS081 UDP service with a TCP-based check, fixed to a udp check', () => {
  const text = variant(['protocol tcp', 'protocol udp']);
  const f = one(text, 'LVS081', 'http', "Service http is UDP but its health check is 'http'");
  fixes(text, f, variant(['protocol tcp', 'protocol udp'], ['check http path "/" expect 200 every 5s timeout 3s', 'check udp every 5s timeout 3s']));
  one(variant(['protocol tcp', 'protocol udp'], ['check http path "/" expect 200', 'check tcp']), 'LVS081', 'tcp', "'tcp'");
  none(variant(['protocol tcp', 'protocol udp'], ['check http path "/" expect 200', 'check ping']), 'LVS081');
  none(seed, 'LVS081');
});

// LVS090 ----------------------------------------------------------------------------------------

test('LVS090 shell-unsafe strings', () => {
  one(variant(['path "/"', 'path "/a;reboot"']), 'LVS090', '"/a;reboot"', "contains ';'");
  one(variant(['path "/"', 'path "/x`id`"']), 'LVS090', '"/x`id`"', "contains '`'");
  one(variant(['path "/"', 'path "/../etc/passwd"']), 'LVS090', '"/../etc/passwd"', "'..' segment");
  none(variant(['path "/"', 'path "/status?full=1"']), 'LVS090');
  none(variant(['path "/"', 'path "/a..b/c"']), 'LVS090');
  one(variant(['key ~/.ssh/id_ed25519', 'key "~/my keys/id"']), 'LVS090', '"~/my keys/id"', 'contains a space');
  one(variant(['key ~/.ssh/id_ed25519', 'key ~/../root/.ssh/id']), 'LVS090', '~/../root/.ssh/id', "'..' segment");
  one(variant(['known-hosts ~/.ssh/known_hosts', 'known-hosts "/tmp/$HOME"']), 'LVS090', '"/tmp/$HOME"', `known-hosts path of cluster web "/tmp/$HOME" contains '$'`);
  one(variant(['vip-on lo:0 }', 'vip-on lo:0  sysctl net.core.somaxconn = "1024; rm -rf /" }']), 'LVS090', '"1024; rm -rf /"', 'Value of sysctl net.core.somaxconn on server web1');
  none(variant(['vip-on lo:0 }', 'vip-on lo:0  sysctl net.ipv4.ip_local_port_range = "32768 60999" }']), 'LVS090');
  one(variant(['auth secret:vrrp-web', 'auth "pa$$"']), 'LVS090', '"pa$$"', "The inline VRRP auth of cluster web contains '$'");
  one(variant(['user root', 'user root  password "a b"']), 'LVS090', '"a b"', 'The inline SSH password of cluster web contains a space');
  none(variant(['auth secret:vrrp-web', 'auth "s3cr3t"']), 'LVS090');
});

// LVS100 ----------------------------------------------------------------------------------------

const lvs1Sysctl = (line: string) => variant(['role master  priority 100 }', `role master  priority 100  sysctl ${line} }`]);

test('LVS100 send_redirects back on, on all / default / the NIC', () => {
  for (const where of ['all', 'default', 'ens33']) {
    const text = lvs1Sysctl(`net.ipv4.conf.${where}.send_redirects = 1`);
    const f = one(text, 'LVS100', '1', `send_redirects is 1 for '${where}' on director lvs1`);
    assert.equal(f.severity, 'warning');
    fixes(text, f, lvs1Sysctl(`net.ipv4.conf.${where}.send_redirects = 0`));
  }
  none(lvs1Sysctl('net.ipv4.conf.ens34.send_redirects = 1'), 'LVS100');
  none(lvs1Sysctl('net.ipv4.conf.all.send_redirects = 1  sysctl net.ipv4.conf.all.send_redirects = 0'), 'LVS100');
  // Real servers are not directors.
  none(variant(['vip-on lo:0 }', 'vip-on lo:0  sysctl net.ipv4.conf.all.send_redirects = 1 }']), 'LVS100');
});

test('LVS100 ip_forward switched on is information', () => {
  const text = lvs1Sysctl('net.ipv4.ip_forward = 1');
  const f = one(text, 'LVS100', '1', 'net.ipv4.ip_forward = 1 on director lvs1 is not needed for DR');
  assert.equal(f.severity, 'information');
  fixes(text, f, lvs1Sysctl('net.ipv4.ip_forward = 0'));
});

// LVS101 ----------------------------------------------------------------------------------------

test('LVS101 VIP outside the cluster network', () => {
  const text = variant(['vip 192.168.147.100', 'vip 10.20.30.100']);
  one(text, 'LVS101', '10.20.30.100', 'VIP 10.20.30.100 is outside the cluster network 192.168.147.0/24');
  none(seed, 'LVS101');
  // On a network both... any director is attached to through a link line: reachable by ARP there.
  none(edit(text, ['role master  priority 100 }', 'role master  priority 100  link ens34 10.20.30.6/24 }']), 'LVS101');
});

// LVS102 ----------------------------------------------------------------------------------------

test('LVS102 equal priorities: the backup gets master − 10', () => {
  const text = variant(['priority 90', 'priority 100']);
  const f = one(text, 'LVS102', '100', 'Directors lvs1 and lvs2 both have priority 100');
  assert.equal(f.span.start, text.indexOf('priority 100', text.indexOf('lvs2')) + 9);
  fixes(text, f, seed);
  // Master written second: the first (backup) one changes.
  const swapped = variant(['role backup  priority 90', 'role master  priority 90'], ['role master  priority 100', 'role backup  priority 90']);
  const g = one(swapped, 'LVS102', '90', 'both have priority 90');
  assert.ok(g.span.start < swapped.indexOf('lvs2'));
  fixes(swapped, g, variant(['role backup  priority 90', 'role master  priority 90'], ['role master  priority 100', 'role backup  priority 80']));
  none(seed, 'LVS102');
});

test('LVS102 auth longer than 8 characters; nopreempt on the master', () => {
  one(variant(['auth secret:vrrp-web', 'auth "abcdefghi"']), 'LVS102', '"abcdefghi"', 'has 9 characters; keepalived uses only the first 8');
  none(variant(['auth secret:vrrp-web', 'auth "abcdefgh"']), 'LVS102');
  const text = variant(['role master  priority 100', 'role master  priority 100  nopreempt']);
  const f = one(text, 'LVS102', 'nopreempt', 'nopreempt on director lvs1 (role master) is ignored');
  fixes(text, f, seed);
  none(variant(['role backup  priority 90', 'role backup  priority 90  nopreempt']), 'LVS102');
});

// LVS103 ----------------------------------------------------------------------------------------

test('LVS103 single director', () => {
  const text = variant(['  director lvs2 { address 192.168.147.5  interface ens33  role backup  priority 90 }\n', '']);
  const f = one(text, 'LVS103', 'lvs1', 'Director lvs1 is the only director of cluster web');
  assert.equal(f.severity, 'information');
  none(seed, 'LVS103');
});

// LVS104 ----------------------------------------------------------------------------------------

const web3 = '  server web3 { address 192.168.147.7  interface ens33  vip-on lo:0 }\n';

test('LVS104 unused real server: remove it, or add it to the first service', () => {
  const text = variant(['  ssh {', `${web3}\n  ssh {`]);
  const f = one(text, 'LVS104', 'web3', 'Server web3 is used by no service');
  fixes(text, f, variant(['  ssh {', '\n  ssh {']), 'Remove server web3');
  fixes(text, f, variant(['  ssh {', `${web3}\n  ssh {`], ['    real web2 weight 1\n', '    real web2 weight 1\n    real web3 weight 1\n']), 'Add web3 to service http');
});

test('LVS104 service without real servers; all weights 0', () => {
  const empty = variant(['    real web1 weight 1\n    real web2 weight 1\n', ''], ['  server web1', '  service spare { protocol tcp port 81 real web1 real web2 }\n  server web1']);
  one(empty, 'LVS104', 'http', 'Service http has no real servers');
  const zero = variant(['real web1 weight 1', 'real web1 weight 0'], ['real web2 weight 1', 'real web2 weight 0']);
  fixes(zero, one(zero, 'LVS104', 'http', 'Every real server of service http has weight 0'), seed);
  none(variant(['real web1 weight 1', 'real web1 weight 0']), 'LVS104');
  none(variant(['real web1 weight 1', 'real web1']), 'LVS104');
});

// LVS105 ----------------------------------------------------------------------------------------

test('LVS105 inline secrets become references', () => {
  const auth = variant(['auth secret:vrrp-web', 'auth "s3cret"']);
  fixes(auth, one(auth, 'LVS105', '"s3cret"', 'The VRRP auth of cluster web is written inline'), variant(['auth secret:vrrp-web', 'auth secret:web-vrrp']));
  assert.equal(findingsWithCode(auth, 'LVS105')[0].severity, 'warning');
  const pw = variant(['user root', 'user root  password "hunter2"']);
  const pwFinding = one(pw, 'LVS105', '"hunter2"', 'The SSH password of cluster web');
  assert.equal(pwFinding.severity, 'error', 'the deploy refuses an inline SSH password, so check does too');
  fixes(pw, pwFinding, variant(['user root', 'user root  password secret:web-ssh']));
  const host = variant(['vip-on lo:0 }', 'vip-on lo:0  ssh { password "hunter2" } }']);
  fixes(host, one(host, 'LVS105', '"hunter2"', 'The SSH password of server web1'), variant(['vip-on lo:0 }', 'vip-on lo:0  ssh { password secret:web-web1-ssh } }']));
  none(seed, 'LVS105');
  none(variant(['user root', 'user root  password env:SSH_PASS']), 'LVS105');
});

// LVS106 ----------------------------------------------------------------------------------------

test('LVS106 persistence with a pinning scheduler', () => {
  for (const s of ['sh', 'mh', 'dh']) {
    const text = variant(['scheduler rr', `scheduler ${s}  persistence 300s`]);
    const f = one(text, 'LVS106', '300s', `with scheduler ${s}`);
    assert.equal(f.severity, 'information');
    fixes(text, f, variant(['scheduler rr', `scheduler ${s}`]));
  }
  none(variant(['scheduler rr', 'scheduler wlc  persistence 300s']), 'LVS106');
  none(variant(['scheduler rr', 'scheduler sh']), 'LVS106');
});

// LVS107 ----------------------------------------------------------------------------------------

test('LVS107 director used as a real server: the fix declares the sync daemon and backup_only, which silences it', () => {
  const text = variant(['    real web2 weight 1\n', '    real web2 weight 1\n    real lvs1 weight 1\n']);
  const f = one(text, 'LVS107', 'lvs1', 'Director lvs1 is also a real server of service http');
  assert.match(f.message, /only while the IPVS sync daemon runs in backup state on lvs1/);
  assert.deepEqual(f.fixes.map((x) => [english(x.title), !!x.preferred]), [
    ['Run the IPVS sync daemon and set net.ipv4.vs.backup_only = 1 on lvs1', true],
    ['Remove director lvs1 from service http', false],
  ]);
  // backup_only alone does not silence it (it acts only with the sync daemon), nor does the
  // sync daemon alone; both together do.
  one(edit(text, ['role master  priority 100 }', 'role master  priority 100  sysctl net.ipv4.vs.backup_only = 1 }']), 'LVS107', 'lvs1', 'Director lvs1');
  one(edit(text, ['auth secret:vrrp-web }', 'auth secret:vrrp-web  sync-daemon ens33 }']), 'LVS107', 'lvs1', 'Director lvs1');
  fixes(text, f, edit(text,
    ['auth secret:vrrp-web }', 'auth secret:vrrp-web sync-daemon ens33 }'],
    ['role master  priority 100 }', 'role master  priority 100 sysctl net.ipv4.vs.backup_only = 1 }']));
  fixes(text, f, seed, 'Remove director lvs1 from service http');
  // A lone director serving locally has no peer to loop with.
  none(edit(text, ['  director lvs2 { address 192.168.147.5  interface ens33  role backup  priority 90 }\n', '']), 'LVS107');
  const sameAddr = variant(['server web2 { address 192.168.147.3', 'server web2 { address 192.168.147.6']);
  const g = one(sameAddr, 'LVS107', '192.168.147.6', 'Server web2 has the address of director lvs1');
  assert.deepEqual(g.fixes.map((x) => english(x.title)), ['Run the IPVS sync daemon and set net.ipv4.vs.backup_only = 1 on lvs1']);
});

// LVS108 ----------------------------------------------------------------------------------------

test('LVS108 persistent + quiesce needs expire_quiescent_template on the directors', () => {
  const text = variant(['scheduler rr', 'scheduler rr  persistence 300s  on-failure quiesce']);
  const f = one(text, 'LVS108', 'quiesce', 'Service http is persistent and quiesces failed servers');
  const key = 'sysctl net.ipv4.vs.expire_quiescent_template = 1';
  fixes(text, f, edit(text, ['priority 100 }', `priority 100 ${key} }`], ['priority 90 }', `priority 90 ${key} }`]));
  none(variant(['scheduler rr', 'scheduler rr  on-failure quiesce']), 'LVS108');
  none(variant(['scheduler rr', 'scheduler rr  persistence 300s  on-failure remove']), 'LVS108');
});

// LVS109 ----------------------------------------------------------------------------------------

const multiHomed = (sysctls: string) => variant(['address 192.168.147.4  interface ens33  vip-on lo:0 }', `address 192.168.147.4  interface ens33  vip-on lo:0  link ens34 10.0.0.4/24  ${sysctls} }`]);

test('LVS109 strict rp_filter on a multi-homed real server', () => {
  const text = multiHomed('sysctl net.ipv4.conf.all.rp_filter = 1');
  fixes(text, one(text, 'LVS109', '1', 'rp_filter = 1 (strict) on server web1, which is multi-homed (ens34)'), multiHomed('sysctl net.ipv4.conf.all.rp_filter = 2'));
  one(multiHomed('sysctl net.ipv4.conf.ens33.rp_filter = 1'), 'LVS109', '1', 'strict');
  // max(all, NIC): a 2 on the NIC makes it loose.
  none(multiHomed('sysctl net.ipv4.conf.all.rp_filter = 1  sysctl net.ipv4.conf.ens33.rp_filter = 2'), 'LVS109');
  none(variant(['vip-on lo:0 }', 'vip-on lo:0  sysctl net.ipv4.conf.all.rp_filter = 1 }']), 'LVS109');
});

// LVS110 ----------------------------------------------------------------------------------------

test('LVS110 hosts listed among the clients of their own VIP', () => {
  const withClients = (list: string) => variant(['  vip 192.168.147.100\n', `  vip 192.168.147.100\n  clients ${list}\n`]);
  one(withClients('web1'), 'LVS110', 'web1', "Client 'web1' is server web1 of this cluster");
  one(withClients('10.1.0.0/16 192.168.147.6'), 'LVS110', '192.168.147.6', 'Client 192.168.147.6 is the address of director lvs1');
  one(withClients('192.168.147.0/28'), 'LVS110', '192.168.147.0/28', 'Client range 192.168.147.0/28 contains director lvs1, director lvs2, server web1 and 1 more');
  none(withClients('10.1.0.0/16 192.168.147.50 office'), 'LVS110');
});

// New codes ---------------------------------------------------------------------------------------

test('LVS035 two VIPs on one alias label', () => {
  const text = readFileSync('examples/broken/LVS035.lvs', 'utf8');
  const f = one(text, 'LVS035', 'lo:0', 'Alias lo:0 on server web1 carries two VIPs (www and api)');
  assert.equal(f.span.start, text.indexOf('vip-on lo:0 vip api') + 7);
  fixes(text, f, edit(text, ['vip-on lo:0 vip api', 'vip-on lo:1 vip api']));
  one(variant(['vip-on lo:0 }', 'vip-on lo:0 vip-on lo:0 }']), 'LVS035', 'lo:0', 'is given twice');
  none(seed, 'LVS035');
});

test('LVS042 FTP without persistence', () => {
  const text = variant(['port 80', 'port 21']);
  fixes(text, one(text, 'LVS042', '21', 'Service http is FTP (port 21) without persistence'), variant(['port 80', 'port 21 persistence 300s']));
  none(variant(['port 80', 'port 21  persistence 1h']), 'LVS042');
  none(variant(['port 80', 'port 21'], ['protocol tcp', 'protocol udp']), 'LVS042');
});

test('LVS053 router-id reused by a cluster on an overlapping network', () => {
  const text = readFileSync('examples/broken/LVS053.lvs', 'utf8');
  const f = one(text, 'LVS053', '51', 'router-id 51 of cluster shop is also used by cluster web');
  assert.ok(f.span.start > text.indexOf('cluster shop'));
  const second = text.indexOf('router-id 51', text.indexOf('cluster shop')) + 10;
  assert.equal(f.span.start, second);
  fixes(text, f, text.slice(0, second) + '52' + text.slice(second + 2));
  const other = edit(text, ['cluster shop {\n  network 192.168.147.0/24', 'cluster shop {\n  network 10.9.0.0/24']);
  none(other, 'LVS053');
});

test('LVS111 check timeout not shorter than the interval', () => {
  const text = variant(['timeout 3s', 'timeout 5s']);
  fixes(text, one(text, 'LVS111', '5s', 'Health check timeout 5s of service http is not shorter than its interval 5s'), variant(['timeout 3s', 'timeout 2s']));
  one(variant(['every 5s timeout 3s', 'every 1s timeout 2s']), 'LVS111', '2s', 'interval 1s');
  none(seed, 'LVS111');
});

test('LVS112 master with a lower priority than the backup', () => {
  const text = variant(['priority 100', 'priority 80']);
  const f = one(text, 'LVS112', '80', "Director lvs1 has role master but priority 80, lower than backup lvs2's 90");
  fixes(text, f, variant(['priority 90', 'priority 80'], ['priority 100', 'priority 90']));
  none(variant(['priority 100', 'priority 80'], ['priority 90', 'priority 90 nopreempt']), 'LVS112');
  none(seed, 'LVS112');
});

test('LVS113 check options the check type ignores', () => {
  const text = variant(['check http', 'check tcp']);
  const list = findingsWithCode(text, 'LVS113');
  assert.deepEqual(list.map((f) => slice(text, f.span)), ['path "/"', 'expect 200']);
  assert.ok(list[0].message.includes("is ignored by the 'tcp' health check of service http"));
  assert.equal(applyFix(text, list[0].fixes[0]), variant(['check http path "/" expect', 'check tcp expect']));
  assert.equal(applyFix(text, list[1].fixes[0]), variant(['check http path "/" expect 200 every', 'check tcp path "/" every']));
  const noneCheck = variant(['check http path "/" expect 200 every 5s timeout 3s', 'check none every 5s']);
  fixes(noneCheck, one(noneCheck, 'LVS113', 'every 5s', "the health check of service http is 'none'"), variant(['check http path "/" expect 200 every 5s timeout 3s', 'check none']));
  none(seed, 'LVS113');
  none(variant(['check http', 'check https']), 'LVS113');
});

test('LVS114 real server listed twice', () => {
  const text = variant(['    real web2 weight 1\n', '    real web2 weight 1\n    real web1 weight 2\n']);
  const f = one(text, 'LVS114', 'web1', 'Real server web1 is listed twice in service http');
  assert.ok(f.span.start > text.indexOf('real web2'));
  fixes(text, f, seed);
  none(seed, 'LVS114');
});

// LVS115 ----------------------------------------------------------------------------------------

test('LVS115 SSH password from file: or env: is an error whose fix makes it a secret: reference', () => {
  const file = variant(['user root  key ~/.ssh/id_ed25519', 'user root  password file:~/.ssh/id_ed25519']);
  const f = one(file, 'LVS115', 'file:~/.ssh/id_ed25519', 'The SSH password of cluster web reads file:~/.ssh/id_ed25519');
  assert.equal(f.severity, 'error');
  fixes(file, f, variant(['user root  key ~/.ssh/id_ed25519', 'user root  password secret:web-ssh']), 'Use secret:web-ssh');
  const env = variant(['vip-on lo:0 }', 'vip-on lo:0  ssh { password env:AWS_SECRET_ACCESS_KEY } }']);
  fixes(env, one(env, 'LVS115', 'env:AWS_SECRET_ACCESS_KEY', 'The SSH password of server web1 reads env:AWS_SECRET_ACCESS_KEY'),
    variant(['vip-on lo:0 }', 'vip-on lo:0  ssh { password secret:web-web1-ssh } }']));
  none(seed, 'LVS115');
  none(variant(['user root', 'user root  password secret:web-ssh']), 'LVS115');
  none(variant(['user root', 'user root  password "hunter2"']), 'LVS115'); // LVS105's
  // file: and env: stay allowed for the VRRP auth (resolved only after approval, not by this rule).
  none(variant(['auth secret:vrrp-web', 'auth env:VRRP_PASS']), 'LVS115');
});

// LVS116 ----------------------------------------------------------------------------------------

test('LVS116 sysctl keys outside net.ipv4/ipv6/core/netfilter are errors, removed by the fix', () => {
  const text = variant(['role master  priority 100 }', 'role master  priority 100  sysctl kernel.modprobe = "/var/tmp/x" }']);
  const f = one(text, 'LVS116', 'kernel.modprobe', 'sysctl kernel.modprobe on director lvs1 is not a network setting');
  assert.equal(f.severity, 'error');
  assert.ok(f.message.includes('net.ipv4., net.ipv6., net.core., net.netfilter.'));
  fixes(text, f, seed);
  for (const key of ['kernel/core_pattern', 'vm.overcommit_memory', 'fs.suid_dumpable', 'net.bridge.bridge-nf-call-iptables', 'net.ipv4x.foo', 'netfilter.x', 'net.ipv4']) {
    const t = variant(['vip-on lo:0 }', `vip-on lo:0  sysctl ${key} = 1 }`]);
    assert.equal(findingsWithCode(t, 'LVS116').length, 1, key);
  }
  for (const key of ['net.ipv4.ip_forward', 'net/ipv4/conf/all/arp_ignore', 'net.ipv6.conf.all.disable_ipv6', 'net.core.somaxconn', 'net.netfilter.nf_conntrack_max', 'net.ipv4.vs.expire_nodest_conn']) {
    none(variant(['vip-on lo:0 }', `vip-on lo:0  sysctl ${key} = 1 }`]), 'LVS116');
  }
});

// LVS117 ----------------------------------------------------------------------------------------

test('LVS117 two directors without ha is an error; the fix adds an ha block', () => {
  const text = variant(['  ha { router-id 51  advert 1s  auth secret:vrrp-web }   # secrets are references, never inline\n', '']);
  const f = one(text, 'LVS117', 'web', 'Cluster web has 2 directors (lvs1, lvs2) and no ha block');
  assert.equal(f.severity, 'error');
  fixes(text, f, variant(
    ['  ha { router-id 51  advert 1s  auth secret:vrrp-web }   # secrets are references, never inline\n', ''],
    ['role backup  priority 90 }', 'role backup  priority 90 }\n  ha { router-id 51  advert 1s  auth secret:web-vrrp }'],
  ));
  none(seed, 'LVS117');
  // One director needs no VRRP (LVS103 says it has no standby).
  none(edit(text, ['  director lvs2 { address 192.168.147.5  interface ens33  role backup  priority 90 }\n', '']), 'LVS117');
  const three = edit(text, ['  director lvs2 {', '  director lvs3 { address 192.168.147.7  interface ens33 }\n  director lvs2 {']);
  one(three, 'LVS117', 'web', 'Cluster web has 3 directors (lvs1, lvs3, lvs2)');
});

// LVS118 ----------------------------------------------------------------------------------------

const secondCluster = (webAddr: string) => `
cluster shop {
  network 192.168.147.0/24
  gateway 192.168.147.2
  vip 192.168.147.200
  director lb { address 192.168.147.20  interface ens33 }
  service https { protocol tcp  port 443  scheduler rr  real app }
  server app { address ${webAddr}  interface ens33  vip-on lo:0 }
}
`;

test('LVS118 one host address in two clusters of a file', () => {
  const text = seed + secondCluster('192.168.147.4');
  const f = one(text, 'LVS118', '192.168.147.4', 'server app of cluster shop has address 192.168.147.4, which is also server web1 of cluster web');
  assert.equal(f.severity, 'error');
  assert.ok(f.span.start > seed.length, 'reported on the later cluster');
  assert.ok(f.message.includes('deploying one cluster undoes the other'));
  // A director of one cluster as a server of another is the same clash.
  one(seed + secondCluster('192.168.147.6'), 'LVS118', '192.168.147.6', 'which is also director lvs1 of cluster web');
  none(seed + secondCluster('192.168.147.40'), 'LVS118');
  none(seed, 'LVS118');
  // Two hosts of one cluster with one address are LVS050's, not this rule's.
  none(variant(['server web2 { address 192.168.147.3', 'server web2 { address 192.168.147.4']), 'LVS118');
});

// LVS119 ----------------------------------------------------------------------------------------

test('LVS119 a sysctl key that splits a dotted interface name; the fix writes it with /', () => {
  const vlanWeb1 = (sysctl: string) => variant(['server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 }', `server web1 { address 192.168.147.4  interface ens33.100  vip-on lo:0  sysctl ${sysctl} }`]);
  const text = vlanWeb1('net.ipv4.conf.ens33.100.rp_filter = 2');
  const f = one(text, 'LVS119', 'net.ipv4.conf.ens33.100.rp_filter', 'splits the interface name ens33.100: sysctl reads it as the path net/ipv4/conf/ens33/100/rp_filter');
  assert.equal(f.severity, 'error');
  fixes(text, f, vlanWeb1('net.ipv4.conf.ens33/100.rp_filter = 2'), 'Write net.ipv4.conf.ens33/100.rp_filter');
  // The all-slashes spelling splits it the same way.
  one(vlanWeb1('net/ipv4/conf/ens33/100/rp_filter = 2'), 'LVS119', 'net/ipv4/conf/ens33/100/rp_filter', 'splits the interface name ens33.100');
  // Both right spellings, and an interface without a dot, are fine.
  none(vlanWeb1('net.ipv4.conf.ens33/100.rp_filter = 2'), 'LVS119');
  none(vlanWeb1('net/ipv4/conf/ens33.100/rp_filter = 2'), 'LVS119');
  none(variant(['vip-on lo:0 }', 'vip-on lo:0  sysctl net.ipv4.conf.ens33.rp_filter = 2 }']), 'LVS119');
  none(seed, 'LVS119');
});

test('every operational finding names a registered code with docs', () => {
  const docs = readFileSync('docs/rules.md', 'utf8');
  for (const code of CODES) {
    assert.ok(docs.includes(`<a id="${code.toLowerCase()}"></a>`), `${code} anchor in docs`);
    assert.ok(docs.includes(`## ${code} — `), `${code} heading in docs`);
  }
});
