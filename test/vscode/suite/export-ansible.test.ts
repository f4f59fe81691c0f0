// `LVS: Export to Ansible…` in a real VS Code: the command runs the bundled CLI and writes the
// Ansible project into the folder it is given (the dialog is skipped by passing outDir); the
// secret's value is never written; a folder that is not an earlier export is refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const SECRET = 'exp0rt-s3cret';

suite('Export to Ansible', () => {
  let root: vscode.Uri;
  let seed: vscode.TextDocument;
  let outDir = '';
  let foreign = '';

  suiteSetup(async () => {
    root = vscode.workspace.workspaceFolders![0].uri;
    outDir = path.join(root.fsPath, 'ansible-export');
    foreign = path.join(root.fsPath, 'not-an-export');
    seed = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'seed.lvs'));
    await vscode.window.showTextDocument(seed);
    const ext = vscode.extensions.getExtension('lvs-dr-studio.lvs-dr-studio')!;
    const api = (await ext.activate()) as { ready: Promise<void> };
    await api.ready;
    process.env.LVS_SECRET_VRRP_WEB = SECRET;
  });

  suiteTeardown(() => {
    delete process.env.LVS_SECRET_VRRP_WEB;
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.rmSync(foreign, { recursive: true, force: true });
  });

  test('the command writes the project: inventory, playbook, two roles, the files; no secret value', async () => {
    const r = (await vscode.commands.executeCommand('lvs.exportAnsible', seed.uri, { outDir })) as { code: number; message: string } | undefined;
    assert.ok(r, 'the command returned a result');
    assert.equal(r.code, 0, r.message);
    assert.match(r.message, /cluster web: Ansible project for 4 hosts/);
    for (const f of ['inventory.yml', 'site.yml', 'README.md', 'roles/lvs_director/tasks/main.yml', 'roles/lvs_real_server/handlers/main.yml',
      'files/web/web1/opt/lvs/apply.sh', 'templates/web/lvs1/etc/keepalived/keepalived.conf.j2']) {
      assert.ok(fs.existsSync(path.join(outDir, f)), `${f} written`);
    }
    const template = fs.readFileSync(path.join(outDir, 'templates/web/lvs1/etc/keepalived/keepalived.conf.j2'), 'utf8');
    assert.match(template, /auth_pass \{\{ lvs_vrrp_auth\[:8\]/);
    assert.ok(!template.includes(SECRET.slice(0, 8)), 'the secret is never written');
  });

  test('a folder that holds other files is refused, and the message says why', async () => {
    fs.mkdirSync(foreign, { recursive: true });
    fs.writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
    const r = (await vscode.commands.executeCommand('lvs.exportAnsible', seed.uri, { outDir: foreign })) as { code: number; message: string } | undefined;
    assert.ok(r);
    assert.equal(r.code, 1);
    assert.match(r.message, /not empty and holds no earlier export/);
    assert.deepEqual(fs.readdirSync(foreign), ['notes.txt']);
  });
});
