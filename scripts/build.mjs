// Bundles the extension client, the language server, the CLI and the test files with esbuild.
// Everything is bundled (chevrotain is ESM-only; bundling makes it load in CommonJS hosts).
import * as esbuild from 'esbuild';
import { readdirSync, statSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

function testEntries(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testEntries(p));
    else if (/\.test\.ts$|suite[\\/]index\.ts$|^runner\.ts$/.test(p.replace(/.*test[\\/]/, '')) || /\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

const builds = [
  { ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/server.ts'], outfile: 'dist/server/server.js' },
  { ...common, entryPoints: ['server/cli.ts'], outfile: 'dist/server/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    entryPoints: testEntries('test'),
    outdir: 'out/test',
    outbase: 'test',
    external: ['vscode', 'mocha', 'playwright-core', 'vscode-json-languageservice', 'fast-check'],
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/server/cli.js', 0o755);
}
