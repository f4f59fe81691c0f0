// Apply order: every real server first (in parallel, at most N at a time), then the backup
// director(s), then the master. Real servers go first so that when a director starts sending
// to a new or changed real server, that server already holds the VIP and ignores ARP for it;
// the master goes last so a broken configuration shows up on the standby first.
import { HostRole } from './types';

export interface Stage<T> {
  label: string;
  parallel: boolean;
  items: T[];
}

export function applyStages<T extends { role: HostRole }>(hosts: T[]): Stage<T>[] {
  const stages: Stage<T>[] = [];
  const servers = hosts.filter((h) => h.role === 'server');
  const backups = hosts.filter((h) => h.role === 'backup');
  const masters = hosts.filter((h) => h.role === 'master');
  if (servers.length) stages.push({ label: 'real servers', parallel: true, items: servers });
  for (const b of backups) stages.push({ label: 'backup director', parallel: false, items: [b] });
  for (const m of masters) stages.push({ label: 'master director', parallel: false, items: [m] });
  return stages;
}

/** Flat apply order (real servers in file order, then backups, then the master). */
export function applyOrder<T extends { role: HostRole }>(hosts: T[]): T[] {
  return applyStages(hosts).flatMap((s) => s.items);
}

/**
 * Runs `fn` over `items` with at most `limit` at once. Once `stop()` says so, no further item
 * starts; items already running finish. Resolves when every started item has settled.
 */
export async function boundedEach<T>(items: T[], limit: number, fn: (item: T) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  const worker = async () => {
    while (next < items.length && !stop()) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}
