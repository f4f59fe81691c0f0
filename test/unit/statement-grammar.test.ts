// Completion's statement table (server/lsp/statement-grammar.ts) against the parser: the same
// table is derived from chevrotain's serialized grammar of parser.ts — for each block, the
// keywords a statement starts with, how many values follow, its optional trailing keywords and
// the block its `{` opens — and the two must agree. A keyword added to the parser and not to
// completion (or offered by completion where the parser refuses it) fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ISerializedGast } from 'chevrotain';
import { TIMEOUT_NAMES } from '../../server/language/build-ast';
import { parse } from '../../server/language/parse';
import { lvsParser } from '../../server/language/parser';
import { keywordTokens } from '../../server/language/tokens';
import { BlockKind, GRAMMAR, StmtSpec } from '../../server/lsp/statement-grammar';

type Gast = ISerializedGast & { name?: string; definition?: Gast[] };

const rules = new Map((lvsParser.getSerializedGastProductions() as Gast[]).map((r) => [r.name!, r]));
const keywordOf = new Map(keywordTokens.map((t) => [t.name, String(t.LABEL).slice(1, -1)]));

function rule(name: string): Gast[] {
  const r = rules.get(name);
  assert.ok(r, `no parser rule ${name}`);
  return r.definition!;
}

type Block = Exclude<BlockKind, 'unknown'>;

/** The parser rule of each block completion knows (the rule whose `{ … }` is the block). */
const BLOCK_RULES: Record<Block, string> = {
  file: 'file', cluster: 'cluster', director: 'directorDecl', server: 'serverDecl', service: 'serviceDecl', ha: 'haBlock', ssh: 'sshBlock',
  timeouts: 'timeoutsBlock',
};
const blockOfRule = new Map(Object.entries(BLOCK_RULES).map(([block, r]) => [r, block as Block]));

/** The statement sequences of a block: the alternatives repeated inside its braces. */
function statementsOf(block: Block): Gast[][] {
  const repeated = rule(BLOCK_RULES[block]).filter((g) => g.type === 'Repetition');
  assert.equal(repeated.length, 1, `${block}: one repetition of statements expected`);
  let seq = repeated[0].definition!;
  if (seq.length === 1 && seq[0].type === 'NonTerminal') {
    const def = rule(seq[0].name!);
    if (def.length === 1 && def[0].type === 'Alternation') return def[0].definition!.map((alt) => alt.definition!);
    seq = [seq[0]];
  }
  if (seq.length === 1 && seq[0].type === 'Alternation') return seq[0].definition!.map((alt) => alt.definition!);
  return [seq];
}

/** How many tokens a sequence needs at least (a choice or a `+` repetition counts once). */
function mandatoryCount(seq: Gast[]): number {
  let n = 0;
  for (const g of seq) {
    if (g.type === 'Terminal' || g.type === 'Alternation' || g.type === 'RepetitionMandatory') n++;
    else if (g.type === 'NonTerminal') n += mandatoryCount(rule(g.name!));
  }
  return n;
}

/** The branches of an optional or repeated part: the alternatives of a choice, or the part itself. */
function branches(g: Gast): Gast[][] {
  const def = g.definition!;
  return def.length === 1 && def[0].type === 'Alternation' ? def[0].definition!.map((a) => a.definition!) : [def];
}

interface Shape {
  head: string;
  spec: StmtSpec;
}

/** A statement as completion models it: head keyword, values, trailing keywords, the block it opens. */
function shapeOf(seq: Gast[], where: string): Shape {
  let head: string | undefined;
  let values = 0;
  const subs: Record<string, number> = {};
  let block: BlockKind | undefined;
  const walk = (items: Gast[], ruleName: string | undefined): boolean => {
    for (const g of items) {
      if (g.type === 'NonTerminal') {
        if (!walk(rule(g.name!), g.name)) return false;
      } else if (g.type === 'Terminal' && g.name === 'LCurly') {
        const opened = ruleName && blockOfRule.get(ruleName);
        assert.ok(opened, `${where}: '{' in rule ${ruleName}, which is no block completion knows (BLOCK_RULES)`);
        block = opened;
        return false; // what follows belongs to the block
      } else if (head === undefined) {
        assert.ok(g.type === 'Terminal' && keywordOf.has(g.name!), `${where}: a statement must start with a keyword, found ${g.type} ${g.name ?? ''}`);
        head = keywordOf.get(g.name!)!;
      } else if (g.type === 'Terminal' || g.type === 'Alternation') {
        values++;
      } else if (g.type === 'Option' || g.type === 'Repetition' || g.type === 'RepetitionMandatory') {
        let valueLike = false;
        for (const b of branches(g)) {
          const first = b[0];
          if (first.type === 'Terminal' && keywordOf.has(first.name!)) subs[keywordOf.get(first.name!)!] = mandatoryCount(b.slice(1));
          else valueLike = true;
        }
        // `clients A B C`: at least one value; an optional `=` or vip name adds none.
        if (valueLike && g.type === 'RepetitionMandatory') values++;
      } else {
        assert.fail(`${where}: unexpected ${g.type} in a statement`);
      }
    }
    return true;
  };
  walk(seq, undefined);
  assert.ok(head, `${where}: empty statement`);
  const spec: StmtSpec = { values };
  if (Object.keys(subs).length) spec.subs = subs;
  if (block) spec.block = block;
  return { head, spec };
}

/** Completion's table entry in the same form (no empty `subs`, keys sorted). */
function normal(spec: StmtSpec): StmtSpec {
  const out: StmtSpec = { values: spec.values };
  if (spec.subs && Object.keys(spec.subs).length) out.subs = Object.fromEntries(Object.entries(spec.subs).sort(([a], [b]) => a.localeCompare(b)));
  if (spec.block) out.block = spec.block;
  return out;
}

function derived(block: Block): Map<string, { spec: StmtSpec; seq: Gast[] }> {
  const out = new Map<string, { spec: StmtSpec; seq: Gast[] }>();
  if (block === 'timeouts') {
    // Its statements are `NAME DURATION` with the names the AST builder accepts.
    const [seq] = statementsOf(block);
    assert.deepEqual(seq.map((g) => g.name), ['Identifier', 'Duration'], 'timeouts: NAME DURATION');
    for (const name of TIMEOUT_NAMES) out.set(name, { spec: { values: 1 }, seq: [{ type: 'Terminal', name: `=${name}` } as Gast, seq[1]] });
    return out;
  }
  for (const seq of statementsOf(block)) {
    const { head, spec } = shapeOf(seq, block);
    assert.ok(!out.has(head), `${block}: two statements start with '${head}'`);
    out.set(head, { spec: normal(spec), seq });
  }
  return out;
}

const SAMPLE: Record<string, string> = {
  LCurly: '{', RCurly: '}', Equals: '=', Ipv4: '10.0.0.1', IpAddress: '10.0.0.1', Ipv6: '2001:db8::1', NumberLit: '1', Duration: '1s', Identifier: 'x', Name: 'x',
  StringLit: '"x"', SecretRef: 'secret:x', PathLit: '/x', DottedName: 'a.b', Label: 'lo:0',
};

/** The shortest text of a sequence: first alternatives, no optional parts. */
function sample(seq: Gast[]): string {
  const parts: string[] = [];
  for (const g of seq) {
    if (g.type === 'Terminal') {
      const text = g.name!.startsWith('=') ? g.name!.slice(1) : keywordOf.get(g.name!) ?? SAMPLE[g.name!];
      assert.ok(text !== undefined, `no sample text for token ${g.name}`);
      parts.push(text);
    } else if (g.type === 'NonTerminal') parts.push(sample(rule(g.name!)));
    else if (g.type === 'Alternation') parts.push(sample(g.definition![0].definition!));
    else if (g.type === 'RepetitionMandatory') parts.push(sample(branches(g)[0]));
  }
  return parts.join(' ');
}

/** A statement written in a block of a minimal file. */
function inBlock(block: Block, statement: string): string {
  const body: Record<Block, string> = {
    file: statement,
    cluster: `cluster c {\n${statement}\n}`,
    director: `cluster c {\ndirector d {\n${statement}\n}\n}`,
    server: `cluster c {\nserver s {\n${statement}\n}\n}`,
    service: `cluster c {\nservice v {\n${statement}\n}\n}`,
    ha: `cluster c {\nha {\n${statement}\n}\n}`,
    ssh: `cluster c {\nssh {\n${statement}\n}\n}`,
    timeouts: `cluster c {\ntimeouts {\n${statement}\n}\n}`,
  };
  return body[block];
}

const blocks = Object.keys(BLOCK_RULES) as Block[];

test('completion knows every block of the parser and no other', () => {
  assert.deepEqual(Object.keys(GRAMMAR).filter((b) => b !== 'unknown').sort(), [...blocks].sort());
  const opened = new Set(blocks.flatMap((b) => [...derived(b).values()].map((s) => s.spec.block).filter(Boolean)));
  assert.deepEqual([...opened].sort(), blocks.filter((b) => b !== 'file').sort(), 'every block but the file is opened by a statement');
});

test('each block offers exactly the statements the parser accepts there, with the same shape', () => {
  for (const block of blocks) {
    const parser = derived(block);
    const mine = GRAMMAR[block];
    if (block === 'director' || block === 'server') {
      // Directors and servers share one parser rule; what belongs to one kind only is checked
      // after parsing (next test). Together the two offer every host statement.
      const both = new Set([...Object.keys(GRAMMAR.director), ...Object.keys(GRAMMAR.server)]);
      assert.deepEqual([...both].sort(), [...parser.keys()].sort(), 'host statements: director ∪ server');
    } else {
      assert.deepEqual(Object.keys(mine).sort(), [...parser.keys()].sort(), `statements of ${block}`);
    }
    for (const [kw, spec] of Object.entries(mine)) {
      assert.ok(parser.has(kw), `${block}: completion offers '${kw}', the parser has no such statement there`);
      assert.deepEqual(normal(spec), parser.get(kw)!.spec, `${block}: shape of '${kw}'`);
    }
  }
});

test('a statement completion offers in a block parses there without issues; a host statement it leaves out is reported', () => {
  const samples = new Map<string, string>();
  for (const block of blocks) for (const [kw, { seq }] of derived(block)) samples.set(`${block} ${kw}`, sample(seq));
  for (const block of blocks) {
    for (const kw of Object.keys(GRAMMAR[block])) {
      const text = inBlock(block, samples.get(`${block} ${kw}`)!);
      assert.deepEqual(parse(text).issues.map((i) => i.message), [], `'${kw}' in ${block}:\n${text}`);
    }
  }
  for (const [block, other] of [['director', 'server'], ['server', 'director']] as const) {
    for (const kw of Object.keys(GRAMMAR[other]).filter((k) => !(k in GRAMMAR[block]))) {
      const text = inBlock(block, samples.get(`${other} ${kw}`)!);
      assert.ok(parse(text).issues.length > 0, `'${kw}' is not offered in a ${block}, so the parser must report it there:\n${text}`);
    }
  }
});
