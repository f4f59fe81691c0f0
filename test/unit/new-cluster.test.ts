// LVS: New Cluster…'s text (server/lsp/new-cluster.ts): every shape the dialog can ask for checks
// clean — no error, no warning — and the dialog's field checks refuse what the language refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { newClusterText } from '../../server/lsp/new-cluster';
import { formatText } from '../../server/lsp/formatting';
import { NewClusterParams, networkProblem, proposedVip, serversProblem, vipProblem } from '../../server/protocol/new-cluster';
import { TARGET_OSES } from '../../server/language/vocabulary';
import { validateText } from '../../server/validation/registry';

test('every shape of new cluster checks clean and is already formatted', () => {
  for (const os of TARGET_OSES) {
    for (const directors of [1, 2] as const) {
      for (const servers of [1, 2, 5, 16]) {
        const params = v.parse(NewClusterParams, { name: 'shop', network: '10.20.0.0/24', vip: '10.20.0.100', directors, servers, os });
        const text = newClusterText(params);
        const findings = validateText(text).findings;
        // One director has no standby: LVS103 says so, as it should, and nothing else is said.
        const expected = directors === 1 ? ['LVS103'] : [];
        assert.deepEqual(findings.map((f) => f.code), expected, `${os} ${directors}+${servers}:\n${text}\n${findings.map((f) => f.message).join('\n')}`);
        assert.equal(formatText(text, { tabSize: 2, insertSpaces: true }), text);
        assert.equal((text.match(/^\s*server web\d+ /gm) ?? []).length, servers);
        assert.equal((text.match(/^\s*director lvs\d /gm) ?? []).length, directors);
        assert.match(text, new RegExp(`target os ${os}\\n`));
        // in Chinese only the comments change, and the file still checks clean and formatted
        const zh = newClusterText(params, 'zh-cn');
        assert.deepEqual(validateText(zh).findings.map((f) => f.code), expected);
        assert.equal(formatText(zh, { tabSize: 2, insertSpaces: true }), zh);
        assert.match(zh, /^# shop：.*（LVS-DR）。$/m);
      }
    }
  }
});

test('hosts take the lowest free addresses after the gateway, never the VIP', () => {
  const text = newClusterText(v.parse(NewClusterParams, { name: 'w', network: '192.168.5.0/29', vip: '192.168.5.3', directors: 2, servers: 2, os: 'debian' }));
  assert.match(text, /gateway 192\.168\.5\.1 /);
  assert.match(text, /director lvs1 \{ address 192\.168\.5\.2 /);
  assert.match(text, /director lvs2 \{ address 192\.168\.5\.4 /);
  assert.match(text, /server web1 \{ address 192\.168\.5\.5 /);
  assert.match(text, /server web2 \{ address 192\.168\.5\.6 /);
  assert.deepEqual(validateText(text).findings.map((f) => f.code), []);
});

test("the dialog's checks are the language's: names, networks, VIPs, counts", () => {
  assert.equal(v.safeParse(NewClusterParams, { name: '1web', network: '10.0.0.0/24', vip: '10.0.0.100', directors: 2, servers: 2, os: 'rhel9' }).success, false);
  assert.equal(v.safeParse(NewClusterParams, { name: 'web;rm', network: '10.0.0.0/24', vip: '10.0.0.100', directors: 2, servers: 2, os: 'rhel9' }).success, false);
  assert.equal(v.safeParse(NewClusterParams, { name: 'web', network: '10.0.0.0/24', vip: '10.0.0.100', directors: 3, servers: 2, os: 'rhel9' }).success, false);
  assert.equal(v.safeParse(NewClusterParams, { name: 'web', network: '10.0.0.0/24', vip: '10.0.0.100', directors: 2, servers: 2, os: 'windows' }).success, false);
  assert.equal(networkProblem('10.0.0.0'), 'not-cidr');
  assert.equal(networkProblem('10.0.0.256/24'), 'not-cidr');
  assert.equal(networkProblem('10.0.0.0/33'), 'not-cidr');
  assert.equal(networkProblem('10.0.0.0/30'), 'too-small');
  assert.equal(networkProblem('10.0.0.0/29'), undefined);
  assert.equal(proposedVip('10.0.0.0/24'), '10.0.0.100');
  assert.equal(proposedVip('10.0.0.0/29'), '10.0.0.6');
  assert.equal(vipProblem('10.0.0.100', '10.0.0.0/24'), undefined);
  assert.equal(vipProblem('10.0.1.100', '10.0.0.0/24'), 'outside');
  assert.equal(vipProblem('10.0.0.255', '10.0.0.0/24'), 'reserved');
  assert.equal(vipProblem('10.0.0.1', '10.0.0.0/24'), 'reserved', 'the gateway');
  assert.equal(vipProblem('10.0.0', '10.0.0.0/24'), 'not-address');
  assert.equal(serversProblem('0', '10.0.0.0/24', 2), 'not-count');
  assert.equal(serversProblem('17', '10.0.0.0/24', 2), 'not-count');
  assert.equal(serversProblem('2x', '10.0.0.0/24', 2), 'not-count');
  assert.equal(serversProblem('2', '10.0.0.0/29', 2), undefined, '6 hosts: gateway, VIP, 2 directors, 2 servers');
  assert.equal(serversProblem('3', '10.0.0.0/29', 2), 'no-room');
});

test('an IPv6 network and VIP: every shape checks clean, VIP on lo (no aliases in IPv6), addresses in RFC 5952 form', () => {
  assert.equal(networkProblem('2001:db8:47::/64'), undefined);
  assert.equal(networkProblem('2001:db8:47::'), 'not-cidr');
  assert.equal(networkProblem('2001:db8:47::/129'), 'not-cidr');
  assert.equal(networkProblem('2001:db8:47::/126'), 'too-small');
  assert.equal(networkProblem('2001:db8:47::/125'), undefined);
  assert.equal(proposedVip('2001:db8:47::/64'), '2001:db8:47::100');
  assert.equal(proposedVip('2001:db8:47::/125'), '2001:db8:47::6');
  assert.equal(vipProblem('2001:db8:47::100', '2001:db8:47::/64'), undefined);
  assert.equal(vipProblem('2001:db8:48::100', '2001:db8:47::/64'), 'outside');
  assert.equal(vipProblem('10.0.0.100', '2001:db8:47::/64'), 'outside', 'the other family');
  assert.equal(vipProblem('2001:db8:47::100', '10.0.0.0/24'), 'outside', 'the other family');
  assert.equal(vipProblem('2001:db8:47::1', '2001:db8:47::/64'), 'reserved', 'the gateway');
  assert.equal(vipProblem('2001:db8:47::', '2001:db8:47::/64'), 'reserved', 'the subnet-router anycast address');
  assert.equal(vipProblem('2001:db8:47::g', '2001:db8:47::/64'), 'not-address');
  assert.equal(serversProblem('16', '2001:db8:47::/64', 2), undefined);
  assert.equal(serversProblem('3', '2001:db8:47::/125', 2), 'no-room');
  for (const os of TARGET_OSES) {
    for (const directors of [1, 2] as const) {
      for (const servers of [1, 2, 16]) {
        const params = v.parse(NewClusterParams, { name: 'v6', network: '2001:DB8:47:0::/64', vip: '2001:db8:47:0::100', directors, servers, os });
        const text = newClusterText(params);
        const findings = validateText(text).findings;
        assert.deepEqual(findings.map((f) => f.code), directors === 1 ? ['LVS103'] : [], `${os} ${directors}+${servers}:\n${text}\n${findings.map((f) => f.message).join('\n')}`);
        assert.equal(formatText(text, { tabSize: 2, insertSpaces: true }), text);
        assert.match(text, /^ {2}network 2001:db8:47::\/64 /m);
        assert.match(text, /^ {2}gateway 2001:db8:47::1 /m);
        assert.match(text, /^ {2}vip 2001:db8:47::100$/m);
        assert.match(text, /^ {2}director lvs1 \{ address 2001:db8:47::2 /m);
        assert.equal((text.match(/^ {2}server web\d+ \{ address 2001:db8:47::[0-9a-f]+ {2}interface eth0 {2}vip-on lo \}$/gm) ?? []).length, servers);
      }
    }
  }
});
