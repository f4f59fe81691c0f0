// keepalived.conf's words grouped into statements: a keyword, its arguments up to the line end,
// and the statements of its `{ … }` block when one follows (on the same or the next line).
import { t } from '../shared/l10n/message';
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
      const tok = tokens[i];
      if (tok.text === '\n') { i++; continue; }
      if (tok.text === '}') {
        if (!open) throw new ImportInputError(tok.file, tok.line, t('`}` without a `{`'));
        i++;
        return out;
      }
      if (tok.text === '{') {
        // A bare block (`{ a b }` as a list value): its words become statements of the parent.
        i++;
        out.push(...block(tok));
        continue;
      }
      const st: Statement = { key: tok.text, args: [], file: tok.file, line: tok.line };
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
    if (open) throw new ImportInputError(open.file, open.line, t('this `{` is never closed'));
    return out;
  };
  return block();
}
