// The live status engine's pure parts: the read scripts are valid sh (shellcheck-clean); what
// hosts print (recorded from the lab: /proc/net/ip_vs, ipvsadm --rate, keepalived's JSON, ss)
// parses; the assembler and the runtime findings (LVS5xx) say what each situation is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { validateText } from '../../server/validation/registry';
import { specifyCluster } from '../../server/generate/spec';
import { directorLoopScript, realServerLoopScript } from '../../server/live/read-scripts';
import { parseIfInet6 } from '../../server/live/parse-director';
import { DirectorRead, parseDirectorRead } from '../../server/live/parse-director';
import { parseRealServerRead, RealServerRead } from '../../server/live/parse-real-server';
import { assemble, HostReading, newHistory } from '../../server/live/assemble';
import { clusterHealth } from '../../server/protocol/live-health';
import { checkLiveSnapshot, LiveSnapshot } from '../../server/protocol/live-snapshot';
import type { Locale } from '../../server/shared/l10n/locale';
import { t } from '../../server/shared/l10n/message';
import { formatSnapshot } from '../../server/live/format';

const spec = (() => {
  const r = validateText(readFileSync('test/lab/fixtures/live.lvs', 'utf8'));
  return specifyCluster(r.model.clusters[0], 'live.lvs');
})();

const M = '@@LVSDR';
const JSON_DUMP = '[{"data":{"iname":"VI_web","base_priority":100,"effective_priority":100,"state":2,"auth_data":"x"},"stats":{}}]';

/** A fib_trie as the kernel prints it, with `addrs` local (/32 host LOCAL). */
function fibTrie(addrs: string[]): string[] {
  return ['Main:', '  +-- 0.0.0.0/0 3 0 5', '     |-- 192.168.147.0', '        /24 link UNICAST', 'Local:', '  +-- 127.0.0.0/8 2 0 2',
    '     |-- 127.0.0.1', '        /32 host LOCAL', ...addrs.flatMap((a) => [`     |-- ${a}`, '        /32 host LOCAL']), '     |-- 192.168.147.255', '        /32 link BROADCAST'];
}

/** What the director's reader answers to `read rates timeouts` (head -v of the files, then ipvsadm). */
function directorOut(o: { pid?: number; addrs?: string[]; dests?: Array<[string, number, number, number]>; json?: string; drains?: string[] } = {}): string {
  const dests = o.dests ?? [['C0A89304', 1, 0, 3], ['C0A89303', 1, 2, 0], ['C0A89307', 1, 0, 0]];
  return [
    `${M} keepalived`, o.pid === undefined ? 'none' : String(o.pid),
    `${M} signum`, '37',
    `${M} files`,
    '==> /proc/net/ip_vs <==', 'IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port Forward Weight ActiveConn InActConn',
    ...(dests.length ? ['TCP  C0A89364:0050 rr '] : []),
    ...dests.map(([a, w, ac, ia]) => `  -> ${a}:0050      Route   ${w}      ${ac}          ${ia}         `),
    '', '==> /proc/net/fib_trie <==', ...fibTrie(o.addrs ?? []),
    '', '==> /proc/net/if_inet6 <==', '00000000000000000000000000000001 01 80 10 80       lo',
    ...(o.drains ? ['', '==> /var/lib/lvs-dr/overrides <==', ...o.drains] : []),
    ...(o.json !== undefined ? ['', '==> /tmp/keepalived.json <==', o.json] : []),
    `${M} rate`, 'IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS', '  -> RemoteAddress:Port',
    'TCP  192.168.147.100:80                  3        9        0      900        0', '  -> 192.168.147.4:80                    2        6        0      600        0',
    `${M} timeout`, 'Timeout (tcp tcpfin udp): 900 120 300',
    `${M} END`,
  ].join('\n');
}

function serverOut(o: { lo?: string; arp?: [number, number]; listen?: boolean } = {}): string {
  const [ig, an] = o.arp ?? [1, 2];
  return [
    `${M} lo`, '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever', ...(o.lo === '' ? [] : [`1: lo    inet ${o.lo ?? '192.168.147.100/32'} scope global lo:0\\       valid_lft forever`]),
    `${M} arp`, `allIgnore=${ig}`, `allAnnounce=${an}`, 'loIgnore=1', 'loAnnounce=2',
    `${M} listen`, ...(o.listen === false ? [] : ['tcp   LISTEN 0      128          0.0.0.0:80        0.0.0.0:*']),
    `${M} END`,
  ].join('\n');
}

const MASTER = () => directorOut({ pid: 10, addrs: ['192.168.147.6', '192.168.147.100'], json: JSON_DUMP });
const BACKUP = () => directorOut({ pid: 11, addrs: ['192.168.147.5'], json: JSON_DUMP.replace('"state":2', '"state":1').replace(/100/g, '90') });

function snapshot(dirs: Array<string | undefined>, servers: Array<string | undefined> = [serverOut(), serverOut(), serverOut()], history = newHistory(), at = Date.now(), locale?: Locale): LiveSnapshot {
  const directors: HostReading<DirectorRead>[] = spec.directors.map((d, i) => (dirs[i] === undefined ? { name: d.name, address: d.address, error: t`the connection dropped` } : { name: d.name, address: d.address, read: parseDirectorRead(dirs[i]!) }));
  const reals: HostReading<RealServerRead>[] = spec.servers.map((s, i) => (servers[i] === undefined ? { name: s.name, address: s.address, error: t`the connection dropped` } : { name: s.name, address: s.address, read: parseRealServerRead(servers[i]!) }));
  const snap = assemble({ spec, target: 'lab', at, ms: 12, directors, servers: reals, timeouts: new Map(), locale }, history);
  const checked = checkLiveSnapshot(JSON.parse(JSON.stringify(snap)));
  assert.ok(checked.ok, checked.ok ? '' : checked.error);
  return snap;
}
const codes = (s: LiveSnapshot) => s.findings.map((f) => `${f.code} ${f.host ?? '-'}`).sort();

test('the read scripts are valid sh and pass shellcheck', () => {
  for (const script of [directorLoopScript(), realServerLoopScript()]) {
    execFileSync('sh', ['-n'], { input: script });
    try {
      execFileSync('shellcheck', ['-s', 'sh', '-'], { input: `#!/bin/sh\n${script}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { code?: string; stdout?: Buffer };
      if (err.code === 'ENOENT') continue;
      assert.fail(`shellcheck:\n${err.stdout?.toString()}`);
    }
  }
});

test('a director read parses: pid, signal, addresses, IPVS in hex, rates, timeouts, keepalived JSON', () => {
  const r = parseDirectorRead(MASTER());
  assert.equal(r.keepalivedPid, 10);
  assert.equal(r.jsonSignal, 37);
  assert.deepEqual(r.addresses, ['127.0.0.1', '192.168.147.6', '192.168.147.100', '::1']);
  assert.deepEqual(r.ipvs.map((v) => [v.protocol, v.vip, v.port, v.scheduler, v.dests.length]), [['tcp', '192.168.147.100', 80, 'rr', 3]]);
  assert.deepEqual(r.ipvs[0].dests[0], { address: '192.168.147.4', port: 80, forward: 'route', weight: 1, active: 0, inactive: 3, cps: 2, inPps: 6, inBps: 600 });
  assert.deepEqual(r.timeouts, { tcp: 900, tcpFin: 120, udp: 300 });
  assert.deepEqual(r.vrrp, [{ name: 'VI_web', state: 'MASTER', priority: 100 }]);
  // A dump caught half-written is no dump, not an error.
  assert.equal(parseDirectorRead(directorOut({ pid: 1, json: '[{"data":{"ina' })).vrrp, undefined);
});

test('a healthy pair: MASTER and BACKUP with priorities, all in service, no finding', () => {
  const s = snapshot([MASTER(), BACKUP()]);
  assert.deepEqual(s.directors.map((d) => [d.name, d.vrrp, d.priority, d.vips]), [['lvs1', 'MASTER', 100, ['192.168.147.100']], ['lvs2', 'BACKUP', 90, []]]);
  assert.deepEqual(s.services[0].reals.map((r) => [r.name, r.inService, r.weight, r.active, r.inactive]), [['web1', true, 1, 0, 3], ['web2', true, 1, 2, 0], ['web3', true, 1, 0, 0]]);
  assert.equal(s.services[0].from, 'lvs1');
  assert.deepEqual(s.findings, []);
});

test('an unreachable host is unknown, never healthy (LVS500)', () => {
  const s = snapshot([MASTER(), undefined], [serverOut(), undefined, serverOut()]);
  assert.deepEqual(s.directors[1], { name: 'lvs2', address: '192.168.147.5', reachable: false, error: 'the connection dropped', keepalived: null, vrrp: 'UNKNOWN', priority: null, vips: [], ipvs: null, timeouts: null });
  assert.equal(s.realServers[1].loVips, null);
  assert.deepEqual(codes(s), ['LVS500 lvs2', 'LVS500 web2']);
});

test('split brain (LVS501), VIP on none (LVS502, only when both answered)', () => {
  const both = directorOut({ pid: 11, addrs: ['192.168.147.5', '192.168.147.100'], json: JSON_DUMP });
  assert.deepEqual(codes(snapshot([MASTER(), both])), ['LVS501 lvs1', 'LVS501 lvs2']);
  const none = directorOut({ pid: 10, addrs: ['192.168.147.6'] });
  assert.deepEqual(codes(snapshot([none, BACKUP()])), ['LVS502 -']);
  assert.deepEqual(codes(snapshot([none, undefined])), ['LVS500 lvs2']);
});

test('keepalived down: STOPPED and LVS503; the JSON dump one refresh old loses against the VIPs held now', () => {
  const stopped = directorOut({ addrs: ['192.168.147.6'] });
  const tookOver = directorOut({ pid: 11, addrs: ['192.168.147.5', '192.168.147.100'], json: JSON_DUMP.replace('"state":2', '"state":1') });
  const s = snapshot([stopped, tookOver]);
  assert.deepEqual(s.directors.map((d) => [d.vrrp, d.keepalived, d.priority]), [['STOPPED', false, null], ['MASTER', true, 100]]);
  assert.deepEqual(codes(s), ['LVS503 lvs1']);
  assert.equal(s.services[0].from, 'lvs2');
});

test('real servers: VIP missing or wrong mask on lo (LVS506), ARP sysctls reset (LVS507), port closed (LVS509)', () => {
  const s = snapshot([MASTER(), BACKUP()], [serverOut({ lo: '' }), serverOut({ lo: '192.168.147.100/24' }), serverOut({ arp: [0, 0], listen: false })]);
  assert.deepEqual(codes(s), ['LVS506 web1', 'LVS506 web2', 'LVS507 web3', 'LVS509 web3']);
  assert.match(s.findings.find((f) => f.host === 'web2')!.message, /\/24, not \/32/);
});

test('out of service: inService false; LVS508 at once on a first read, then only after the check interval', () => {
  const out = () => directorOut({ pid: 10, addrs: ['192.168.147.6', '192.168.147.100'], json: JSON_DUMP, dests: [['C0A89304', 1, 0, 0], ['C0A89307', 1, 0, 0]] });
  const s1 = snapshot([out(), BACKUP()]);
  assert.equal(s1.services[0].reals[1].inService, false);
  assert.deepEqual(codes(s1), ['LVS508 web2']);
  const h = newHistory();
  const t = Date.now();
  snapshot([MASTER(), BACKUP()], undefined, h, t);
  const s2 = snapshot([out(), BACKUP()], undefined, h, t + 2000);
  assert.equal(s2.services[0].reals[1].inService, false);
  assert.deepEqual(codes(s2), [], 'not yet longer than every 2s');
  assert.deepEqual(codes(snapshot([out(), BACKUP()], undefined, h, t + 4100)), ['LVS508 web2']);
  assert.equal(snapshot([MASTER(), BACKUP()], undefined, h, t + 6000).services[0].reals[1].outSince, undefined);
});

test('IPVS table against the file (LVS505): weight, extra real, missing service', () => {
  const odd = directorOut({ pid: 10, addrs: ['192.168.147.6', '192.168.147.100'], json: JSON_DUMP, dests: [['C0A89304', 5, 0, 0], ['C0A89303', 1, 0, 0], ['C0A89307', 1, 0, 0], ['C0A89309', 1, 0, 0]] });
  const s = snapshot([odd, BACKUP()]);
  assert.deepEqual(codes(s), ['LVS505 lvs1']);
  assert.match(s.findings[0].message, /web1 has weight 5, the file says 1.*192\.168\.147\.9:80 is not in the file/);
  const empty = directorOut({ pid: 11, addrs: ['192.168.147.5'], dests: [] });
  assert.match(snapshot([MASTER(), empty]).findings[0].message, /http \(tcp 192\.168\.147\.100:80\) is missing/);
});

test('a drain is a runtime override (LVS510) until restored; weight 0 with the record is not LVS505', () => {
  const rec = 'drain web1 192.168.147.4 2026-12-06T06:00:00.000Z';
  const dests: Array<[string, number, number, number]> = [['C0A89304', 0, 1, 0], ['C0A89303', 1, 0, 0], ['C0A89307', 1, 0, 0]];
  const s = snapshot([directorOut({ pid: 10, addrs: ['192.168.147.6', '192.168.147.100'], json: JSON_DUMP, dests, drains: [rec] }), directorOut({ pid: 11, addrs: ['192.168.147.5'], dests, drains: [rec] })]);
  assert.deepEqual(s.overrides, [{ kind: 'drain', server: 'web1', weight: 0, since: '2026-12-06T06:00:00.000Z' }]);
  assert.deepEqual(s.services[0].reals[0], { ...s.services[0].reals[0], drained: true, inService: true, weight: 0 });
  assert.deepEqual(codes(s), ['LVS510 web1']);
  assert.equal(s.findings[0].severity, 'information');
  // The record is there but keepalived put the weight back: a warning.
  const back = snapshot([directorOut({ pid: 10, addrs: ['192.168.147.6', '192.168.147.100'], json: JSON_DUMP, drains: [rec] }), BACKUP()]);
  assert.equal(back.findings.find((f) => f.code === 'LVS510')!.severity, 'warning');
  // Garbage in the record file is ignored.
  assert.deepEqual(snapshot([directorOut({ pid: 10, addrs: ['192.168.147.6', '192.168.147.100'], json: JSON_DUMP, drains: ['drain $(reboot) x y'] }), BACKUP()]).overrides, []);
});

test('findings in the reader\'s language: English message, Chinese messageLocalized (zh-cn), none for English', () => {
  const both = directorOut({ pid: 11, addrs: ['192.168.147.5', '192.168.147.100'], json: JSON_DUMP });
  const odd = directorOut({ pid: 10, addrs: ['192.168.147.6', '192.168.147.100'], json: JSON_DUMP, dests: [['C0A89304', 5, 0, 0], ['C0A89303', 1, 0, 0], ['C0A89307', 1, 0, 0], ['C0A89309', 1, 0, 0]] });
  const cases: Array<[Array<string | undefined>, Array<string | undefined>]> = [
    [[MASTER(), both], [serverOut(), serverOut(), serverOut()]],
    [[odd, undefined], [serverOut({ lo: '' }), serverOut({ arp: [0, 0], listen: false }), undefined]],
  ];
  let seen = 0;
  for (const [dirs, servers] of cases) {
    const en = snapshot(dirs, servers);
    const zh = snapshot(dirs, servers, newHistory(), Date.now(), 'zh-cn');
    assert.deepEqual(zh.findings.map((f) => f.message), en.findings.map((f) => f.message), 'message stays English');
    for (const f of en.findings) assert.equal(f.messageLocalized, undefined, f.code);
    for (const f of zh.findings) {
      assert.match(f.messageLocalized ?? '', /[\u4e00-\u9fff]/, `${f.code}: ${f.messageLocalized}`);
      seen++;
    }
  }
  assert.ok(seen >= 7, `${seen} findings`);
  const split = snapshot([MASTER(), both], undefined, newHistory(), Date.now(), 'zh-cn');
  assert.equal(split.findings[0].messageLocalized, '脑裂：VIP 192.168.147.100 同时被 lvs1 和 lvs2 持有');
  assert.deepEqual(clusterHealth(split), { kind: 'split-brain', messages: [split.findings[0].messageLocalized, split.findings[1].messageLocalized] });
  const table = snapshot([odd, BACKUP()], undefined, newHistory(), Date.now(), 'zh-cn');
  assert.match(table.findings[0].messageLocalized!, /^lvs1 的 IPVS 表与文件不一致：http：web1 的权重为 5，文件中为 1；http：192\.168\.147\.9:80 不在文件中$/);
  assert.match(formatSnapshot(table), /warning {5}LVS505 lvs1: lvs1 的 IPVS 表/);
  // Why a host does not answer: English in `error`, the reader's language beside it and in LVS500.
  const gone = snapshot([MASTER(), undefined], undefined, newHistory(), Date.now(), 'zh-cn');
  assert.equal(gone.directors[1].error, 'the connection dropped');
  assert.equal(gone.directors[1].errorLocalized, '连接已断开');
  assert.equal(gone.findings.find((f) => f.code === 'LVS500')?.messageLocalized, 'lvs2（192.168.147.5）没有应答：连接已断开；其状态未知');
  assert.match(formatSnapshot(gone, 'zh-cn'), /^ {2}lvs2 +192\.168\.147\.5 +\S+ 连接已断开$/m);
  assert.equal(snapshot([MASTER(), undefined]).directors[1].errorLocalized, undefined);
});

test('if_inet6 addresses in RFC 5952 form', () => {
  assert.deepEqual(parseIfInet6(['20010db8000000000000000000000001 02 40 00 80 eth0', 'fe80000000000000021122fffe334455 02 40 20 80 eth0', '20010db8000100000000000100000000 02 40 00 80 eth0']),
    ['2001:db8::1', 'fe80::211:22ff:fe33:4455', '2001:db8:1::1:0:0']);
});
