// `lvs/workspaceClusters` from the built server over stdio: the clusters of every .lvs file
// under the folders asked for (node_modules and dot folders skipped), an open document as
// edited rather than as saved, error counts, and params out of contract refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKSPACE_CLUSTERS_REQUEST, WorkspaceClustersResult } from '../../server/protocol/workspace-clusters';
import { LspTestClient } from './lsp-client';

let client: LspTestClient;
const root = mkdtempSync(join(tmpdir(), 'lvsdr-wsc-'));
const seed = readFileSync('examples/seed.lvs', 'utf8');

before(async () => {
  client = new LspTestClient();
  await client.initialize();
  for (const d of ['a/b', 'node_modules/x', '.git', 'other']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'a', 'seed.lvs'), seed);
  writeFileSync(join(root, 'a', 'b', 'two.lvs'), `${seed}\n${seed.replace('cluster web', 'cluster web2').replace('vip 192.168.147.100', 'vip 10.9.9.9')}`);
  writeFileSync(join(root, 'node_modules', 'x', 'dep.lvs'), seed.replace('cluster web', 'cluster dep'));
  writeFileSync(join(root, '.git', 'g.lvs'), seed.replace('cluster web', 'cluster git'));
  writeFileSync(join(root, 'other', 'o.lvs'), seed.replace('cluster web', 'cluster other'));
});
after(() => {
  client.shutdown();
  rmSync(root, { recursive: true, force: true });
});

async function list(folders: string[]): Promise<WorkspaceClustersResult> {
  return v.parse(WorkspaceClustersResult, await client.request(WORKSPACE_CLUSTERS_REQUEST, { folders }));
}

test('every cluster of every .lvs file below the folders, in path order, node_modules and dot folders skipped', async () => {
  const r = await list([join(root, 'a'), join(root, 'other')]);
  assert.equal(r.truncated, false);
  assert.deepEqual(r.files.map((f) => [f.path.slice(root.length + 1), f.clusters.map((c) => c.name), f.errors > 0]), [
    ['a/b/two.lvs', ['web', 'web2'], true],
    ['a/seed.lvs', ['web'], false],
    ['other/o.lvs', ['other'], false],
  ]);
  const s = r.files[1];
  assert.equal(s.uri, pathToFileURL(join(root, 'a', 'seed.lvs')).href);
  assert.deepEqual(s.clusters[0], { name: 'web', nameRange: { start: { line: 1, character: 8 }, end: { line: 1, character: 11 } }, directors: 2, servers: 2 });
  const all = await list([root]);
  assert.ok(!all.files.some((f) => /node_modules|\.git/.test(f.path)));
});

test('an open document is listed as edited, not as saved', async () => {
  const uri = pathToFileURL(join(root, 'other', 'o.lvs')).href;
  await client.open(uri, seed.replace('cluster web', 'cluster renamed'), 1);
  const r = await list([join(root, 'other')]);
  assert.deepEqual(r.files[0].clusters.map((c) => c.name), ['renamed']);
});

test('params out of contract are refused', async () => {
  await assert.rejects(client.request(WORKSPACE_CLUSTERS_REQUEST, { folders: ['relative/dir'] }), /absolute path/);
  await assert.rejects(client.request(WORKSPACE_CLUSTERS_REQUEST, {}), /folders/);
});
