// `lvsdr export ansible FILE --out DIR [--cluster NAME]`: writes the Ansible project of
// server/export/ansible into DIR. DIR must be empty (or not exist) or hold an earlier export,
// recognised by its list of files (.lvsdr-export): those files are replaced, files of the
// earlier export that are no longer written are removed, and nothing else in DIR is touched.
// A symlink on the way to a file refuses the run. No secret value is read or written.
// Exit 0 written, 1 the file has errors or cannot be exported, 2 unreadable input or bad usage.
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { GenerateError, GenerateRefusedError } from '../generate';
import { MessageError } from '../shared/l10n/message-error';
import { exportAnsible } from '../export/ansible';
import { listMsgs, t } from '../shared/l10n/message';
import { parseCommand, usageError } from './args';
import { EXPORT_ANSIBLE } from './commands';
import { inReaderLanguage as say } from './reader-language';

/** The list of files an export wrote, one relative path per line. */
const LIST = '.lvsdr-export';

/** The output folder refuses the export; `words` say why in the reader's language. */
class RefusedError extends MessageError {}

function existing(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** The files of an earlier export in `out`; throws RefusedError for a directory that is not one. */
function earlierExport(out: string): string[] {
  const st = existing(out);
  if (!st) return [];
  if (!st.isDirectory()) throw new RefusedError(t`${out} exists and is not a directory`);
  const list = existing(join(out, LIST));
  if (list?.isFile()) return readFileSync(join(out, LIST), 'utf8').split('\n').filter((l) => l && !l.startsWith('/') && !l.split('/').includes('..'));
  if (readdirSync(out).length > 0) throw new RefusedError(t`${out} is not empty and holds no earlier export (${LIST}): choose an empty or new directory`);
  return [];
}

/** Writes `content` at out/rel, refusing a symlink anywhere below out. */
function writeInside(out: string, rel: string, content: string): void {
  let dir = out;
  for (const part of dirname(rel).split('/').filter((p) => p !== '.')) {
    dir = join(dir, part);
    const st = existing(dir);
    if (st && !st.isDirectory()) throw new RefusedError(t`${dir} is not a directory (a symlink or a file): nothing more is written`);
    if (!st) mkdirSync(dir, { mode: 0o755 });
  }
  const file = join(out, rel);
  const st = existing(file);
  if (st && !st.isFile()) throw new RefusedError(t`${file} is not a regular file (a symlink or other): nothing more is written`);
  writeFileSync(file, content, { mode: 0o644 });
}

export async function exportAnsibleCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(EXPORT_ANSIBLE, args);
  if (typeof parsed === 'number') return parsed;
  const { out, cluster } = parsed.values;
  const inputs = parsed.positionals;
  if (inputs.length !== 1 || !out) {
    return usageError(EXPORT_ANSIBLE, inputs.length !== 1 ? t`exactly one input file is needed` : t`--out DIR is required`);
  }
  const file = resolve(inputs[0]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`lvsdr export ansible: ${say(t`cannot read ${inputs[0]}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)}\n`);
    return 2;
  }
  try {
    const project = exportAnsible(text, { sourceName: basename(file), lvsDir: dirname(file), cluster });
    const earlier = earlierExport(out);
    mkdirSync(out, { recursive: true, mode: 0o755 });
    for (const f of project.files) writeInside(out, f.path, f.content);
    const now = new Set(project.files.map((f) => f.path));
    let removed = 0;
    for (const rel of earlier) {
      if (now.has(rel) || !existing(join(out, rel))?.isFile()) continue;
      rmSync(join(out, rel));
      removed++;
    }
    writeInside(out, LIST, [...now].join('\n') + '\n');
    const secrets = listMsgs(project.secrets.map((s) => s.variable));
    const names = listMsgs(project.clusters);
    const wrote = project.clusters.length > 1 ? t`clusters ${names}: Ansible project for ${project.hosts} hosts in ${out}` : t`cluster ${names}: Ansible project for ${project.hosts} hosts in ${out}`;
    process.stdout.write(`${say(wrote)}${removed ? say(t`, ${removed} files of the earlier export removed`) : ''}${project.secrets.length ? say(t`; secrets (README.md): ${secrets}`) : ''}\n`);
    return 0;
  } catch (err) {
    if (err instanceof GenerateRefusedError) {
      for (const e of err.errors) process.stderr.write(`${inputs[0]}:${e.line}:${e.column} error ${e.code} ${say(e.msg)}\n`);
      process.stderr.write(`lvsdr export ansible: ${say(t`${inputs[0]} has errors; nothing was written`)}\n`);
      return 1;
    }
    if (err instanceof GenerateError) {
      process.stderr.write(`lvsdr export ansible: ${inputs[0]}: ${say(err.words)}\n`);
      return 1;
    }
    if (err instanceof RefusedError) {
      process.stderr.write(`lvsdr export ansible: ${say(err.words)}\n`);
      return 1;
    }
    throw err;
  }
}
