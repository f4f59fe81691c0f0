// `lvsdr check FILE|DIR... [--format json]`: one line (or JSON object) per diagnostic. A
// directory stands for the .lvs files under it. Besides each file's own findings, the files are
// checked together for hosts that two clusters describe (LVS118 across files).
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { validateText } from '../validation/registry';
import { sharedHostFindingsAcrossFiles } from '../validation/rules/lvs118';
import { FileModel } from '../model/topology';
import { Finding } from '../validation/types';
import { Msg, t } from '../shared/l10n/message';
import { parseCommand, usageError } from './args';
import { CHECK } from './commands';
import { lvsFilesUnder } from '../shared/lvs-files';
import { Locale, localeFromEnv } from '../shared/l10n/locale';
import { localize, localizedField } from '../shared/l10n/localize';

export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  /** English, whatever the locale: scripts match on it (with the code). */
  message: string;
  /** The message in the reader's language (LC_ALL / LC_MESSAGES / LANG), only when that is not English. */
  messageLocalized?: string;
}

/** Arguments with each directory replaced by its .lvs files; a file named twice is checked once. */
function expandArgs(args: string[], unreadable: Msg[]): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  for (const a of args) {
    let list = [a];
    try {
      if (statSync(a).isDirectory()) list = lvsFilesUnder(a);
    } catch {
      // unreadable: reported when it is read
    }
    for (const f of list) {
      let key = f;
      try {
        key = realpathSync(f);
      } catch (err) {
        unreadable.push(t`cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        continue;
      }
      if (!seen.has(key)) files.push(f);
      seen.add(key);
    }
  }
  return files;
}

export function checkFiles(args: string[], locale: Locale = 'en'): { diagnostics: CliDiagnostic[]; unreadable: Msg[] } {
  const diagnostics: CliDiagnostic[] = [];
  const unreadable: Msg[] = [];
  const checked: Array<{ file: string; text: string; model: FileModel; findings: Finding[] }> = [];
  for (const file of expandArgs(args, unreadable)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      unreadable.push(t`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      continue;
    }
    const { model, findings } = validateText(text);
    checked.push({ file, text, model, findings });
  }
  const across = sharedHostFindingsAcrossFiles(checked);
  checked.forEach(({ file, text, findings }, i) => {
    const doc = TextDocument.create(`file://${file}`, 'lvs', 0, text);
    const all = [...findings, ...across[i]].sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
    for (const f of all) {
      const start = doc.positionAt(f.span.start);
      const end = doc.positionAt(f.span.end);
      diagnostics.push({
        file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
        severity: f.severity, code: f.code, message: f.message,
        ...localizedField('messageLocalized', f.msg, locale),
      });
    }
  });
  return { diagnostics, unreadable };
}

export function checkCommand(args: string[]): number {
  const parsed = parseCommand(CHECK, args);
  if (typeof parsed === 'number') return parsed;
  const format = parsed.values.format ?? 'text';
  const files = parsed.positionals;
  if (format !== 'text' && format !== 'json') return usageError(CHECK, t`--format must be text or json`);
  if (files.length === 0) return usageError(CHECK, t`no input files`);
  const locale = localeFromEnv(process.env);
  const { diagnostics, unreadable } = checkFiles(files, locale);
  for (const u of unreadable) process.stderr.write(`lvsdr check: ${localize(u, locale)}\n`);
  if (format === 'json') process.stdout.write(JSON.stringify(diagnostics, null, 2) + '\n');
  else for (const d of diagnostics) process.stdout.write(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.messageLocalized ?? d.message}\n`);
  if (unreadable.length > 0) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
