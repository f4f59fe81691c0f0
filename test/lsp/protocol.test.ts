// The built server (dist/server/server.js) over stdio with a real JSON-RPC client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CodeAction, CompletionItem, CompletionList, DocumentSymbol, Hover, Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspTestClient } from './lsp-client';

const seed = readFileSync('examples/seed.lvs', 'utf8');
let client: LspTestClient;

before(async () => {
  client = new LspTestClient();
  const init = await client.initialize();
  assert.ok(init.capabilities.codeActionProvider);
});
after(() => client.shutdown());

/** Line/character of the first occurrence of `needle` (plus `delta` characters). */
function pos(text: string, needle: string, delta = 0) {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `'${needle}' not in text`);
  const before = text.slice(0, offset + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offsetOf = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetOf(e.range.start)) + e.newText + out.slice(offsetOf(e.range.end));
  return out;
}

test('the seed opens with no diagnostics; an edit brings one, with code and docs link', async () => {
  const uri = 'file:///work/seed.lvs';
  await client.open(uri, seed, 1);
  assert.deepEqual(await client.diagnostics(uri, 1), []);
  const at = pos(seed, 'priority 100');
  await client.change(uri, 2, [{ range: { start: at, end: { line: at.line, character: at.character + 'priority'.length } }, text: 'priorty' }]);
  const diags = await client.diagnostics(uri, 2);
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'LVS001');
  assert.match(diags[0].message as string, /Did you mean 'priority'/);
  assert.equal(diags[0].range.start.line, at.line);
  assert.match(diags[0].codeDescription!.href, /rules\.md#lvs001$/);
});

test('quick fix for a missing loopback VIP (LVS030) adds vip-on lo:0', async () => {
  const uri = 'file:///work/lvs030.lvs';
  const text = seed.replace('server web2 { address 192.168.147.3  interface ens33  vip-on lo:0 }', 'server web2 { address 192.168.147.3  interface ens33 }');
  await client.open(uri, text, 1);
  const diags = await client.diagnostics(uri, 1);
  const d = diags.find((x) => x.code === 'LVS030');
  assert.ok(d, `LVS030 expected, got ${diags.map((x) => x.code)}`);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
  assert.ok(actions.length >= 1);
  const edit = actions[0].edit as WorkspaceEdit;
  const fixed = applyEdits(text, edit.changes![uri]);
  assert.match(fixed, /server web2 \{[^}]*vip-on lo:0/);
  await client.change(uri, 2, [{ text: fixed }]);
  assert.equal((await client.diagnostics(uri, 2)).filter((x) => x.code === 'LVS030').length, 0);
});

test('completion offers schedulers after "scheduler " and servers after "real "', async () => {
  const uri = 'file:///work/complete.lvs';
  await client.open(uri, seed, 1);
  const sched = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: pos(seed, 'scheduler rr', 'scheduler '.length) });
  const schedLabels = (Array.isArray(sched) ? sched : sched.items).map((i) => i.label);
  for (const s of ['rr', 'wrr', 'wlc', 'mh']) assert.ok(schedLabels.includes(s), `missing ${s}`);
  const real = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: pos(seed, 'real web1', 'real '.length) });
  const realLabels = (Array.isArray(real) ? real : real.items).map((i) => i.label);
  assert.ok(realLabels.includes('web1') && realLabels.includes('web2'));
});

test('hover on an address names its owner and subnet; on a keyword gives docs', async () => {
  const uri = 'file:///work/hover.lvs';
  await client.open(uri, seed, 1);
  const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(seed, '192.168.147.6', 2) });
  const value = (h.contents as { value: string }).value;
  assert.match(value, /director lvs1/);
  assert.match(value, /192\.168\.147\.0\/24/);
  const k = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(seed, 'vip-on', 1) });
  assert.match((k.contents as { value: string }).value, /\/32/);
});

test('definition, references and rename of a real server', async () => {
  const uri = 'file:///work/nav.lvs';
  await client.open(uri, seed, 1);
  const refPos = pos(seed, 'real web1', 'real '.length + 1);
  const defs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: refPos });
  assert.equal(defs.length, 1);
  assert.deepEqual(defs[0].range.start, pos(seed, 'server web1', 'server '.length));
  const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position: refPos, context: { includeDeclaration: true } });
  assert.equal(refs.length, 2);
  const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: refPos, newName: 'app1' });
  const renamed = applyEdits(seed, edit.changes![uri]);
  assert.match(renamed, /real app1 weight 1/);
  assert.match(renamed, /server app1 \{/);
  assert.ok(!/\bweb1\b/.test(renamed));
  await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position: refPos, newName: 'bad;name' }), /not a valid name/);
});

test('formatting re-indents a messy file and is idempotent', async () => {
  const uri = 'file:///work/format.lvs';
  const messy = seed.replace(/^ {2}/gm, '      ').replace('cluster web {', 'cluster web {   ');
  await client.open(uri, messy, 1);
  const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  const formatted = applyEdits(messy, edits);
  assert.equal(formatted, seed);
  await client.change(uri, 2, [{ text: formatted }]);
  const again = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  assert.deepEqual(again, []);
});

test('document symbols outline the cluster', async () => {
  const uri = 'file:///work/symbols.lvs';
  await client.open(uri, seed, 1);
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(symbols[0].name, 'web');
  const names = symbols[0].children!.map((c) => c.name);
  for (const n of ['lvs1', 'lvs2', 'http', 'web1', 'web2']) assert.ok(names.includes(n), `missing ${n}`);
});

test('semantic tokens and folding ranges answer', async () => {
  const uri = 'file:///work/tokens.lvs';
  await client.open(uri, seed, 1);
  const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
  assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);
  const folds = await client.request<{ startLine: number }[]>('textDocument/foldingRange', { textDocument: { uri } });
  assert.ok(folds.some((f) => f.startLine === 1), 'the cluster block folds');
});
