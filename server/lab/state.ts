// The lab's state directory and state file. The file lists every namespace, process and link
// the lab created, written as soon as each is created, so `lab down` can undo a crashed `up`.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { HostKind } from './layout';
import { Msg, t } from '../shared/l10n/message';
import { MessageError } from '../shared/l10n/message-error';

/**
 * Default state directory. Not under /run or /tmp: the lab's hosts mount private tmpfs there,
 * and UML directors see the host's files (hostfs) only outside those mounts.
 */
export const DEFAULT_STATE_DIR = '/var/lib/lvsdr/lab';

export function stateDir(): string {
  return process.env.LVSDR_LAB_DIR || DEFAULT_STATE_DIR;
}

/** Why a directory cannot hold lab state (the hosts would not see it), or undefined if it can. */
export function unusableStateDir(dir: string): Msg | undefined {
  if (!dir.startsWith('/')) return t`the state directory must be an absolute path (got ${dir})`;
  const clean = dir.replace(/\/+$/, '') || '/';
  if (clean === '/') return t`the state directory cannot be /`;
  for (const hidden of ['/tmp', '/run', '/var/run', '/dev', '/proc', '/sys']) {
    if (clean === hidden || clean.startsWith(`${hidden}/`)) {
      return t`the state directory ${dir} is under ${hidden}, which every lab host replaces by its own (choose another LVSDR_LAB_DIR)`;
    }
  }
  return undefined;
}

export function stateFile(dir = stateDir()): string {
  return join(dir, 'state.json');
}

export interface LabHost {
  name: string;
  kind: HostKind;
  /** Network namespace of the host (for a director: where linux.uml runs). */
  ns: string;
  address: string;
  prefix: number;
  /** The IPv6 address and prefix of a dual-stack host (the lab is reached over IPv4). */
  address6?: string;
  prefix6?: number;
  iface: string;
  /** The veth end plugged into the lab bridge (inside the lab namespace). */
  bridgePort: string;
  tcpPorts: number[];
  udpPorts: number[];
  /**
   * Directors: PID of linux.uml. Real servers: host PID of the PID-1 shell of the host's own
   * PID/mount/UTS namespaces (nsenter target). Client: none.
   */
  pid?: number;
  /** PID of the process we spawned (unshare for real servers; same as pid for directors). */
  spawnedPid?: number;
  umid?: string;
  log?: string;
  script?: string;
}

export interface LabState {
  version: 1;
  id: string;
  dir: string;
  file: string;
  cluster: string;
  createdAt: string;
  phase: 'creating' | 'up' | 'failed';
  labNs: string;
  bridge: string;
  network: string;
  prefix: number;
  gateway?: string;
  vips: string[];
  /** Every network namespace created, in creation order (`down` deletes them in reverse). */
  namespaces: string[];
  hosts: LabHost[];
  keys: { private: string; public: string; authorizedKeys: string; knownHosts: string; hostKeys: Record<string, string> };
  control: { port: number; tokenFile: string; script: string };
  umlDir: string;
  timings: Record<string, number>;
}

export function newLabId(): string {
  return randomBytes(3).toString('hex');
}

export function readState(dir = stateDir()): LabState | undefined {
  const f = stateFile(dir);
  if (!existsSync(f)) return undefined;
  const parsed = JSON.parse(readFileSync(f, 'utf8')) as LabState;
  if (parsed.version !== 1) throw new MessageError(t`${f}: unknown state version ${String(parsed.version)}`);
  return parsed;
}

/** Writes atomically (tmp + rename) so a crash never leaves half a state file. */
export function writeState(state: LabState): void {
  mkdirSync(state.dir, { recursive: true, mode: 0o700 });
  const f = stateFile(state.dir);
  writeFileSync(`${f}.tmp`, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${f}.tmp`, f);
}

export function hostByName(state: LabState, name: string): LabHost | undefined {
  return state.hosts.find((h) => h.name === name);
}

/** The lab's client namespace: the one place lab traffic starts from. */
export function clientHost(state: LabState): LabHost {
  const c = state.hosts.find((h) => h.kind === 'client');
  if (!c) throw new MessageError(t`the lab has no client namespace`);
  return c;
}
