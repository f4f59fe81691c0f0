// A run left at `outcome: running` by a process that no longer exists (killed, machine
// rebooted): its hosts may be half-applied and its lock stale. Told apart from a run still in
// progress by the runner recorded in the journal (hostname, boot id, PID) — only on the machine
// that ran it; a journal from another machine is never called interrupted from here.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { pidAlive } from '../shared/process-alive';
import type { Journal, JournalRunner } from './journal';

export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

export function thisRunner(): JournalRunner {
  return { hostname: hostname(), bootId: bootId(), pid: process.pid };
}

/** True when the journal says running but the process that wrote it is gone. */
export function isInterrupted(j: Journal, here: { hostname: string; bootId: string; alive: (pid: number) => boolean } = { hostname: hostname(), bootId: bootId(), alive: pidAlive }): boolean {
  if (j.outcome !== 'running' || j.rolledBackBy) return false;
  const r = j.runner;
  if (!r || typeof r.pid !== 'number' || r.hostname !== here.hostname) return false;
  if (r.bootId !== here.bootId) return true;
  return !here.alive(r.pid);
}
