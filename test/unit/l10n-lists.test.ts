// Lists inside messages (issue 16): the items of a finding's list are joined with the reader's
// language's comma, "and" and "or" (listMsgs, andMsgs, orMsgs), so a Chinese diagnostic reads
// "lvs1，lvs2" and never an English ", " between names; the English stays exactly as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { localize } from '../../server/shared/l10n/localize';
import { andMsgs, english, listMsgs, orMsgs, semicolonMsgs, t } from '../../server/shared/l10n/message';
import { validateText } from '../../server/validation/registry';

const SEED = readFileSync('examples/seed.lvs', 'utf8');

/** The one finding of `code` in `text`, in English and in Chinese. */
function finding(text: string, code: string): { en: string; zh: string } {
  const found = validateText(text).findings.filter((f) => f.code === code);
  assert.equal(found.length, 1, `${code}: ${found.map((f) => f.message).join(' | ')}`);
  assert.equal(english(found[0].msg), found[0].message);
  return { en: found[0].message, zh: localize(found[0].msg, 'zh-cn') };
}

function edit(...pairs: [string, string][]): string {
  return pairs.reduce((text, [from, to]) => {
    assert.ok(text.includes(from), from);
    return text.replace(from, to);
  }, SEED);
}

test('the joiners: English as join(", "), " and ", " or ", "; " did; Chinese with its own punctuation', () => {
  const items = ['web1', 'web2', t`a space`];
  assert.equal(english(t`${listMsgs(items)}`), 'web1, web2, a space');
  assert.equal(localize(t`${listMsgs(items)}`, 'zh-cn'), `web1，web2，${localize(t`a space`, 'zh-cn')}`);
  assert.equal(english(t`${andMsgs(['lvs1', 'lvs2'])}`), 'lvs1 and lvs2');
  assert.equal(localize(t`${andMsgs(['lvs1', 'lvs2'])}`, 'zh-cn'), 'lvs1 和 lvs2');
  assert.equal(english(t`${orMsgs(["'web1'", "'web2'"])}`), "'web1' or 'web2'");
  assert.equal(localize(t`${orMsgs(["'web1'", "'web2'"])}`, 'zh-cn'), "'web1' 或 'web2'");
  assert.equal(english(t`${semicolonMsgs(['a, b', 'c'])}`), 'a, b; c');
  assert.equal(localize(t`${semicolonMsgs(['a', 'c'])}`, 'zh-cn'), 'a；c');
  assert.equal(listMsgs([]), '');
  assert.equal(listMsgs(['only']), 'only');
});

test('LVS030: the services a server serves, and its quick fix, listed with the Chinese comma', () => {
  const text = edit(
    ['  server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 }', '  server web1 { address 192.168.147.4  interface ens33 }'],
    ['  server web1 {', '  service https {\n    protocol tcp  port 443  scheduler rr\n    real web1 weight 1\n  }\n\n  server web1 {'],
  );
  const f = finding(text, 'LVS030');
  assert.equal(f.en, "Real server web1 serves http, https but has no 'vip-on lo:N': in direct routing the forwarded packets are still addressed to the VIP, so the server drops them unless it holds the VIP on a loopback alias.");
  assert.match(f.zh, /http，https/);
  assert.doesNotMatch(f.zh, /, /);
});

test('LVS030: a VIP a server lacks: the English message as before, and the fix in both languages', () => {
  const text = edit(
    ['  vip 192.168.147.100', '  vip 192.168.147.100\n  vip two 192.168.147.101'],
    ['  server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 }', '  server web1 { address 192.168.147.4  interface ens33  vip-on eth9:0 vip 192.168.147.100 }'],
    ['  server web1 {', '  service https {\n    vip two  protocol tcp  port 443  scheduler rr\n    real web1 weight 1\n  }\n\n  server web1 {'],
  );
  const found = validateText(text).findings.filter((x) => x.code === 'LVS030');
  assert.equal(found.length, 1, found.map((x) => x.message).join(' | '));
  assert.match(found[0].message, /^Real server web1 serves VIP two \(192\.168\.147\.101\) but holds no 'vip-on'/);
  const title = found[0].fixes[0].title;
  assert.equal(english(title), "Add 'vip-on lo:0 vip two'");
  assert.equal(localize(title, 'zh-cn'), "添加 'vip-on lo:0 vip two'");
});

test('LVS060: the valid words after "Valid:" are one list with the Chinese comma', () => {
  const f = finding(edit(['scheduler rr', 'scheduler bogus']), 'LVS060');
  assert.match(f.en, / Valid: rr, wrr, lc, wlc, /);
  assert.match(f.zh, /有效值：rr，wrr，lc，wlc，/);
  assert.doesNotMatch(f.zh, /, /);
});

test('LVS090: the unsafe characters, and the problems joined by "and", in the reader\'s words', () => {
  const f = finding(edit(['path "/"', 'path "/a b;/../x"']), 'LVS090');
  assert.equal(f.en, `Health check path of service http "/a b;/../x" contains a space, ';' and has a '..' segment: it is written into generated shell scripts and config files, where that is not safe. Allowed: letters, digits and . _ / ~ + @ % , : = ? -.`);
  // (The allowed characters after "：" include the comma itself.)
  const problems = f.zh.split('：')[0];
  assert.match(problems, /包含 空格，';' 和 含有 '\.\.' 路径段$/);
  assert.doesNotMatch(problems, /, | and /);
});

test('LVS117: the directors without an ha block, listed with the Chinese comma', () => {
  const f = finding(edit(['  ha { router-id 51  advert 1s  auth secret:vrrp-web }   # secrets are references, never inline\n', '']), 'LVS117');
  assert.match(f.en, /^Cluster web has 2 directors \(lvs1, lvs2\) and no ha block: /);
  assert.match(f.zh, /lvs1，lvs2/);
  assert.doesNotMatch(f.zh, /, /);
});

test('LVS052: the names it may have meant, joined by the reader\'s "or"', () => {
  const f = finding(edit(['    real web2 weight 1\n', '    real web2 weight 1\n    real web3 weight 1\n']), 'LVS052');
  assert.match(f.en, / Did you mean 'web1' or 'web2'\?$/);
  assert.match(f.zh, /'web1' 或 'web2'/);
  assert.doesNotMatch(f.zh, / or /);
});
