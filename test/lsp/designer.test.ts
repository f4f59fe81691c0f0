// The designer's custom requests through the built server (dist/server/server.js) over stdio:
// lvs/diagramModel and lvs/applyIntent with versions, staleness and malformed params.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { APPLY_INTENT_REQUEST, DIAGRAM_MODEL_REQUEST, IntentResult } from '../../server/protocol/designer-requests';
import { DiagramModel } from '../../server/protocol/diagram-model';
import { LspTestClient } from './lsp-client';

const seed = readFileSync('examples/seed.lvs', 'utf8');
let client: LspTestClient;

before(async () => {
  client = new LspTestClient();
  await client.initialize();
});
after(() => client.shutdown());

const addWeb3 = { type: 'addRealServer', cluster: 'web', service: 'http', name: 'web3', address: '192.168.147.7', weight: 2 };

test('lvs/diagramModel answers the seed diagram', async () => {
  const uri = 'file:///work/designer-seed.lvs';
  await client.open(uri, seed, 1);
  const m = await client.request<DiagramModel>(DIAGRAM_MODEL_REQUEST, { uri });
  assert.equal(m.uri, uri);
  assert.equal(m.version, 1);
  assert.equal(m.parsedOk, true);
  assert.deepEqual(m.clusters.map((c) => c.name), ['web']);
  assert.deepEqual(m.clusters[0].nodes.map((n) => n.id), [
    'web/client/clients', 'web/vip/192.168.147.100', 'web/director/lvs1', 'web/director/lvs2', 'web/service/http', 'web/server/web1', 'web/server/web2',
  ]);
  assert.equal(m.clusters[0].edges.filter((e) => e.kind === 'reply').length, 2);
});

test('lvs/applyIntent with the current version answers edits; with an old one, stale', async () => {
  const uri = 'file:///work/designer-edit.lvs';
  await client.open(uri, seed, 1);
  const r = await client.request<IntentResult>(APPLY_INTENT_REQUEST, { uri, version: 1, intent: addWeb3 });
  assert.ok(r.ok, JSON.stringify(r));
  if (!r.ok) return;
  assert.equal(r.edits.length, 2);
  // The client applies them (as VS Code would) and the server sees version 2.
  const changes = [...r.edits].sort((x, y) => y.range.start.line - x.range.start.line).map((e) => ({ range: e.range, text: e.newText }));
  await client.change(uri, 2, changes);
  const expected = TextDocument.applyEdits(TextDocument.create(uri, 'lvs', 1, seed), r.edits);
  const m = await client.request<DiagramModel>(DIAGRAM_MODEL_REQUEST, { uri });
  assert.equal(m.version, 2);
  assert.ok(m.clusters[0].nodes.some((n) => n.id === 'web/server/web3'));
  assert.ok(expected.includes('  server web3 { address 192.168.147.7  interface ens33  vip-on lo:0 }'));
  // The webview still at version 1: refused as stale, nothing to apply.
  const stale = await client.request<IntentResult>(APPLY_INTENT_REQUEST, { uri, version: 1, intent: { type: 'setWeight', cluster: 'web', service: 'http', server: 'web1', weight: 4 } });
  assert.equal(stale.ok, false);
  assert.equal(!stale.ok && stale.reason, 'stale');
  const fresh = await client.request<IntentResult>(APPLY_INTENT_REQUEST, { uri, version: 2, intent: { type: 'setWeight', cluster: 'web', service: 'http', server: 'web1', weight: 4 } });
  assert.deepEqual(fresh.ok && fresh.edits.map((e) => e.newText), ['4']);
});

test('unknown documents, malformed params and invalid intents are answered, never thrown', async () => {
  const unknown = await client.request<IntentResult>(APPLY_INTENT_REQUEST, { uri: 'file:///work/nope.lvs', version: 1, intent: addWeb3 });
  assert.equal(!unknown.ok && unknown.reason, 'unknown-document');
  for (const params of [{}, { uri: 'file:///work/designer-seed.lvs' }, { uri: 'file:///work/designer-seed.lvs', version: '1', intent: addWeb3 }, { uri: 'file:///work/designer-seed.lvs', version: 1, intent: { type: 'rm -rf' } }]) {
    const r = await client.request<IntentResult>(APPLY_INTENT_REQUEST, params);
    assert.equal(!r.ok && r.reason, 'invalid', JSON.stringify(params));
  }
  const bad = await client.request<IntentResult>(APPLY_INTENT_REQUEST, { uri: 'file:///work/designer-seed.lvs', version: 1, intent: { ...addWeb3, address: '10.0.0.1' } });
  assert.equal(!bad.ok && bad.reason, 'invalid');
  assert.match(!bad.ok ? bad.message : '', /outside the cluster network/);
  await assert.rejects(client.request(DIAGRAM_MODEL_REQUEST, { uri: 'file:///work/nope.lvs' }), /Unknown document/);
  await assert.rejects(client.request(DIAGRAM_MODEL_REQUEST, { uri: 42 }), /Field 'uri' must be a string/);
});

test('an intent that does not fit its schema is refused at the request with the field and the rule', async () => {
  const uri = 'file:///work/designer-schema.lvs';
  await client.open(uri, seed, 1);
  const send = (intent: object) => client.request<IntentResult>(APPLY_INTENT_REQUEST, { uri, version: 1, intent });
  const colon = await send({ type: 'setWeight', cluster: 'web', service: 'http', server: 'web:1', weight: 3 });
  assert.equal(!colon.ok && colon.reason, 'invalid');
  assert.match(!colon.ok ? colon.message : '', /^Server name 'web:1' is not a valid name: use a letter or '_' followed by letters, digits, '_' or '-'\. \(at intent\.server\)$/);
  const dot = await send({ ...addWeb3, name: 'web.3' });
  assert.match(!dot.ok ? dot.message : '', /Server name 'web\.3' is not a valid name:.*\(at intent\.name\)/);
  const heavy = await send({ type: 'setWeight', cluster: 'web', service: 'http', server: 'web1', weight: 65536 });
  assert.equal(!heavy.ok && heavy.reason, 'invalid');
  assert.match(!heavy.ok ? heavy.message : '', /^Weight must be a whole number from 0 to 65535 \(got 65536\)\. \(at intent\.weight\)$/);
  const sched = await send({ type: 'setScheduler', cluster: 'web', service: 'http', scheduler: 'twos' });
  assert.ok(sched.ok, `every scheduler of the language is accepted: ${JSON.stringify(sched)}`);
});

test('syntax errors: the last good model with parsedOk=false, and intents refused', async () => {
  const uri = 'file:///work/designer-broken.lvs';
  await client.open(uri, seed, 1);
  const good = await client.request<DiagramModel>(DIAGRAM_MODEL_REQUEST, { uri });
  const at = seed.split('\n').findIndex((l) => l.includes('priority 100'));
  const col = seed.split('\n')[at].indexOf('priority');
  await client.change(uri, 2, [{ range: { start: { line: at, character: col }, end: { line: at, character: col + 'priority'.length } }, text: 'priorty' }]);
  const m = await client.request<DiagramModel>(DIAGRAM_MODEL_REQUEST, { uri });
  assert.equal(m.parsedOk, false);
  assert.equal(m.version, 2);
  assert.equal(m.modelVersion, 1);
  assert.equal(m.syntaxErrors[0].line, 7);
  assert.deepEqual(m.clusters, good.clusters);
  const r = await client.request<IntentResult>(APPLY_INTENT_REQUEST, { uri, version: 2, intent: addWeb3 });
  assert.equal(!r.ok && r.reason, 'syntax');
});
