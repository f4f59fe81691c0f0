// The language server speaks the client's language (issue 16): a client whose `initialize`
// carries locale zh-cn gets Chinese diagnostics, quick-fix titles and hovers, with the same
// codes and ranges as an English client, through the real server over stdio.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeAction, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { readFileSync } from 'node:fs';
import { APPLY_INTENT_REQUEST, DIAGRAM_MODEL_REQUEST, IntentResult } from '../../server/protocol/designer-requests';
import { DiagramModel } from '../../server/protocol/diagram-model';
import { LspTestClient } from './lsp-client';

// A syntax error, a real server without its VIP on lo (LVS030, with a quick fix) and a real
// server whose gateway is a director (LVS020).
const TEXT = [
  'cluster web {',
  '  network 192.168.147.0/24',
  '  vip 192.168.147.100',
  '  director lvs1 { address 192.168.147.6  interface ens33 }',
  '  service http {',
  '    protocol tcp  port 80  scheduler rr',
  '    real web1 weight 1',
  '  }',
  '  server web1 { address 192.168.147.4  interface ens33  gateway 192.168.147.6 }',
  '  frobnicate',
  '}',
  '',
].join('\n');
const URI = 'file:///tmp/locale-test.lvs';
const HAN = /[\u4e00-\u9fff]/;

let en: LspTestClient;
let zh: LspTestClient;

before(async () => {
  en = new LspTestClient();
  zh = new LspTestClient();
  await en.initialize(undefined, null, 'en');
  await zh.initialize(undefined, null, 'zh-cn');
  await en.open(URI, TEXT);
  await zh.open(URI, TEXT);
});

after(async () => {
  await en?.shutdown();
  await zh?.shutdown();
});

const text = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const shape = (d: Diagnostic[]) => d.map((x) => ({ code: x.code, range: x.range, severity: x.severity }));

test('a zh-cn client gets Chinese diagnostics with the codes and ranges of an English client', async () => {
  const dEn = await en.diagnostics(URI, 1);
  const dZh = await zh.diagnostics(URI, 1);
  const codes = dEn.map((d) => d.code);
  for (const code of ['LVS001', 'LVS020', 'LVS030']) assert.ok(codes.includes(code), `${code} among ${codes.join(', ')}`);
  assert.deepEqual(shape(dZh), shape(dEn));
  for (const [i, d] of dZh.entries()) {
    assert.match(text(d), HAN, `${d.code} in Chinese: ${text(d)}`);
    assert.doesNotMatch(text(dEn[i]), HAN);
  }
  const lvs030 = dZh.find((d) => d.code === 'LVS030')!;
  assert.match(text(lvs030), /^真实服务器 web1 承载服务 http，但没有 'vip-on lo:N'/);
  assert.match(text(lvs030), /回环别名/);
  const lvs020 = dZh.find((d) => d.code === 'LVS020')!;
  assert.match(text(lvs020), /调度器 lvs1 的地址/);
  const syntax = dZh.find((d) => d.code === 'LVS001')!;
  assert.match(text(syntax), /却遇到了 'frobnicate'/);
});

test('quick-fix titles follow the client locale', async () => {
  const dZh = await zh.diagnostics(URI, 1);
  const d = dZh.find((x) => x.code === 'LVS030')!;
  const params = { textDocument: { uri: URI }, range: d.range, context: { diagnostics: [d] } };
  const zhActions = await zh.request<CodeAction[]>('textDocument/codeAction', params);
  const enDiag = (await en.diagnostics(URI, 1)).find((x) => x.code === 'LVS030')!;
  const enActions = await en.request<CodeAction[]>('textDocument/codeAction', { ...params, context: { diagnostics: [enDiag] } });
  assert.deepEqual(zhActions.map((a) => a.title), ["添加 'vip-on lo:0'"]);
  assert.deepEqual(enActions.map((a) => a.title), ["Add 'vip-on lo:0'"]);
  assert.deepEqual(zhActions[0].edit, enActions[0].edit);
});

test('an address hover names its owner in the client locale', async () => {
  // The director's address on line 4 (0-based 3).
  const position = { line: 3, character: TEXT.split('\n')[3].indexOf('192.168.147.6') + 2 };
  const hZh = await zh.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position });
  const hEn = await en.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position });
  assert.match((hZh.contents as MarkupContent).value, /调度器 lvs1/);
  assert.match((hEn.contents as MarkupContent).value, /director lvs1/);
});

test('a keyword hover is in the client locale: what it means, its values, the links', async () => {
  // `scheduler` on line 6 (0-based 5).
  const position = { line: 5, character: TEXT.split('\n')[5].indexOf('scheduler') + 2 };
  const hZh = (await zh.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position })).contents as MarkupContent;
  const hEn = (await en.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position })).contents as MarkupContent;
  assert.match(hZh.value, /^\*\*scheduler\*\* — IPVS 调度算法（ipvsadm -s）。/);
  assert.match(hZh.value, /取值：\n- `rr` — 轮询\n/);
  assert.match(hZh.value, /\[语言参考\]\(/);
  assert.match(hEn.value, /^\*\*scheduler\*\* — IPVS scheduling algorithm/);
  assert.match(hEn.value, /Values:\n- `rr` — round robin\n/);
});

test("the designer's findings and syntax errors are in the client locale (lvs/diagramModel)", async () => {
  // Without the stray token the diagram is built: LVS030 sits on web1's node.
  const clean = 'file:///tmp/locale-test-diagram.lvs';
  const parsed = TEXT.replace('  frobnicate\n', '');
  await en.open(clean, parsed);
  await zh.open(clean, parsed);
  const node = (m: DiagramModel) => m.clusters[0].nodes.find((n) => n.id === 'web/server/web1')!;
  const mZh = await zh.request<DiagramModel>(DIAGRAM_MODEL_REQUEST, { uri: clean });
  const mEn = await en.request<DiagramModel>(DIAGRAM_MODEL_REQUEST, { uri: clean });
  const lvs030 = (m: DiagramModel) => node(m).diagnostics.find((d) => d.code === 'LVS030')!;
  assert.match(lvs030(mZh).message, /^真实服务器 web1 承载服务 http，但没有 'vip-on lo:N'/);
  assert.match(lvs030(mEn).message, /^Real server web1 serves http but has no 'vip-on lo:N'/);
  assert.deepEqual(lvs030(mZh).range, lvs030(mEn).range);
  // With the stray token (and no last good model of that document): the syntax errors.
  const sZh = await zh.request<DiagramModel>(DIAGRAM_MODEL_REQUEST, { uri: URI });
  assert.equal(sZh.parsedOk, false);
  assert.match(sZh.syntaxErrors.map((e) => e.message).join('\n'), /却遇到了 'frobnicate'/);
});

test('the designer\'s edits refused in the client\'s language: lvs/applyIntent answers a zh-cn client in Chinese', async () => {
  const uri = 'file:///tmp/locale-intent.lvs';
  const seed = readFileSync('examples/seed.lvs', 'utf8');
  await en.open(uri, seed);
  await zh.open(uri, seed);
  const outside = { uri, version: 1, intent: { type: 'addRealServer', cluster: 'web', service: 'http', name: 'web3', address: '10.0.0.1', weight: 1 } };
  const taken = { uri, version: 1, intent: { type: 'addRealServer', cluster: 'web', service: 'http', name: 'web1', address: '', weight: 1 } };
  const zhOut = await zh.request<IntentResult>(APPLY_INTENT_REQUEST, outside);
  const enOut = await en.request<IntentResult>(APPLY_INTENT_REQUEST, outside);
  assert.equal(zhOut.ok, false);
  assert.equal(!zhOut.ok && zhOut.reason, 'invalid');
  assert.equal(!zhOut.ok && zhOut.message, '地址 10.0.0.1 不在集群网络 192.168.147.0/24 内：调度器和真实服务器必须在同一网段。');
  assert.equal(!enOut.ok && enOut.message, 'Address 10.0.0.1 is outside the cluster network 192.168.147.0/24: directors and real servers must share one segment.');
  const zhTaken = await zh.request<IntentResult>(APPLY_INTENT_REQUEST, taken);
  assert.equal(!zhTaken.ok && zhTaken.message, 'web1 已经是服务 http 的真实服务器。');
});
