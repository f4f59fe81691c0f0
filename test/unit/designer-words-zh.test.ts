// The designer's own words around the language server's model, from the extension's bundle: the
// clients' node is titled from l10n/bundle.l10n.zh-cn.json (the model's label stays the
// language-neutral 'Clients'), and a syntax error reads "第 N 行：…" (the model carries the line
// and the message apart). The page is the one the extension writes in Chinese
// (client/designer/html.ts: the bundle as JSON under DESIGNER_STRINGS_ELEMENT_ID).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DESIGNER_STRINGS_ELEMENT_ID } from '../../server/protocol/designer-strings';
import { buildDiagram } from '../../server/diagram/model';
import { analyze } from '../../server/lsp/analysis';
import { titleOf } from '../../media/designer/nodeinfo';
import { syntaxErrorText } from '../../media/designer/syntax-error-text';

const bundle = readFileSync('l10n/bundle.l10n.zh-cn.json', 'utf8');
(globalThis as { document?: unknown }).document = {
  getElementById: (id: string) => (id === DESIGNER_STRINGS_ELEMENT_ID ? { textContent: bundle } : null),
};
const seedText = readFileSync('examples/seed.lvs', 'utf8');

test('the clients\' node is titled 客户端 from the bundle; the model keeps the English label', () => {
  const c = buildDiagram(analyze(TextDocument.create('file:///t/seed.lvs', 'lvs', 1, seedText))).clusters[0];
  const clients = c.nodes.find((n) => n.kind === 'client')!;
  assert.equal(clients.label, 'Clients');
  assert.equal(titleOf(clients), '客户端');
});

test('a syntax error reads 第 N 行：… around the language server\'s message', () => {
  const broken = seedText.replace('priority 100', 'priorty 100');
  const m = buildDiagram(analyze(TextDocument.create('file:///t/broken.lvs', 'lvs', 1, broken)), undefined, 'zh-cn');
  assert.equal(m.parsedOk, false);
  const line = broken.split('\n').findIndex((l) => l.includes('priorty')) + 1;
  assert.equal(m.syntaxErrors[0].line, line);
  assert.equal(syntaxErrorText(m.syntaxErrors[0]), `第 ${line} 行：${m.syntaxErrors[0].message}`);
  assert.doesNotMatch(syntaxErrorText(m.syntaxErrors[0]), /Line/);
});
