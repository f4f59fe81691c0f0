// Sub-command dispatch of `lvsdr`. Help and usage errors are answered from the command table
// (commands.ts); only then is the module of the command loaded, so `lvsdr check` never loads
// the SSH library, the deploy engine or the lab.
import { t } from '../shared/l10n/message';
import { CommandSpec, commandHelp, parseCommand } from './args';
import { inReaderLanguage } from './reader-language';
import { CHECK, COMMANDS, DEPLOY, DRAIN, DRIFT, EXPORT_ANSIBLE, FAILOVER, GENERATE, IMPORT, LAB_COMMANDS, mainHelp, PLAN, RESTORE, ROLLBACK, STATUS, UNLOCK } from './commands';

type Run = (args: string[]) => Promise<number> | number;

const RUNNERS: Record<string, () => Promise<Run>> = {
  check: async () => (await import('./check')).checkCommand,
  generate: async () => (await import('./generate')).generateCommand,
  import: async () => (await import('./import')).importCommand,
  plan: async () => (await import('./deploy')).planCommand,
  deploy: async () => (await import('./deploy')).deployCommand,
  rollback: async () => (await import('./deploy')).rollbackCommand,
  drift: async () => (await import('./deploy')).driftCommand,
  'export ansible': async () => (await import('./export')).exportAnsibleCommand,
  unlock: async () => (await import('./deploy')).unlockCommand,
  status: async () => (await import('./live')).statusCommand,
  drain: async () => (await import('./live')).drainCommand,
  restore: async () => (await import('./live')).restoreCommand,
  failover: async () => (await import('./live')).failoverCommand,
};

const SPECS: Record<string, CommandSpec> = { check: CHECK, generate: GENERATE, 'export ansible': EXPORT_ANSIBLE, import: IMPORT, plan: PLAN, deploy: DEPLOY, rollback: ROLLBACK, drift: DRIFT, unlock: UNLOCK, status: STATUS, drain: DRAIN, restore: RESTORE, failover: FAILOVER };

export async function runCli(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    process.stderr.write(mainHelp());
    return 2;
  }
  if (command === '-h' || command === '--help') {
    process.stdout.write(mainHelp());
    return 0;
  }
  if (command === 'help') return help(rest);
  if (command === 'lab') return (await import('./lab')).labCommand(rest);
  if (command === 'export') return exportCommand(rest);
  const spec = SPECS[command];
  if (!spec) {
    process.stderr.write(`lvsdr: ${inReaderLanguage(t`unknown command '${command}'`)}\n${mainHelp()}`);
    return 2;
  }
  // Help and usage errors without loading the command.
  const parsed = parseCommand(spec, rest);
  if (typeof parsed === 'number') return parsed;
  return (await RUNNERS[command]())(rest);
}

/** `lvsdr export FORMAT …`: one format so far, ansible. */
async function exportCommand(args: string[]): Promise<number> {
  const [format, ...rest] = args;
  if (format !== 'ansible') {
    const why = format === undefined ? t`a format is needed` : t`unknown format '${format}'`;
    process.stderr.write(`lvsdr export: ${inReaderLanguage(t`${why} (formats: ansible)`)}\n${commandHelp(EXPORT_ANSIBLE)}`);
    return 2;
  }
  const parsed = parseCommand(EXPORT_ANSIBLE, rest);
  if (typeof parsed === 'number') return parsed;
  return (await RUNNERS['export ansible']())(rest);
}

/** `lvsdr help [COMMAND [SUBCOMMAND]]`. */
function help(words: string[]): number {
  if (words.length === 0) {
    process.stdout.write(mainHelp());
    return 0;
  }
  const name = words.join(' ');
  const spec = [...COMMANDS, ...LAB_COMMANDS].find((c) => c.name === name);
  if (!spec) {
    process.stderr.write(`lvsdr help: ${inReaderLanguage(t`no command '${name}'`)}\n${mainHelp()}`);
    return 2;
  }
  process.stdout.write(commandHelp(spec));
  return 0;
}
