// The rules' grammar the parser reads from server/language/recorded-grammar-table.ts is what
// chevrotain records by running the rules, rule by rule, down to each node's class and properties.
// LVS_WRITE_GRAMMAR=1 rewrites the table from the recording instead of comparing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { EmbeddedActionsParser, TokenType } from 'chevrotain';
import { EncodedNode, GastClass } from '../../server/language/encoded-gast';
import { GAST_CLASSES, TOKEN_PROPS } from '../../server/language/recorded-grammar';
import { RECORDED_GRAMMAR } from '../../server/language/recorded-grammar-table';
import { LvsParser } from '../../server/language/parser';

function encode(node: object): EncodedNode {
  const cls = (Object.keys(GAST_CLASSES) as GastClass[]).find((c) => Object.getPrototypeOf(node) === GAST_CLASSES[c].prototype);
  assert.ok(cls, 'a GAST node of a known class');
  const props: Record<string, unknown> = {};
  let children: EncodedNode[] | undefined;
  for (const [k, v] of Object.entries(node)) {
    // The references between rules are set when chevrotain resolves the grammar, after recording.
    if (k === 'referencedRule') continue;
    if (k === '_definition') children = (v as object[]).map(encode);
    else props[k] = TOKEN_PROPS.includes(k) ? (v as TokenType).name : v;
  }
  return children ? [cls, props, children] : [cls, props];
}

function sourceOf(table: Record<string, EncodedNode>): string {
  return [
    '// Generated from the parser by test/unit/recorded-grammar.test.ts (LVS_WRITE_GRAMMAR=1 node --test',
    '// out/test/unit/recorded-grammar.test.js): each rule\'s grammar as chevrotain records it. Read by',
    '// recorded-grammar.ts.',
    "import type { EncodedNode } from './encoded-gast';",
    '',
    'export const RECORDED_GRAMMAR: Record<string, EncodedNode> = {',
    ...Object.keys(table).map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(table[k])},`),
    '};',
    '',
  ].join('\n');
}

test('the precomputed grammar of every rule is what chevrotain records', () => {
  const recorded = new LvsParser({ record: true }).getGAstProductions();
  const table = Object.fromEntries(Object.entries(recorded).map(([name, rule]) => [name, encode(rule)]));
  if (process.env.LVS_WRITE_GRAMMAR === '1') writeFileSync('server/language/recorded-grammar-table.ts', sourceOf(table));
  else {
    assert.deepEqual(RECORDED_GRAMMAR, table, 'server/language/recorded-grammar-table.ts is stale: regenerate it (see its header)');
    // The parser built from the table ends up with the same resolved grammar, node for node.
    assert.deepStrictEqual(new LvsParser().getGAstProductions(), recorded);
  }
});

test("the parser replaces chevrotain's recording steps, which chevrotain still has", () => {
  const proto = EmbeddedActionsParser.prototype as unknown as Record<string, unknown>;
  for (const m of ['enableRecording', 'topLevelRuleRecord', 'disableRecording']) {
    assert.equal(typeof proto[m], 'function', `chevrotain's parser has ${m}`);
    assert.ok(Object.prototype.hasOwnProperty.call(LvsParser.prototype, m));
  }
});
