// Runs the bundled `lvsdr` CLI (dist/server/cli.js) as a child process. The deploy engine lives
// there, without VS Code; this side only asks the questions and shows progress. SSH is done by
// the engine with ssh2 — nothing here shells out to ssh.
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
}

export interface CliOptions {
  /** Each stderr line as it arrives (progress lines of the engine). */
  onLine?(line: string): void;
  token?: vscode.CancellationToken;
  /** Extra environment (a passphrase for this run only, secrets). Never written anywhere. */
  env?: Record<string, string>;
  cwd?: string;
}

export function runCli(context: vscode.ExtensionContext, args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const cli = context.asAbsolutePath('dist/server/cli.js');
  return new Promise((resolve) => {
    // In VS Code desktop the extension host is Electron: run it as plain Node.
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let cancelled = false;
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => {
      const s = d.toString('utf8');
      stderr += s;
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) opts.onLine?.(l);
    });
    const sub = opts.token?.onCancellationRequested(() => {
      cancelled = true;
      // SIGINT: the engine cancels, rolls back what it changed and exits 130.
      child.kill('SIGINT');
    });
    child.on('close', (code) => {
      sub?.dispose();
      if (pending) opts.onLine?.(pending);
      resolve({ code, stdout, stderr, cancelled });
    });
  });
}
