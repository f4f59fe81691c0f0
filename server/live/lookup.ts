// Lookups in what the directors answered: a service of the file in an IPVS table, the drains recorded.
import type { ServiceSpec } from '../generate/spec';
import type { DirectorRead, DrainRecord, IpvsVirtual } from './parse-director';
import type { HostReading } from './types';

export function findVirtual(table: IpvsVirtual[], svc: ServiceSpec): IpvsVirtual | undefined {
  return table.find((v) => v.protocol === svc.protocol && v.vip === svc.vip.address && v.port === svc.port);
}

/** The drains recorded on any reachable director, one per server (the earliest). */
export function drainsOf(directors: HostReading<DirectorRead>[]): DrainRecord[] {
  const by = new Map<string, DrainRecord>();
  for (const d of directors) {
    for (const r of d.read?.overrides ?? []) {
      const cur = by.get(r.server);
      if (!cur || r.since < cur.since) by.set(r.server, r);
    }
  }
  return [...by.values()];
}

