// `lvsdr lab up FILE [--cluster NAME] | status [--json] | exec HOST -- CMD... | down`:
// the local lab (see docs/lab.md and server/lab/).
import { labDown } from '../lab/down';
import { execInteractive } from '../lab/exec';
import { listNamespaces } from '../lab/netns';
import { checkPrerequisites, formatPrereqReport } from '../lab/packages';
import { readState, stateDir } from '../lab/state';
import { formatStatus, hostStatuses } from '../lab/status';
import { LabError, labUp } from '../lab/up';

const USAGE = `usage: lvsdr lab <command>

  up FILE [--cluster NAME] [--keep-on-failure]   build the cluster of FILE on this machine (root, Linux)
  status [--json]                                hosts, addresses, PIDs, keys, how to reach them
  exec HOST -- COMMAND...                        run a command on a lab host (exit status is the command's)
  down                                           stop every lab process and delete its namespaces
  check                                          check the machine's prerequisites (packages, root)

State directory: $LVSDR_LAB_DIR, default /var/lib/lvsdr/lab.
`;

export async function labCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'up': return await up(rest);
      case 'status': return status(rest);
      case 'exec': return await exec(rest);
      case 'down': return await down(rest);
      case 'check': return check();
      case undefined: case '-h': case '--help': case 'help':
        process.stdout.write(USAGE);
        return sub === undefined ? 2 : 0;
      default:
        process.stderr.write(`lvsdr lab: unknown command '${sub}'\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    process.stderr.write(`lvsdr lab ${sub}: ${(e as Error).message}\n`);
    return e instanceof LabError ? e.exitCode : 1;
  }
}

async function up(args: string[]): Promise<number> {
  let cluster: string | undefined;
  let keepOnFailure = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--cluster') cluster = args[++i];
    else if (a.startsWith('--cluster=')) cluster = a.slice('--cluster='.length);
    else if (a === '--keep-on-failure') keepOnFailure = true;
    else if (a.startsWith('-')) { process.stderr.write(`lvsdr lab up: unknown option '${a}'\n`); return 2; }
    else files.push(a);
  }
  if (files.length !== 1 || (cluster !== undefined && !cluster)) { process.stderr.write('usage: lvsdr lab up FILE [--cluster NAME]\n'); return 2; }
  const state = await labUp(files[0], { cluster, keepOnFailure, log: (l) => process.stderr.write(`lvsdr lab: ${l}\n`) });
  process.stdout.write(formatStatus(state));
  return 0;
}

function status(args: string[]): number {
  const json = args.includes('--json');
  const state = readState();
  if (!state) {
    if (json) process.stdout.write('null\n');
    else process.stdout.write(`no lab is up (state directory ${stateDir()})\n`);
    return 1;
  }
  if (json) process.stdout.write(JSON.stringify({ ...state, status: hostStatuses(state) }, null, 2) + '\n');
  else process.stdout.write(formatStatus(state));
  return 0;
}

async function exec(args: string[]): Promise<number> {
  const sep = args.indexOf('--');
  const host = args[0];
  const argv = sep >= 0 ? args.slice(sep + 1) : args.slice(1);
  if (!host || host === '--' || (sep >= 0 && sep !== 1) || argv.length === 0) {
    process.stderr.write('usage: lvsdr lab exec HOST -- COMMAND...\n');
    return 2;
  }
  const state = readState();
  if (!state) { process.stderr.write('lvsdr lab exec: no lab is up\n'); return 1; }
  return execInteractive(state, host, argv);
}

async function down(_args: string[]): Promise<number> {
  const state = readState();
  if (!state) {
    const strays = (await listNamespaces()).filter((n) => n.startsWith('lvsdr-'));
    process.stdout.write(`no lab is up (state directory ${stateDir()})\n`);
    if (strays.length) process.stdout.write(`namespaces named lvsdr-* not recorded by this state directory: ${strays.join(', ')}\n`);
    return 0;
  }
  const r = await labDown(state);
  process.stdout.write(`lab ${state.id} down: killed ${r.killed.length} processes, deleted ${r.deletedNamespaces.length} namespaces\n`);
  if (r.leftovers.length) {
    process.stderr.write(`left over: ${r.leftovers.join(', ')} (state kept in ${state.dir}; run 'lvsdr lab down' again)\n`);
    return 1;
  }
  return 0;
}

function check(): number {
  const r = checkPrerequisites();
  if (r.ok) { process.stdout.write(`lab prerequisites present (UML modules ${r.umlModules})\n`); return 0; }
  process.stdout.write(formatPrereqReport(r));
  return 3;
}
