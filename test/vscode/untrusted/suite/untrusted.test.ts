// The extension in an untrusted workspace (Restricted Mode), in real VS Code: the language works
// (it only reads the file), and every command that would connect to a host, run a script there,
// write generated secrets or read a secret source refuses, says why, and leaves no trace (no
// journal, no generated folder). The refusals are read from the extension's test-only record
// (client/workspace-trust.ts), so a command that skipped the check would fail here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Api { ready: Promise<void>; trustTesting?: { refusals(): string[] } }

suite('An untrusted workspace', function () {
  this.timeout(120_000);
  let api: Api;
  let ws: vscode.Uri;
  let seed: vscode.Uri;

  suiteSetup(async () => {
    ws = vscode.workspace.workspaceFolders![0].uri;
    seed = vscode.Uri.joinPath(ws, 'seed.lvs');
    api = await vscode.extensions.getExtension<Api>('lvs-dr-studio.lvs-dr-studio')!.activate();
    await api.ready;
    assert.ok(api.trustTesting, 'the test-only trust record is there in test mode');
  });

  test('the workspace is not trusted, and the extension runs in it (limited support)', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(vscode.extensions.getExtension('lvs-dr-studio.lvs-dr-studio')!.isActive, true);
  });

  test('the language works: an SSH password from file: is an error (LVS115) before anything could read it', async () => {
    const file = vscode.Uri.joinPath(ws, 'untrusted-password.lvs');
    const text = fs.readFileSync(seed.fsPath, 'utf8').replace(/^(\s*)ssh\s*\{/m, '$1ssh {\n$1  password file:~/.ssh/id_ed25519');
    assert.notEqual(text, fs.readFileSync(seed.fsPath, 'utf8'), 'the seed has an ssh block to put the password in');
    fs.writeFileSync(file.fsPath, text);
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      const deadline = Date.now() + 30_000;
      let codes: string[] = [];
      while (Date.now() < deadline) {
        codes = vscode.languages.getDiagnostics(file).map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
        if (codes.includes('LVS115')) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(codes.includes('LVS115'), `diagnostics: ${codes.join(', ')}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(file.fsPath, { force: true });
    }
  });

  // [command, arguments]: each would connect to the lab's hosts, run lvsdr or write files.
  const commands: Array<[string, unknown[]]> = [
    ['lvs.showDeployPlan', [{ cluster: 'web', target: 'lab' }]],
    ['lvs.deploy', [{ cluster: 'web', target: 'lab' }]],
    ['lvs.rollbackLastDeploy', [{ cluster: 'web', target: 'lab' }]],
    ['lvs.checkDrift', []],
    ['lvs.showLiveStatus', []],
    ['lvs.drainRealServer', []],
    ['lvs.restoreRealServer', []],
    ['lvs.controlledFailover', []],
    ['lvs.generate', []],
  ];
  for (const [command, args] of commands) {
    test(`${command} refuses and says why`, async () => {
      const before = api.trustTesting!.refusals().length;
      const result = await vscode.commands.executeCommand(command, seed, ...args);
      assert.equal(result, undefined, `${command} returned ${JSON.stringify(result)}`);
      const refusals = api.trustTesting!.refusals().slice(before);
      assert.equal(refusals.length, 1, `${command}: refusals ${JSON.stringify(refusals)}`);
      assert.match(refusals[0], /trust/i, refusals[0]);
    });
  }

  test('nothing was written: no deploy journal, no generated folder', () => {
    const entries = fs.readdirSync(ws.fsPath);
    assert.ok(!entries.includes('.lvs-deploy'), `workspace: ${entries.join(', ')}`);
    assert.ok(!entries.some((e) => /^generated/.test(e)), `workspace: ${entries.join(', ')}`);
    assert.ok(!fs.existsSync(path.join(ws.fsPath, 'generated')));
  });
});
