// The rules of the features issue 14 added (LVS130–LVS135), and what the older rules say about
// them (LVS060, LVS090, LVS113, LVS030 for a sorry server), on examples/shop.lvs and variants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Finding } from '../../server/validation/types';
import { applyFix, codes, findings, findingsWithCode, slice } from './helpers';

const shop = readFileSync('examples/shop.lvs', 'utf8');

function edit(text: string, ...pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    assert.ok(out.includes(from), `test setup: '${from}' not found`);
    out = out.replace(from, () => to);
  }
  return out;
}
const variant = (...pairs: [string, string][]) => edit(shop, ...pairs);
/** The shop without its one warning (preempt-delay beside a master, LVS135). */
const clean = variant(['       preempt-delay 30s  garp-repeat 5', '       garp-repeat 5']);

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

test('the shop example: no error; its one warning is preempt-delay beside a master (LVS135); without it, nothing', () => {
  assert.deepEqual(findings(shop).map((f) => `${f.code} ${f.severity}`), ['LVS135 warning']);
  assert.deepEqual(findings(clean), []);
});

test('each broken example of LVS130–LVS135 yields its code (on top of the shop\'s LVS135 warning)', () => {
  for (const code of ['LVS130', 'LVS131', 'LVS132', 'LVS133', 'LVS134', 'LVS135']) {
    const found = codes(readFileSync(`examples/broken/${code}.lvs`, 'utf8'));
    assert.ok(found.includes(code), `${code}: ${found.join(' ')}`);
    // LVS132's example names an undeclared sorry server, so maint serves nothing (LVS104).
    const extra = code === 'LVS132' ? ['LVS135', 'LVS104'] : ['LVS135'];
    assert.deepEqual([...new Set(found.filter((c) => !extra.includes(c)))], code === 'LVS135' ? [] : [code], `${code}: ${found.join(' ')}`);
  }
});

test('LVS130: port beside ports, a repeated port, a shared mark, a real server port in a fwmark service', () => {
  const both = variant(['ports 80 443', 'port 80  ports 80 443']);
  const f = one(both, 'LVS130', '80', "has both 'port' and 'ports'");
  assert.equal(applyFix(both, f.fixes[0]), shop);
  one(variant(['ports 80 443', 'ports 80 443 80']), 'LVS130', '80 443 80', 'Port 80 is listed twice');
  const shared = variant(['scheduler wlc  persistence 30m', 'scheduler wlc  persistence 30m  fwmark 300'], ['protocol tcp  port 9000', 'protocol tcp  port 9000  fwmark 300']);
  one(shared, 'LVS130', '300', 'is also the mark of service web');
  one(variant(['real r1 weight 2', 'real r1:8080 weight 2']), 'LVS130', '8080', 'has no port');
  one(variant(['scheduler wlc  persistence 30m', 'scheduler wlc  persistence 30m  fwmark 0']), 'LVS130', '0', 'outside 1–4294967295');
  none(clean, 'LVS130');
});

test('LVS131: a tcp timeout below 15m warns (fix: 15m); a fraction of a second is an error', () => {
  const short = variant(['tcp 15m', 'tcp 5m']);
  const f = one(short, 'LVS131', '5m', /shorter than IPVS's default 15m/);
  assert.equal(f.severity, 'warning');
  assert.equal(applyFix(short, f.fixes[0]), shop);
  const frac = one(variant(['udp 5m', 'udp 1500ms']), 'LVS131', '1500ms', 'not a whole number of seconds');
  assert.equal(frac.severity, 'error');
  none(shop, 'LVS131');
});

test('LVS132: the sorry server must be a server of the cluster; a real server of the service as sorry warns', () => {
  one(variant(['sorry maint', 'sorry offline']), 'LVS132', 'offline', "is not a server of cluster shop (servers: r1, r2, maint)");
  one(variant(['sorry maint', 'sorry d1']), 'LVS132', 'd1', 'is director d1');
  assert.equal(one(variant(['sorry maint', 'sorry r2']), 'LVS132', 'r2', 'also one of its real servers').severity, 'error');
  // DR-readiness: the sorry server without vip-on is LVS030's (it serves web through lo).
  const bare = variant(['server maint { address 10.49.0.20  interface eth0  vip-on lo:0 }', 'server maint { address 10.49.0.20  interface eth0 }']);
  const f = one(bare, 'LVS030', 'maint', 'serves web');
  assert.equal(applyFix(bare, f.fixes[0]), shop.replace('interface eth0  vip-on lo:0 }\n  target', 'interface eth0 vip-on lo:0 }\n  target'));
});

test('LVS133: hysteresis not below quorum, quorum above the total weight, hysteresis alone', () => {
  one(variant(['quorum 2  hysteresis 1', 'quorum 2  hysteresis 2']), 'LVS133', '2', 'is not below its quorum 2');
  assert.equal(one(variant(['quorum 2  hysteresis 1', 'quorum 4  hysteresis 1']), 'LVS133', '4', 'above the total weight 3').severity, 'warning');
  const alone = variant(['quorum 2  hysteresis 1', 'hysteresis 1']);
  const f = one(alone, 'LVS133', 'hysteresis 1', 'has hysteresis but no quorum');
  assert.equal(f.severity, 'warning');
  none(shop, 'LVS133');
});

test('LVS134: a script check and notify need an absolute program path; LVS090 refuses unsafe characters', () => {
  one(variant(['"/usr/local/bin/check-app"', '"check-app"']), 'LVS134', '"check-app"', 'not an absolute path');
  one(variant(['check script "/usr/local/bin/check-app" every', 'check script every']), 'LVS134', 'script', 'names no program');
  one(variant(['notify "/usr/local/sbin/lvs-notify"', 'notify "lvs-notify"']), 'LVS134', '"lvs-notify"', 'The notify program');
  one(variant(['"/usr/local/bin/check-app"', '"/usr/local/bin/check app;rm"']), 'LVS090', '"/usr/local/bin/check app;rm"', "contains a space, ';'");
  one(variant(['host "shop.example.com"', 'host "shop example"']), 'LVS090', '"shop example"', 'contains a space');
});

test('LVS060 and LVS113 on the new check options: a DNS type, a check port; options of another checker', () => {
  one(variant(['type A every', 'type AA every']), 'LVS060', 'AA', "Unknown DNS query type 'AA'");
  one(variant(['port 8081 host', 'port 70000 host']), 'LVS060', '70000', 'Port of the health check');
  const asTcp = variant(['check dns name "shop.example.com" type A', 'check tcp name "shop.example.com" type A']);
  assert.deepEqual(findingsWithCode(asTcp, 'LVS113').map((f) => slice(asTcp, f.span)), ['name "shop.example.com"', 'type A']);
  const f = findingsWithCode(asTcp, 'LVS113')[0];
  assert.match(f.message, /ignored by the 'tcp' health check of service resolver: only a dns check sends a query/);
  assert.equal(applyFix(asTcp, f.fixes[0]), asTcp.replace('name "shop.example.com" ', ''));
  one(variant(['check script "/usr/local/bin/check-app" every 10s', 'check script "/usr/local/bin/check-app" port 9 every 10s']), 'LVS113', 'port 9', 'connects to no port');
});

test('LVS135: preempt-delay beside a master, a sync daemon on a missing interface or without a peer, tracking the VRRP interface', () => {
  const f = one(shop, 'LVS135', '30s', 'preempt-delay does not act on director d1');
  assert.equal(applyFix(shop, f.fixes[0]), shop.replace('role master  priority 110', 'role backup  priority 110'));
  const missing = variant(['sync-daemon eth0', 'sync-daemon eth9']);
  const g = findingsWithCode(missing, 'LVS135').find((x) => x.message.includes('sync daemon runs on eth9'))!;
  assert.ok(g, 'reported');
  assert.equal(applyFix(missing, g.fixes[0]), shop);
  const t = variant(['garp-repeat 5', 'garp-repeat 5  track-interface eth0']);
  assert.ok(findingsWithCode(t, 'LVS135').some((x) => x.message.includes('track-interface eth0 is the VRRP interface')));
  assert.ok(findingsWithCode(variant(['garp-repeat 5', 'garp-repeat 300']), 'LVS135').some((x) => x.message.includes('outside 1–255')));
});
