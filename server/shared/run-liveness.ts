// Whether a run recorded as `running` (a deploy journal) is still going: told apart by the
// runner it recorded (hostname, boot id, PID) — only on the machine that ran it; a record from
// another machine is never called interrupted from here.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { pidAlive } from './process-alive';

export interface RunRecord {
  outcome: string;
  rolledBackBy?: string;
  runner?: { hostname: string; bootId: string; pid: number };
}

export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/** The runner to record for this process. */
export function thisRunner(): { hostname: string; bootId: string; pid: number } {
  return { hostname: hostname(), bootId: bootId(), pid: process.pid };
}

/** True when the record says running but the process that wrote it is gone (killed, machine rebooted). */
export function isInterrupted(j: RunRecord, here: { hostname: string; bootId: string; alive: (pid: number) => boolean } = { hostname: hostname(), bootId: bootId(), alive: pidAlive }): boolean {
  if (j.outcome !== 'running' || j.rolledBackBy) return false;
  const r = j.runner;
  if (!r || typeof r.pid !== 'number' || r.hostname !== here.hostname) return false;
  if (r.bootId !== here.bootId) return true;
  return !here.alive(r.pid);
}
