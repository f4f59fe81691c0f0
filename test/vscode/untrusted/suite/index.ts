// Mocha entry point of the untrusted-workspace suite: the same runner as the main suite
// (test/vscode/suite/index.ts), bundled here so that it runs the *.test.js files of this folder.
// scripts/run-vscode-tests.mjs starts code-server for it with workspace trust on
// (LVS_VSCODE_UNTRUSTED=1): the workspace opens in Restricted Mode.
export { run } from '../../suite/index';
