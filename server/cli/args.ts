// The one way every `lvsdr` command reads its arguments: node's `util.parseArgs` over a
// declared spec (options with their help lines). `--help`/`-h` is an option of every command;
// an unknown option or a missing value is a usage error (exit 2) with the command's usage.
// Usage errors and the whole help (headers, summaries, option lines, notes) are in the reader's
// language (reader-language.ts); command and option names stay as typed.
import { parseArgs } from 'node:util';
import { english, joinMsgs, Msg, MsgArg, t } from '../shared/l10n/message';
import { inReaderLanguage } from './reader-language';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Name of the value in the help (`--target lab|hosts`). */
  arg?: string;
  help: Msg;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** `plan`, `lab up`… */
  name: string;
  /** What follows `lvsdr NAME` in the usage line (positionals). */
  operands: string;
  /** One line for the top-level help. */
  summary: Msg;
  /** Exit statuses and anything else the help says after the options. */
  notes?: Msg;
  options: O;
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? (S['multiple'] extends true ? boolean[] : boolean)
  : (S['multiple'] extends true ? string[] : string);

export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: ValueOf<O[K]> };

export interface ParsedCommand<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
}

/** A command line the command cannot run: the message says why, exit status 2. */
export class UsageError extends Error {
  /** `message` is the English of `msg` (what a JSON result carries). */
  constructor(readonly msg: Msg) {
    super(english(msg));
  }
}

/** Declares a command spec, keeping the literal option types for OptionValues. */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

export function usageLine(spec: CommandSpec): string {
  const words: MsgArg[] = [`lvsdr ${spec.name}${spec.operands ? ` ${spec.operands}` : ''}`];
  if (Object.keys(spec.options).length) words.push(t`[options]`);
  return inReaderLanguage(t`usage: ${joinMsgs(words, ' ')}`) + '\n';
}

/** Prints a usage error (`lvsdr NAME: why`, then the usage line) to stderr; returns its exit status, 2. */
export function usageError(spec: CommandSpec, why: Msg): number {
  process.stderr.write(`lvsdr ${spec.name}: ${inReaderLanguage(why)}\n${usageLine(spec)}`);
  return 2;
}

/** The full help of a command: usage, summary, each option, notes. */
export function commandHelp(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`,
    inReaderLanguage(o.multiple ? t`${o.help} (repeatable)` : o.help),
  ]);
  rows.push(['-h, --help', inReaderLanguage(t`show this help`)]);
  const width = Math.max(...rows.map((r) => r[0].length));
  return `${usageLine(spec)}\n${inReaderLanguage(spec.summary)}\n\n${inReaderLanguage(t`options:`)}\n${rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}\n`).join('')}` +
    (spec.notes ? `\n${inReaderLanguage(spec.notes).trimEnd()}\n` : '');
}

/**
 * Parses argv by the spec. Returns the values, or the exit status when the command must stop
 * here: 0 after printing the help (stdout), 2 after a usage error (stderr).
 */
export function parseCommand<O extends OptionSpecs>(spec: CommandSpec<O>, argv: string[]): ParsedCommand<O> | number {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    if (!String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS_')) throw e;
    usageError(spec, parseErrorText(e));
    process.stderr.write(inReaderLanguage(t`(lvsdr ${spec.name} --help lists the options)`) + '\n');
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(commandHelp(spec));
    return 0;
  }
  delete parsed.values.help;
  // A string option given as `--name=` has an empty value: no option takes one.
  for (const [name, v] of Object.entries(parsed.values)) {
    if (v === '' || (Array.isArray(v) && v.includes(''))) {
      return usageError(spec, t`${`--${name}`} needs a value`);
    }
  }
  return parsed as ParsedCommand<O>;
}

/** parseArgs' errors in the words of this CLI (its own messages suggest `--` tricks). */
function parseErrorText(e: unknown): Msg {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const quoted = /'([^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return t`unknown option '${quoted ?? '?'}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const opt = /^Option '([^']*)'/.exec(message)?.[1] ?? quoted ?? '?';
    const name = opt.replace(/^(-\w, )?/, '').split(' ')[0];
    return /does not take an argument/.test(message) ? t`${name} takes no value` : t`${name} needs a value`;
  }
  // Another parseArgs error: node's own words, untranslated.
  return joinMsgs([message], '');
}

/** Stops a command with a usage error unless the condition holds. */
export function requireUsage(ok: boolean, message: Msg): asserts ok {
  if (!ok) throw new UsageError(message);
}
