// Mocha entry point loaded by VS Code's extension host (extensionTestsPath). VS Code calls run()
// and reports the outcome: code-server's payload runner passes it to codeAutomationExit,
// @vscode/test-electron turns it into the process exit code.
//
// Bundled by scripts/build.mjs to out/test/vscode/suite/index.js, with `mocha` external (resolved
// from the repository's node_modules). Every *.test.js next to the bundle is run.
import * as fs from 'node:fs';
import * as path from 'node:path';

type MochaCtor = new (options?: Record<string, unknown>) => {
  addFile(file: string): void;
  run(done: (failures: number) => void): unknown;
};

function loadMocha(): MochaCtor {
  // mocha 12 is an ES module whose main re-exports lib/mocha.cjs; load the CommonJS build directly
  // (no require(esm) needed), falling back to the package main.
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('mocha/lib/mocha.cjs');
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('mocha');
  }
  const m = mod as { default?: unknown; Mocha?: unknown };
  const ctor = typeof mod === 'function' ? mod : (m.Mocha ?? m.default);
  if (typeof ctor !== 'function') throw new Error('cannot load mocha: no constructor exported');
  return ctor as MochaCtor;
}

export function run(): Promise<void> {
  const Mocha = loadMocha();
  const grep = process.env.LVS_VSCODE_GREP;
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    timeout: 60_000,
    ...(grep ? { grep } : {}),
  });
  const dir = __dirname;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files in ${dir}`));
  for (const f of files) mocha.addFile(path.join(dir, f));
  console.log(`[suite] running ${files.length} file(s) from ${dir}: ${files.join(', ')}`);
  return new Promise<void>((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
