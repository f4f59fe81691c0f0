// `lvsdr plan DIR` and `lvsdr drift DIR`: the command once per cluster of every .lvs file below
// DIR (sorted; dot folders and node_modules skipped, as `lvsdr check DIR` does), so CI can gate a
// repository of clusters with one command. Each run is the single-file command with
// `--cluster NAME`; the exit status aggregates: 1 if any run failed (or was a usage error),
// else 3 if any had changes or drift, else 0. --json and --events take one file only.
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { validateText } from '../validation/registry';
import { CommandSpec, OptionSpecs, parseCommand } from './args';
import { Msg, t } from '../shared/l10n/message';
import { inReaderLanguage } from './reader-language';
import { lvsFilesUnder } from '../shared/lvs-files';

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The option values back as arguments (the single-file command parses them again). */
function optionArgs(values: Record<string, unknown>, drop: string[]): string[] {
  const out: string[] = [];
  for (const [name, v] of Object.entries(values)) {
    if (drop.includes(name) || v === undefined || v === false) continue;
    if (v === true) out.push(`--${name}`);
    else for (const x of Array.isArray(v) ? v : [v]) out.push(`--${name}`, String(x));
  }
  return out;
}

/** Worst first: an error, then changes/drift, then nothing to report. */
export function aggregateExit(codes: number[]): number {
  if (codes.some((c) => c !== 0 && c !== 3)) return 1;
  return codes.includes(3) ? 3 : 0;
}

const WORDS: Record<string, Record<number, Msg>> = {
  plan: { 0: t`no change`, 3: t`changes` },
  drift: { 0: t`in sync`, 3: t`DRIFT` },
};

/**
 * When the one operand is a directory: runs `run` for each cluster below it and returns the
 * aggregated exit status; undefined when this is not a directory run (the caller goes on).
 */
export async function runForDirectory<O extends OptionSpecs>(spec: CommandSpec<O>, argv: string[], run: (argv: string[]) => Promise<number>): Promise<number | undefined> {
  if (!argv.some((a) => !a.startsWith('-') && isDirectory(a))) return undefined;
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length !== 1 || !isDirectory(parsed.positionals[0])) return undefined;
  const dir = parsed.positionals[0];
  const values = parsed.values as Record<string, unknown>;
  for (const single of ['json', 'events', 'plan-id']) {
    if (values[single] !== undefined) {
      process.stderr.write(`lvsdr ${spec.name}: ${inReaderLanguage(t`--${single} takes one FILE, not a directory (${dir})`)}\n`);
      return 2;
    }
  }
  const only = values.cluster as string | undefined;
  const files = lvsFilesUnder(dir);
  const rest = optionArgs(values, ['cluster']);
  const results: Array<{ file: string; cluster: string; code: number }> = [];
  for (const file of files) {
    let names: string[] = [];
    try {
      names = validateText(readFileSync(file, 'utf8')).model.clusters.map((c) => c.cluster.name.text);
    } catch { /* unreadable: the single-file run reports it */ }
    if (only) names = names.filter((n) => n === only);
    else if (names.length === 0) names = [''];
    for (const name of names) {
      const shown = relative(process.cwd(), file) || file;
      process.stdout.write(`\n== ${name ? inReaderLanguage(t`${shown} cluster ${name}`) : shown} ==\n`);
      const code = await run([file, ...(name ? ['--cluster', name] : []), ...rest]);
      results.push({ file, cluster: name, code });
    }
  }
  const code = aggregateExit(results.map((r) => r.code));
  const words = WORDS[spec.name] ?? {};
  const clusters = results.length === 1 ? t`1 cluster` : t`${results.length} clusters`;
  const lvsFiles = files.length === 1 ? t`1 file` : t`${files.length} files`;
  process.stdout.write(`\n${inReaderLanguage(t`${spec.name} of ${clusters} in ${lvsFiles} under ${dir}:`)}\n`);
  for (const r of results) {
    const word = words[r.code] ?? t`failed (exit ${r.code})`;
    process.stdout.write(`  ${(relative(process.cwd(), r.file) || r.file)}${r.cluster ? ` ${r.cluster}` : ''}: ${inReaderLanguage(word)}\n`);
  }
  if (results.length === 0) process.stdout.write(`  ${inReaderLanguage(t`no cluster in any .lvs file under ${dir}`)}\n`);
  return code;
}
