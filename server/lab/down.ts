// `lab down`: kills the lab's processes and deletes every namespace it created, from the
// state file alone, so it also works after `lab up` crashed or was interrupted half-way.
import { readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { deleteNamespace, namespaceExists, namespacePids } from './netns';
import { pidInNamespace } from './liveness';
import { sleep } from './run';
import { LabState } from './state';

export interface DownReport {
  killed: number[];
  deletedNamespaces: string[];
  leftovers: string[];
}

function kill(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Kills every process in the namespace (recorded PIDs first), then deletes the namespace. */
async function clearNamespace(ns: string, recorded: number[], report: DownReport): Promise<void> {
  if (!namespaceExists(ns)) return;
  for (const pid of recorded) if (pidInNamespace(pid, ns) && kill(pid, 'SIGKILL')) report.killed.push(pid);
  for (let round = 0; round < 20; round++) {
    const pids = await namespacePids(ns);
    if (pids.length === 0) break;
    for (const pid of pids) if (kill(pid, 'SIGKILL') && !report.killed.includes(pid)) report.killed.push(pid);
    await sleep(100);
  }
  await deleteNamespace(ns);
  if (namespaceExists(ns)) report.leftovers.push(`namespace ${ns}`);
  else report.deletedNamespaces.push(ns);
}

export async function labDown(state: LabState, opts: { keepStateDir?: boolean } = {}): Promise<DownReport> {
  const report: DownReport = { killed: [], deletedNamespaces: [], leftovers: [] };
  const recorded = new Map<string, number[]>();
  for (const h of state.hosts) {
    recorded.set(h.ns, [h.pid, h.spawnedPid].filter((p): p is number => !!p));
  }
  // Hosts first (in parallel), the lab namespace with the bridge last.
  const hostNs = [...state.namespaces].reverse().filter((ns) => ns !== state.labNs);
  await Promise.all(hostNs.map((ns) => clearNamespace(ns, recorded.get(ns) ?? [], report)));
  if (state.namespaces.includes(state.labNs)) await clearNamespace(state.labNs, [], report);
  for (const h of state.hosts) {
    for (const pid of recorded.get(h.ns) ?? []) if (isLabProcess(pid, h.umid ?? h.script)) report.leftovers.push(`process ${pid} (${h.name})`);
  }
  if (!opts.keepStateDir && report.leftovers.length === 0) removeStateFiles(state.dir);
  return report;
}

/** Still alive and still ours (its command line names the host's umid or setup script)? */
function isLabProcess(pid: number, marker: string | undefined): boolean {
  if (!marker) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** Entries `lab up` creates in the state directory (only these are removed, never the rest). */
export const STATE_ENTRIES = ['state.json', 'state.json.tmp', 'keys', 'hosts', 'uml', 'uml-modroot', 'control.py', 'responder.py', 'control.token', 'known_hosts'];

function removeStateFiles(dir: string): void {
  for (const e of STATE_ENTRIES) rmSync(join(dir, e), { recursive: true, force: true });
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch { /* already gone */ }
}
