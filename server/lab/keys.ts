// Per-lab SSH material under the state directory: one ed25519 host key per host, one
// authorized ed25519 key pair for root on every host, and a known_hosts file of the lab.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run';

export interface LabKeys {
  private: string;
  public: string;
  authorizedKeys: string;
  knownHosts: string;
  hostKeys: Record<string, string>;
}

async function keygen(path: string, comment: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  chmodSync(path, 0o600);
}

/** Creates the keys of a lab; `hosts` lists name and address of every host that runs sshd. */
export async function createLabKeys(dir: string, labId: string, hosts: Array<{ name: string; address: string }>): Promise<LabKeys> {
  const keyDir = join(dir, 'keys');
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const priv = join(keyDir, 'id_ed25519');
  await keygen(priv, `lvsdr-lab-${labId}`);
  const authorizedKeys = join(keyDir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${priv}.pub`), { mode: 0o600 });
  const hostKeys: Record<string, string> = {};
  await Promise.all(hosts.map(async (h) => {
    const p = join(keyDir, `host-${h.name}_ed25519`);
    await keygen(p, `root@${h.name}`);
    hostKeys[h.name] = p;
  }));
  const knownHosts = join(dir, 'known_hosts');
  const lines = hosts.map((h) => {
    const [type, key] = readFileSync(`${hostKeys[h.name]}.pub`, 'utf8').trim().split(/\s+/);
    return `${h.name},${h.address} ${type} ${key}`;
  });
  writeFileSync(knownHosts, lines.join('\n') + '\n', { mode: 0o644 });
  return { private: priv, public: `${priv}.pub`, authorizedKeys, knownHosts, hostKeys };
}

/** The ssh command line (inside the client namespace) that reaches `address` as root. */
export function sshCommand(clientNs: string, keys: { private: string; knownHosts: string }, address: string): string[] {
  return ['ip', 'netns', 'exec', clientNs, 'ssh', '-F', '/dev/null', '-i', keys.private,
    '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${keys.knownHosts}`, `root@${address}`];
}
