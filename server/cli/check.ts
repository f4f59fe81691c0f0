// `lvsdr check FILE... [--format json]`: one line (or JSON object) per diagnostic.
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { validateText } from '../validation/registry';

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
  let format = 'text';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format') format = args[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a.startsWith('-')) { process.stderr.write(`lvsdr check: unknown option '${a}'\n`); return 2; }
    else files.push(a);
  }
  if (format !== 'text' && format !== 'json') { process.stderr.write(`lvsdr check: --format must be text or json\n`); return 2; }
  if (files.length === 0) { process.stderr.write('lvsdr check: no input files\n'); return 2; }
  const { diagnostics, unreadable } = checkFiles(files);
  for (const u of unreadable) process.stderr.write(`lvsdr check: cannot read ${u}\n`);
  if (format === 'json') process.stdout.write(JSON.stringify(diagnostics, null, 2) + '\n');
  else for (const d of diagnostics) process.stdout.write(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n`);
  if (unreadable.length > 0) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
