// Shared by the lab tests: prerequisite gating (skip locally, fail under CI=true), a private
// state directory per test file, and small parsers of ipvsadm output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPrerequisites, formatPrereqReport } from '../../server/lab/packages';

/** Why the lab cannot run here, or undefined. */
export function labUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'needs root';
  const r = checkPrerequisites();
  if (!r.ok) return formatPrereqReport(r).trim().replace(/\s*\n\s*/g, '; ');
  return undefined;
}

/**
 * Registers `body` as the suite when the lab can run; otherwise one skipped test with a
 * one-line reason, or (CI=true) one failing test: CI must not silently skip the lab.
 */
export function labSuite(name: string, body: () => void): void {
  const reason = labUnavailable();
  if (!reason) { body(); return; }
  if (process.env.CI === 'true') {
    test(`${name}: prerequisites`, () => assert.fail(`the lab cannot run under CI: ${reason}`));
  } else {
    test(name, { skip: `lab prerequisites missing: ${reason}` }, () => undefined);
  }
}

/** Points the lab at a state directory of its own (never the user's lab). */
export function useTestStateDir(tag: string): string {
  const dir = `/var/lib/lvsdr/test-${tag}-${process.pid}`;
  process.env.LVSDR_LAB_DIR = dir;
  return dir;
}

export interface IpvsStats {
  conns: number;
  inPkts: number;
  outPkts: number;
}

/** The service line of `ipvsadm -Ln --stats` for PROTO VIP:PORT. */
export function serviceStats(text: string, proto: string, vipPort: string): IpvsStats | undefined {
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] === proto.toUpperCase() && f[1] === vipPort) return { conns: Number(f[2]), inPkts: Number(f[3]), outPkts: Number(f[4]) };
  }
  return undefined;
}

export function sshArgs(key: string, knownHosts: string, address: string, command: string): string[] {
  return ['ssh', '-F', '/dev/null', '-i', key, '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=60', `root@${address}`, command];
}
