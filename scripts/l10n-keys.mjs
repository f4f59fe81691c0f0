// The English sources of every `t` in server/ (the keys l10n/server.l10n.zh-cn.json must have),
// read from the TypeScript source: tags t`…${x}…` become "…{0}…", calls t('…') their literal.
// Used by test/unit/l10n-catalog.test.ts and, to list the keys, by `node scripts/l10n-keys.mjs`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every key with the files using it, and the `t` uses whose source is not literal text. */
export function extractKeys(root) {
  const keys = new Map();
  const problems = [];
  for (const file of tsFiles(join(root, 'server'))) {
    const text = readFileSync(file, 'utf8');
    // message.ts itself holds the list joiners' keys ("{0}, {1}", "{0} and {1}"…).
    const joiners = relative(root, file) === join('server', 'shared', 'l10n', 'message.ts');
    if (!/shared\/l10n\/message'|from '\.\/message'/.test(text) && !file.endsWith('keyword-docs.ts') && !joiners) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const add = (key) => keys.set(key, [...(keys.get(key) ?? []), relative(root, file)]);
    // The keyword and value docs (hover, completion) are plain strings rendered by docText().
    const docs = relative(root, file) === 'server/lsp/keyword-docs.ts';
    const visit = (node) => {
      if (docs && ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ['summary', 'doc'].includes(node.name.text)) {
        const v = node.initializer;
        if (ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) add(v.text);
        else problems.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: a ${node.name.text} that is not literal text`);
      }
      if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 't') {
        const tpl = node.template;
        if (ts.isNoSubstitutionTemplateLiteral(tpl)) add(tpl.text);
        else add(tpl.head.text + tpl.templateSpans.map((s, i) => `{${i}}${s.literal.text}`).join(''));
      } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 't') {
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) add(first.text);
        else problems.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: t() of something that is not literal text`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { keys, problems };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { keys, problems } = extractKeys(process.cwd());
  process.stdout.write(JSON.stringify([...keys.keys()].sort(), null, 1) + '\n');
  for (const p of problems) process.stderr.write(p + '\n');
}
