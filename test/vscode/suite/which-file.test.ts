// An LVS command run while the active editor is not a .lvs file (issue 12: commands stay
// available and ask which file): LVS: Preview Generated File from a plain-text editor shows VS
// Code's own quick pick "Which .lvs file?", the test moves to seed.lvs and accepts it with the
// quick input's own commands (what the arrow keys and Enter run), and the preview that opens is
// one of seed.lvs's files. Choosing an item that is not the first shows the answer is the user's.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

suite('Commands without a .lvs editor ask which file', function () {
  this.timeout(120_000);

  suiteSetup(async () => {
    const api = await vscode.extensions.getExtension<{ ready: Promise<void> }>('lvs-dr-studio.lvs-dr-studio')!.activate();
    await api.ready;
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Preview Generated File from a plain-text editor: the file picked in "Which .lvs file?" is the one previewed', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'not a cluster\n', language: 'plaintext' }));
    assert.equal(vscode.window.visibleTextEditors.some((e) => e.document.languageId === 'lvs'), false, 'no .lvs editor is open');
    // The picker's list, as the extension builds it (sorted paths): where seed.lvs is in it.
    const files = (await vscode.workspace.findFiles('**/*.lvs', '**/{node_modules,.git,.lvs-deploy}/**', 200)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    const seed = files.findIndex((f) => f.path.endsWith('/seed.lvs') && vscode.workspace.asRelativePath(f) === 'seed.lvs');
    assert.ok(files.length > 1 && seed > 0, `seed.lvs is in the list, not first (${files.length} files)`);

    const running = vscode.commands.executeCommand('lvs.previewGenerated');
    await sleep(2000); // the quick pick "Which .lvs file?" opens
    for (let i = 0; i < seed; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await sleep(2000); // the language server generates seed.lvs's files; "Preview a generated file" opens
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await Promise.race([running, sleep(20_000)]);

    const preview = vscode.window.visibleTextEditors.map((e) => e.document.uri).find((u) => u.scheme === 'lvs-generated');
    assert.ok(preview, `a generated file is previewed (editors: ${vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()).join(', ')})`);
    assert.equal(vscode.Uri.parse(preview.query).fsPath, files[seed].fsPath, 'it is a file of the .lvs file picked');
    assert.match(preview.path, /^\/web\//, 'of seed.lvs\'s cluster web');
  });
});
