// Addressing and topology rules LVS010–LVS052: a positive and a negative case per code, the
// exact text every quick fix produces, and the broken examples.
import { english } from '../../server/shared/l10n/message';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as A from '../../server/language/ast';
import { parse } from '../../server/language/parse';
import { buildModel } from '../../server/model/topology';
import { lvs040 } from '../../server/validation/rules/lvs040';
import { Finding, RuleContext } from '../../server/validation/types';
import { applyFix, codes, findingsWithCode, slice } from './helpers';

const seed = readFileSync('examples/seed.lvs', 'utf8');
const MY_CODES = ['LVS010', 'LVS011', 'LVS012', 'LVS020', 'LVS021', 'LVS030', 'LVS031', 'LVS032', 'LVS033', 'LVS034', 'LVS040', 'LVS041', 'LVS050', 'LVS051', 'LVS052'];

/** The seed with one exact substring replaced (fails loudly if the seed changed). */
function edit(old: string, replacement: string, text = seed): string {
  assert.ok(text.includes(old), `seed contains ${JSON.stringify(old)}`);
  return text.replace(old, replacement);
}

/** The only finding of a code (asserts there is exactly one). */
function one(text: string, code: string): Finding {
  const list = findingsWithCode(text, code);
  assert.equal(list.length, 1, `${code} findings: ${JSON.stringify(list.map((f) => f.message))}`);
  return list[0];
}

function none(text: string, code: string) {
  assert.deepEqual(findingsWithCode(text, code).map((f) => f.message), []);
}

/** Applies the fix with the given title (or the first one) and returns the new text. */
function fixed(text: string, f: Finding, index = 0): string {
  assert.ok(f.fixes.length > index, `finding ${f.code} has a fix #${index}`);
  return applyFix(text, f.fixes[index]);
}

const WEB1 = 'server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 }';
const WEB2 = 'server web2 { address 192.168.147.3  interface ens33  vip-on lo:0 }';
const LVS1 = 'director lvs1 { address 192.168.147.6  interface ens33  role master  priority 100 }';

test('the seed has none of the addressing findings', () => {
  const found = codes(seed).filter((c) => MY_CODES.includes(c));
  assert.deepEqual(found, []);
});

describe('LVS010 real server not on the cluster network', () => {
  test('a real server on another subnet', () => {
    const text = edit(WEB2, 'server web2 { address 192.168.148.3  interface ens33  vip-on lo:0 }');
    const f = one(text, 'LVS010');
    assert.equal(f.severity, 'error');
    assert.equal(slice(text, f.span), '192.168.148.3');
    assert.match(f.message, /web2/);
    assert.match(f.message, /192\.168\.147\.0\/24/);
    assert.match(f.message, /MAC/);
  });
  test('a link on the cluster network does not count', () => {
    const text = edit(WEB2, 'server web2 { address 10.0.0.3  interface ens33  link ens34 192.168.147.3/24  vip-on lo:0 }');
    const f = one(text, 'LVS010');
    assert.equal(slice(text, f.span), '10.0.0.3');
    assert.match(f.message, /link ens34/);
  });
  test('an extra link on another network is fine', () => {
    none(edit(WEB2, 'server web2 { address 192.168.147.3  interface ens33  link ens34 10.9.0.3/24  vip-on lo:0 }'), 'LVS010');
  });
  test('the seed is fine', () => none(seed, 'LVS010'));
});

describe('LVS011 director not on the cluster network', () => {
  test('a director on another subnet', () => {
    const text = edit('director lvs2 { address 192.168.147.5', 'director lvs2 { address 10.1.1.5');
    const f = one(text, 'LVS011');
    assert.equal(slice(text, f.span), '10.1.1.5');
    assert.match(f.message, /Director lvs2/);
    assert.match(f.message, /192\.168\.147\.0\/24/);
  });
  test('no network, no finding', () => {
    none(edit('  network 192.168.147.0/24 ', '  ').replace('192.168.147.5', '10.1.1.5'), 'LVS011');
  });
  test('the seed is fine', () => none(seed, 'LVS011'));
});

describe('LVS020 real server gateway is a director or the VIP', () => {
  test('gateway is a director: fix uses the cluster gateway', () => {
    const text = edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  gateway 192.168.147.6  vip-on lo:0 }');
    const f = one(text, 'LVS020');
    assert.equal(slice(text, f.span), '192.168.147.6');
    assert.match(f.message, /real server web1/);
    assert.match(f.message, /director lvs1/);
    assert.equal(f.fixes[0].preferred, true);
    assert.equal(fixed(text, f), edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  gateway 192.168.147.2  vip-on lo:0 }'));
    assert.deepEqual(codes(fixed(text, f)).filter((c) => MY_CODES.includes(c)), []);
  });
  test('gateway is the VIP', () => {
    const text = edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  gateway 192.168.147.100  vip-on lo:0 }');
    const f = one(text, 'LVS020');
    assert.equal(slice(text, f.span), '192.168.147.100');
    assert.match(f.message, /the VIP/);
  });
  test('no fix without a cluster gateway', () => {
    const text = edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  gateway 192.168.147.6  vip-on lo:0 }')
      .replace(/ {2}gateway 192\.168\.147\.2 .*\n/, '');
    const f = one(text, 'LVS020');
    assert.deepEqual(f.fixes, []);
  });
  test('a gateway that is the router is fine', () => {
    none(edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  gateway 192.168.147.1  vip-on lo:0 }'), 'LVS020');
  });
});

describe('LVS012 not an IPv4 address or prefix', () => {
  test('an octet above 255 in the VIP', () => {
    const text = edit('vip 192.168.147.100', 'vip 192.168.147.300');
    const f = one(text, 'LVS012');
    assert.equal(f.severity, 'error');
    assert.equal(slice(text, f.span), '192.168.147.300');
    assert.match(f.message, /0–255/);
  });
  test('an octet above 255 in a host address, a gateway and a link', () => {
    const text = edit(WEB1, 'server web1 { address 192.168.147.400  interface ens33  link ens34 10.0.0.256/24  gateway 999.1.1.1  vip-on lo:0 }');
    const found = findingsWithCode(text, 'LVS012').map((f) => slice(text, f.span)).sort();
    assert.deepEqual(found, ['10.0.0.256/24', '192.168.147.400', '999.1.1.1']);
  });
  test('a prefix above 32 in the network', () => {
    const text = edit('network 192.168.147.0/24', 'network 192.168.147.0/33');
    assert.match(one(text, 'LVS012').message, /prefix length/);
  });
  test('a prefix on a host address', () => {
    const text = edit(WEB2, 'server web2 { address 192.168.147.3/24  interface ens33  vip-on lo:0 }');
    assert.match(one(text, 'LVS012').message, /takes no prefix/);
  });
  test('a service VIP given by name is not an address', () => {
    const text = edit('vip 192.168.147.100', 'vip front 192.168.147.100').replace('protocol tcp  port 80', 'vip front  protocol tcp  port 80');
    none(text, 'LVS012');
  });
  test('the seed is fine', () => none(seed, 'LVS012'));
});

describe('LVS021 gateway outside the network or network/broadcast', () => {
  const GW = 'gateway 192.168.147.2 ';
  test('cluster gateway outside the network', () => {
    const text = edit(GW, 'gateway 192.168.1.1   ');
    const f = one(text, 'LVS021');
    assert.equal(slice(text, f.span), '192.168.1.1');
    assert.match(f.message, /cluster gateway 192\.168\.1\.1 is not inside the cluster network 192\.168\.147\.0\/24/);
  });
  test('cluster gateway is the broadcast address', () => {
    const text = edit(GW, 'gateway 192.168.147.255 ');
    const f = one(text, 'LVS021');
    assert.equal(slice(text, f.span), '192.168.147.255');
    assert.match(f.message, /broadcast address of 192\.168\.147\.0\/24/);
  });
  test('cluster gateway is the network address', () => {
    const text = edit(GW, 'gateway 192.168.147.0 ');
    assert.match(one(text, 'LVS021').message, /network address/);
  });
  test('a server gateway outside the network', () => {
    const text = edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  gateway 10.0.0.1  vip-on lo:0 }');
    const f = one(text, 'LVS021');
    assert.equal(slice(text, f.span), '10.0.0.1');
    assert.match(f.message, /server web1/);
  });
  test('a server gateway on one of its links is fine', () => {
    none(edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  link ens34 10.0.0.4/24  gateway 10.0.0.1  vip-on lo:0 }'), 'LVS021');
  });
  test('the seed is fine', () => none(seed, 'LVS021'));
});

describe('LVS030 real server without the VIP on a loopback alias', () => {
  test('no vip-on at all: fix adds vip-on lo:0 on the same line', () => {
    const text = edit(WEB2, 'server web2 { address 192.168.147.3  interface ens33 }');
    const f = one(text, 'LVS030');
    assert.equal(slice(text, f.span), 'web2');
    assert.match(f.message, /Real server web2/);
    assert.match(f.message, /loopback/);
    assert.equal(fixed(text, f), edit(WEB2, 'server web2 { address 192.168.147.3  interface ens33 vip-on lo:0 }'));
    none(fixed(text, f), 'LVS030');
  });
  test('multi-line block: the fix adds an indented line', () => {
    const block = 'server web2 {\n    address 192.168.147.3\n    interface ens33\n  }';
    const text = edit(WEB2, block);
    const f = one(text, 'LVS030');
    assert.equal(fixed(text, f), edit(WEB2, 'server web2 {\n    address 192.168.147.3\n    interface ens33\n    vip-on lo:0\n  }'));
  });
  test('empty block', () => {
    const text = edit(WEB2, 'server web2 { }');
    const f = one(text, 'LVS030');
    assert.equal(fixed(text, f), edit(WEB2, 'server web2 { vip-on lo:0 }'));
  });
  test('a second VIP without its own vip-on', () => {
    const text = edit('  vip 192.168.147.100\n', '  vip www 192.168.147.100\n  vip api 192.168.147.101\n')
      .replace('  service http {', '  service api {\n    vip api  protocol tcp  port 443  scheduler rr\n    real web1 weight 1\n  }\n\n  service http {\n    vip www')
      .replace(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 vip www }');
    const f = one(text, 'LVS030');
    assert.equal(slice(text, f.span), 'web1');
    assert.match(f.message, /VIP api \(192\.168\.147\.101\)/);
    assert.ok(fixed(text, f).includes('server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 vip www vip-on lo:1 vip api }'));
    none(fixed(text, f), 'LVS030');
  });
  test('a server used by no service needs no VIP (LVS104 warns instead)', () => {
    none(edit(WEB2, 'server web2 { address 192.168.147.3  interface ens33 }').replace('    real web2 weight 1\n', ''), 'LVS030');
  });
  test('a VIP on another interface is LVS032, not LVS030', () => {
    none(edit(WEB2, 'server web2 { address 192.168.147.3  interface ens33  vip-on ens33:1 }'), 'LVS030');
  });
  test('the seed is fine', () => none(seed, 'LVS030'));
});

describe('LVS031 loopback VIP with a prefix other than /32', () => {
  const text = edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 prefix 24 }');
  test('prefix 24 on lo:0', () => {
    const f = one(text, 'LVS031');
    assert.equal(slice(text, f.span), '24');
    assert.match(f.message, /lo:0/);
    assert.match(f.message, /web1/);
    assert.match(f.message, /\/32/);
  });
  test('fix: set the prefix to 32', () => {
    const f = one(text, 'LVS031');
    assert.equal(fixed(text, f, 0), edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 prefix 32 }'));
  });
  test('fix: remove the prefix', () => {
    const f = one(text, 'LVS031');
    assert.equal(fixed(text, f, 1), seed);
  });
  test('prefix 32 is fine', () => none(edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 prefix 32 }'), 'LVS031'));
  test('a non-loopback label is LVS032, not LVS031', () => {
    none(edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on ens33:1 prefix 24 }'), 'LVS031');
  });
});

describe('LVS032 VIP on an ethernet interface', () => {
  test('vip-on ens33:1: fix uses lo:0', () => {
    const text = edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on ens33:1 }');
    const f = one(text, 'LVS032');
    assert.equal(slice(text, f.span), 'ens33:1');
    assert.match(f.message, /real server web1/);
    assert.match(f.message, /ARP/);
    assert.equal(fixed(text, f), seed);
  });
  test('the fix picks a free lo:N', () => {
    const text = edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on lo:0  vip-on ens33:1 }');
    const f = one(text, 'LVS032');
    assert.equal(fixed(text, f), edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on lo:0  vip-on lo:1 }'));
  });
  test('lo and named loopback aliases are fine', () => {
    none(edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on lo }'), 'LVS032');
    none(edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on lo:vip }'), 'LVS032');
  });
});

describe('LVS033 real-server ARP sysctls', () => {
  const withSysctl = (s: string) => edit(WEB1, `server web1 { address 192.168.147.4  interface ens33  vip-on lo:0  ${s} }`);
  test('all.arp_ignore = 0: fix sets 1', () => {
    const text = withSysctl('sysctl net.ipv4.conf.all.arp_ignore = 0');
    const f = one(text, 'LVS033');
    assert.equal(slice(text, f.span), '0');
    assert.match(f.message, /net\.ipv4\.conf\.all\.arp_ignore = 0 on real server web1/);
    assert.match(f.message, /max\(all, ens33\)/);
    assert.equal(fixed(text, f), withSysctl('sysctl net.ipv4.conf.all.arp_ignore = 1'));
    none(fixed(text, f), 'LVS033');
  });
  test('all.arp_announce = 1: fix sets 2', () => {
    const text = withSysctl('sysctl net.ipv4.conf.all.arp_announce 1');
    const f = one(text, 'LVS033');
    assert.equal(slice(text, f.span), '1');
    assert.match(f.message, /arp_announce/);
    assert.equal(fixed(text, f), withSysctl('sysctl net.ipv4.conf.all.arp_announce 2'));
  });
  test('set on lo only while all is lowered: reported on the all line', () => {
    const text = withSysctl('sysctl net.ipv4.conf.lo.arp_ignore = 1  sysctl net.ipv4.conf.all.arp_ignore = 0');
    const f = one(text, 'LVS033');
    assert.equal(f.span.start, text.indexOf('all.arp_ignore = 0') + 'all.arp_ignore = '.length);
    assert.match(f.message, /lo does not help/);
  });
  const SLASH_KEYS = parse('cluster a { server w { sysctl net/ipv4/conf/all/arp_ignore = 0 } }').issues.length === 0;
  test('slash spelling of the key', { skip: SLASH_KEYS ? false : 'the lexer does not accept slash-separated sysctl keys yet' }, () => {
    const text = withSysctl('sysctl net/ipv4/conf/all/arp_ignore = 0');
    assert.equal(slice(text, one(text, 'LVS033').span), '0');
  });
  test('the NIC itself set correctly keeps max(all, NIC) right', () => {
    none(withSysctl('sysctl net.ipv4.conf.all.arp_ignore = 0  sysctl net.ipv4.conf.ens33.arp_ignore = 1'), 'LVS033');
  });
  test('stricter values and lo-only changes are fine', () => {
    none(withSysctl('sysctl net.ipv4.conf.all.arp_ignore = 2  sysctl net.ipv4.conf.lo.arp_announce = 0'), 'LVS033');
    none(seed, 'LVS033');
  });
});

describe('LVS034 proxy_arp on a VIP interface', () => {
  test('director NIC: fix sets 0', () => {
    const text = edit(LVS1, 'director lvs1 { address 192.168.147.6  interface ens33  role master  priority 100  sysctl net.ipv4.conf.ens33.proxy_arp = 1 }');
    const f = one(text, 'LVS034');
    assert.equal(slice(text, f.span), '1');
    assert.match(f.message, /proxy_arp = 1 on ens33 of director lvs1/);
    assert.equal(fixed(text, f), edit(LVS1, 'director lvs1 { address 192.168.147.6  interface ens33  role master  priority 100  sysctl net.ipv4.conf.ens33.proxy_arp = 0 }'));
  });
  test('real server all.proxy_arp_pvlan', () => {
    const text = edit(WEB1, 'server web1 { address 192.168.147.4  interface ens33  vip-on lo:0  sysctl net.ipv4.conf.all.proxy_arp_pvlan 1 }');
    const f = one(text, 'LVS034');
    assert.match(f.message, /proxy_arp_pvlan = 1 on all interfaces of real server web1/);
  });
  test('another interface of the director, zero, or a later override to 0 are fine', () => {
    none(edit(LVS1, 'director lvs1 { address 192.168.147.6  interface ens33  role master  priority 100  sysctl net.ipv4.conf.ens34.proxy_arp = 1 }'), 'LVS034');
    none(edit(LVS1, 'director lvs1 { address 192.168.147.6  interface ens33  role master  priority 100  sysctl net.ipv4.conf.all.proxy_arp = 0 }'), 'LVS034');
    none(edit(LVS1, 'director lvs1 { address 192.168.147.6  interface ens33  role master  priority 100  sysctl net.ipv4.conf.all.proxy_arp = 1  sysctl net.ipv4.conf.all.proxy_arp = 0 }'), 'LVS034');
  });
});

describe('LVS040 DR port remapping', () => {
  const REAL_PORT_SYNTAX = parse('cluster a { service s { port 80 real w:8080 } }').issues.length === 0;

  test('the rule reports the port and removes :PORT (synthetic node)', () => {
    const text = 'cluster a { service s { port 80 real web1:8080 } }';
    const ast = parse(seed).ast; // any valid cluster for the context
    const model = buildModel(ast).clusters[0];
    const svc: A.Service = { ...model.cluster.services[0], port: { value: 80, text: '80', span: { start: 29, end: 31 }, full: { start: 24, end: 31 } } };
    const at = text.indexOf('web1:8080');
    const ref: A.RealRef = {
      kind: 'real', name: { text: 'web1', span: { start: at, end: at + 4 } }, span: { start: at - 5, end: at + 9 },
      port: { value: 8080, text: '8080', span: { start: at + 5, end: at + 9 }, full: { start: at + 4, end: at + 9 } },
    };
    const out: Finding[] = [];
    const ctx: RuleContext = {
      text, file: buildModel(ast), cluster: model, service: svc,
      report: (f) => out.push({ code: 'LVS040', severity: 'error', message: english(f.message), msg: f.message, span: f.span, fixes: f.fixes ?? [] }),
    };
    lvs040.check(ref, ctx);
    assert.equal(out.length, 1);
    assert.equal(slice(text, out[0].span), '8080');
    assert.match(out[0].message, /remaps port 80 to 8080/);
    assert.equal(applyFix(text, out[0].fixes[0]), 'cluster a { service s { port 80 real web1 } }');
    out.length = 0;
    lvs040.check({ ...ref, port: { ...ref.port!, value: 80, text: '80' } }, ctx);
    assert.equal(out.length, 0);
  });

  test('real web1:8080 in the file', { skip: REAL_PORT_SYNTAX ? false : 'the parser does not accept `real NAME:PORT` yet' }, () => {
    const text = edit('real web1 weight 1', 'real web1:8080 weight 1');
    const f = one(text, 'LVS040');
    assert.equal(slice(text, f.span), '8080');
    assert.match(f.message, /web1/);
    assert.equal(fixed(text, f), seed);
  });
  test('the same port is fine', { skip: REAL_PORT_SYNTAX ? false : 'the parser does not accept `real NAME:PORT` yet' }, () => {
    none(edit('real web1 weight 1', 'real web1:80 weight 1'), 'LVS040');
  });
  test('no port is fine', () => none(seed, 'LVS040'));
});

describe('LVS041 port 0 without persistence', () => {
  test('port 0: fix adds persistence', () => {
    const text = edit('port 80  scheduler rr', 'port 0  scheduler rr');
    const f = one(text, 'LVS041');
    assert.equal(slice(text, f.span), '0');
    assert.match(f.message, /Service http uses port 0/);
    assert.equal(fixed(text, f), edit('port 80  scheduler rr', 'port 0 persistence 300s  scheduler rr'));
    none(fixed(text, f), 'LVS041');
  });
  test('port 0 with persistence is fine', () => {
    none(edit('port 80  scheduler rr', 'port 0  scheduler rr  persistence 10m'), 'LVS041');
  });
});

describe('LVS050 duplicate or unusable addresses', () => {
  test('two hosts with one address: reported on the later one', () => {
    const text = edit(WEB2, 'server web2 { address 192.168.147.4  interface ens33  vip-on lo:0 }');
    const f = one(text, 'LVS050');
    assert.equal(f.span.start, text.indexOf('192.168.147.4', text.indexOf('server web2')));
    assert.match(f.message, /192\.168\.147\.4 of server web2 is already used by server web1/);
  });
  test('the VIP equal to a director address', () => {
    const text = edit('  vip 192.168.147.100', '  vip 192.168.147.6  ');
    const f = one(text, 'LVS050');
    assert.equal(slice(text, f.span), '192.168.147.6');
    assert.match(f.message, /director lvs1 is already used by the VIP|the VIP is already used by director lvs1/);
  });
  test('the VIP equal to the gateway', () => {
    const text = edit('  vip 192.168.147.100', '  vip 192.168.147.2  ');
    const f = one(text, 'LVS050');
    assert.equal(f.span.start, text.indexOf('192.168.147.2', text.indexOf('  vip ')));
    assert.match(f.message, /the VIP is already used by the cluster gateway/);
  });
  test('a node on the broadcast address', () => {
    const text = edit(WEB2, 'server web2 { address 192.168.147.255  interface ens33  vip-on lo:0 }');
    const f = one(text, 'LVS050');
    assert.equal(slice(text, f.span), '192.168.147.255');
    assert.match(f.message, /broadcast address of the cluster network 192\.168\.147\.0\/24/);
  });
  test('the VIP on the network address', () => {
    const text = edit('  vip 192.168.147.100', '  vip 192.168.147.0  ');
    assert.match(one(text, 'LVS050').message, /the VIP is the network address/);
  });
  test('the seed is fine', () => none(seed, 'LVS050'));
});

describe('LVS051 duplicate names', () => {
  test('two directors with one name', () => {
    const text = edit('director lvs2 {', 'director lvs1 {');
    const f = one(text, 'LVS051');
    assert.equal(f.span.start, text.indexOf('lvs1', text.indexOf('lvs1 {') + 1));
    assert.match(f.message, /lvs1/);
  });
  test('a director and a server sharing a name', () => {
    const text = edit('server web2 {', 'server lvs2 {').replace('real web2', 'real lvs2');
    const f = one(text, 'LVS051');
    assert.equal(slice(text, f.span), 'lvs2');
    assert.match(f.message, /director lvs2/);
  });
  test('two services with one name', () => {
    const text = edit('  server web1 {', '  service http { protocol tcp  port 443  scheduler rr  real web1 }\n  server web1 {');
    assert.match(one(text, 'LVS051').message, /another service/);
  });
  test('two clusters with one name in a file', () => {
    const text = `${seed}\n${seed}`;
    const list = findingsWithCode(text, 'LVS051');
    assert.equal(list.length, 1);
    assert.equal(list[0].span.start, text.indexOf('cluster web', seed.length) + 'cluster '.length);
    assert.match(list[0].message, /Cluster web is defined twice/);
  });
  test('a service may share a name with a server', () => {
    none(edit('service http {', 'service web1 {'), 'LVS051');
    none(seed, 'LVS051');
  });
});

describe('LVS052 reference to an undefined server', () => {
  test('a typo: fix renames to the closest server', () => {
    const text = edit('real web2 weight 1', 'real wbe2 weight 1');
    const f = one(text, 'LVS052');
    assert.equal(slice(text, f.span), 'wbe2');
    assert.match(f.message, /real server wbe2/);
    assert.match(f.message, /'web2'/);
    assert.equal(f.fixes.length, 1);
    assert.equal(fixed(text, f), seed);
  });
  test('no suggestion when nothing is close', () => {
    const text = edit('real web2 weight 1', 'real database weight 1');
    assert.deepEqual(one(text, 'LVS052').fixes, []);
  });
  test('a director is not undefined (LVS107 handles it)', () => {
    none(edit('real web2 weight 1', 'real lvs2 weight 1'), 'LVS052');
    none(seed, 'LVS052');
  });
});

describe('broken examples', () => {
  for (const code of MY_CODES) {
    const skip = code === 'LVS040' && parse('cluster a { service s { port 80 real w:8080 } }').issues.length > 0
      ? 'the parser does not accept `real NAME:PORT` yet' : false;
    test(`examples/broken/${code}.lvs yields ${code}`, { skip }, () => {
      const text = readFileSync(`examples/broken/${code}.lvs`, 'utf8');
      const found = codes(text);
      assert.ok(found.includes(code), `${code} in ${JSON.stringify(found)}`);
      // The example shows this one mistake: no other addressing code.
      assert.deepEqual(found.filter((c) => MY_CODES.includes(c) && c !== code), []);
    });
  }
});
