// The shape of recorded-grammar-table.ts: one chevrotain grammar node (GAST) as a tuple of its
// class name, its own properties and its children. Its own module so that the generated table
// and the decoder (recorded-grammar.ts) both depend on it instead of on each other.

/** The GAST node classes a recorded grammar uses. */
export type GastClass =
  | 'Alternation' | 'Alternative' | 'NonTerminal' | 'Option' | 'Repetition' | 'RepetitionMandatory'
  | 'RepetitionMandatoryWithSeparator' | 'RepetitionWithSeparator' | 'Rule' | 'Terminal';

export type EncodedNode = [GastClass, Record<string, unknown>, EncodedNode[]?];
