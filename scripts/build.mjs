// Bundles the extension client, the language server, the CLI and the test files with esbuild.
// Everything is bundled (chevrotain is ESM-only; bundling makes it load in CommonJS hosts).
import * as esbuild from 'esbuild';
import { readdirSync, statSync, chmodSync, mkdirSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

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

// ssh2's optional native parts (cpu-features, sshcrypto.node) stay outside the bundles: ssh2
// requires them in try/catch and falls back to Node's own crypto when they do not load.
const sshNative = ['cpu-features', '*.node'];

// The command modules server/cli/main.ts imports on demand, each built as dist/server/cli-<name>.js.
const CLI_PARTS = ['check', 'generate', 'export', 'import', 'deploy', 'lab', 'live'];
const cliPartsExternal = {
  name: 'cli-parts',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^\\./(${CLI_PARTS.join('|')})$`) }, (args) =>
      (/server[\\/]cli[\\/]main\.ts$/.test(args.importer) ? { path: `./cli-${args.path.slice(2)}.js`, external: true } : undefined));
  },
};

// The Chinese catalog of the language server and the CLI (server/shared/l10n/localize.ts requires
// it on the first message in Chinese) stays a file beside their bundles, dist/server/: a run in
// English neither reads nor compiles its 130 KB (decisions.md, "P6"). Test bundles inline it.
const ZH_CATALOG = 'server.l10n.zh-cn.json';
const zhCatalogBeside = {
  name: 'zh-catalog-beside',
  setup(build) {
    build.onResolve({ filter: /server\.l10n\.zh-cn\.json$/ }, () => ({ path: `./${ZH_CATALOG}`, external: true }));
  },
};

// The extension's parts that activation leaves unloaded (client/<name>/part.ts → dist/client/<name>.js).
const CLIENT_PARTS = ['designer', 'deploy', 'generate', 'protocol', 'new-cluster'];

const builds = [
  // The extension, minified (activate() is on VS Code's start-up path): a small entry point
  // (package.json "main") that times and loads the activation bundle; the language client's
  // bundle is loaded once activate() has returned (client/activation.ts).
  { ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode'], sourcemap: false },
  ...['activation', 'language-client'].map((part) => (
    { ...common, entryPoints: [`client/${part}.ts`], outfile: `dist/client/${part}.js`, external: ['vscode'], minify: true })),
  // The parts loaded on first use (client/lazy-part.ts): the designer, deploy and generation.
  ...CLIENT_PARTS.map((part) => (
    { ...common, entryPoints: [`client/${part}/part.ts`], outfile: `dist/client/${part}.js`, external: ['vscode'], minify: true })),
  { ...common, entryPoints: ['server/server.ts'], outfile: 'dist/server/server.js', external: sshNative, plugins: [zhCatalogBeside] },
  // `lvsdr`: a launcher (the package's bin) and the CLI's bundles, which it runs from V8's code
  // cache: cli-main.js, and one bundle per command group that cli-main.js requires on demand.
  { ...common, entryPoints: ['server/cli-launcher.ts'], outfile: 'dist/server/cli.js', banner: { js: '#!/usr/bin/env node' }, sourcemap: false },
  {
    ...common, entryPoints: ['server/cli.ts'], outfile: 'dist/server/cli-main.js', external: sshNative, plugins: [cliPartsExternal, zhCatalogBeside],
    // import() of a command's module becomes a require of its bundle (which the launcher serves).
    supported: { 'dynamic-import': false },
  },
  ...CLI_PARTS.map((part) => ({ ...common, entryPoints: [`server/cli/${part}.ts`], outfile: `dist/server/cli-${part}.js`, external: sshNative, plugins: [zhCatalogBeside] })),
  // The designer webview app (runs in the browser inside the webview, strict CSP: one script file).
  {
    entryPoints: ['media/designer/main.ts'], outfile: 'dist/media/designer.js', bundle: true, platform: 'browser',
    format: 'iife', target: 'es2022', minify: true, sourcemap: false, legalComments: 'eof', logLevel: 'warning',
  },
  {
    ...common,
    entryPoints: testEntries('test'),
    outdir: 'out/test',
    outbase: 'test',
    external: ['vscode', 'mocha', 'playwright-core', 'vscode-json-languageservice', 'fast-check', 'esbuild', 'typescript', ...sshNative],
  },
];

// Static webview assets: the designer stylesheet and the codicon font (css + ttf) into dist/media/.
function copyMedia() {
  mkdirSync('dist/media/codicons', { recursive: true });
  copyFileSync('media/designer/designer.css', 'dist/media/designer.css');
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join('node_modules/@vscode/codicons/dist', f), join('dist/media/codicons', f));
}
copyMedia();
mkdirSync('dist/server', { recursive: true });
copyFileSync(join('l10n', ZH_CATALOG), join('dist/server', ZH_CATALOG));

// The CLI's code caches: `lvsdr check` and `lvsdr generate` on the seed example, run by the node
// that builds (another node version rejects the caches), write the caches of the bundles they use
// with every function they ran compiled.
function writeCliCodeCache() {
  for (const f of readdirSync('dist/server')) if (f.endsWith('.v8cache')) rmSync(join('dist/server', f));
  const out = mkdtempSync(join(tmpdir(), 'lvsdr-code-cache-'));
  try {
    for (const args of [['check', 'examples/seed.lvs'], ['generate', 'examples/seed.lvs', '--out', out]]) {
      const r = spawnSync(process.execPath, ['dist/server/cli.js', ...args], { env: { ...process.env, LVSDR_WRITE_CODE_CACHE: '1' }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`build: lvsdr ${args[0]} failed while writing the code cache: ${r.stderr}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/server/cli.js', 0o755);
  writeCliCodeCache();
}
