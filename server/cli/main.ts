// Sub-command dispatch of `lvsdr`. Each sub-command lives in its own module.
import { checkCommand } from './check';
import { deployCommand, driftCommand, planCommand, rollbackCommand } from './deploy';
import { generateCommand } from './generate';
import { labCommand } from './lab';

const USAGE = `usage: lvsdr <command> [options]

commands:
  check FILE... [--format text|json]   validate .lvs files (exit 1 on errors, 2 on unreadable input)
  generate FILE --out DIR [--cluster NAME] [--preview]
                                       write every host's files and a MANIFEST.json per host
  plan FILE [--target lab|hosts]       what a deploy would change (exit 0 none, 3 changes)
  deploy FILE [--target lab|hosts] [--yes] [--accept-new] [--concurrency N]
                                       ordered, transactional deploy over SSH with rollback
  rollback FILE                        roll back the last deploy
  drift FILE                           remote files vs the file (exit 0 in sync, 3 drift)
  lab up FILE [--cluster NAME] | lab status | lab exec HOST -- CMD... | lab down
                                       a local LVS-DR lab: UML directors, namespace real servers
`;

export async function runCli(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'check':
      return checkCommand(rest);
    case 'generate':
      return generateCommand(rest);
    case 'lab':
      return labCommand(rest);
    case 'plan':
      return planCommand(rest);
    case 'deploy':
      return deployCommand(rest);
    case 'rollback':
      return rollbackCommand(rest);
    case 'drift':
      return driftCommand(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`lvsdr: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}
