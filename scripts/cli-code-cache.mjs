// Writes V8's code cache of the CLI bundle (dist/server/cli-bundle.v8cache), which the `lvsdr`
// launcher (server/cli-launcher.ts) hands to V8. The bundle is compiled exactly as the launcher
// compiles it and runs `lvsdr check` and `lvsdr generate` on the seed example first: the cache
// then holds the compiled code of every function those commands ran, not only the top level.
// Run by scripts/build.mjs with the node that builds; another node version rejects the cache.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';

const dir = resolve('dist/server');
const bundle = join(dir, 'cli-bundle.js');
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle });
const run = script.runInThisContext();
const bundleRequire = createRequire(join(dir, 'cli.js'));

/** Runs one `lvsdr` command line in this process and waits for its exit code. */
async function lvsdr(args) {
  process.argv = [process.argv[0], join(dir, 'cli.js'), ...args];
  process.exitCode = undefined;
  const module = { exports: {} };
  run.call(module.exports, module.exports, bundleRequire, module, bundle, dir);
  while (process.exitCode === undefined) await new Promise((r) => setTimeout(r, 1));
  const code = process.exitCode;
  process.exitCode = undefined;
  return code;
}

// Their output is not wanted here, only the code they compile.
const { write } = process.stdout;
const writeErr = process.stderr.write;
process.stdout.write = () => true;
process.stderr.write = () => true;
const out = mkdtempSync(join(tmpdir(), 'lvsdr-code-cache-'));
try {
  const codes = [await lvsdr(['check', 'examples/seed.lvs']), await lvsdr(['generate', 'examples/seed.lvs', '--out', out])];
  if (codes.some((c) => c !== 0)) throw new Error(`cli-code-cache: a warm-up command failed (exit codes ${codes.join(', ')})`);
} finally {
  process.stdout.write = write;
  process.stderr.write = writeErr;
  rmSync(out, { recursive: true, force: true });
}
writeFileSync(join(dir, 'cli-bundle.v8cache'), script.createCachedData());
