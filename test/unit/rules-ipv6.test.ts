// IPv6 and dual stack: issue 14's examples parse and check clean; the address values of the
// IPv6 family; every same-subnet, gateway and duplicate rule per family; LVS031's /128; LVS054.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from '../../server/language/parse';
import { tokenize } from '../../server/language/lexer';
import { addressKey, formatIpv6, inCidr6, parseCidr6, parseIpv6 } from '../../server/language/values';
import { applyFix, findings, findingsWithCode } from './helpers';

const examples = readFileSync('examples/ipv6.lvs', 'utf8');
const [v6Text, dualText] = examples.split(/\n(?=cluster dual)/);

function one(text: string, code: string) {
  const list = findingsWithCode(text, code);
  assert.equal(list.length, 1, `${code}: ${JSON.stringify(list.map((f) => f.message))}`);
  return list[0];
}

function none(text: string, code: string) {
  assert.deepEqual(findingsWithCode(text, code).map((f) => f.message), []);
}

function edit(text: string, old: string, replacement: string): string {
  assert.ok(text.includes(old), `text contains ${JSON.stringify(old)}`);
  return text.replace(old, replacement);
}

describe('IPv6 values', () => {
  test('parseIpv6 reads the RFC 4291 forms and refuses the rest', () => {
    assert.equal(parseIpv6('2001:db8:47::100'), 0x20010db8004700000000000000000100n);
    assert.equal(parseIpv6('::'), 0n);
    assert.equal(parseIpv6('::1'), 1n);
    assert.equal(parseIpv6('1:2:3:4:5:6:7:8'), 0x00010002000300040005000600070008n);
    assert.equal(parseIpv6('1:2:3:4:5:6:7::'), 0x00010002000300040005000600070000n);
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3', '::1:2:3:4:5:6:7:8', '']) assert.equal(parseIpv6(bad), undefined, bad);
  });

  test('formatIpv6 writes RFC 5952: lower case, longest zero run as ::, a single zero group kept', () => {
    assert.equal(formatIpv6(parseIpv6('2001:0DB8:0000:0000:0000:0000:0000:0001')!), '2001:db8::1');
    assert.equal(formatIpv6(parseIpv6('2001:db8:0:1:1:1:1:1')!), '2001:db8:0:1:1:1:1:1');
    assert.equal(formatIpv6(parseIpv6('2001:0:0:1:0:0:0:1')!), '2001:0:0:1::1');
    assert.equal(formatIpv6(0n), '::');
    assert.equal(formatIpv6(1n), '::1');
  });

  test('parseCidr6, inCidr6 and addressKey', () => {
    const net = parseCidr6('2001:db8:47::/64')!;
    assert.equal(net.prefix, 64);
    assert.ok(inCidr6(parseIpv6('2001:db8:47::11')!, net));
    assert.ok(!inCidr6(parseIpv6('2001:db8:48::11')!, net));
    assert.equal(parseCidr6('2001:db8::/129'), undefined);
    assert.equal(parseCidr6('2001:db8::1')!.prefix, 128);
    assert.equal(addressKey('2001:DB8::0001'), addressKey('2001:db8::1/64'));
    assert.notEqual(addressKey('10.0.0.1'), addressKey('::a00:1'));
  });

  test('the lexer reads IPv6 addresses and prefixes as one token, and labels (one colon) as before', () => {
    const kinds = (s: string) => tokenize(s).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
    assert.deepEqual(kinds('network 2001:db8:47::/64'), ['NetworkKw:network', 'Ipv6:2001:db8:47::/64']);
    assert.deepEqual(kinds('vip fe80::1 ::1'), ['VipKw:vip', 'Ipv6:fe80::1', 'Ipv6:::1']);
    assert.deepEqual(kinds('vip-on lo:0 vip web6'), ['VipOnKw:vip-on', 'Label:lo:0', 'VipKw:vip', 'Identifier:web6']);
    assert.deepEqual(kinds('real d1:80'), ['RealKw:real', 'Label:d1:80']);
  });
});

describe("issue 14's IPv6 and dual-stack clusters", () => {
  test('parse verbatim and check without errors or warnings', () => {
    assert.deepEqual(parse(examples).issues, []);
    const serious = findings(examples).filter((f) => f.severity !== 'information');
    assert.deepEqual(serious.map((f) => `${f.code} ${f.message}`), []);
    const ast = parse(examples).ast;
    const dual = ast.clusters[1];
    assert.equal(dual.network?.value, '10.48.0.0/24');
    assert.equal(dual.network6?.value, '2001:db8:48::/64');
    assert.equal(dual.gateway6?.value, '2001:db8:48::1');
    assert.equal(dual.directors[0].address?.value, '10.48.0.5');
    assert.equal(dual.directors[0].address6?.value, '2001:db8:48::5');
    assert.equal(ast.clusters[0].servers[0].address6?.value, '2001:db8:47::11');
    assert.equal(ast.clusters[0].servers[0].address, undefined);
  });

  test('a second address, network or gateway of one family is reported; one per family is not', () => {
    const issues = parse(edit(dualText, 'address 2001:db8:48::5', 'address 2001:db8:48::5 address 2001:db8:48::7')).issues;
    assert.deepEqual(issues.map((i) => i.message), ["'address (IPv6)' is given twice in this block; the first one is used."]);
    const nets = parse(edit(dualText, 'network 2001:db8:48::/64', 'network 2001:db8:48::/64\n  network 2001:db8:49::/64')).issues;
    assert.deepEqual(nets.map((i) => i.message), ["'network (IPv6)' is given twice in this block; the first one is used."]);
  });
});

describe('the addressing rules per address family', () => {
  test('LVS010/LVS011: an IPv6 address outside the IPv6 network', () => {
    one(edit(v6Text, 'address 2001:db8:47::11', 'address 2001:db8:99::11'), 'LVS010');
    one(edit(v6Text, 'address 2001:db8:47::5', 'address 2001:db8:99::5'), 'LVS011');
    // The IPv4 network does not judge an IPv6 address.
    none(dualText, 'LVS010');
  });

  test('LVS012: a malformed IPv6 address or prefix', () => {
    assert.match(one(edit(v6Text, 'address 2001:db8:47::11', 'address 2001:db8::47::11'), 'LVS012').message, /not an IPv6 address/);
    assert.match(one(edit(v6Text, 'network 2001:db8:47::/64', 'network 2001:db8:47::/129'), 'LVS012').message, /not an IPv6 prefix length/);
  });

  test('LVS020: a real server whose IPv6 gateway is a director or the VIP; the fix uses the IPv6 cluster gateway', () => {
    const text = edit(v6Text, 'vip-on lo }\n  server r2', 'vip-on lo  gateway 2001:db8:47::5 }\n  server r2');
    const f = one(text, 'LVS020');
    assert.match(f.message, /director d1/);
    assert.ok(applyFix(text, f.fixes[0]).includes('gateway 2001:db8:47::1 }'));
    one(edit(v6Text, 'vip-on lo }\n  server r2', 'vip-on lo  gateway 2001:db8:47::100 }\n  server r2'), 'LVS020');
  });

  test('LVS021: an IPv6 gateway outside the network, or its subnet-router anycast address', () => {
    assert.match(one(edit(v6Text, 'gateway 2001:db8:47::1', 'gateway 2001:db8:99::1'), 'LVS021').message, /not inside/);
    assert.match(one(edit(v6Text, 'gateway 2001:db8:47::1', 'gateway 2001:db8:47::'), 'LVS021').message, /subnet-router anycast/);
  });

  test('LVS050: one IPv6 address twice (written differently), or the subnet-router anycast address', () => {
    assert.match(one(edit(v6Text, 'address 2001:db8:47::12', 'address 2001:DB8:47:0::11'), 'LVS050').message, /already used by server r1/);
    assert.match(one(edit(v6Text, 'vip 2001:db8:47::100', 'vip 2001:db8:47::5'), 'LVS050').message, /director d1/);
    one(edit(v6Text, 'address 2001:db8:47::12', 'address 2001:db8:47::'), 'LVS050');
    // The same bits in the two families are different addresses.
    none(dualText, 'LVS050');
  });

  test('LVS031: an IPv6 loopback VIP is /128; /32 or /64 is an error with a fix to 128', () => {
    const text = edit(v6Text, 'server r1 { address 2001:db8:47::11  interface eth0  vip-on lo }', 'server r1 { address 2001:db8:47::11  interface eth0  vip-on lo prefix 64 }');
    const f = one(text, 'LVS031');
    assert.match(f.message, /\/128/);
    assert.ok(applyFix(text, f.fixes[0]).includes('vip-on lo prefix 128 }'));
    none(edit(v6Text, 'vip-on lo }\n  server r2', 'vip-on lo prefix 128 }\n  server r2'), 'LVS031');
    one(edit(v6Text, 'vip-on lo }\n  server r2', 'vip-on lo prefix 32 }\n  server r2'), 'LVS031');
    // A line naming its IPv4 VIP keeps /32.
    none(edit(dualText, 'vip-on lo:0 vip web4', 'vip-on lo:0 prefix 32 vip web4'), 'LVS031');
  });

  test('LVS054: an IPv6 service forwarded to a server with only an IPv4 address, and a director without an IPv6 address', () => {
    const broken = readFileSync('examples/broken/LVS054.lvs', 'utf8');
    assert.match(one(broken, 'LVS054').message, /server r2 has only an IPv4 address/);
    const noDirector6 = edit(dualText, 'address 10.48.0.5  address 2001:db8:48::5', 'address 10.48.0.5');
    assert.match(one(noDirector6, 'LVS054').message, /director d1 has no IPv6 address/);
    none(dualText, 'LVS054');
    none(v6Text, 'LVS054');
  });

  test('LVS055: a firewall-mark (multi-port) service on an IPv6 VIP is refused; on the IPv4 VIP it is not', () => {
    one(readFileSync('examples/broken/LVS055.lvs', 'utf8'), 'LVS055');
    none(edit(dualText, 'service http4 { vip web4  protocol tcp  port 80', 'service http4 { vip web4  protocol tcp  ports 80 443  persistence 5m'), 'LVS055');
  });
});
