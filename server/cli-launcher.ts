// `lvsdr` as installed (dist/server/cli.js). The CLI is built as several bundles next to this
// file: cli-main.js (argument parsing, help, dispatch) and one per command group
// (cli-check.js, cli-generate.js, cli-deploy.js, cli-lab.js), which cli-main.js requires only
// for the command it runs. Each runs from V8's code cache written at build time (<bundle>.v8cache),
// so a short command such as `lvsdr check` reads and compiles only what it needs (decisions.md, "P6").
// Node 20 has no module compile cache of its own (module.enableCompileCache arrived in Node 22),
// hence vm.Script with cachedData. V8 rejects a cache made by another V8 version or with other
// flags (VS Code's Electron, for one); the bundle then compiles as usual.
// LVSDR_WRITE_CODE_CACHE=1 (scripts/build.mjs) writes the caches of the bundles a run used.
import { readFileSync, writeFileSync } from 'node:fs';
import { Module } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

/** How a bundle names another bundle of the CLI in its require calls. */
const CLI_PART = /^\.\/(cli-[a-z]+)\.js$/;

const writeCache = process.env.LVSDR_WRITE_CODE_CACHE === '1';
const compiled: { script: Script; cacheFile: string }[] = [];
const loaded = new Map<string, unknown>();

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Runs the bundle `name` (cli-main, cli-check…) as a CommonJS module, once, and returns its exports. */
function runBundle(name: string): unknown {
  if (loaded.has(name)) return loaded.get(name);
  const file = join(__dirname, `${name}.js`);
  const cacheFile = join(__dirname, `${name}.v8cache`);
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: writeCache ? undefined : readIfPresent(cacheFile) });
  if (writeCache) compiled.push({ script, cacheFile });
  const bundleModule = { exports: {} };
  loaded.set(name, bundleModule.exports);
  (script.runInThisContext() as (...args: unknown[]) => void).call(bundleModule.exports, bundleModule.exports, bundleRequire, bundleModule, file, __dirname);
  loaded.set(name, bundleModule.exports);
  return bundleModule.exports;
}

/** The bundles' require: another bundle of the CLI runs through runBundle, anything else as usual. */
function bundleRequire(id: string): unknown {
  const part = CLI_PART.exec(id);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return part ? runBundle(part[1]) : require(id);
}

if (writeCache) {
  // At exit every function the run compiled is in its script's cache, not only the top level.
  process.on('exit', () => { for (const c of compiled) writeFileSync(c.cacheFile, c.script.createCachedData()); });
}
runBundle('cli-main');
