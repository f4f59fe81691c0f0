// Whether a process of this machine still runs (the deploy lock's owner, the lab's processes).

/** True when a process with this PID exists (EPERM: it exists but belongs to another user). */
export function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
