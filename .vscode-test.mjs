// Configuration of the VS Code integration suite for a DOWNLOADED VS Code (Electron).
// Used by scripts/run-electron-tests.mjs (`npm run test:electron`, @vscode/test-electron), and in
// the format of @vscode/test-cli's defineConfig (`npx vscode-test` if @vscode/test-cli is added):
// a plain object, so no import of @vscode/test-cli is needed.
// Where VS Code cannot be downloaded (no access to update.code.visualstudio.com), use
// `npm run test:vscode` instead: the same suite inside code-server 4.100.3 (= VS Code 1.100.3).
export default {
  label: 'lvs-dr-studio',
  // The version the suite asserts (code-server 4.100.3 ships VS Code 1.100.3); `stable` works too
  // with LVS_EXPECT_VSCODE_VERSION=any.
  version: process.env.LVS_ELECTRON_VERSION || '1.100.3',
  // Source tree as the development extension (needs `npm run build`: dist/ and out/).
  extensionDevelopmentPath: '.',
  // Mocha entry used by scripts/run-electron-tests.mjs (runTests' extensionTestsPath).
  extensionTestsPath: 'out/test/vscode/suite/index.js',
  // @vscode/test-cli runs these files with its own mocha runner.
  files: 'out/test/vscode/suite/**/*.test.js',
  workspaceFolder: 'examples',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  mocha: { ui: 'tdd', timeout: 60_000, color: false },
};
