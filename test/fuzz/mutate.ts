// Mutated example files for property tests: a corpus file with a few slices deleted, inserted
// or replaced by fragments of the language (or random short strings).
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';

/** Every example and every broken example, as text. */
export function exampleCorpus(): string[] {
  return [
    ...readdirSync('examples').filter((f) => f.endsWith('.lvs')).map((f) => `examples/${f}`),
    ...readdirSync('examples/broken').filter((f) => f.endsWith('.lvs')).map((f) => `examples/broken/${f}`),
  ].map((f) => readFileSync(f, 'utf8'));
}

/** An arbitrary text: one corpus file with 1–6 edits drawn from `fragments`. */
export function mutatedText(corpus: string[], fragments: string[]): fc.Arbitrary<string> {
  return fc.record({
    file: fc.nat({ max: corpus.length - 1 }),
    edits: fc.array(fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      del: fc.nat({ max: 12 }),
      insert: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6 })),
    }), { minLength: 1, maxLength: 6 }),
  }).map(({ file, edits }) => {
    let text = corpus[file];
    for (const e of edits) {
      const at = Math.floor(e.at * text.length);
      text = text.slice(0, at) + e.insert + text.slice(at + e.del);
    }
    return text;
  });
}
