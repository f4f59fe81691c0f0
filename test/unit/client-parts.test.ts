// The extension's activation bundle leaves the designer, deploy, generation, protocol (valibot and
// the schemas) and New Cluster parts unloaded: each
// is its own bundle (dist/client/<part>.js), required the first time it is used
// (client/lazy-part.ts). These tests read the build's output (after `npm run build`) and the
// module graph esbuild bundles into the activation bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

/** Per part: modules that belong to it alone, and a text only its bundle contains. */
const PARTS = {
  designer: { modules: ['client/designer/provider.ts', 'client/designer/html.ts'], marker: 'LVS Designer' },
  deploy: { modules: ['client/deploy/deploy-flow.ts', 'client/deploy/questions.ts', 'client/deploy/drift.ts', 'client/deploy/plan-view.ts'], marker: 'LVS Deploy' },
  generate: { modules: ['client/generate/generate-command.ts', 'client/generate/preview.ts', 'client/generate/hosts-tree.ts', 'client/generate/secrets.ts'], marker: 'Preview a generated file' },
  // valibot and the schemas of what reaches the extension: loaded by the first answer to check.
  protocol: { modules: ['client/protocol/part.ts', 'client/protocol/cli-runner.ts', 'server/protocol/check.ts', 'server/protocol/outline.ts', 'server/protocol/live-snapshot.ts', 'server/protocol/journal-header.ts'], marker: 'answer is out of contract' },
  'new-cluster': { modules: ['client/new-cluster/part.ts', 'server/protocol/new-cluster.ts'], marker: 'New LVS-DR cluster ({0}/6)' },
};

test("the activation bundle's module graph holds none of the parts' modules", async () => {
  const r = await esbuild.build({
    entryPoints: ['client/activation.ts'], bundle: true, platform: 'node', format: 'cjs', external: ['vscode'],
    write: false, metafile: true, logLevel: 'silent',
  });
  const inputs = Object.keys(r.metafile.inputs);
  assert.ok(inputs.includes('client/designer/register.ts') && inputs.includes('client/deploy/register.ts'), 'the graph is the activation bundle\'s');
  for (const [part, { modules }] of Object.entries(PARTS)) {
    for (const m of modules) assert.ok(!inputs.includes(m), `${m} (${part}) is bundled into activation.js`);
  }
  const valibot = inputs.filter((m) => m.includes('node_modules/valibot/'));
  assert.deepEqual(valibot, [], 'valibot is bundled into activation.js');
});

test('each part is built as its own bundle, and the built activation bundle does not contain them', () => {
  const activation = readFileSync('dist/client/activation.js', 'utf8');
  for (const [part, { marker }] of Object.entries(PARTS)) {
    assert.ok(readFileSync(`dist/client/${part}.js`, 'utf8').includes(marker), `dist/client/${part}.js lacks ${marker}`);
    assert.ok(!activation.includes(marker), `activation.js contains ${marker} (${part})`);
  }
});
