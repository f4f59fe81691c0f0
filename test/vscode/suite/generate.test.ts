// Generation from VS Code: the command writes the tree into the workspace; the preview opens
// read-only virtual documents and never contains the secret's value.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const SECRET = 'v3ry-s3cret';

suite('Generate configuration', () => {
  let root: vscode.Uri;
  let seed: vscode.TextDocument;

  suiteSetup(async () => {
    root = vscode.workspace.workspaceFolders![0].uri;
    seed = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'seed.lvs'));
    await vscode.window.showTextDocument(seed);
    const ext = vscode.extensions.getExtension('lvs-dr-studio.lvs-dr-studio')!;
    const api = (await ext.activate()) as { ready: Promise<void> };
    await api.ready;
    process.env.LVS_SECRET_VRRP_WEB = SECRET;
  });

  suiteTeardown(() => {
    delete process.env.LVS_SECRET_VRRP_WEB;
    fs.rmSync(path.join(root.fsPath, 'generated'), { recursive: true, force: true });
  });

  test('LVS: Preview Generated Files opens read-only documents without the secret', async () => {
    const uri = vscode.Uri.from({ scheme: 'lvs-generated', path: '/web/lvs1/etc/keepalived/keepalived.conf', query: seed.uri.toString() });
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /virtual_server 192\.168\.147\.100 80/);
    assert.ok(!doc.getText().includes(SECRET.slice(0, 8)), 'preview never shows the secret');
    assert.match(doc.getText(), /@@secret:vrrp-web@@/);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.uri.scheme, 'lvs-generated', 'a virtual document, not a file');
    assert.ok(!fs.existsSync(path.join(root.fsPath, 'generated')), 'previewing writes nothing');
  });

  test('LVS: Generate Configuration writes every host with a manifest', async () => {
    const result = (await vscode.commands.executeCommand('lvs.generate', seed.uri)) as { outDir: string; files: number } | undefined;
    assert.ok(result, 'the command returned a result');
    assert.equal(result.outDir, path.join(root.fsPath, 'generated'));
    for (const host of ['lvs1', 'lvs2', 'web1', 'web2']) {
      const manifest = JSON.parse(fs.readFileSync(path.join(result.outDir, 'web', host, 'MANIFEST.json'), 'utf8')) as { files: { path: string; mode: string }[] };
      assert.ok(manifest.files.length >= 4, `${host} has files`);
      for (const f of manifest.files) assert.ok(fs.existsSync(path.join(result.outDir, 'web', host, f.path)), `${host}${f.path} written`);
    }
    const lo = fs.readFileSync(path.join(result.outDir, 'web/web1/etc/sysconfig/network-scripts/ifcfg-lo:0'), 'utf8');
    assert.match(lo, /NETMASK=255\.255\.255\.255/);
    const keepalived = fs.readFileSync(path.join(result.outDir, 'web/lvs1/etc/keepalived/keepalived.conf'), 'utf8');
    assert.match(keepalived, /lvs_method DR/);
    assert.ok(keepalived.includes(SECRET.slice(0, 8)), 'the resolved secret is written for deploy');
    const mode = fs.statSync(path.join(result.outDir, 'web/web1/opt/lvs/apply.sh')).mode & 0o777;
    assert.equal(mode, 0o755);
  });
});
