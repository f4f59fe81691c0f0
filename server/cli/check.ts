// `lvsdr check FILE... [--format json]`: one line (or JSON object) per diagnostic.
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { validateText } from '../validation/registry';
import { parseCommand, usageLine } from './args';
import { CHECK } from './commands';

export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

export function checkFiles(files: string[]): { diagnostics: CliDiagnostic[]; unreadable: string[] } {
  const diagnostics: CliDiagnostic[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      unreadable.push(`${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      continue;
    }
    const doc = TextDocument.create(`file://${file}`, 'lvs', 0, text);
    for (const f of validateText(text).findings) {
      const start = doc.positionAt(f.span.start);
      const end = doc.positionAt(f.span.end);
      diagnostics.push({
        file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
        severity: f.severity, code: f.code, message: f.message,
      });
    }
  }
  return { diagnostics, unreadable };
}

export function checkCommand(args: string[]): number {
  const parsed = parseCommand(CHECK, args);
  if (typeof parsed === 'number') return parsed;
  const format = parsed.values.format ?? 'text';
  const files = parsed.positionals;
  if (format !== 'text' && format !== 'json') { process.stderr.write(`lvsdr check: --format must be text or json\n${usageLine(CHECK)}`); return 2; }
  if (files.length === 0) { process.stderr.write(`lvsdr check: no input files\n${usageLine(CHECK)}`); return 2; }
  const { diagnostics, unreadable } = checkFiles(files);
  for (const u of unreadable) process.stderr.write(`lvsdr check: cannot read ${u}\n`);
  if (format === 'json') process.stdout.write(JSON.stringify(diagnostics, null, 2) + '\n');
  else for (const d of diagnostics) process.stdout.write(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n`);
  if (unreadable.length > 0) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
