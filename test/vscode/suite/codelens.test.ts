// The CodeLenses on `cluster` lines inside a real VS Code: generate, preview, deploy and designer
// lenses sit on each cluster the language server's outline lists — also when the name is on the
// next line, and on a file with syntax errors, for the clusters the parser recovered.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Lines and arguments of the lenses running `command`, once there are `count` of them. */
async function lensesOf(doc: vscode.TextDocument, command: string, count: number): Promise<{ line: number; args: string[] }[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
    const found = list.filter((l) => l.command?.command === command).map((l) => ({ line: l.range.start.line, args: (l.command!.arguments ?? []).map(String) }));
    if (found.length === count) return found.sort((a, b) => a.line - b.line);
    if (Date.now() > deadline) throw new Error(`expected ${count} ${command} lenses, got ${found.length}: ${JSON.stringify(found)}`);
    await sleep(200);
  }
}

suite('CodeLenses on cluster lines', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('lvs-dr-studio.lvs-dr-studio')!;
    const api = (await ext.activate()) as { ready: Promise<void> };
    await api.ready;
  });

  // Untitled documents: reverted on close, so no save prompt is left behind.
  const opened: vscode.TextDocument[] = [];
  async function open(content: string): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument({ language: 'lvs', content });
    opened.push(doc);
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  suiteTeardown(async () => {
    for (const doc of opened) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('every cluster gets generate, preview, deploy and designer lenses on its `cluster` line', async () => {
    const content = [
      'cluster web {',
      '  network 10.0.0.0/24',
      '  # cluster commented {',
      '  server web1 { address 10.0.0.3 }',
      '}',
      'cluster',
      '  mail {',
      '  network 10.0.1.0/24',
      '}',
      '',
    ].join('\n');
    const doc = await open(content);
    const u = doc.uri.toString();
    assert.deepEqual(await lensesOf(doc, 'lvs.generate', 2), [{ line: 0, args: [u, 'web'] }, { line: 5, args: [u, 'mail'] }]);
    assert.deepEqual((await lensesOf(doc, 'lvs.previewGenerated', 2)).map((l) => l.line), [0, 5]);
    assert.deepEqual((await lensesOf(doc, 'lvs.deploy', 2)).map((l) => l.line), [0, 5]);
    assert.deepEqual(await lensesOf(doc, 'lvs.openDesigner', 2), [{ line: 0, args: [u, 'web'] }, { line: 5, args: [u, 'mail'] }]);
  });

  test('a file with syntax errors keeps the lenses of the clusters the parser recovered', async () => {
    const content = [
      'cluster a {',
      '  director d1 { address 10.0.0.2 &&& }',
      '}',
      'cluster {',
      '}',
      'cluster b {',
      '  server s { address',
      '',
    ].join('\n');
    const doc = await open(content);
    const u = doc.uri.toString();
    assert.deepEqual(await lensesOf(doc, 'lvs.generate', 2), [{ line: 0, args: [u, 'a'] }, { line: 5, args: [u, 'b'] }]);
    assert.deepEqual((await lensesOf(doc, 'lvs.deploy', 2)).map((l) => l.line), [0, 5]);
  });
});
