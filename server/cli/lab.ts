// `lvsdr lab up FILE [--cluster NAME] | status [--json] | exec HOST -- CMD... | down`:
// the local lab (see docs/lab.md and server/lab/).
import { labDown } from '../lab/down';
import { execInteractive } from '../lab/exec';
import { listNamespaces } from '../lab/netns';
import { checkPrerequisites, formatPrereqReport } from '../lab/packages';
import { readState, stateDir } from '../lab/state';
import { formatStatus, hostStatuses } from '../lab/status';
import { LabError, labUp } from '../lab/up';
import { wordsOf } from '../deploy/errors';
import { joinMsgs, listMsgs, Msg, t } from '../shared/l10n/message';
import { inReaderLanguage } from './reader-language';
import { parseCommand, usageError } from './args';
import { LAB_CHECK, LAB_COMMANDS, LAB_NOTES, LAB_DOWN, LAB_EXEC, LAB_STATUS, LAB_UP } from './commands';

/** A progress line of `lab up` as printed on stderr, in the reader's language. */
export function labLogLine(line: Msg): string {
  return `lvsdr lab: ${inReaderLanguage(line)}\n`;
}

/** `lvsdr lab` alone (or `--help`): the lab commands. */
function labHelp(): string {
  return `${inReaderLanguage(t`usage: ${joinMsgs(['lvsdr lab <command>', t`[options]`], ' ')}`)}\n\n` +
    LAB_COMMANDS.map((c) => `  ${`${c.name.slice(4)} ${c.operands}`.trimEnd().padEnd(24)}  ${inReaderLanguage(c.summary)}\n`).join('') +
    `\n${inReaderLanguage(t`\`lvsdr lab <command> --help\` shows the options of a command.`)}\n${inReaderLanguage(LAB_NOTES)}\n`;
}

export async function labCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'up': return await up(rest);
      case 'status': return status(rest);
      case 'exec': return await exec(rest);
      case 'down': return await down(rest);
      case 'check': return check(rest);
      case undefined: case '-h': case '--help': case 'help':
        (sub === undefined ? process.stderr : process.stdout).write(labHelp());
        return sub === undefined ? 2 : 0;
      default:
        process.stderr.write(`lvsdr lab: ${inReaderLanguage(t`unknown command '${sub}'`)}\n${labHelp()}`);
        return 2;
    }
  } catch (e) {
    process.stderr.write(`lvsdr lab ${sub}: ${inReaderLanguage(wordsOf(e))}\n`);
    return e instanceof LabError ? e.exitCode : 1;
  }
}

async function up(args: string[]): Promise<number> {
  const parsed = parseCommand(LAB_UP, args);
  if (typeof parsed === 'number') return parsed;
  const { cluster, 'keep-on-failure': keepOnFailure = false } = parsed.values;
  if (parsed.positionals.length !== 1) return usageError(LAB_UP, t`exactly one FILE`);
  const state = await labUp(parsed.positionals[0], { cluster, keepOnFailure, log: (l) => process.stderr.write(labLogLine(l)) });
  process.stdout.write(formatStatus(state, inReaderLanguage));
  return 0;
}

function status(args: string[]): number {
  const parsed = parseCommand(LAB_STATUS, args);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length) return usageError(LAB_STATUS, t`takes no operands`);
  const json = parsed.values.json ?? false;
  const state = readState();
  if (!state) {
    if (json) process.stdout.write('null\n');
    else process.stdout.write(`${inReaderLanguage(t`no lab is up (state directory ${stateDir()})`)}\n`);
    return 1;
  }
  if (json) process.stdout.write(JSON.stringify({ ...state, status: hostStatuses(state) }, null, 2) + '\n');
  else process.stdout.write(formatStatus(state, inReaderLanguage));
  return 0;
}

async function exec(args: string[]): Promise<number> {
  // Everything after `--` is the remote command, options included.
  const sep = args.indexOf('--');
  const parsed = parseCommand(LAB_EXEC, sep >= 0 ? args.slice(0, sep) : args);
  if (typeof parsed === 'number') return parsed;
  const [host, ...more] = parsed.positionals;
  const argv = sep >= 0 ? args.slice(sep + 1) : more;
  if (!host || (sep >= 0 && more.length > 0) || argv.length === 0) {
    return usageError(LAB_EXEC, t`a HOST and a COMMAND are needed`);
  }
  const state = readState();
  if (!state) { process.stderr.write(`lvsdr lab exec: ${inReaderLanguage(t`no lab is up (state directory ${stateDir()})`)}\n`); return 1; }
  return execInteractive(state, host, argv);
}

async function down(args: string[]): Promise<number> {
  const parsed = parseCommand(LAB_DOWN, args);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length) return usageError(LAB_DOWN, t`takes no operands`);
  const state = readState();
  if (!state) {
    const strays = (await listNamespaces()).filter((n) => n.startsWith('lvsdr-'));
    process.stdout.write(`${inReaderLanguage(t`no lab is up (state directory ${stateDir()})`)}\n`);
    if (strays.length) process.stdout.write(`${inReaderLanguage(t`namespaces named lvsdr-* not recorded by this state directory: ${listMsgs(strays)}`)}\n`);
    return 0;
  }
  const r = await labDown(state);
  process.stdout.write(`${inReaderLanguage(t`lab ${state.id} down: killed ${r.killed.length} processes, deleted ${r.deletedNamespaces.length} namespaces`)}\n`);
  if (r.leftovers.length) {
    process.stderr.write(`${inReaderLanguage(t`left over: ${listMsgs(r.leftovers)} (state kept in ${state.dir}; run 'lvsdr lab down' again)`)}\n`);
    return 1;
  }
  return 0;
}

function check(args: string[]): number {
  const parsed = parseCommand(LAB_CHECK, args);
  if (typeof parsed === 'number') return parsed;
  const r = checkPrerequisites();
  if (r.ok) { process.stdout.write(`${inReaderLanguage(t`lab prerequisites present (UML modules ${r.umlModules ?? ''})`)}\n`); return 0; }
  process.stdout.write(inReaderLanguage(formatPrereqReport(r)));
  return 3;
}
