// Shared by the lab tests: prerequisite gating (skip locally, fail under CI=true), a private
// state directory per test file, and small parsers of ipvsadm output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execOnHost } from '../../server/lab/exec';
import { binary } from '../../server/lab/run';
import { labDown } from '../../server/lab/down';
import { pidAlive } from '../../server/shared/process-alive';
import { sq } from '../../server/shared/shell-quote';
import { checkPrerequisites, formatPrereqReport } from '../../server/lab/packages';
import { english, Msg } from '../../server/shared/l10n/message';
import { clientHost, hostByName, LabState, readState } from '../../server/lab/state';
import { cliInvocation } from '../deploy/cli-mode';

/** Why the lab cannot run here, or undefined. */
export function labUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'needs root';
  const r = checkPrerequisites();
  if (!r.ok) return english(formatPrereqReport(r)).trim().replace(/\s*\n\s*/g, '; ');
  return undefined;
}

/** `lab up`'s progress lines in the test log, in English. */
export function labLog(line: Msg): void {
  console.log(`# ${english(line)}`);
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

const TEST_LABS = '/var/lib/lvsdr';

/**
 * Points the lab at a state directory of its own (never the user's lab). First takes down the
 * labs of earlier test processes that are gone: `node --test` killed by a signal does not run
 * its children's `after` hooks. A signal sent to this process itself (a test file run directly)
 * takes its own lab down before it exits.
 */
export async function useTestStateDir(tag: string): Promise<string> {
  await reapAbandonedTestLabs();
  const dir = `${TEST_LABS}/test-${tag}-${process.pid}`;
  process.env.LVSDR_LAB_DIR = dir;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      const state = readState(dir);
      void (state ? labDown(state) : Promise.resolve()).finally(() => process.exit(code));
    });
  }
  return dir;
}

/** `lab down` for every `test-<tag>-<pid>` state directory whose process no longer exists. */
async function reapAbandonedTestLabs(): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(TEST_LABS);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^test-[a-z-]+-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || pidAlive(pid)) continue;
    const dir = `${TEST_LABS}/${name}`;
    const state = readState(dir);
    if (state) {
      const r = await labDown(state);
      console.log(`# took down lab ${state.id} abandoned by test process ${pid}: ${r.killed.length} processes, ${r.deletedNamespaces.length} namespaces`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  }
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

// ---- Shared by the proof-*.test.ts files (generated files deployed into a lab, real traffic).

/** Polls `probe` until it is true; resolves to the milliseconds it took, throws after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<number> {
  const t = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - t;
    if (Date.now() - t > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface IpvsReal {
  address: string;
  forward: string;
  weight: number;
}

/** The real servers listed under PROTO VIP:PORT in `ipvsadm -Ln` output. */
export function ipvsReals(text: string, proto: string, vipPort: string): IpvsReal[] {
  const out: IpvsReal[] = [];
  let inside = false;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (/^(TCP|UDP|SCTP|FWM)$/.test(f[0])) inside = f[0] === proto.toUpperCase() && f[1] === vipPort;
    else if (inside && f[0] === '->' && f[1] !== 'RemoteAddress:Port') out.push({ address: f[1], forward: f[2], weight: Number(f[3]) });
  }
  return out;
}

/** A `sh -s` script that writes `files` (path, mode, content) on a host in one exec. */
export function writeFilesScript(files: Array<{ path: string; mode: number; content: string }>): string {
  return ['set -e', ...files.flatMap((f) => [
    `mkdir -p ${sq(f.path.replace(/\/[^/]*$/, '') || '/')}`,
    `printf '%s' ${sq(f.content)} > ${sq(f.path)}`,
    `chmod ${f.mode.toString(8)} ${sq(f.path)}`,
  ])].join('\n') + '\n';
}

/** Tallies answers (host names) in first-seen order: { web1: 10, web2: 10 }. */
export function tally(answers: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) out[a] = (out[a] ?? 0) + 1;
  return out;
}

/** Lines of an apply.sh run that report an action (`added: …`, `reloaded: …`), i.e. all but `unchanged:`, `apply:`, `warning:`. */
export function applyChanges(output: string): string[] {
  return output.split('\n').map((l) => l.trim()).filter((l) => /^[a-z]+:/.test(l) && !/^(unchanged|apply|warning):/.test(l));
}

/**
 * IPVS stats of one service once they count the traffic just sent: this kernel refreshes the
 * counters about every 2 s, so reading them right after the requests can still show 0.
 */
export async function settledStats(read: () => Promise<string>, proto: 'tcp' | 'udp', key: string, minConns = 1): Promise<{ stats: ReturnType<typeof serviceStats>; raw: string }> {
  let raw = '';
  let stats: ReturnType<typeof serviceStats>;
  try {
    await waitFor(`IPVS counters of ${proto} ${key}`, async () => {
      raw = await read();
      stats = serviceStats(raw, proto, key);
      return !!stats && stats.conns >= minConns && stats.inPkts > 0;
    }, 10_000, 250);
  } catch {
    // Fall through: the caller's assertions report what was read.
  }
  return { stats: stats!, raw };
}

// ---- Shared by the lab tests that deploy with the real engine and then make faults.

/**
 * `lvsdr ARGS...` run in the lab's client namespace, as an operator on the lab would: the built
 * CLI, or the calling test file itself in CLI mode (cli-mode.ts). `env` adds secrets.
 */
export function lvsdrInLab(state: LabState, selfFile: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const inv = cliInvocation(selfFile);
  return new Promise((done, fail) => {
    const child = spawn(binary('ip'), ['netns', 'exec', clientHost(state).ns, process.execPath, ...inv.argv, ...args], {
      env: { ...process.env, ...inv.env, ...env, LVSDR_LAB_DIR: state.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, stdout: out, stderr: err }));
  });
}

/** Stops the lab responder of a real server (every port it serves: its HTTP and its checks fail). */
export async function stopResponder(state: LabState, host: string): Promise<void> {
  // The bracket keeps the pattern from matching this very shell's command line.
  const r = await execOnHost(state, host, ['sh', '-c', `for p in $(pgrep -f -- 'python3 [/].*responder[.]py ${host} '); do kill "$p"; done`]);
  assert.equal(r.code, 0, `${host}: stopping the responder: ${r.stderr}`);
}

/** Starts the lab responder of a real server again, on the ports the lab gave it. */
export async function startResponder(state: LabState, host: string): Promise<void> {
  const h = hostByName(state, host)!;
  const argv = ['/usr/bin/python3', join(state.dir, 'responder.py'), h.name, h.tcpPorts.join(','), h.udpPorts.join(',')];
  const r = await execOnHost(state, host, ['sh', '-c', `setsid ${argv.map(sq).join(' ')} >/dev/null 2>&1 </dev/null &`]);
  assert.equal(r.code, 0, `${host}: starting the responder: ${r.stderr}`);
}
