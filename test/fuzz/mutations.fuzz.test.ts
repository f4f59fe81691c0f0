// Fuzz: mutated example files never make the language features throw or hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/lsp/analysis';
import { codeActions } from '../../server/lsp/code-actions';
import { complete } from '../../server/lsp/completion';
import { toDiagnostic } from '../../server/lsp/diagnostics';
import { foldingRanges } from '../../server/lsp/folding';
import { formatText } from '../../server/lsp/formatting';
import { hover } from '../../server/lsp/hover';
import { semanticTokens } from '../../server/lsp/semantic-tokens';
import { documentSymbols } from '../../server/lsp/symbols';
import { definition, references } from '../../server/lsp/navigation';
import { LspTestClient } from '../lsp/lsp-client';
import { exampleCorpus, mutatedText } from './mutate';

const corpus = [readFileSync('examples/seed.lvs', 'utf8'), ...exampleCorpus()];

const fragments = ['{', '}', '"', '#', ':', '=', '/', '\n', ' ', 'real', 'vip-on', 'lo:0', '192.168.147.', '999.1.1.1/40', 'secret:', '5s', '$(rm -rf /)', '`', ';', '\u0000', 'é', 'cluster x {'];

/** A mutation: delete, insert or replace a slice of one corpus file. */
const mutated = mutatedText(corpus, fragments);

const TIME_BOUND_MS = 250;

test('every language feature answers on mutated files, within a time bound', () => {
  let version = 0;
  fc.assert(fc.property(mutated, fc.double({ min: 0, max: 1, noNaN: true }), (text, where) => {
    const doc = TextDocument.create('file:///fuzz.lvs', 'lvs', ++version, text);
    const started = performance.now();
    const a = analyze(doc);
    const position = doc.positionAt(Math.floor(where * text.length));
    complete(a, position);
    hover(a, position);
    definition(a, position);
    references(a, position, true);
    documentSymbols(a);
    foldingRanges(a);
    semanticTokens(a);
    const diagnostics = a.findings.map((f) => toDiagnostic(doc, f));
    codeActions(a, { textDocument: { uri: doc.uri }, range: { start: position, end: position }, context: { diagnostics } });
    const once = formatText(text, { tabSize: 2, insertSpaces: true });
    assert.equal(formatText(once, { tabSize: 2, insertSpaces: true }), once, 'formatting is idempotent');
    const elapsed = performance.now() - started;
    assert.ok(elapsed < TIME_BOUND_MS, `took ${elapsed.toFixed(1)} ms`);
  }), { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? 20261125) });
});

test('the real server keeps answering after a stream of mutated edits', async () => {
  const client = new LspTestClient();
  try {
    await client.initialize({ debounceMs: 0 });
    const uri = 'file:///fuzz-stream.lvs';
    await client.open(uri, corpus[0], 1);
    await client.diagnostics(uri, 1);
    const samples = fc.sample(mutated, { numRuns: 60, seed: 7 });
    let version = 1;
    for (const text of samples) {
      version++;
      await client.change(uri, version, [{ text }]);
      await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 2 } });
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 20 } });
    }
    const started = Date.now();
    await client.diagnostics(uri, version, 5000);
    assert.ok(Date.now() - started < 5000);
  } finally {
    await client.shutdown();
  }
});
