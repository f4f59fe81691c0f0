// The prerequisites of the tests that run remote scripts in a private mount namespace
// (`unshare -m`), so that what the scripts write never reaches the machine, and that namespace.
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRELUDE } from '../../server/deploy/remote';

/** Why a mount-namespace sandbox cannot run here, or undefined. */
export function mountSandboxUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (unshare -m)';
  if (spawnSync('unshare', ['--help']).status !== 0) return 'needs unshare (util-linux)';
  return undefined;
}

/**
 * The reason to skip a sandbox suite, or undefined. Under CI=true a missing prerequisite is a
 * failing test named after the suite, never a silent skip.
 */
export function mountSandboxSkip(suite: string): string | undefined {
  const reason = mountSandboxUnavailable();
  if (reason && process.env.CI === 'true') test(`${suite}: prerequisites`, () => assert.fail(reason));
  return reason;
}

/** A private mount namespace of this machine where /opt, /run and /var/lib are empty tmpfs. */
export interface MountSandbox {
  /** PID of the process that holds the namespace (nsenter -t PID -m runs commands inside). */
  pid: number;
  /** Runs the deploy's shell prelude, then `script`, then `input`, with `sh -s` inside the namespace. */
  run(script: string, input?: string): { code: number; stdout: string; stderr: string };
  /** The same, and fails the test unless the script exits 0; returns its stdout. */
  sh(script: string): string;
  /** Ends the namespace (its tmpfs mounts go with it). */
  stop(): void;
}

export async function startMountSandbox(): Promise<MountSandbox> {
  const holder = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
    'mount -t tmpfs tmpfs /opt && mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/lib && echo ready && exec sleep 3600'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res, rej) => {
    holder.stdout!.once('data', () => res());
    holder.once('exit', (c) => rej(new Error(`unshare exited ${c}`)));
  });
  const pid = holder.pid!;
  const run = (script: string, input = '') => {
    const r = spawnSync('nsenter', ['-t', String(pid), '-m', '--', 'sh', '-s'], { input: `${PRELUDE}\n${script}\n${input}`, encoding: 'utf8' });
    return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    pid,
    run,
    sh: (script) => {
      const r = run(script);
      assert.equal(r.code, 0, `${script}\n${r.stderr}`);
      return r.stdout;
    },
    stop: () => { holder.kill('SIGKILL'); },
  };
}
