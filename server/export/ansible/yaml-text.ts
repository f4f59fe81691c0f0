// Every YAML file of the Ansible export is written here, by the `yaml` library (never by string
// concatenation): a document start, the comment lines that say what the file is, the value.
// The output passes yamllint's default rules (two-space indentation, `true`/`false`, lines
// within 80 columns where a value allows it, octal-looking strings quoted).
import { stringify } from 'yaml';

const WIDTH = 80;

/** A comment line as `# …` lines within the width, broken between words. */
function commentLines(line: string): string[] {
  const out: string[] = [];
  let cur = '#';
  for (const word of line.split(' ').filter(Boolean)) {
    if (cur.length > 1 && cur.length + 1 + word.length > WIDTH) {
      out.push(cur);
      cur = '#';
    }
    cur += ` ${word}`;
  }
  out.push(cur);
  return out;
}

/** `---`, the comment (wrapped), then the value as block YAML; long strings are folded. */
export function yamlFile(comment: readonly string[], value: unknown): string {
  const head = comment.flatMap(commentLines).join('\n');
  // The library's width leaves the indentation out: fold well before column 80.
  const body = stringify(value, { lineWidth: WIDTH - 12, minContentWidth: 0, indentSeq: true, singleQuote: false });
  return `---\n${head}${head ? '\n' : ''}${body}`;
}
