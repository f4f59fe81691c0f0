// Is a recorded PID still the lab's process? (PIDs are reused: check its network namespace.)
import { readlinkSync, statSync } from 'node:fs';
import { pidAlive } from '../shared/process-alive';

/** True when `pid` is alive and lives in the named network namespace. */
export function pidInNamespace(pid: number | undefined, ns: string): boolean {
  if (!pid || !pidAlive(pid)) return false;
  try {
    const link = readlinkSync(`/proc/${pid}/ns/net`); // net:[INODE]
    const inode = Number(/\[(\d+)\]/.exec(link)?.[1]);
    return statSync(`/run/netns/${ns}`).ino === inode;
  } catch {
    return false;
  }
}
