// `lab exec HOST -- CMD...`: runs a command on a lab host.
// Directors (UML): through the control channel (control.ts) from the client namespace.
// Real servers: nsenter into the host's network, mount, UTS, IPC and PID namespaces.
// The client: ip netns exec into its network namespace (the machine's files, no private /etc).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { collectOutput, ExecResult } from './collect';
import { controlClientArgv, controlExec } from './control';
import { nsenterArgv } from './real-server';
import { binary, labEnv } from './run';
import { listMsgs, t } from '../shared/l10n/message';
import { MessageError } from '../shared/l10n/message-error';
import { clientHost, hostByName, LabHost, LabState } from './state';

export type { ExecResult } from './collect';

function requireHost(state: LabState, name: string): LabHost {
  const h = hostByName(state, name);
  if (!h) throw new MessageError(t`no host '${name}' in the lab (hosts: ${listMsgs(state.hosts.map((x) => x.name))})`);
  return h;
}

/** The file and arguments that run `argv` on `host` (director: without stdin forwarding). */
export function execArgv(state: LabState, host: LabHost, argv: string[], forwardStdin: boolean): { file: string; args: string[] } {
  switch (host.kind) {
    case 'director':
      return controlClientArgv(clientHost(state).ns, host.address, state.control.port, state.control.tokenFile, argv, forwardStdin);
    case 'server':
      if (!host.pid) throw new MessageError(t`real server ${host.name} has no running namespace`);
      return nsenterArgv(host.pid, argv);
    case 'client':
      return { file: binary('ip'), args: ['netns', 'exec', host.ns, ...argv] };
  }
}

/** Runs `argv` on the named host and collects its output (for tests and the deploy engine). */
export async function execOnHost(state: LabState, name: string, argv: string[], opts: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<ExecResult> {
  if (argv.length === 0) throw new Error('lab exec: no command');
  const host = requireHost(state, name);
  if (host.kind === 'director') {
    return controlExec(clientHost(state).ns, host.address, state.control.port, state.control.tokenFile, argv, opts.input, opts.timeoutMs);
  }
  const { file, args } = execArgv(state, host, argv, opts.input !== undefined);
  return collectOutput(file, args, opts.input, opts.timeoutMs ?? 120_000);
}

/** Runs `argv` on the host with the caller's stdio (the CLI); resolves to the exit code. */
export function execInteractive(state: LabState, name: string, argv: string[]): Promise<number> {
  if (argv.length === 0) throw new Error('lab exec: no command');
  const host = requireHost(state, name);
  const forwardStdin = !process.stdin.isTTY;
  const { file, args } = execArgv(state, host, argv, forwardStdin);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: labEnv(), stdio: [host.kind === 'director' && !forwardStdin ? 'ignore' : 'inherit', 'inherit', 'inherit'] });
    child.on('error', reject);
    // A command killed by a signal exits 128 + its number, as a shell reports it (141: SIGPIPE).
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 127) : 1)));
  });
}
