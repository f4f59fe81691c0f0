// The "Get Started with LVS-DR Studio" walkthrough in a real VS Code: its steps complete on events
// that exist (commands the extension contributes, context keys it sets), and the keys are set by
// the real event — a .lvs saved with no error (not one saved with an error), the lab check.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Api { ready: Promise<void>; walkthroughTesting: { keys(): string[] } }
type Themed = Record<'light' | 'dark' | 'hc' | 'hcLight', string>;
interface Step { id: string; completionEvents: string[]; media: { markdown?: string; svg?: string; image?: string | Themed; altText?: string } }

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((res) => setTimeout(res, 100));
  assert.ok(ok(), what);
}

/** Opens the file, waits until the server has read it, edits and saves it. */
async function editAndSave(file: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(doc);
  for (let i = 0; i < 100; i++) {
    const symbols = await vscode.commands.executeCommand<unknown[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    if (symbols?.length) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const edit = new vscode.WorkspaceEdit();
  edit.insert(doc.uri, new vscode.Position(0, 0), '# saved from the walkthrough test\n');
  await vscode.workspace.applyEdit(edit);
  await new Promise((res) => setTimeout(res, 1500)); // the edit's diagnostics
  assert.ok(await doc.save());
  return doc;
}

suite('Walkthrough: Get Started with LVS-DR Studio', () => {
  let api: Api;
  let dir: string;
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('lvs-dr-studio.lvs-dr-studio')!;
    api = (await ext.activate()) as Api;
    await api.ready;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvs-walkthrough-'));
  });
  suiteTeardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('six steps, each completing on a contributed command or a key the extension sets, each with an image per theme shipped', () => {
    const ext = vscode.extensions.getExtension('lvs-dr-studio.lvs-dr-studio')!;
    const pkg = ext.packageJSON as { contributes: { commands: { command: string }[]; walkthroughs: { id: string; steps: Step[] }[] } };
    const steps = pkg.contributes.walkthroughs[0].steps;
    assert.deepEqual(steps.map((s) => s.id), ['createCluster', 'fixMistake', 'openDesigner', 'labUp', 'deploy', 'watchLive']);
    const commands = new Set(pkg.contributes.commands.map((c) => c.command));
    const keys = new Set(['lvs.walkthrough.cleanSave', 'lvs.walkthrough.labUp', 'lvs.walkthrough.deployed']);
    for (const s of steps) {
      for (const e of s.completionEvents) {
        const [kind, name] = e.split(':');
        assert.ok(kind === 'onCommand' ? commands.has(name) : kind === 'onContext' && keys.has(name), `${s.id}: ${e}`);
      }
      // Every step shows the product at the moment it completes, in the user's theme: an image with a
      // variant per theme kind (VS Code's schema wants all four), light and dark two different
      // pictures (test/ui takes both), and words for a screen reader.
      const image = s.media.image;
      assert.ok(image !== undefined && typeof image === 'object', `${s.id}: an image, not ${JSON.stringify(s.media)}`);
      assert.ok(['light', 'dark', 'hc', 'hcLight'].every((k) => typeof image[k as keyof Themed] === 'string'), `${s.id}: an image per theme kind`);
      assert.notEqual(image.light, image.dark, `${s.id}: the light and the dark theme have their own image`);
      assert.ok(s.media.altText && !s.media.altText.startsWith('%'), `${s.id}: localized altText`);
      for (const f of Object.values(image)) {
        assert.match(f, /^media\/walkthrough\/[a-z-]+\.png$/, `${s.id}: ${f}`);
        assert.ok(fs.statSync(path.join(ext.extensionPath, f), { throwIfNoEntry: false })?.isFile(), `${s.id}'s image ${f} is in the VSIX`);
      }
    }
  });

  test('saving a .lvs with an error does not complete the DR-mistake step; saving it fixed does', async () => {
    const r = (await vscode.commands.executeCommand('lvs.newCluster', { name: 'walk', network: '10.95.0.0/24', vip: '10.95.0.100', directors: 2, servers: 2, os: 'debian' })) as { document: vscode.TextDocument };
    const clean = r.document.getText();
    const broken = path.join(dir, 'broken.lvs');
    // Each file its own addresses and name: hosts shared across files are an error of their own (LVS118).
    fs.writeFileSync(broken, clean.replaceAll('10.95.', '10.96.').replaceAll('walk', 'broken').replace(/(server web1 \{[^}]*?)\s+vip-on lo:0/, '$1'));
    const doc = await editAndSave(broken);
    await until('LVS030 is shown', () => vscode.languages.getDiagnostics(doc.uri).some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'LVS030'));
    await new Promise((res) => setTimeout(res, 500));
    assert.ok(!api.walkthroughTesting.keys().includes('lvs.walkthrough.cleanSave'), 'an error remains');
    const fixed = path.join(dir, 'fixed.lvs');
    fs.writeFileSync(fixed, clean.replaceAll('10.95.', '10.97.').replaceAll('walk', 'fixed'));
    await editAndSave(fixed);
    await until('the clean save completes the step', () => api.walkthroughTesting.keys().includes('lvs.walkthrough.cleanSave'));
  });

  test("the lab step's key follows lvsdr lab status", async () => {
    const up = (await vscode.commands.executeCommand('lvs.checkLab')) as boolean;
    assert.equal(typeof up, 'boolean');
    assert.equal(api.walkthroughTesting.keys().includes('lvs.walkthrough.labUp'), up);
  });
});
