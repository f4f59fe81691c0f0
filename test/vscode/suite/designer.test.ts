// The topology designer inside a real VS Code (code-server): the custom editor opens beside the
// text without touching it, its webview script runs under the strict CSP and renders the server's
// model, intents become TextEdits that Ctrl+Z undoes, stale and malformed requests change nothing,
// and the text cursor and the diagram selection follow each other.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DesignerIntent } from '../../../server/protocol/designer-intent';
import type { IntentResult } from '../../../server/protocol/designer-requests';
import type { DiagramModel } from '../../../server/protocol/diagram-model';

const EXTENSION_ID = 'lvs-dr-studio.lvs-dr-studio';
const VIEW_TYPE = 'lvs.designer';

interface DesignerApi {
  openPanels(): string[];
  applyIntent(uri: string, intent: DesignerIntent, version?: number): Promise<IntentResult>;
  lastModel(uri: string): DiagramModel | undefined;
  lastRendered(uri: string): { version: number; nodes: number; ms: number } | undefined;
  lastSelect(uri: string): string | null | undefined;
  webviewErrors(uri: string): string[];
  receive(uri: string, message: unknown): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

async function designerApi(): Promise<DesignerApi> {
  const ext = vscode.extensions.getExtension<{ ready: Promise<void>; designer: DesignerApi }>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} must be installed`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  await api.ready;
  assert.ok(api.designer, 'the extension API has no designer');
  return api.designer;
}

function designerTab(uri: vscode.Uri): vscode.Tab | undefined {
  for (const g of vscode.window.tabGroups.all) {
    for (const t of g.tabs) {
      if (t.input instanceof vscode.TabInputCustom && t.input.viewType === VIEW_TYPE && t.input.uri.toString() === uri.toString()) return t;
    }
  }
  return undefined;
}

function seedUri(): vscode.Uri {
  const folders = vscode.workspace.workspaceFolders;
  assert.ok(folders && folders.length > 0, 'a workspace folder (examples/) must be open');
  return vscode.Uri.joinPath(folders[0].uri, 'seed.lvs');
}

suite('Topology designer', () => {
  let doc: vscode.TextDocument;
  let original: string;
  let designer: DesignerApi;
  let key: string;

  suiteSetup(async function () {
    this.timeout(90_000);
    designer = await designerApi();
    doc = await vscode.workspace.openTextDocument(seedUri());
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    original = doc.getText();
    key = doc.uri.toString();
  });

  suiteTeardown(async () => {
    // leave seed.lvs as it was on disk (the electron runner uses examples/ itself)
    if (doc && doc.isDirty) {
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the cluster line has an "Open Topology Designer" CodeLens', async () => {
    const found = await (async () => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const list = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
        const lens = (list ?? []).find((l) => l.command?.command === 'lvs.openDesigner');
        if (lens) return lens;
        if (Date.now() > deadline) throw new Error(`no lvs.openDesigner CodeLens; got: ${(list ?? []).map((l) => l.command?.command).join(', ')}`);
        await sleep(200);
      }
    })();
    assert.equal(found.range.start.line, original.split('\n').findIndex((l) => /^\s*cluster\b/.test(l)));
    assert.deepEqual(found.command!.arguments?.map(String), [doc.uri.toString(), 'web']);
  });

  test('lvs.openDesigner opens the designer beside the text, without modifying the file', async function () {
    this.timeout(60_000);
    const version = doc.version;
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    await vscode.commands.executeCommand('lvs.openDesigner');
    const tab = await waitFor('the designer tab', () => designerTab(doc.uri));
    assert.ok(tab.input instanceof vscode.TabInputCustom);
    assert.notEqual(tab.group.viewColumn, vscode.ViewColumn.One, 'the designer opens beside the text editor');
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === key), 'the text editor stays visible');
    await waitFor('the designer to register its panel', () => designer.openPanels().includes(key));
    const model = await waitFor('the diagram model', () => {
      const m = designer.lastModel(key);
      return m && m.version === doc.version ? m : undefined;
    });
    assert.equal(model.parsedOk, true);
    const web = model.clusters.find((c) => c.name === 'web');
    assert.ok(web, `cluster web in the model: ${model.clusters.map((c) => c.name).join(', ')}`);
    const ids = web.nodes.map((n) => n.id);
    for (const id of ['web/director/lvs1', 'web/director/lvs2', 'web/service/http', 'web/server/web1', 'web/server/web2']) assert.ok(ids.includes(id), `${id} in ${ids.join(' ')}`);
    // The webview's script ran (strict CSP, nonce, bundle from dist/media) and drew this model.
    const rendered = await waitFor('the webview to render the model', () => {
      const r = designer.lastRendered(key);
      return r && r.version === model.version ? r : undefined;
    }, 45_000);
    console.log(`[suite] designer rendered ${rendered.nodes} nodes of version ${rendered.version} in ${rendered.ms.toFixed(1)} ms`);
    assert.equal(rendered.nodes, web.nodes.length);
    assert.deepEqual(designer.webviewErrors(key), [], 'the webview reported errors (script errors or CSP violations)');
    // Opening never writes.
    await sleep(300);
    assert.equal(doc.getText(), original, 'opening the designer changed the text');
    assert.equal(doc.version, version, 'opening the designer edited the document');
    assert.equal(doc.isDirty, false, 'opening the designer made the document dirty');
  });

  test('setWeight edits only the real line, and Ctrl+Z in the text editor undoes it', async function () {
    this.timeout(60_000);
    const result = await designer.applyIntent(key, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web1', weight: 5 });
    assert.deepEqual(result.ok, true, `setWeight failed: ${JSON.stringify(result)}`);
    const after = doc.getText();
    assert.match(after, /real web1 weight 5\b/);
    const before = original.split('\n');
    const now = after.split('\n');
    assert.equal(now.length, before.length);
    const changed = now.map((l, i) => (l !== before[i] ? i : -1)).filter((i) => i >= 0);
    assert.equal(changed.length, 1, `exactly one line changes; changed: ${changed.map((i) => now[i]).join(' | ')}`);
    assert.match(now[changed[0]], /^\s*real web1 weight 5\s*$/);

    // The model follows the text, and the webview re-renders it.
    const m = await waitFor('the model after the edit', () => {
      const x = designer.lastModel(key);
      return x && x.version === doc.version ? x : undefined;
    });
    const edge = m.clusters[0].edges.find((e) => e.from === 'web/service/http' && e.to === 'web/server/web1');
    assert.equal(edge?.weight, 5);
    await waitFor('the webview to render the edited model', () => designer.lastRendered(key)?.version === doc.version);

    // Undo from the text editor restores the text.
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('undo');
    // The dirty flag reaches the extension host in its own message, after the text: wait for both.
    await waitFor('undo to restore the text and the saved state', () => doc.getText() === original && !doc.isDirty, 10_000);
    assert.equal(doc.getText(), original);
  });

  test('a stale intent is refused and changes nothing', async () => {
    const text = doc.getText();
    const stale = await designer.applyIntent(key, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web2', weight: 7 }, doc.version - 1);
    assert.equal(stale.ok, false, 'an intent made on an older version must be refused');
    if (!stale.ok) assert.equal(stale.reason, 'stale');
    assert.equal(doc.getText(), text);
  });

  test('invalid and malformed requests change nothing', async () => {
    const text = doc.getText();
    const version = doc.version;
    const bad = await designer.applyIntent(key, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web2', weight: 70000 });
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.equal(bad.reason, 'invalid');
    if (!bad.ok) assert.match(bad.message, /Weight must be a whole number from 0 to 65535 \(got 70000\)/);
    const colon = await designer.applyIntent(key, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web:2', weight: 3 });
    assert.equal(colon.ok, false, "a name with ':' is refused by the extension's schema check");
    if (!colon.ok) assert.match(colon.message, /Server name 'web:2' is not a valid name/);
    const dup = await designer.applyIntent(key, { type: 'addRealServer', cluster: 'web', service: 'http', name: 'web1', address: '192.168.147.9', weight: 1 });
    assert.equal(dup.ok, false, 'adding a server whose name exists must be refused by the server');
    // Raw webview messages: wrong field types and unknown message types are dropped before the server.
    await designer.receive(key, { type: 'intent', requestId: 1, version: doc.version, intent: { type: 'setWeight', cluster: 'web', service: 'http', server: 'web2', weight: '9' } });
    await designer.receive(key, { type: 'intent', requestId: 2, version: doc.version, intent: { type: 'rm -rf', cluster: 'web' } });
    await designer.receive(key, { type: 'evil', payload: '<img src=x onerror=alert(1)>' });
    await designer.receive(key, 'not even an object');
    await sleep(300);
    assert.equal(doc.getText(), text);
    assert.equal(doc.version, version, 'no edit reached the document');
    assert.equal(doc.isDirty, false);
  });

  test('addRealServer from the designer adds the server to the service and the cluster', async function () {
    this.timeout(60_000);
    const version = doc.version;
    await designer.receive(key, {
      type: 'intent', requestId: 3, version,
      intent: { type: 'addRealServer', cluster: 'web', service: 'http', name: 'web3', address: '192.168.147.7', weight: 2 },
    });
    await waitFor('the text to change', () => doc.version !== version, 10_000);
    const text = doc.getText();
    assert.match(text, /real web3 weight 2\b/);
    assert.match(text, /server web3 \{[^}]*address 192\.168\.147\.7/);
    const m = await waitFor('the model with web3', () => {
      const x = designer.lastModel(key);
      return x && x.version === doc.version ? x : undefined;
    });
    assert.ok(m.clusters[0].nodes.some((n) => n.id === 'web/server/web3'));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    await vscode.commands.executeCommand('undo');
    await waitFor('undo to restore the text', () => doc.getText() === original, 10_000);
  });

  test('reveal selects the node in the text; the text cursor selects the node in the diagram', async function () {
    this.timeout(30_000);
    const model = await waitFor('a current model', () => {
      const x = designer.lastModel(key);
      return x && x.version === doc.version ? x : undefined;
    });
    const web2 = model.clusters[0].nodes.find((n) => n.id === 'web/server/web2');
    assert.ok(web2?.range, 'web2 has a range');
    await designer.receive(key, { type: 'reveal', range: web2.range, nodeId: web2.id });
    const editor = await waitFor('a text editor on seed.lvs', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key));
    await waitFor('the selection at web2', () => editor.selection.active.line === web2.range!.start.line);
    assert.equal(editor.selection.active.character, web2.range.start.character);
    assert.equal(editor.selection.anchor.line, web2.range.end.line);

    // Moving the cursor into lvs1's line posts `select` for lvs1.
    const lvs1 = model.clusters[0].nodes.find((n) => n.id === 'web/director/lvs1')!;
    const pos = new vscode.Position(lvs1.range!.start.line, lvs1.range!.start.character + 3);
    editor.selection = new vscode.Selection(pos, pos);
    await waitFor('select web/director/lvs1 to be posted', () => designer.lastSelect(key) === 'web/director/lvs1', 10_000);
  });

  test('the webview reported no script error and no CSP violation', () => {
    assert.deepEqual(designer.webviewErrors(key), []);
  });

  test('the designer closes cleanly and the document stays clean', async () => {
    const tab = designerTab(doc.uri);
    assert.ok(tab, 'the designer tab is still open');
    await vscode.window.tabGroups.close(tab);
    await waitFor('the panel to be gone', () => !designer.openPanels().includes(key), 10_000);
    assert.equal(doc.getText(), original);
  });
});
