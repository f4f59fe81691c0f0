// `lvsdr` as installed (dist/server/cli.js): runs the CLI bundle (dist/server/cli-bundle.js) from
// V8's code cache written at build time, so a short command such as `lvsdr check` does not spend
// its time parsing and compiling the bundle's JavaScript again (decisions.md, "P6").
// Node 20 has no module compile cache of its own (module.enableCompileCache arrived in Node 22),
// hence vm.Script with cachedData. V8 rejects a cache made by another V8 version or with other
// flags (VS Code's Electron, for one); the bundle then compiles as usual.
import { readFileSync } from 'node:fs';
import { Module } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

/** The CLI bundle next to this file and its code cache (scripts/cli-code-cache.mjs writes it). */
const CLI_BUNDLE = 'cli-bundle.js';
const CLI_CODE_CACHE = 'cli-bundle.v8cache';

function cachedData(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

const bundle = join(__dirname, CLI_BUNDLE);
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData: cachedData(join(__dirname, CLI_CODE_CACHE)) });
const bundleModule = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void).call(bundleModule.exports, bundleModule.exports, require, bundleModule, bundle, __dirname);
