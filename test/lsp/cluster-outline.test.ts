// `lvs/clusterOutline` from the built server over stdio: the clusters, hosts and secret
// references VS Code's lenses and secret prompts are built from, on well-formed and broken text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { CLUSTER_OUTLINE_REQUEST, ClusterOutlineResult } from '../../server/protocol/outline';
import { LspTestClient } from './lsp-client';

let client: LspTestClient;

before(async () => {
  client = new LspTestClient();
  await client.initialize();
});
after(() => client.shutdown());

/** Line/character of the n-th (0-based) occurrence of `needle`. */
function pos(text: string, needle: string, nth = 0) {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `'${needle}' #${nth} not in text`);
  }
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

function span(text: string, needle: string, nth = 0) {
  const start = pos(text, needle, nth);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

async function outline(uri: string, text: string, version = 1): Promise<ClusterOutlineResult> {
  await client.open(uri, text, version);
  return v.parse(ClusterOutlineResult, await client.request(CLUSTER_OUTLINE_REQUEST, { uri }));
}

const twoClusters = [
  '# two clusters; the second one spells its name on the next line',
  'cluster web {',
  '  network 10.0.0.0/24',
  '  ha { router-id 51 auth secret:vrrp-web }',
  '  director lvs1 { address 10.0.0.2 interface eth0 role master priority 100 }',
  '  server web1 { address 10.0.0.3 interface eth0 vip-on lo:0 ssh { password secret:web1-pw } }',
  '  director lvs2 { address 10.0.0.4 interface eth0 role backup priority 90 }',
  '  # secret:in-a-comment is not a reference',
  '  ssh { user root password env:SSH_PW }',
  '}',
  '',
  'cluster',
  '  mail {',
  '  network 10.0.1.0/24',
  '  ha { auth secret:vrrp-web }',
  '  server mx1 { address 10.0.1.3 }',
  '}',
  '',
].join('\n');

test('every cluster with its cluster line, hosts in text order and secret references', async () => {
  const uri = 'file:///work/outline-two.lvs';
  const r = await outline(uri, twoClusters);
  assert.equal(r.uri, uri);
  assert.equal(r.version, 1);
  assert.deepEqual(r.clusters.map((c) => c.name), ['web', 'mail']);
  const [web, mail] = r.clusters;

  assert.deepEqual(web.range.start, pos(twoClusters, 'cluster web'));
  assert.deepEqual(web.nameRange, span(twoClusters, 'web'));
  assert.deepEqual(web.range.end, { line: 9, character: 1 });
  assert.deepEqual(web.hosts.map((h) => [h.kind, h.name]), [['director', 'lvs1'], ['server', 'web1'], ['director', 'lvs2']]);
  assert.deepEqual(web.hosts[1].nameRange, span(twoClusters, 'web1'));
  assert.deepEqual(web.hosts[1].range.start, pos(twoClusters, 'server web1'));
  assert.deepEqual(web.secretReferences, [
    { source: 'secret', name: 'vrrp-web', range: span(twoClusters, 'secret:vrrp-web') },
    { source: 'secret', name: 'web1-pw', range: span(twoClusters, 'secret:web1-pw') },
    { source: 'env', name: 'SSH_PW', range: span(twoClusters, 'env:SSH_PW') },
  ]);

  // The `cluster` keyword's line, not the name's, is where the cluster starts.
  assert.equal(mail.range.start.line, pos(twoClusters, 'cluster\n').line);
  assert.equal(mail.nameRange.start.line, pos(twoClusters, 'mail {').line);
  assert.deepEqual(mail.hosts.map((h) => h.name), ['mx1']);
  assert.deepEqual(mail.secretReferences, [{ source: 'secret', name: 'vrrp-web', range: span(twoClusters, 'secret:vrrp-web', 1) }]);
});

test('a file with syntax errors still lists the clusters the parser recovered', async () => {
  const broken = [
    'cluster a {',
    '  director d1 { address 10.0.0.2 &&& interface eth0 }',
    '  ha { auth secret:one }',
    '  server s1 { address 10.0.0.3 bogus words }',
    '}',
    'cluster {',       // no name: nothing to list
    '}',
    'cluster b {',
    '  server s2 { address 10.0.1.3 ssh { password secret:two } }',
    '  ssh { password secret:three',  // the block is never closed
    '}',
    'cluster c {',
    '  director x { address }',
    '',
  ].join('\n');
  const uri = 'file:///work/outline-broken.lvs';
  await client.open(uri, broken, 1);
  const diags = await client.diagnostics(uri, 1);
  assert.ok(diags.filter((d) => d.code === 'LVS001').length >= 3, `syntax errors expected, got ${diags.map((d) => d.message).join(' | ')}`);
  const r = v.parse(ClusterOutlineResult, await client.request(CLUSTER_OUTLINE_REQUEST, { uri }));
  assert.deepEqual(r.clusters.map((c) => [c.name, c.range.start.line]), [['a', 0], ['b', 7], ['c', 11]]);
  assert.deepEqual(r.clusters.map((c) => c.hosts.map((h) => h.name)), [['d1', 's1'], ['s2'], ['x']]);
  assert.deepEqual(r.clusters.map((c) => c.secretReferences.map((s) => s.name)), [['one'], ['two', 'three'], []]);
});

test('the outline follows edits (a new version, a renamed and an added cluster)', async () => {
  const uri = 'file:///work/outline-edit.lvs';
  const text = 'cluster one {\n  server s { address 10.0.0.3 }\n}\n';
  assert.deepEqual((await outline(uri, text)).clusters.map((c) => c.name), ['one']);
  await client.change(uri, 2, [{ text: 'cluster uno {\n}\ncluster dos {\n  ha { auth secret:k }\n}\n' }]);
  const r = v.parse(ClusterOutlineResult, await client.request(CLUSTER_OUTLINE_REQUEST, { uri }));
  assert.equal(r.version, 2);
  assert.deepEqual(r.clusters.map((c) => [c.name, c.range.start.line, c.secretReferences.map((s) => s.name)]), [['uno', 0, []], ['dos', 2, ['k']]]);
});

test('malformed params and unknown documents are refused with an error, not an empty outline', async () => {
  await assert.rejects(client.request(CLUSTER_OUTLINE_REQUEST, { uri: 42 }), /Field 'uri' must be a string/);
  await assert.rejects(client.request(CLUSTER_OUTLINE_REQUEST, [1]), /expects \{ uri: string \}/);
  await assert.rejects(client.request(CLUSTER_OUTLINE_REQUEST, { uri: 'file:///work/never-opened.lvs' }), /not open/);
});
