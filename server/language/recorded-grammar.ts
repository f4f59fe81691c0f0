// The grammar of each parser rule as chevrotain records it (its GAST), read from a table made
// ahead of time (recorded-grammar-table.ts) instead of running every rule in recording mode at
// every start, a good part of constructing the parser (decisions.md, "P6").
// test/unit/recorded-grammar.test.ts checks that the table decodes to exactly what chevrotain
// records, rule by rule, and writes the table.
import {
  Alternation, Alternative, NonTerminal, Option, Repetition, RepetitionMandatory,
  RepetitionMandatoryWithSeparator, RepetitionWithSeparator, Rule, Terminal, TokenType,
} from 'chevrotain';
import { EncodedNode, GastClass } from './encoded-gast';
import { RECORDED_GRAMMAR } from './recorded-grammar-table';
import { allTokens } from './tokens';

/** The GAST node classes, by the name the table gives them. */
export const GAST_CLASSES = {
  Alternation, Alternative, NonTerminal, Option, Repetition, RepetitionMandatory,
  RepetitionMandatoryWithSeparator, RepetitionWithSeparator, Rule, Terminal,
} as const satisfies Record<GastClass, unknown>;


/** A node: its class, its own properties (tokens by name), its children (`_definition`). */

/** Own properties that hold a token type; the table names the token. */
export const TOKEN_PROPS = ['terminalType', 'separator'];

let byName: Map<string, TokenType> | undefined;

function decode([cls, props, children]: EncodedNode): object {
  byName ??= new Map(allTokens.map((t) => [t.name, t]));
  // The node as its constructor and chevrotain's recorder leave it, without running the
  // constructor (whose option handling is the costly part of recording).
  const node: Record<string, unknown> = Object.create(GAST_CLASSES[cls].prototype);
  for (const [k, v] of Object.entries(props)) {
    if (TOKEN_PROPS.includes(k)) {
      const t = byName.get(v as string);
      if (!t) throw new Error(`recorded grammar: no token type '${String(v)}'`);
      node[k] = t;
    } else node[k] = v;
  }
  if (children) node._definition = children.map(decode);
  return node;
}

/** The recorded grammar of the rule `name`, or undefined when the table does not have it. */
export function recordedRule(name: string): Rule | undefined {
  const encoded = RECORDED_GRAMMAR[name];
  return encoded ? decode(encoded) as Rule : undefined;
}
