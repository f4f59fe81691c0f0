#!/usr/bin/env node
// Runs the VS Code integration suite (out/test/vscode/suite) in a downloaded VS Code desktop build
// with @vscode/test-electron, where update.code.visualstudio.com is reachable. Settings come from
// .vscode-test.mjs. Needs `npm run build` (dist/ and out/). On Linux without a display, run it
// under `xvfb-run -a`.
//
//   npm run build && node scripts/run-electron-tests.mjs
//
// Environment: LVS_ELECTRON_VERSION (default 1.100.3, or `stable`), LVS_VSCODE_SUITE (suite dir
// with index.js, default out/test/vscode/suite), LVS_VSCODE_GREP (mocha grep),
// LVS_ELECTRON_CACHE (download cache, default .vscode-test/).
//
// This machine cannot download VS Code: the download fails and this script says so (exit 1);
// the code-server tier (`npm run test:vscode`) runs the same suite in VS Code 1.100.3.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const t0 = Date.now();
const log = (m) => console.log(`[electron-tests +${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}`);

async function main() {
  const config = (await import(pathToFileURL(join(ROOT, '.vscode-test.mjs')).href)).default;
  const version = config.version || 'stable';
  const extensionDevelopmentPath = resolve(ROOT, config.extensionDevelopmentPath || '.');
  const extensionTestsPath = process.env.LVS_VSCODE_SUITE
    ? join(resolve(ROOT, process.env.LVS_VSCODE_SUITE), 'index.js')
    : resolve(ROOT, config.extensionTestsPath);
  const workspace = resolve(ROOT, config.workspaceFolder || 'examples');

  for (const [what, p] of [['suite', extensionTestsPath], ['extension client', join(ROOT, 'dist/client/extension.js')], ['language server', join(ROOT, 'dist/server/server.js')]]) {
    if (!existsSync(p)) throw new Error(`${what} ${p} not found: run \`npm run build\` first`);
  }

  let testElectron;
  try {
    testElectron = await import('@vscode/test-electron');
  } catch (err) {
    throw new Error(`@vscode/test-electron is not installed (devDependency): ${err.message}`);
  }
  const { downloadAndUnzipVSCode, runTests } = testElectron;

  log(`downloading VS Code ${version} (or using the cached copy)`);
  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({
      version,
      cachePath: resolve(ROOT, process.env.LVS_ELECTRON_CACHE || '.vscode-test'),
      timeout: 30_000,
      extensionDevelopmentPath,
    });
  } catch (err) {
    console.error(
      `[electron-tests] ERROR: could not download VS Code ${version} with @vscode/test-electron: ${err && err.message ? err.message : err}\n` +
      '[electron-tests] This machine probably has no access to update.code.visualstudio.com.\n' +
      '[electron-tests] Run the same suite in a real VS Code 1.100.3 via code-server instead: npm run test:vscode',
    );
    return 1;
  }
  log(`VS Code at ${vscodeExecutablePath}`);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log('warning: no DISPLAY; VS Code (Electron) needs one - run under `xvfb-run -a` if it fails to start');
  }

  const userData = mkdtempSync(join(tmpdir(), 'lvs-electron-tests-'));
  try {
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath,
      extensionTestsEnv: {
        LVS_EXPECT_VSCODE_VERSION: /^\d+\.\d+\.\d+$/.test(version) ? version : 'any',
        LVS_VSCODE_GREP: process.env.LVS_VSCODE_GREP || '',
      },
      launchArgs: [workspace, ...(config.launchArgs || ['--disable-extensions']), '--user-data-dir', join(userData, 'user-data')],
    });
    log(`VS Code exited with ${code}`);
    return code;
  } catch (err) {
    // runTests rejects with TestRunFailedError when the suite fails or VS Code crashes.
    console.error(`[electron-tests] ERROR: ${err && err.message ? err.message : err}`);
    return 1;
  } finally {
    rmSync(userData, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    log(`${code === 0 ? 'PASS' : 'FAIL'} (exit ${code})`);
    process.exit(code);
  },
  (err) => {
    console.error(`[electron-tests] ERROR: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
