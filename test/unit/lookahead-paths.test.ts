// The parser's precomputed lookahead (server/language/lookahead-paths.ts) is what chevrotain
// computes from the grammar, production by production, with the options the parser passes.
// LVS_WRITE_LOOKAHEAD=1 rewrites the table from the grammar instead of comparing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { getLookaheadPaths, ILookaheadStrategy, LLkLookaheadStrategy, LookaheadProductionType, Rule } from 'chevrotain';
import { lookaheadKey } from '../../server/language/lookahead';
import { LOOKAHEAD_PATHS } from '../../server/language/lookahead-paths';
import { LvsParser, MAX_LOOKAHEAD } from '../../server/language/parser';

type NamedPaths = string[][][];

/** Chevrotain's LL(k) strategy, noting the paths of every production the parser asks it about. */
class PathRecorder extends LLkLookaheadStrategy {
  readonly table: Record<string, NamedPaths> = {};

  private note(rule: Rule, prodType: LookaheadProductionType, occurrence: number, maxLookahead: number): void {
    const paths = getLookaheadPaths({ occurrence, rule, prodType, maxLookahead });
    // An optional production is entered on the paths into it (the first of the two chevrotain returns).
    const kept = prodType === 'Alternation' ? paths : paths.slice(0, 1);
    this.table[lookaheadKey(rule.name, prodType, occurrence)] = kept.map((alt) => alt.map((path) => path.map((t) => t.name)));
  }

  override buildLookaheadForAlternation(options: Parameters<ILookaheadStrategy['buildLookaheadForAlternation']>[0]) {
    this.note(options.rule, 'Alternation', options.prodOccurrence, options.maxLookahead);
    return super.buildLookaheadForAlternation(options);
  }

  override buildLookaheadForOptional(options: Parameters<ILookaheadStrategy['buildLookaheadForOptional']>[0]) {
    this.note(options.rule, options.prodType, options.prodOccurrence, options.maxLookahead);
    return super.buildLookaheadForOptional(options);
  }
}

function sourceOf(table: Record<string, NamedPaths>): string {
  const lines = Object.keys(table).sort().map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(table[k])},`);
  return [
    '// Generated from the grammar by test/unit/lookahead-paths.test.ts (LVS_WRITE_LOOKAHEAD=1 node --test',
    '// out/test/unit/lookahead-paths.test.js): for each production, keyed rule:type:occurrence, the LL(k)',
    '// lookahead paths chevrotain computes (alternatives → paths → token names). Read by lookahead.ts.',
    'export const LOOKAHEAD_PATHS: Record<string, string[][][]> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

test('the precomputed lookahead paths are those chevrotain computes from the grammar', () => {
  const recorder = new PathRecorder({ maxLookahead: MAX_LOOKAHEAD });
  new LvsParser({ lookahead: recorder, record: true });
  assert.ok(Object.keys(recorder.table).length > 20, 'the grammar has its productions');
  if (process.env.LVS_WRITE_LOOKAHEAD === '1') writeFileSync('server/language/lookahead-paths.ts', sourceOf(recorder.table));
  else assert.deepEqual(LOOKAHEAD_PATHS, recorder.table, 'server/language/lookahead-paths.ts is stale: regenerate it (see its header)');
});
