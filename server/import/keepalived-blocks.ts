// keepalived.conf's words grouped into statements: a keyword, its arguments up to the line end,
// and the statements of its `{ … }` block when one follows (on the same or the next line).
import { ImportInputError } from './findings';
import { Token } from './keepalived-source';

export interface Statement {
  key: string;
  args: string[];
  /** The statements inside `{ … }`; undefined when the keyword has no block. */
  body?: Statement[];
  file: string;
  line: number;
}

export function statements(tokens: Token[]): Statement[] {
  let i = 0;
  const block = (open?: Token): Statement[] => {
    const out: Statement[] = [];
    while (i < tokens.length) {
      const t = tokens[i];
      if (t.text === '\n') { i++; continue; }
      if (t.text === '}') {
        if (!open) throw new ImportInputError(t.file, t.line, '`}` without a `{`');
        i++;
        return out;
      }
      if (t.text === '{') {
        // A bare block (`{ a b }` as a list value): its words become statements of the parent.
        i++;
        out.push(...block(t));
        continue;
      }
      const st: Statement = { key: t.text, args: [], file: t.file, line: t.line };
      i++;
      while (i < tokens.length && !['\n', '{', '}'].includes(tokens[i].text)) st.args.push(tokens[i++].text);
      // The block may open on the next line.
      let j = i;
      while (j < tokens.length && tokens[j].text === '\n') j++;
      if (j < tokens.length && tokens[j].text === '{') {
        i = j + 1;
        st.body = block(tokens[j]);
      }
      out.push(st);
    }
    if (open) throw new ImportInputError(open.file, open.line, 'this `{` is never closed');
    return out;
  };
  return block();
}
