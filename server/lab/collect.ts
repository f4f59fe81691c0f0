// Runs a lab command as a child process and collects its output (with a hard timeout).
import { spawn } from 'node:child_process';
import { labEnv } from './run';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns `file args`, feeds `input` (or nothing) to its stdin, and resolves when it closes. */
export function collectOutput(file: string, args: string[], input: string | Buffer | undefined, timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: labEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => { clearTimeout(killer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code: code ?? (signal ? 255 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => { /* the command may exit without reading its stdin */ });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}
