// LVS118 across the workspace (issue 11, item 8), through the real language server over stdio:
// a host address that a cluster of another .lvs file of the workspace folder also has is an
// error in the open document, with related information pointing to the host in the other file;
// the open documents compare again when one of them changes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from './lsp-client';

function cluster(name: string, server: string): string {
  return [
    `cluster ${name} {`,
    '  network 192.168.147.0/24',
    '  vip 192.168.147.100',
    '  director lvs1 { address 192.168.147.6  interface ens33 }',
    '  service http {',
    '    protocol tcp  port 80  scheduler rr',
    '    real web1 weight 1',
    '  }',
    `  server web1 { address ${server}  interface ens33  vip-on lo:0 }`,
    '}',
    '',
  ].join('\n');
}

let dir = '';
let client: LspTestClient;
const uriOf = (p: string) => pathToFileURL(p).href;

/** Waits for a publication of `uri` whose LVS118 count is `n` (earlier publications may still arrive first). */
async function lvs118Count(uri: string, n: number, from: number): Promise<number> {
  let seen = from;
  for (;;) {
    const d = await client.nextDiagnostics(uri, seen);
    seen = client.publishCount(uri);
    const count = d.filter((x) => x.code === 'LVS118').length;
    if (count === n) return count;
  }
}

/** Writes a file and tells the server, as VS Code's file watcher does for the pattern it registered. */
async function write(path: string, text: string): Promise<void> {
  writeFileSync(path, text);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path), type: 1 }] });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lvs-ws-'));
  mkdirSync(join(dir, 'prod'));
  client = new LspTestClient();
  await client.initialize({ debounceMs: 0 }, [uriOf(dir)]);
});

after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('the cluster used below has no error of its own', async () => {
  client.open('untitled:alone', cluster('alone', '192.168.147.4'));
  const d = await client.diagnostics('untitled:alone', 1);
  assert.deepEqual(d.filter((x) => x.severity === 1).map((x) => `${x.code}: ${String(x.message)}`), []);
});

test('a host address of a cluster in another file of the workspace: LVS118 with the other file as related information', async () => {
  const other = join(dir, 'prod', 'shop.lvs');
  await write(other, cluster('shop', '192.168.147.4'));
  const mine = join(dir, 'web.lvs');
  const text = cluster('web', '192.168.147.4');
  await write(mine, text);
  client.open(uriOf(mine), text);
  const d = (await client.diagnostics(uriOf(mine), 1)).filter((x) => x.code === 'LVS118');
  // The director (192.168.147.6) and the server (192.168.147.4) are both in cluster shop too.
  assert.equal(d.length, 2, JSON.stringify(d, null, 1));
  const server = d.find((x) => String(x.message).startsWith('server web1'))!;
  assert.ok(server, JSON.stringify(d));
  assert.equal(server.severity, 1);
  assert.match(String(server.message), /of cluster web has address 192\.168\.147\.4, which is also server web1 of cluster shop in prod\/shop\.lvs/);
  assert.equal(text.split('\n')[server.range.start.line].slice(server.range.start.character, server.range.end.character), '192.168.147.4');
  const rel = server.relatedInformation?.[0];
  assert.equal(rel?.location.uri, uriOf(other));
  assert.deepEqual(rel?.location.range.start, { line: 8, character: text.split('\n')[8].indexOf('192.168.147.4') });
});

test('the other open document changes: the first one is published again without the finding, and with it when it comes back', async () => {
  const mine = uriOf(join(dir, 'web.lvs'));
  const other = uriOf(join(dir, 'prod', 'shop.lvs'));
  const otherText = cluster('shop', '192.168.147.4');
  client.open(other, otherText);
  const own = (await client.diagnostics(other, 1)).filter((x) => x.code === 'LVS118');
  assert.equal(own.length, 2, 'the other side reports it too');
  assert.equal(own[0].relatedInformation?.[0].location.uri, mine);
  // Move shop to other addresses in the editor (not saved): web.lvs compares with the open text.
  const n = client.publishCount(mine);
  await client.change(other, 2, [{ text: otherText.replace(/192\.168\.147\./g, '10.1.1.') }]);
  assert.equal(await lvs118Count(mine, 0, n), 0);
  const m = client.publishCount(mine);
  await client.change(other, 3, [{ text: otherText }]);
  assert.equal(await lvs118Count(mine, 2, m), 2);
});

test('a cluster of the same name in another file is a variant of it, not a second cluster', async () => {
  const variant = join(dir, 'web-staging.lvs');
  const text = cluster('web', '192.168.147.4');
  await write(variant, text);
  client.open(uriOf(variant), text);
  const d = await client.diagnostics(uriOf(variant), 1);
  // Only cluster shop (prod/shop.lvs) clashes; web.lvs's cluster web is the same cluster.
  const related = d.filter((x) => x.code === 'LVS118').map((x) => x.relatedInformation?.[0].location.uri);
  assert.deepEqual([...new Set(related)], [uriOf(join(dir, 'prod', 'shop.lvs'))]);
});

test('a file outside the workspace folders plays no part', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'lvs-out-'));
  try {
    const far = cluster('far', '192.168.147.4').replace(/192\.168\.147\./g, '10.7.7.');
    writeFileSync(join(outside, 'far.lvs'), far);
    const p = join(dir, 'near.lvs');
    const text = far.replace('cluster far', 'cluster near');
    await write(p, text);
    client.open(uriOf(p), text);
    assert.deepEqual((await client.diagnostics(uriOf(p), 1)).filter((x) => x.code === 'LVS118'), []);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});
