// The parser's LL(k) lookahead, from paths computed ahead of time (lookahead-paths.ts) instead of
// from the grammar at every start: computing them is a good part of constructing the parser, which
// every `lvsdr` start pays (decisions.md, "P6"). A function chooses exactly as chevrotain's own
// LLkLookaheadStrategy would with the same paths; test/unit/lookahead-paths.test.ts checks that the
// table equals what chevrotain computes from the grammar, production by production.
import { ILookaheadStrategy, IOrAlt, IToken, LLkLookaheadStrategy, LookaheadProductionType, TokenType, tokenMatcher } from 'chevrotain';
import { LOOKAHEAD_PATHS } from './lookahead-paths';
import { allTokens } from './tokens';

/** The key of one production's paths: rule, production type and occurrence in the rule. */
export function lookaheadKey(rule: string, prodType: LookaheadProductionType, occurrence: number): string {
  return `${rule}:${prodType}:${occurrence}`;
}

/** What a lookahead function calls on the parser it runs on. */
interface Lookahead { LA(howMuch: number): IToken }

/** Alternatives → paths → token types, as chevrotain's getLookaheadPaths returns them. */
type Paths = TokenType[][][];

type AlternationOptions = Parameters<ILookaheadStrategy['buildLookaheadForAlternation']>[0];
type OptionalOptions = Parameters<ILookaheadStrategy['buildLookaheadForOptional']>[0];

let byName: Map<string, TokenType> | undefined;

function tokenType(name: string): TokenType {
  byName ??= new Map(allTokens.map((t) => [t.name, t]));
  const t = byName.get(name);
  if (!t) throw new Error(`lookahead: no token type '${name}'`);
  return t;
}

function tokenTypes(names: string[][][]): Paths {
  return names.map((alt) => alt.map((path) => path.map(tokenType)));
}

/** The index of the first alternative one of whose paths the next tokens match. */
function alternation(alts: Paths, hasPredicates: boolean): (this: Lookahead, orAlts?: IOrAlt<unknown>[]) => number | undefined {
  const oneToken = alts.every((alt) => alt.every((path) => path.length === 1));
  if (oneToken && !hasPredicates) {
    // The first alternative that names the token type, or a category it belongs to, wins.
    const choice: number[] = [];
    alts.forEach((alt, i) => {
      for (const [t] of alt) {
        choice[t.tokenTypeIdx!] ??= i;
        for (const sub of t.categoryMatches ?? []) choice[sub] ??= i;
      }
    });
    return function (this: Lookahead) { return choice[this.LA(1).tokenTypeIdx]; };
  }
  return function (this: Lookahead, orAlts?: IOrAlt<unknown>[]) {
    for (let i = 0; i < alts.length; i++) {
      const gate = hasPredicates ? orAlts?.[i]?.GATE : undefined;
      if (gate !== undefined && gate.call(this) === false) continue;
      if (alts[i].some((path) => matches(this, path))) return i;
    }
    return undefined;
  };
}

function matches(parser: Lookahead, path: TokenType[]): boolean {
  for (let k = 0; k < path.length; k++) if (!tokenMatcher(parser.LA(k + 1), path[k])) return false;
  return true;
}

/** Whether the next tokens match one of the paths into an optional production. */
function optional(paths: TokenType[][]): (this: Lookahead) => boolean {
  if (paths.every((path) => path.length === 1)) {
    const enter: boolean[] = [];
    for (const [t] of paths) {
      enter[t.tokenTypeIdx!] = true;
      for (const sub of t.categoryMatches ?? []) enter[sub] = true;
    }
    return function (this: Lookahead) { return enter[this.LA(1).tokenTypeIdx] === true; };
  }
  return function (this: Lookahead) { return paths.some((path) => matches(this, path)); };
}

/**
 * LL(k) lookahead read from LOOKAHEAD_PATHS. Validation (the parser's `skipValidations: false`)
 * is chevrotain's own, from the grammar.
 */
export class PrecomputedLookahead extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: AlternationOptions): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    const paths = LOOKAHEAD_PATHS[lookaheadKey(options.rule.name, 'Alternation', options.prodOccurrence)];
    // A production missing from the table (the grammar changed since) is computed as chevrotain does.
    return paths ? alternation(tokenTypes(paths), options.hasPredicates) : super.buildLookaheadForAlternation(options);
  }

  override buildLookaheadForOptional(options: OptionalOptions): () => boolean {
    const paths = LOOKAHEAD_PATHS[lookaheadKey(options.rule.name, options.prodType, options.prodOccurrence)];
    return paths ? optional(tokenTypes(paths)[0]) : super.buildLookaheadForOptional(options);
  }
}
