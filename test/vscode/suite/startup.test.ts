// The extension's start-up cost as VS Code sees it: activate() and the language server's start,
// recorded by the extension itself (client/extension.ts). `npm run bench` runs this test alone
// (LVS_VSCODE_GREP) with LVS_STARTUP_TIMINGS_FILE set and prints the figures.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'lvs-dr-studio.lvs-dr-studio';

interface Api {
  ready: Promise<void>;
  startup: { activateMs: number; serverReadyMs?: number; phases: Record<string, number> };
}

suite('start-up timings', () => {
  test('activate() and the language server start are timed from the bundle load', async () => {
    const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} must be installed`);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder (examples/) must be open');
    // Opening a .lvs file is what activates the extension for a user.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'seed.lvs')));
    const api = ext.isActive ? ext.exports : await ext.activate();
    await api.ready;
    const { activateMs, serverReadyMs, phases } = api.startup;
    // The parts add up to the whole (each phase ends where the next begins).
    const sum = Object.values(phases).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - activateMs) < 0.5, `phases ${JSON.stringify(phases)} sum to ${sum}, activateMs ${activateMs}`);
    assert.ok(activateMs > 0, `activateMs ${activateMs}`);
    assert.ok(serverReadyMs !== undefined && serverReadyMs >= activateMs, `serverReadyMs ${serverReadyMs}, activateMs ${activateMs}`);
    const parts = Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
    console.log(`[suite] start-up: activate() ${activateMs.toFixed(1)} ms (${parts}), language server ready ${serverReadyMs.toFixed(1)} ms`);
    const out = process.env.LVS_STARTUP_TIMINGS_FILE;
    if (out) fs.writeFileSync(out, JSON.stringify({ activateMs, serverReadyMs, phases, vscode: vscode.version }) + '\n');
  });
});
