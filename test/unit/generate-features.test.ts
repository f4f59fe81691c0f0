// Generation of the features issue 14 added to the language, on examples/shop.lvs and variants of
// it: firewall-mark services (marks, nft/iptables rules, keepalived virtual_server fwmark, IPVS
// dests with port 0), IPVS timeouts, the sync daemon, dns/script/connect_port/virtualhost checks,
// sorry server and quorum, VRRP tuning; and the scripts for every OS pass shellcheck.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratedFile, generateCluster, generateFile } from '../../server/generate';
import { parse } from '../../server/language/parse';
import { allocateFwmarks, FWMARK_MAX, FWMARK_MIN } from '../../server/model/fwmark';
import { buildModel } from '../../server/model/topology';
import { validateText } from '../../server/validation/registry';

const shop = readFileSync('examples/shop.lvs', 'utf8');
const isCi = process.env.CI === 'true';

function edit(text: string, ...pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    assert.ok(out.includes(from), `test setup: '${from}' not found`);
    out = out.replace(from, () => to);
  }
  return out;
}

function files(text: string): GeneratedFile[] {
  return generateFile(text, 'shop.lvs', { preview: true }).clusters[0].files;
}

function one(list: GeneratedFile[], host: string, path: string): string {
  const f = list.find((x) => x.host === host && x.path === path);
  assert.ok(f, `${host}:${path} generated`);
  return f.content;
}

function markOf(text: string, service: string): number {
  return allocateFwmarks(parse(text).ast.clusters[0]).get(service)!;
}

/** The shop cluster without ha and one director (ipvsadm rules, no keepalived), on `os`. */
function noHa(os: string): string {
  return edit(shop,
    ['  ha { router-id 49  advert 1s  auth secret:shop-vrrp  sync-daemon eth0\n       preempt-delay 30s  garp-repeat 5  notify "/usr/local/sbin/lvs-notify" }\n', ''],
    ['  director d2 { address 10.49.0.6  interface eth0  role backup  priority 100 }\n', ''],
    ['    check http path "/healthz" port 8081 host "shop.example.com" expect 200 every 5s timeout 2s\n', ''],
    ['    quorum 2  hysteresis 1\n    sorry maint\n', ''],
    ['    check dns name "shop.example.com" type A every 5s timeout 2s\n', ''],
    ['    check script "/usr/local/bin/check-app" every 10s timeout 5s\n', ''],
    ['target os debian', `target os ${os}`]);
}

test('the shop example parses verbatim and checks without errors', () => {
  const r = validateText(shop);
  assert.deepEqual(r.findings.filter((f) => f.severity === 'error').map((f) => f.message), []);
  const c = r.model.clusters[0].cluster;
  const web = c.services[0];
  assert.deepEqual(web.ports?.value, [80, 443]);
  assert.equal(web.quorum?.value, 2);
  assert.equal(web.hysteresis?.value, 1);
  assert.equal(web.sorry?.value, 'maint');
  assert.deepEqual([web.checks[0].port?.value, web.checks[0].host?.value], [8081, 'shop.example.com']);
  assert.deepEqual([c.services[1].checks[0].name?.value, c.services[1].checks[0].queryType?.value], ['shop.example.com', 'A']);
  assert.equal(c.services[2].checks[0].script?.value, '/usr/local/bin/check-app');
  assert.deepEqual([c.timeouts?.tcp?.value, c.timeouts?.tcpFin?.value, c.timeouts?.udp?.value], [900_000, 120_000, 300_000]);
  assert.deepEqual([c.ha?.syncDaemon?.value, c.ha?.preemptDelay?.value, c.ha?.garpRepeat?.value, c.ha?.notify?.value], ['eth0', 30_000, 5, '/usr/local/sbin/lvs-notify']);
});

test('fwmark: allocated in range, stable across edits of other services, pinned by fwmark N', () => {
  const mark = markOf(shop, 'web');
  assert.ok(mark >= FWMARK_MIN && mark <= FWMARK_MAX, String(mark));
  // Adding, removing and reordering other services leaves the mark as it is.
  const more = edit(shop, ['  service app {', '  service imap { protocol tcp  ports 143 993  scheduler rr  real r2 }\n  service app {']);
  assert.equal(markOf(more, 'web'), mark);
  assert.notEqual(markOf(more, 'imap'), mark);
  assert.equal(markOf(edit(shop, ['  service resolver {', '  service zzz { protocol tcp  port 1  real r1 }\n  service resolver {']), 'web'), mark);
  assert.equal(markOf(edit(shop, ['scheduler wlc  persistence 30m', 'scheduler wlc  persistence 30m  fwmark 7']), 'web'), 7);
  // A pinned mark another service would have got moves that one, not the pinned one.
  const pinned = edit(more, ['protocol tcp  ports 143 993', `protocol tcp  ports 143 993  fwmark ${mark}`]);
  assert.equal(markOf(pinned, 'imap'), mark);
  assert.notEqual(markOf(pinned, 'web'), mark);
});

test('keepalived.conf of the shop: fwmark virtual server, checks, sorry server, quorum, sync daemon, timeouts, VRRP tuning', () => {
  const list = files(shop);
  const mark = markOf(shop, 'web');
  const d1 = one(list, 'd1', '/etc/keepalived/keepalived.conf');
  const d2 = one(list, 'd2', '/etc/keepalived/keepalived.conf');
  assert.match(d1, /global_defs \{\n {4}router_id d1\n {4}script_user root\n {4}enable_script_security\n {4}lvs_sync_daemon eth0 VI_shop\n {4}lvs_timeouts tcp 900 tcpfin 120 udp 300\n\}/);
  assert.match(d1, new RegExp(`virtual_server fwmark ${mark} \\{\\n {4}# service web: 10\\.49\\.0\\.100 ports 80 443, marked ${mark} by the director's firewall\\n {4}delay_loop 5\\n {4}lvs_sched wlc\\n {4}lvs_method DR\\n {4}persistence_timeout 1800\\n {4}quorum 2\\n {4}hysteresis 1\\n {4}sorry_server 10\\.49\\.0\\.20\\n`));
  // A fwmark service's real servers have no port; the check connects to its own port.
  assert.match(d1, /real_server 10\.49\.0\.11 \{\n {8}weight 2\n {8}HTTP_GET \{\n {12}url \{\n {16}path \/healthz\n {16}status_code 200\n {16}virtualhost shop\.example\.com\n {12}\}\n {12}connect_port 8081\n/);
  assert.match(d1, /DNS_CHECK \{\n {12}connect_timeout 2\n {12}retry 1\n {12}delay_before_retry 1\n {12}type A\n {12}name shop\.example\.com\n/);
  assert.match(d1, /MISC_CHECK \{\n {12}misc_path \/usr\/local\/bin\/check-app\n {12}misc_timeout 5\n/);
  assert.match(d1, /garp_master_repeat 5\n {4}notify \/usr\/local\/sbin\/lvs-notify\n/);
  // keepalived clears preempt_delay on an initial MASTER: only the backup gets it.
  assert.doesNotMatch(d1, /preempt_delay/);
  assert.match(d2, /nopreempt|preempt_delay 30\n/);
  // The sorry server holds the VIP on lo like a real server.
  assert.match(one(list, 'maint', '/opt/lvs/apply.sh'), /ensure_addr 'lo' '10\.49\.0\.100\/32' 'lo:0'/);
});

test('several checks per service: each is a checker, one with another interval carries its own delay_loop', () => {
  const text = edit(shop, ['    check script "/usr/local/bin/check-app" every 10s timeout 5s\n', '    check script "/usr/local/bin/check-app" every 10s timeout 5s\n    check tcp every 3s timeout 1s\n']);
  assert.deepEqual(validateText(text).findings.filter((f) => f.severity === 'error'), []);
  const conf = one(files(text), 'd1', '/etc/keepalived/keepalived.conf');
  const app = conf.slice(conf.indexOf('virtual_server 10.49.0.100 9000'));
  assert.match(app, /MISC_CHECK \{[^}]*\}\n {8}TCP_CHECK \{\n {12}connect_timeout 1\n {12}retry 1\n {12}delay_before_retry 1\n {12}delay_loop 3\n {8}\}/);
});

test('director-boot.sh: nft table on debian, iptables chain on rhel7; apply, verify and rollback use them', () => {
  const mark = markOf(shop, 'web');
  const deb = files(shop);
  const boot = one(deb, 'd1', '/opt/lvs/director-boot.sh');
  assert.ok(boot.includes(`table ip lvs_dr\ndelete table ip lvs_dr\ntable ip lvs_dr {\n  chain prerouting {\n    type filter hook prerouting priority mangle; policy accept;\n    ip daddr 10.49.0.100 tcp dport { 80, 443 } meta mark set ${mark}\n`), boot);
  assert.match(one(deb, 'd1', '/etc/systemd/system/lvs-dr-director.service'), /Before=keepalived\.service ipvsadm\.service\n[\s\S]*ExecStart=\/bin\/sh \/opt\/lvs\/director-boot\.sh start\n/);
  assert.match(one(deb, 'd1', '/opt/lvs/apply.sh'), /sh '\/opt\/lvs\/director-boot\.sh' start\n/);
  assert.ok(one(deb, 'd1', '/opt/lvs/verify.sh').includes(`'mark set 0x${mark.toString(16).padStart(8, '0')}'`));
  assert.match(one(deb, 'd1', '/opt/lvs/rollback.sh'), /nft delete table ip lvs_dr\n/);
  // Real servers get nothing of it.
  assert.ok(!deb.some((f) => f.host === 'r1' && /director-boot|lvs_dr/.test(f.content)));

  const rhel7 = files(noHa('rhel7'));
  const boot7 = one(rhel7, 'd1', '/opt/lvs/director-boot.sh');
  assert.ok(boot7.includes(`-A LVS-DR -d 10.49.0.100/32 -p tcp -m multiport --dports 80,443 -j MARK --set-mark ${mark}\nCOMMIT\n`), boot7);
  assert.match(boot7, /ipvsadm --set '900' '120' '300'\n/, 'without ha director-boot.sh restores the timeouts at boot');
  assert.ok(one(rhel7, 'd1', '/opt/lvs/verify.sh').includes(`'--set-xmark 0x${mark.toString(16)}/0xffffffff'`));
  assert.match(one(rhel7, 'd1', '/opt/lvs/rollback.sh'), /iptables -t mangle -X LVS-DR\n/);
  // The IPVS table of a fwmark service: -f MARK, real servers with port 0.
  const rules = one(rhel7, 'd1', '/etc/sysconfig/ipvsadm');
  assert.ok(rules.startsWith(`-A -f ${mark} -s wlc -p 1800\n-a -f ${mark} -r 10.49.0.11:0 -g -w 2\n-a -f ${mark} -r 10.49.0.12:0 -g -w 1\n`), rules);
  assert.match(one(rhel7, 'd1', '/opt/lvs/apply.sh'), new RegExp(`ipvsadm -A -f '${mark}' -s 'wlc' -p '1800'\\n`));
});

test('timeouts: apply.sh records the values before the first apply and sets them; rollback.sh restores them; verify.sh compares', () => {
  const list = files(noHa('debian'));
  const apply = one(list, 'd1', '/opt/lvs/apply.sh');
  assert.match(apply, /ipvs_timeouts >"\$STATE_DIR\/ipvs\.timeouts"\n/);
  assert.match(apply, /wanted=\$\(ipvs_timeouts \| awk '\{ print 900, 120, 300 \}'\)\n/);
  assert.match(one(list, 'd1', '/opt/lvs/rollback.sh'), /ipvsadm --set \$saved\n/);
  assert.match(one(list, 'd1', '/opt/lvs/verify.sh'), /fail "IPVS timeouts are \$got, wanted \$wanted"/);
  // A value left out keeps the live one.
  const partial = one(files(edit(noHa('debian'), ['timeouts { tcp 15m  tcp-fin 2m  udp 5m }', 'timeouts { tcp 20m }'])), 'd1', '/opt/lvs/apply.sh');
  assert.match(partial, /awk '\{ print 1200, \$2, \$3 \}'/);
});

test('shellcheck -s sh reports nothing on the scripts of the shop, every OS, with and without ha', (t) => {
  if (spawnSync('sh', ['-c', 'command -v shellcheck'], { stdio: 'ignore' }).status !== 0) {
    if (isCi) assert.fail('shellcheck is not installed');
    t.skip('shellcheck is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-shop-sc-'));
  try {
    const paths: string[] = [];
    for (const os of ['rhel7', 'rhel9', 'debian', 'ubuntu']) {
      for (const [name, text] of [[`ha-${os}`, edit(shop, ['target os debian', `target os ${os}`])], [`noha-${os}`, noHa(os)]]) {
        for (const f of generateCluster(buildModel(parse(text).ast).clusters[0], { sourceName: 'shop.lvs', preview: true })) {
          if (!f.path.endsWith('.sh')) continue;
          const p = join(dir, `${name}__${f.host}__${f.path.split('/').pop()}`);
          writeFileSync(p, f.content);
          paths.push(p);
        }
      }
    }
    assert.ok(paths.length >= 8 * 9, String(paths.length));
    const r = spawnSync('shellcheck', ['-s', 'sh', ...paths], { encoding: 'utf8' });
    assert.equal(r.stdout + r.stderr, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('director-boot.sh really loads and removes its marks: nft (debian) and iptables (rhel7), in a network namespace (root)', (t) => {
  const can = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  if (process.getuid?.() !== 0 || !can('unshare') || !can('nft') || !can('iptables')) {
    if (isCi) assert.fail('needs root, unshare, nft and iptables (scripts/install-system-deps.sh lab)');
    t.skip('needs root, unshare, nft and iptables');
    return;
  }
  const mark = markOf(shop, 'web');
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-marks-'));
  try {
    for (const [os, list, has, gone] of [
      ['debian', 'nft list table ip lvs_dr', `meta mark set 0x${mark.toString(16).padStart(8, '0')}`, 'nft list table ip lvs_dr'],
      ['rhel7', 'iptables -t mangle -S LVS-DR; iptables -t mangle -S PREROUTING', `--set-xmark 0x${mark.toString(16)}/0xffffffff`, 'iptables -t mangle -S LVS-DR'],
    ] as const) {
      const script = join(dir, `${os}.sh`);
      writeFileSync(script, one(files(edit(shop, ['target os debian', `target os ${os}`])), 'd1', '/opt/lvs/director-boot.sh'));
      // Twice (apply.sh may run it again): the rules are replaced, never doubled.
      const r = spawnSync('unshare', ['-n', 'sh', '-c', `set -e; sh ${script} start; sh ${script} start; ${list}; echo ===; sh ${script} stop; if ${gone} >/dev/null 2>&1; then echo still there; fi`], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${os}: ${r.stdout}${r.stderr}`);
      const [loaded, after] = r.stdout.split('===\n');
      assert.equal(loaded.split(has).length - 1, 1, `${os}: the mark rule once:\n${loaded}`);
      if (os === 'rhel7') assert.equal(loaded.split('-A PREROUTING -j LVS-DR').length - 1, 1, `one jump to LVS-DR:\n${loaded}`);
      else assert.match(loaded, /ip daddr 10\.49\.0\.100 tcp dport \{ 80, 443 \} meta mark set/);
      assert.doesNotMatch(after, /still there/, `${os}: stop removed them: ${after}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
