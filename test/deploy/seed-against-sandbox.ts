// The seed cluster pointed at the sandbox sshd (sandbox-sshd.ts): a HOME whose ssh config sends
// every host to it as root, with the sandbox's client key where the seed's
// `ssh { key ~/.ssh/id_ed25519 }` looks, and the seed in a repository outside that HOME with
// `target os debian` (this machine is the host: the preflight and drift check its OS family).
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxSshd } from './sandbox-sshd';

export interface SeedAgainstSandbox {
  home: string;
  repo: string;
  file: string;
  /** Removes HOME and the repository (not the sshd). */
  done(): void;
}

/** `name` tells the temporary folders apart (lvsdr-NAME-home-…, lvsdr-NAME-repo-…). */
export function seedAgainstSandbox(sshd: SandboxSshd, name: string): SeedAgainstSandbox {
  const home = mkdtempSync(join(tmpdir(), `lvsdr-${name}-home-`));
  const repo = mkdtempSync(join(tmpdir(), `lvsdr-${name}-repo-`));
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  writeFileSync(join(home, '.ssh', 'config'), `Host *\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User root\n  IdentityFile ${sshd.clientKey}\n`);
  writeFileSync(join(home, '.ssh', 'known_hosts'), '');
  copyFileSync(sshd.clientKey, join(home, '.ssh', 'id_ed25519'));
  chmodSync(join(home, '.ssh', 'id_ed25519'), 0o600);
  const file = join(repo, 'seed.lvs');
  writeFileSync(file, readFileSync('examples/seed.lvs', 'utf8').replace(/target os \w+/, 'target os debian'));
  return { home, repo, file, done: () => { rmSync(home, { recursive: true, force: true }); rmSync(repo, { recursive: true, force: true }); } };
}
