// Running host commands for the lab: execFile with argument arrays (never a shell string),
// absolute binary paths looked up in the standard system directories.
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { t } from '../shared/l10n/message';
import { MessageError } from '../shared/l10n/message-error';

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Absolute path of a system binary, or undefined when none of the standard directories has it. */
export function findBinary(name: string): string | undefined {
  if (name.startsWith('/')) return isExecutable(name) ? name : undefined;
  for (const dir of SYSTEM_DIRS) {
    const p = `${dir}/${name}`;
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like findBinary but throws a clear error (the prerequisite check normally catches this first). */
export function binary(name: string): string {
  const p = findBinary(name);
  if (!p) throw new MessageError(t`'${name}' not found in ${SYSTEM_DIRS.join(':')} (run 'lvsdr lab up' for the install hint)`);
  return p;
}

/**
 * Environment of every command the lab runs: a plain system PATH. ELECTRON_RUN_AS_NODE makes
 * `process.execPath -e SCRIPT` (the control-channel client, the probes) work when the lab is
 * driven from a VS Code extension host, whose execPath is Electron.
 */
export function labEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: SYSTEM_DIRS.join(':'), LC_ALL: 'C', ELECTRON_RUN_AS_NODE: '1', ...extra };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  timeoutMs?: number;
  /** Do not throw on a non-zero exit; return the result instead. */
  allowFailure?: boolean;
}

/** Runs `cmd args...`; throws (with stderr in the message) on failure unless allowFailure. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const file = binary(cmd);
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env: labEnv(), timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      const result = { code, stdout, stderr };
      if (err && !opts.allowFailure) {
        const why = (err as { killed?: boolean }).killed ? 'timed out' : `exit ${code}`;
        reject(new Error(`${cmd} ${args.join(' ')}: ${why}${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
      } else {
        resolve(result);
      }
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Runs a command with the caller's stdio (for `lab exec` from a terminal); resolves to its exit code. */
export function runInherit(file: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: labEnv(), stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return osConstants.signals[signal] ?? 1;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
