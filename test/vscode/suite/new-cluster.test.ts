// LVS: New Cluster… in a real VS Code: the answers become an unsaved .lvs editor whose cluster the
// language server finds clean (a one-director cluster carries only LVS103, no standby), and the
// command is offered in File > New File….
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

interface Outcome { document?: vscode.TextDocument; error?: string }

const code = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

/** The diagnostics of a document once the server has analysed it (its symbols are there). */
async function settledDiagnostics(doc: vscode.TextDocument, expected: number): Promise<vscode.Diagnostic[]> {
  let symbols: vscode.DocumentSymbol[] = [];
  for (let i = 0; i < 100 && symbols.length === 0; i++) {
    symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
    if (symbols.length === 0) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(symbols.length > 0, 'the language server reads the new editor');
  // Diagnostics follow the analysis after the debounce: wait for the expected count, then a little longer.
  for (let i = 0; i < 50 && vscode.languages.getDiagnostics(doc.uri).length < expected; i++) await new Promise((res) => setTimeout(res, 100));
  await new Promise((res) => setTimeout(res, 1000));
  return vscode.languages.getDiagnostics(doc.uri);
}

suite('LVS: New Cluster…', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('lvs-dr-studio.lvs-dr-studio')!;
    await ((await ext.activate()) as { ready: Promise<void> }).ready;
  });

  test('two directors and three real servers: an unsaved cluster with no diagnostics', async () => {
    const r = (await vscode.commands.executeCommand('lvs.newCluster', { name: 'shop', network: '10.91.0.0/24', vip: '10.91.0.100', directors: 2, servers: 3, os: 'rhel9' })) as Outcome;
    assert.equal(r.error, undefined);
    const doc = r.document!;
    assert.equal(doc.isUntitled, true, 'not written until saved');
    assert.equal(doc.languageId, 'lvs');
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'the new cluster is shown');
    const text = doc.getText();
    assert.match(text, /^# shop: .*\ncluster shop \{\n {2}network 10\.91\.0\.0\/24/);
    assert.match(text, /server web3 \{ address 10\.91\.0\.6 /);
    assert.match(text, /target os rhel9\n/);
    const diagnostics = await settledDiagnostics(doc, 0);
    assert.deepEqual(diagnostics.map((d) => `${code(d)} ${d.message}`), []);
  });

  test('one director: only LVS103 (no standby) is said, which shows the file was checked', async () => {
    const r = (await vscode.commands.executeCommand('lvs.newCluster', { name: 'solo', network: '10.92.0.0/28', vip: '10.92.0.14', directors: 1, servers: 1, os: 'debian' })) as Outcome;
    const diagnostics = await settledDiagnostics(r.document!, 1);
    assert.deepEqual(diagnostics.map(code), ['LVS103']);
  });

  test('an IPv6 network and VIP: an unsaved cluster with no diagnostics, the VIP on lo', async () => {
    const r = (await vscode.commands.executeCommand('lvs.newCluster', { name: 'v6', network: '2001:db8:47::/64', vip: '2001:db8:47::100', directors: 2, servers: 2, os: 'debian' })) as Outcome;
    assert.equal(r.error, undefined);
    const text = r.document!.getText();
    assert.match(text, /^ {2}network 2001:db8:47::\/64 /m);
    assert.match(text, /^ {2}server web2 \{ address 2001:db8:47::5 {2}interface eth0 {2}vip-on lo \}$/m);
    const diagnostics = await settledDiagnostics(r.document!, 0);
    assert.deepEqual(diagnostics.map((d) => `${code(d)} ${d.message}`), []);
  });

  test('answers the language refuses are refused, nothing is opened', async () => {
    const before = vscode.workspace.textDocuments.length;
    const r = (await vscode.commands.executeCommand('lvs.newCluster', { name: 'web', network: '10.93.0.0/24', vip: '10.94.0.1', directors: 2, servers: 2, os: 'rhel7' })) as Outcome;
    assert.match(r.error ?? '', /VIP/);
    assert.equal(r.document, undefined);
    assert.equal(vscode.workspace.textDocuments.length, before);
  });

  test('the command is contributed to File > New File…', () => {
    const pkg = vscode.extensions.getExtension('lvs-dr-studio.lvs-dr-studio')!.packageJSON as { contributes: { menus: Record<string, { command: string }[]> } };
    assert.ok(pkg.contributes.menus['file/newFile'].some((m) => m.command === 'lvs.newCluster'));
  });
});
