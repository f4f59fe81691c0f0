// The one table of keyword and value documentation: it covers exactly the parser's keywords
// and the model's enumerations, and hover and completion both show what it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItem, MarkupContent } from 'vscode-languageserver';
import { keywordWords } from '../../server/language/tokens';
import { analyze, Analysis } from '../../server/lsp/analysis';
import { complete } from '../../server/lsp/completion';
import { hover } from '../../server/lsp/hover';
import { ENUMERATIONS, KEYWORD_DOCS, VALUE_DOCS } from '../../server/lsp/keyword-docs';
import { KEYWORD_RULES, KEYWORD_SECTIONS } from '../../server/lsp/docs-links';
import { readFileSync } from 'node:fs';

let version = 0;
function analysisOf(text: string): Analysis {
  version++;
  return analyze(TextDocument.create(`file:///test/docs${version}.lvs`, 'lvs', version, text));
}

/** Hover text at the first occurrence of `needle` (plus `delta`). */
function hoverAt(text: string, needle: string, delta = 0): string | undefined {
  const a = analysisOf(text);
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0);
  return (hover(a, a.doc.positionAt(offset + delta))?.contents as MarkupContent | undefined)?.value;
}

function completionAt(textWithCursor: string): CompletionItem[] {
  const offset = textWithCursor.indexOf('|');
  const a = analysisOf(textWithCursor.replace('|', ''));
  return complete(a, a.doc.positionAt(offset));
}

test('every keyword of the parser is documented, and nothing else', () => {
  assert.deepEqual(Object.keys(KEYWORD_DOCS).sort(), [...keywordWords].sort());
  for (const [kw, d] of Object.entries(KEYWORD_DOCS)) {
    assert.ok(d.summary.length > 0 && d.doc.length > d.summary.length / 2, `${kw}: summary and doc`);
    assert.ok(!(d.snippet && d.retrigger), `${kw}: a snippet or a re-trigger, not both`);
  }
});

test('every enumerated value of the model is documented under its keyword, and nothing else', () => {
  for (const [kw, values] of Object.entries(ENUMERATIONS)) {
    assert.deepEqual(Object.keys(VALUE_DOCS[kw as keyof typeof VALUE_DOCS]), [...values], kw);
  }
  assert.deepEqual(Object.keys(VALUE_DOCS).sort(), Object.keys(ENUMERATIONS).sort());
});

test('hover and completion show the same entry for a keyword', () => {
  const text = 'cluster w {\n  director d { priority 100 }\n}\n';
  assert.ok(hoverAt(text, 'priority', 1)!.startsWith(`**priority** — ${KEYWORD_DOCS.priority.doc}\n\n`));
  const item = completionAt('cluster w {\n  director d { | }\n}\n').find((i) => i.label === 'priority')!;
  assert.equal(item.detail, KEYWORD_DOCS.priority.summary);
  assert.equal((item.documentation as MarkupContent).value, KEYWORD_DOCS.priority.doc);
});

test('a value is described by the keyword it follows', () => {
  const text = 'cluster w {\n  service s {\n    protocol tcp\n    check tcp\n    scheduler sh\n  }\n  target os ubuntu\n}\n';
  assert.equal(hoverAt(text, 'protocol tcp', 'protocol '.length), `**tcp** — ${VALUE_DOCS.protocol.tcp.doc}`);
  assert.equal(hoverAt(text, 'check tcp', 'check '.length), `**tcp** — ${VALUE_DOCS.check.tcp.summary}`);
  assert.notEqual(VALUE_DOCS.protocol.tcp.doc, VALUE_DOCS.check.tcp.summary);
  assert.equal(hoverAt(text, 'os ubuntu', 'os '.length), `**ubuntu** — ${VALUE_DOCS.os.ubuntu.doc}`);
  const sh = completionAt('cluster w { service s { scheduler | } }').find((i) => i.label === 'sh')!;
  assert.equal(sh.detail, VALUE_DOCS.scheduler.sh.summary);
  assert.equal((sh.documentation as MarkupContent).value, VALUE_DOCS.scheduler.sh.doc);
  // A name that happens to be spelt like a value is not described as one.
  const named = hoverAt('cluster w {\n  server sh { address 10.0.0.3 }\n}\n', 'sh {') ?? '';
  assert.match(named, /\*\*server sh\*\*/);
  assert.ok(!named.includes(VALUE_DOCS.scheduler.sh.doc!));
});

/** GitHub's heading anchors: lower case, punctuation dropped, each space a hyphen. */
function anchorsOf(file: string): Set<string> {
  const md = readFileSync(file, 'utf8');
  return new Set([...md.matchAll(/^#{1,6} (.*)$/gm)].map((m) => m[1].toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')));
}

test('every keyword links to a section of docs/language.md that exists, and its rules to docs/rules.md', () => {
  const language = anchorsOf('docs/language.md');
  const rules = new Set([...readFileSync('docs/rules.md', 'utf8').matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
  assert.deepEqual(Object.keys(KEYWORD_SECTIONS).sort(), Object.keys(KEYWORD_DOCS).sort());
  for (const [kw, anchor] of Object.entries(KEYWORD_SECTIONS)) assert.ok(language.has(anchor), `${kw}: #${anchor} is a heading of docs/language.md`);
  for (const [kw, codes] of Object.entries(KEYWORD_RULES)) {
    assert.ok(Object.prototype.hasOwnProperty.call(KEYWORD_DOCS, kw), kw);
    for (const code of codes) assert.ok(rules.has(code.toLowerCase()), `${kw}: ${code} has an anchor in docs/rules.md`);
  }
});
