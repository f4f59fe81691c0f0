// The English source strings of the extension's messages, found by reading client/ with the
// TypeScript parser: the first argument of every `vscode.l10n.t(...)` call. A call whose message
// is not a string literal cannot be checked against the catalog and is reported as such.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface SourceMessages {
  /** message → where it is used (file:line) */
  messages: Map<string, string[]>;
  /** calls whose message is not a literal: file:line */
  dynamic: string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** `vscode.l10n.t(...)` (or `l10n.t(...)` from an import of the namespace). */
function isL10nT(call: ts.CallExpression): boolean {
  const e = call.expression;
  return ts.isPropertyAccessExpression(e) && e.name.text === 't'
    && ((ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'l10n') || (ts.isIdentifier(e.expression) && e.expression.text === 'l10n'));
}

export function l10nMessagesIn(dir: string): SourceMessages {
  const messages = new Map<string, string[]>();
  const dynamic: string[] = [];
  for (const file of tsFiles(dir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isL10nT(node)) {
        const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
          messages.set(first.text, [...(messages.get(first.text) ?? []), where]);
        } else dynamic.push(where);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages, dynamic };
}
