// Integration tests inside a real VS Code extension host (code-server 4.100.3 = VS Code 1.100.3 via
// scripts/run-vscode-tests.mjs, or a downloaded VS Code via scripts/run-electron-tests.mjs).
// The workspace folder is (a copy of) examples/: seed.lvs and broken/<RULECODE>.lvs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'lvs-dr-studio.lvs-dr-studio';
const EXPECTED_VSCODE_VERSION = process.env.LVS_EXPECT_VSCODE_VERSION ?? '1.100.3';

// ---------------------------------------------------------------------------------------------
// helpers

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns a value that is not undefined, or throws after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  if (typeof c === 'string' || typeof c === 'number') return String(c);
  return String(c.value);
}

function describeDiags(ds: readonly vscode.Diagnostic[]): string {
  if (ds.length === 0) return '(none)';
  return ds.map((d) => `${codeOf(d) ?? '?'}@${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('; ');
}

function snapshot(uri: vscode.Uri): string {
  return describeDiags(vscode.languages.getDiagnostics(uri));
}

/**
 * Waits until the diagnostics of `uri` have not changed for `quietMs` (and at least `minMs` passed),
 * which is how long "settled" takes for a document whose correct answer may be "no diagnostics".
 */
async function settledDiagnostics(uri: vscode.Uri, minMs = 1500, quietMs = 1500, timeoutMs = 30_000): Promise<readonly vscode.Diagnostic[]> {
  const start = Date.now();
  let last = snapshot(uri);
  let lastChange = Date.now();
  for (;;) {
    await sleep(100);
    const now = snapshot(uri);
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    }
    if (Date.now() - start >= minMs && Date.now() - lastChange >= quietMs) break;
    if (Date.now() - start > timeoutMs) break;
  }
  return vscode.languages.getDiagnostics(uri);
}

async function waitForCode(uri: vscode.Uri, code: string, timeoutMs = 30_000): Promise<vscode.Diagnostic> {
  try {
    return await waitFor(`diagnostic ${code} on ${path.basename(uri.fsPath)}`, () =>
      vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === code), timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}; diagnostics: ${snapshot(uri)}`);
  }
}

function workspaceRoot(): vscode.Uri {
  const folders = vscode.workspace.workspaceFolders;
  assert.ok(folders && folders.length > 0, 'a workspace folder (examples/) must be open');
  return folders[0].uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function openLvs(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  assert.equal(doc.languageId, 'lvs', `${uri.fsPath} should open in language mode lvs`);
  return doc;
}

async function extensionReady(): Promise<vscode.Extension<{ ready?: Promise<void> } | undefined>> {
  const ext = vscode.extensions.getExtension<{ ready?: Promise<void> } | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} must be installed`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  if (api && api.ready) await api.ready;
  return ext;
}

function offsetAfter(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `"${needle}" not found in the text`);
  return i + needle.length;
}

function labels(list: vscode.CompletionList): string[] {
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

const tempFiles: string[] = [];

// ---------------------------------------------------------------------------------------------

suite('LVS-DR Studio in a real VS Code', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of tempFiles) fs.rmSync(f, { force: true, recursive: true });
  });

  test('runs inside VS Code 1.100.3', () => {
    console.log(`[suite] vscode.version=${vscode.version} node=${process.version} appName=${vscode.env.appName} uiKind=${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} remote=${vscode.env.remoteName ?? '-'}`);
    if (EXPECTED_VSCODE_VERSION !== 'any') assert.equal(vscode.version, EXPECTED_VSCODE_VERSION);
  });

  test('the extension is installed and activates when a .lvs file opens', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} must be present; have: ${vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id).join(', ')}`);
    console.log(`[suite] extension ${ext.id} ${ext.packageJSON.version} at ${ext.extensionPath}`);
    await openLvs(vscode.Uri.joinPath(workspaceRoot(), 'seed.lvs'));
    await waitFor('the extension to activate', () => (ext.isActive ? true : undefined), 30_000);
    const api = ext.exports as { ready?: Promise<void> } | undefined;
    if (api && api.ready) await api.ready;
  });

  test('examples/seed.lvs has no diagnostics', async () => {
    await extensionReady();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'seed.lvs');
    await openLvs(uri);
    const diags = await settledDiagnostics(uri);
    assert.equal(diags.length, 0, `seed.lvs should be clean, got: ${describeDiags(diags)}`);
  });

  test('every examples/broken/<CODE>.lvs reports <CODE>', async function () {
    this.timeout(120_000);
    await extensionReady();
    const dir = vscode.Uri.joinPath(workspaceRoot(), 'broken');
    const entries = (await exists(dir)) ? await vscode.workspace.fs.readDirectory(dir) : [];
    const files = entries
      .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.lvs'))
      .map(([name]) => name)
      .sort();
    console.log(`[suite] broken examples: ${files.length ? files.join(' ') : '(none yet)'}`);
    if (files.length === 0) {
      console.log('[suite] WARNING: examples/broken/ has no .lvs files; nothing to check');
      return;
    }
    // Open them in batches (the language client syncs every open lvs document, visible or not) and
    // wait for each one's diagnostic in parallel: one file at a time costs ~1 s each. VS Code keeps
    // at most 50 documents that an extension opened without an editor and closes the oldest
    // beyond that, diagnostics gone: with 53 files opened at once, the first one lost its
    // diagnostic, or its document was gone before openTextDocument returned.
    const failures: string[] = [];
    const started = Date.now();
    const BATCH = 20;
    for (let b = 0; b < files.length; b += BATCH) {
      await Promise.all(files.slice(b, b + BATCH).map(async (name) => {
        const code = name.replace(/\.lvs$/, '');
        const uri = vscode.Uri.joinPath(dir, name);
        const doc = await vscode.workspace.openTextDocument(uri);
        assert.equal(doc.languageId, 'lvs', `${name} should open in language mode lvs`);
        try {
          await waitForCode(uri, code, 45_000);
          console.log(`[suite]   ${name}: ${code} reported after ${Date.now() - started} ms`);
        } catch (err) {
          failures.push((err as Error).message);
          console.log(`[suite]   ${name}: FAILED ${(err as Error).message}`);
        }
      }));
    }
    assert.deepEqual(failures, [], `broken examples without their diagnostic:\n${failures.join('\n')}`);
  });

  test('quick fix for LVS030 adds "vip-on lo:0" to the server', async function () {
    await extensionReady();
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'broken', 'LVS030.lvs');
    if (!(await exists(uri))) {
      console.log('[suite] examples/broken/LVS030.lvs does not exist yet; skipping');
      this.skip();
    }
    const doc = await openLvs(uri);
    try {
      const diag = await waitForCode(uri, 'LVS030');
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      assert.ok(actions && actions.length > 0, 'no code actions returned for the LVS030 range');
      // Pick the action whose diagnostics include LVS030. NOTE: vscode.executeCodeActionProvider's
      // result converter (extHostApiCommands) drops CodeAction.diagnostics, so when no action carries
      // diagnostics, fall back to the quick fixes computed for exactly the LVS030 range: the
      // preferred one, else the one that mentions vip-on, else the only one.
      const quickFixes = actions.filter((a): a is vscode.CodeAction =>
        !(typeof (a as vscode.Command).command === 'string') && !!(a as vscode.CodeAction).edit);
      const described = quickFixes.map((a) => `${a.title} [kind=${a.kind?.value ?? '-'} preferred=${a.isPreferred ?? false} diags=${(a.diagnostics ?? []).map(codeOf).join(',') || '-'}]`);
      console.log(`[suite] code actions at LVS030: ${described.join(' | ')}`);
      const fix =
        quickFixes.find((a) => a.diagnostics?.some((d) => codeOf(d) === 'LVS030')) ??
        (quickFixes.every((a) => !a.diagnostics || a.diagnostics.length === 0)
          ? (quickFixes.find((a) => a.isPreferred) ?? quickFixes.find((a) => /vip-on/i.test(a.title)) ?? (quickFixes.length === 1 ? quickFixes[0] : undefined))
          : undefined);
      assert.ok(fix, `no quick fix for LVS030; got: ${actions.map((a) => a.title).join(' | ')}`);
      console.log(`[suite] applying quick fix "${fix.title}"`);
      assert.ok(fix.edit, 'the LVS030 quick fix has no workspace edit');
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit returned false');

      // The server block that LVS030 pointed at now declares the VIP on lo:0.
      const text = doc.getText();
      const serverLine = diag.range.start.line;
      const lines = text.split(/\r?\n/);
      let block = '';
      for (let i = serverLine; i >= 0; i--) {
        if (/^\s*server\b/.test(lines[i])) {
          let depth = 0;
          for (let j = i; j < lines.length; j++) {
            block += lines[j] + '\n';
            depth += (lines[j].match(/\{/g) ?? []).length - (lines[j].match(/\}/g) ?? []).length;
            if (depth <= 0 && block.includes('{')) break;
          }
          break;
        }
      }
      assert.ok(block, `no server block found around line ${serverLine + 1}:\n${text}`);
      assert.match(block, /vip-on\s+lo:0/, `server block after the fix:\n${block}`);

      await waitFor('LVS030 to disappear after the fix', () =>
        vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'LVS030') ? undefined : true, 30_000)
        .catch((err: Error) => { throw new Error(`${err.message}; diagnostics: ${snapshot(uri)}\n${text}`); });
    } finally {
      // leave the file on disk untouched (the electron runner uses examples/ itself)
      if (doc.isDirty) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    }
  });

  test('completion offers schedulers after "scheduler " and real servers after "real "', async () => {
    await extensionReady();
    const seed = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), 'seed.lvs'));
    const text = Buffer.from(seed).toString('utf8');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvs-vscode-test-'));
    const file = path.join(dir, 'completion.lvs');
    fs.writeFileSync(file, text);
    tempFiles.push(file, dir);
    const uri = vscode.Uri.file(file);
    const doc = await openLvs(uri);

    const service = text.indexOf('service ');
    assert.ok(service >= 0, 'seed has a service');
    const schedPos = doc.positionAt(offsetAfter(text, 'scheduler ', service));
    const sched = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, schedPos);
    const schedLabels = labels(sched);
    console.log(`[suite] completion after "scheduler ": ${schedLabels.join(' ')}`);
    for (const s of ['wrr', 'wlc']) assert.ok(schedLabels.includes(s), `"${s}" missing after "scheduler ": ${schedLabels.join(' ')}`);

    const realPos = doc.positionAt(offsetAfter(text, 'real ', service));
    const real = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, realPos);
    const realLabels = labels(real);
    console.log(`[suite] completion after "real ": ${realLabels.join(' ')}`);
    for (const s of ['web1', 'web2']) assert.ok(realLabels.includes(s), `"${s}" missing after "real ": ${realLabels.join(' ')}`);
  });

  test('completion offers only what may start at the cursor, each word once (no snippet everywhere)', async () => {
    await extensionReady();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvs-vscode-test-'));
    const file = path.join(dir, 'top-level.lvs');
    const text = 'cluster web {\n  director lvs1 { role master }\n  service http {\n    protocol tcp  port 80  \n  }\n}\n\n';
    fs.writeFileSync(file, text);
    tempFiles.push(file, dir);
    const uri = vscode.Uri.file(file);
    const doc = await openLvs(uri);
    const top = labels(await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, doc.positionAt(text.length)));
    console.log(`[suite] completion at top level: ${top.join(' ')}`);
    assert.equal(top.filter((l) => l === 'cluster').length, 1, `cluster once: ${top.join(' ')}`);
    for (const kw of ['director', 'server', 'real', 'service']) assert.ok(!top.includes(kw), `${kw} not at top level: ${top.join(' ')}`);
    const role = labels(await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, doc.positionAt(offsetAfter(text, 'role '))));
    console.log(`[suite] completion after "role ": ${role.join(' ')}`);
    assert.deepEqual([...role].sort(), ['backup', 'master']);
    const service = labels(await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, doc.positionAt(offsetAfter(text, 'port 80  '))));
    console.log(`[suite] completion in a service: ${service.join(' ')}`);
    assert.deepEqual(service.filter((l, i) => service.indexOf(l) !== i), [], `each word once: ${service.join(' ')}`);
    assert.ok(service.includes('port') && service.includes('real'), service.join(' '));
  });
});
