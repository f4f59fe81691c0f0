// Network namespace, veth and bridge helpers around `ip` (argument arrays, no shell).
import { existsSync } from 'node:fs';
import { run } from './run';

export async function listNamespaces(): Promise<string[]> {
  const r = await run('ip', ['netns', 'list'], { allowFailure: true });
  return r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
}

export function namespaceExists(ns: string): boolean {
  return existsSync(`/run/netns/${ns}`);
}

export async function addNamespace(ns: string): Promise<void> {
  await run('ip', ['netns', 'add', ns]);
  await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
}

export async function deleteNamespace(ns: string): Promise<void> {
  if (!namespaceExists(ns)) return;
  await run('ip', ['netns', 'del', ns], { allowFailure: true });
}

/** PIDs of every process whose network namespace is `ns`. */
export async function namespacePids(ns: string): Promise<number[]> {
  if (!namespaceExists(ns)) return [];
  const r = await run('ip', ['netns', 'pids', ns], { allowFailure: true });
  return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 1);
}

export async function addBridge(ns: string, bridge: string): Promise<void> {
  await run('ip', ['-n', ns, 'link', 'add', bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
  await run('ip', ['-n', ns, 'link', 'set', bridge, 'up']);
}

/**
 * A veth pair from `ns`'s bridge to `peerNs`: `port` (in `ns`, enslaved to `bridge`) and
 * `peerName` (in `peerNs`). Both are created directly in their namespaces, so no name ever
 * appears in (or clashes with) the host's own namespace.
 */
export async function addVethToBridge(ns: string, bridge: string, port: string, peerNs: string, peerName: string): Promise<void> {
  await run('ip', ['-n', ns, 'link', 'add', port, 'type', 'veth', 'peer', 'name', peerName, 'netns', peerNs]);
  await run('ip', ['-n', ns, 'link', 'set', port, 'master', bridge]);
  await run('ip', ['-n', ns, 'link', 'set', port, 'up']);
}

export async function setLinkUp(ns: string, dev: string): Promise<void> {
  await run('ip', ['-n', ns, 'link', 'set', dev, 'up']);
}

export async function addAddress(ns: string, dev: string, cidr: string, flags: string[] = []): Promise<void> {
  await run('ip', ['-n', ns, 'addr', 'add', cidr, 'dev', dev, ...flags]);
}

/** Turns off tx checksum offload on a link (the raw end UML's vec0 uses). */
export async function txChecksumOff(ns: string, dev: string): Promise<void> {
  await run('ip', ['netns', 'exec', ns, 'ethtool', '-K', dev, 'tx', 'off'], { allowFailure: true });
}

/**
 * Makes the kernel cut TCP/UDP segments to the MTU before they leave `dev` (the bridge port in
 * front of a director's raw link). With segmentation offload on, the bridge hands the raw socket
 * 64 KB super-packets that UML's vec0 truncates to one MTU: the sender retransmits after timeouts
 * and 128 KB over ssh took 3–72 s instead of 0.2 s.
 */
export async function segmentationOffloadOff(ns: string, dev: string): Promise<void> {
  await run('ip', ['netns', 'exec', ns, 'ethtool', '-K', dev, 'tso', 'off', 'gso', 'off']);
}

/** Interface names are at most 15 bytes. */
export function ifName(prefix: string, suffix: string): string {
  return (prefix + suffix).replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 15);
}
