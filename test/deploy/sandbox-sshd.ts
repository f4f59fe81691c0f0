// A real sshd on 127.0.0.1 for tests, running in a private mount namespace (unshare -m) where
// /run, /var/lib and /opt are empty tmpfs: whatever a script run through it writes there
// (locks, backups, uploads) never reaches the machine. Needs root.
import { spawn, spawnSync, ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshdArgs } from '../../server/lab/sshd';
import { sqList } from '../../server/shared/shell-quote';
import { HostTarget } from '../../server/deploy/types';

export function sandboxUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (unshare -m, sshd)';
  if (spawnSync('unshare', ['--help']).status !== 0) return 'needs unshare (util-linux)';
  if (spawnSync('/usr/sbin/sshd', ['-V']).error) return 'needs /usr/sbin/sshd';
  return undefined;
}

export interface SandboxSshd {
  port: number;
  dir: string;
  /** The client key (authorized for root) and the host's public keys (`type base64`). */
  clientKey: string;
  hostKeys: Record<string, string>;
  /** PID of the namespace's first process (nsenter -t PID -m runs commands inside). */
  pid: number;
  target(over?: Partial<HostTarget>): HostTarget;
  /** Runs `sh -c script` inside the namespace (not through SSH). */
  inside(script: string): { code: number; stdout: string; stderr: string };
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Starts sshd with host keys of the given types (ssh-keygen -t names: ed25519, rsa, ecdsa). */
/** `addresses`: loopback addresses it listens on besides 127.0.0.1 (hosts of one cluster, one sshd). */
export async function startSandboxSshd(hostKeyTypes: string[] = ['ed25519'], addresses: string[] = []): Promise<SandboxSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-sshd-'));
  const clientKey = join(dir, 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  const hostKeys: Record<string, string> = {};
  const keyArgs: string[] = [];
  for (const t of hostKeyTypes) {
    const f = join(dir, `host_${t}`);
    execFileSync('ssh-keygen', ['-q', '-t', t, ...(t === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', f]);
    const [type, b64] = readFileSync(`${f}.pub`, 'utf8').trim().split(/\s+/);
    hostKeys[type] = `${type} ${b64}`;
    keyArgs.push(f);
  }
  const port = await freePort();
  const args = sshdArgs('127.0.0.1', keyArgs[0], `${clientKey}.pub`);
  for (const k of keyArgs.slice(1)) args.push('-o', `HostKey=${k}`);
  for (const a of addresses) args.push('-o', `ListenAddress=${a}`);
  args.push('-p', String(port));
  const child: ChildProcess = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
    `mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/lib && mount -t tmpfs tmpfs /opt && mkdir -p /run/sshd && chmod 755 /run/sshd && exec ${sqList(args)}`],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`sshd did not start: ${log}`)), 10_000);
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (/Server listening/.test(log)) {
        clearTimeout(t);
        res();
      }
    });
    child.once('exit', (c) => {
      clearTimeout(t);
      rej(new Error(`sshd exited ${c}: ${log}`));
    });
  });
  const pid = child.pid!;
  return {
    port, dir, clientKey, hostKeys, pid,
    target: (over = {}) => ({
      name: 'sandbox', role: 'server', address: '127.0.0.1', port, user: 'root', keyFile: clientKey,
      knownHosts: join(dir, 'known_hosts'), useAgent: false, os: 'debian', skipOsCheck: true, ...over,
    }),
    inside: (script) => {
      const r = spawnSync('nsenter', ['-t', String(pid), '-m', '--', 'sh', '-c', script], { encoding: 'utf8' });
      return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
    },
    stop: () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch { /* gone */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
