// The language server's own requests answer in the client's language (issue 16): `lvs/generate`
// (warnings, refusals, errors with their codes unchanged, an output folder refused), a refused
// rename, a designer edit made on an old version, refused answers of a new cluster and a request about a document never opened, through the real server over stdio with
// one client initialized in zh-cn and one in en.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_OUTLINE_REQUEST } from '../../server/protocol/outline';
import { APPLY_INTENT_REQUEST, IntentResult } from '../../server/protocol/designer-requests';
import { NEW_CLUSTER_REQUEST, NewClusterResult } from '../../server/protocol/new-cluster';
import { GENERATE_REQUEST, GenerateResult } from '../../server/lsp/generate-requests';
import { LspTestClient } from './lsp-client';

const HAN = /[\u4e00-\u9fff]/;
const SEED = readFileSync('examples/seed.lvs', 'utf8');
const SEED_URI = 'file:///work/requests-locale/seed.lvs';
// A stray token (LVS001) and a real server whose gateway is a director (LVS020): errors.
const BROKEN = SEED.replace(/^(\s*)ssh \{/m, '$1frobnicate\n$1ssh {');
const BROKEN_URI = 'file:///work/requests-locale/broken.lvs';

let en: LspTestClient;
let zh: LspTestClient;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lvs-requests-locale-'));
  // The seed's VRRP password (secret:vrrp-web) must stay unresolved in the servers' environment.
  for (const name of Object.keys(process.env)) if (name.startsWith('LVS_SECRET')) delete process.env[name];
  en = new LspTestClient();
  zh = new LspTestClient();
  await en.initialize(undefined, null, 'en');
  await zh.initialize(undefined, null, 'zh-cn');
  for (const c of [en, zh]) {
    await c.open(SEED_URI, SEED);
    await c.open(BROKEN_URI, BROKEN);
  }
});

after(async () => {
  await en?.shutdown();
  await zh?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const generate = (c: LspTestClient, params: object) => c.request<GenerateResult>(GENERATE_REQUEST, params);

test('lvs/generate warns of an unresolved secret reference in the client locale', async () => {
  const rZh = await generate(zh, { uri: SEED_URI, preview: false });
  const rEn = await generate(en, { uri: SEED_URI, preview: false });
  assert.ok(rZh.ok && rEn.ok);
  const wZh = rZh.clusters.flatMap((c) => c.warnings);
  const wEn = rEn.clusters.flatMap((c) => c.warnings);
  assert.equal(wZh.length, wEn.length);
  assert.ok(wEn.length > 0, 'the seed has an unresolved secret reference');
  assert.equal(wEn[0], 'director lvs1: VRRP auth_pass: secret:vrrp-web could not be resolved (set LVS_SECRET_VRRP_WEB); replace the placeholder before deploying');
  assert.equal(wZh[0], '调度器 lvs1：VRRP auth_pass：无法解析 secret:vrrp-web（请设置 LVS_SECRET_VRRP_WEB）；部署前请替换占位符');
});

test('lvs/generate of a cluster the file does not have says so in the client locale', async () => {
  const rZh = await generate(zh, { uri: SEED_URI, preview: true, cluster: 'nope' });
  const rEn = await generate(en, { uri: SEED_URI, preview: true, cluster: 'nope' });
  assert.equal(!rZh.ok && rZh.message, "seed.lvs 中没有名为 'nope' 的集群。");
  assert.equal(!rEn.ok && rEn.message, "No cluster named 'nope' in seed.lvs.");
});

test('lvs/generate of a file with errors refuses in the client locale, with the codes and places of an English client', async () => {
  const rZh = await generate(zh, { uri: BROKEN_URI, preview: true });
  const rEn = await generate(en, { uri: BROKEN_URI, preview: true });
  assert.ok(!rZh.ok && !rEn.ok);
  assert.equal(rZh.message, 'broken.lvs 有错误；没有生成任何文件。');
  assert.equal(rEn.message, 'broken.lvs has errors; nothing was generated.');
  const where = (r: typeof rEn) => (r.errors ?? []).map((e) => ({ line: e.line, column: e.column, code: e.code }));
  assert.ok(where(rEn).some((e) => e.code === 'LVS001'), JSON.stringify(where(rEn)));
  assert.deepEqual(where(rZh), where(rEn));
  for (const [i, e] of (rZh.errors ?? []).entries()) {
    assert.match(e.message, HAN, `${e.code} in Chinese: ${e.message}`);
    assert.doesNotMatch(rEn.errors![i].message, HAN);
  }
  assert.match(rZh.errors!.find((e) => e.code === 'LVS001')!.message, /却遇到了 'frobnicate'/);
});

test('lvs/generate refuses an output folder outside the workspace folder in the client locale', async () => {
  const ws = join(dir, 'ws');
  mkdirSync(ws);
  const params = { uri: SEED_URI, preview: true, outDir: join(dir, 'elsewhere'), within: ws };
  const rZh = await generate(zh, params);
  const rEn = await generate(en, params);
  assert.match(!rZh.ok ? rZh.message : '', /^拒绝写入生成的文件：\n {2}- /);
  assert.match(!rEn.ok ? rEn.message : '', /^refusing to write the generated files:\n {2}- .*outside/);
});

test('lvs/generate of a document never opened, and an unsealed secret, are refused in the client locale', async () => {
  const never = { uri: 'file:///work/requests-locale/never.lvs', preview: true };
  const rZh = await generate(zh, never);
  assert.equal(!rZh.ok && rZh.message, '未知文档 file:///work/requests-locale/never.lvs：它没有在语言服务器中打开。');
  const rEn = await generate(en, never);
  assert.equal(!rEn.ok && rEn.message, 'Unknown document file:///work/requests-locale/never.lvs: it is not open in the language server.');
  const plain = await generate(zh, { uri: SEED_URI, preview: false, secrets: { 'vrrp-web': 'plain' } });
  assert.equal(!plain.ok && plain.message, 'secret:vrrp-web 的值未经封装就发送了；机密的值只能封装后经连接传送');
  const malformed = await generate(zh, { uri: SEED_URI });
  assert.equal(!malformed.ok && malformed.message, 'lvs/generate 请求格式错误');
});

test('a refused rename says why in the client locale', async () => {
  const line = SEED.split('\n').findIndex((l) => /^\s*server web1 /.test(l));
  const position = { line, character: SEED.split('\n')[line].indexOf('web1') + 1 };
  const rename = (c: LspTestClient, newName: string) => c.request('textDocument/rename', { textDocument: { uri: SEED_URI }, position, newName });
  await assert.rejects(rename(zh, 'bad;name'), (e: Error) => {
    assert.equal(e.message, "'bad;name' 不是合法的名称：以字母或 '_' 开头，后接字母、数字、'_' 或 '-'。");
    return true;
  });
  await assert.rejects(rename(en, 'bad;name'), (e: Error) => {
    assert.equal(e.message, "'bad;name' is not a valid name: use a letter or '_' followed by letters, digits, '_' or '-'.");
    return true;
  });
  await assert.rejects(rename(zh, 'web2'), (e: Error) => {
    assert.equal(e.message, "'web2' 已在此集群中声明。");
    return true;
  });
});

test('a cluster outline of a document never opened is refused in the client locale', async () => {
  await assert.rejects(zh.request(CLUSTER_OUTLINE_REQUEST, { uri: 'file:///work/requests-locale/never.lvs' }), (e: Error) => {
    assert.equal(e.message, '未知文档 file:///work/requests-locale/never.lvs：它没有在语言服务器中打开。');
    return true;
  });
});

test("the designer's edit of an old version, or of a document never opened, is refused in the client locale", async () => {
  const intent = { type: 'addRealServer', cluster: 'web', service: 'http', name: 'web3', address: '192.168.147.9', weight: 1 };
  const stale = await zh.request<IntentResult>(APPLY_INTENT_REQUEST, { uri: SEED_URI, version: 7, intent });
  assert.equal(!stale.ok && stale.reason, 'stale');
  assert.equal(!stale.ok && stale.message, '设计器看到的是版本 7，但文档已是版本 1；请刷新后重试。');
  const never = await zh.request<IntentResult>(APPLY_INTENT_REQUEST, { uri: 'file:///work/requests-locale/never.lvs', version: 1, intent });
  assert.equal(!never.ok && never.reason, 'unknown-document');
  assert.equal(!never.ok && never.message, '未知文档 file:///work/requests-locale/never.lvs：它没有在语言服务器中打开。');
});

test('lvs/newCluster refuses answers in the client locale', async () => {
  const answers = { name: 'web', network: '192.168.147.0/24', vip: '192.168.147.1', directors: 2, servers: 2, os: 'rhel9' };
  const zhVip = await zh.request<NewClusterResult>(NEW_CLUSTER_REQUEST, answers);
  const enVip = await en.request<NewClusterResult>(NEW_CLUSTER_REQUEST, answers);
  assert.equal(!zhVip.ok && zhVip.message, '虚拟IP 必须是该网络中的主机地址，且不能是其网关（第一个主机地址）。');
  assert.equal(!enVip.ok && enVip.message, 'The VIP must be a host address of the network other than its gateway (the first host).');
  const zhName = await zh.request<NewClusterResult>(NEW_CLUSTER_REQUEST, { ...answers, name: '1web', vip: '192.168.147.100' });
  assert.equal(!zhName.ok && zhName.message, '名称必须以字母或 _ 开头，后接字母、数字、_ 或 -。');
  const zhServers = await zh.request<NewClusterResult>(NEW_CLUSTER_REQUEST, { ...answers, vip: '192.168.147.100', servers: 99 });
  assert.equal(!zhServers.ok && zhServers.message, 'servers 的取值不被接受。');
});

test("lvs/newCluster writes the new file's comments in the client locale; the language's words stay as they are", async () => {
  const answers = { name: 'web', network: '192.168.147.0/24', vip: '192.168.147.100', directors: 2, servers: 2, os: 'rhel9' };
  const zhText = await zh.request<NewClusterResult>(NEW_CLUSTER_REQUEST, answers);
  const enText = await en.request<NewClusterResult>(NEW_CLUSTER_REQUEST, answers);
  assert.ok(zhText.ok && enText.ok);
  assert.equal(zhText.text.split('\n')[0], '# web：两台调度器互为热备，后接 2 台真实服务器（LVS-DR）。');
  assert.match(zhText.text, /^ {2}network 192\.168\.147\.0\/24 +# 调度器和真实服务器共用的同一个二层网段$/m);
  assert.equal(enText.text.split('\n')[0], '# web: two directors in hot standby in front of 2 real servers (LVS-DR).');
  assert.match(enText.text, /^ {2}gateway 192\.168\.147\.1 +# the segment's router \(never a director\)$/m);
  // the same file but for the comments
  const code = (text: string) => text.split('\n').map((l) => l.replace(/\s*#.*$/, '')).join('\n');
  assert.equal(code(zhText.text), code(enText.text));
  assert.doesNotMatch(code(zhText.text), HAN);
});
