// `lvsdr generate FILE --out DIR [--cluster NAME] [--preview]`: writes every host's files to
// DIR/<cluster>/<host>/<absolute target path> with their modes, plus
// DIR/<cluster>/<host>/MANIFEST.json (target path, octal mode and digest of each file).
// Files of the previous run that are no longer generated are removed only when unchanged; what
// is kept is listed on stderr. A symlink in the output tree refuses the whole run (exit 1).
// Exit 0 on success, 1 when the file has errors (listed as file:line:col) or a model cannot be
// generated, 2 on unreadable input or bad usage.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { GenerateError, generateFile, GenerateRefusedError } from '../generate';
import { OutputTreeError, writeCluster } from '../generate/write-tree';
import { listMsgs, t } from '../shared/l10n/message';
import { parseCommand, usageError } from './args';
import { GENERATE } from './commands';
import { inReaderLanguage as say } from './reader-language';

export { writeCluster };

export async function generateCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(GENERATE, args);
  if (typeof parsed === 'number') return parsed;
  const { out, cluster, preview = false } = parsed.values;
  const inputs = parsed.positionals;
  if (inputs.length !== 1 || !out) {
    return usageError(GENERATE, inputs.length !== 1 ? t`exactly one input file is needed` : t`--out DIR is required`);
  }
  const file = inputs[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`lvsdr generate: ${say(t`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)}\n`);
    return 2;
  }
  const sourceName = basename(file);
  let result: ReturnType<typeof generateFile>;
  try {
    result = generateFile(text, sourceName, { preview });
  } catch (err) {
    if (err instanceof GenerateRefusedError) {
      for (const e of err.errors) process.stderr.write(`${file}:${e.line}:${e.column} error ${e.code} ${say(e.msg)}\n`);
      process.stderr.write(`lvsdr generate: ${say(t`${file} has errors; nothing was generated`)}\n`);
      return 1;
    }
    if (err instanceof GenerateError) {
      process.stderr.write(`lvsdr generate: ${file}: ${say(err.words)}\n`);
      return 1;
    }
    throw err;
  }
  const clusters = cluster === undefined ? result.clusters : result.clusters.filter((c) => c.name === cluster);
  if (clusters.length === 0) {
    const names = result.clusters.map((c) => c.name);
    process.stderr.write(`lvsdr generate: ${say(cluster === undefined ? t`the file has no cluster` : names.length ? t`no cluster named '${cluster}' (clusters: ${listMsgs(names)})` : t`no cluster named '${cluster}' (clusters: none)`)}\n`);
    return cluster === undefined ? 1 : 2;
  }
  for (const c of clusters) {
    for (const w of c.warnings) process.stderr.write(`lvsdr generate: ${say(t`warning: cluster ${c.name}: ${w}`)}\n`);
    let report;
    try {
      report = writeCluster(out, c.name, sourceName, c.files);
    } catch (err) {
      if (err instanceof OutputTreeError) {
        process.stderr.write(`lvsdr generate: ${say(err.words)}\n`);
        return 1;
      }
      throw err;
    }
    for (const k of report.kept) process.stderr.write(`lvsdr generate: ${say(t`kept ${join(out, k.path)}: ${k.words}`)}\n`);
    const hosts = new Set(c.files.map((f) => f.host)).size;
    const at = join(out, c.name);
    process.stdout.write(`${say(report.removed.length ? t`cluster ${c.name}: ${report.written} files for ${hosts} hosts in ${at}, ${report.removed.length} stale files removed` : t`cluster ${c.name}: ${report.written} files for ${hosts} hosts in ${at}`)}\n`);
  }
  return 0;
}
