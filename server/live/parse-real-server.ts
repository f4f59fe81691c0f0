// A real server's read (read-scripts.ts) as data: the addresses on `lo`, the ARP sysctls and
// the listening sockets. Remote output is untrusted: malformed lines are skipped.
import { markedLines } from '../deploy/remote';
import { parseAddresses } from './parse-director';

export interface RealServerRead {
  loAddresses: Array<{ address: string; prefix: number }>;
  arp?: { allIgnore: number; allAnnounce: number; loIgnore: number; loAnnounce: number };
  /** `tcp 80`, `udp 53` for every listening socket; undefined when the request did not ask (`listen`). */
  listening?: Set<string>;
}

export function parseRealServerRead(out: string): RealServerRead {
  const sections = new Map(markedLines(out).map((s) => [s.words[0], s.body] as const));
  const loAddresses = parseAddresses(sections.get('lo') ?? [])
    .filter((a) => !a.address.startsWith('127.') && a.address !== '::1')
    .map(({ address, prefix }) => ({ address, prefix }));
  const values: Record<string, number> = {};
  for (const l of sections.get('arp') ?? []) {
    const m = /^(allIgnore|allAnnounce|loIgnore|loAnnounce)=(\d+)$/.exec(l.trim());
    if (m) values[m[1]] = Number(m[2]);
  }
  const arp = ['allIgnore', 'allAnnounce', 'loIgnore', 'loAnnounce'].every((k) => k in values)
    ? { allIgnore: values.allIgnore, allAnnounce: values.allAnnounce, loIgnore: values.loIgnore, loAnnounce: values.loAnnounce }
    : undefined;
  const listen = sections.get('listen');
  const listening = listen ? new Set<string>() : undefined;
  // `tcp LISTEN 0 128 0.0.0.0:80 0.0.0.0:*` / `udp UNCONN 0 0 [::]:53 [::]:*`
  for (const l of listen ?? []) {
    const f = l.trim().split(/\s+/);
    if ((f[0] !== 'tcp' && f[0] !== 'udp') || f.length < 5) continue;
    const port = /:(\d+)$/.exec(f[4])?.[1];
    if (port) listening!.add(`${f[0]} ${Number(port)}`);
  }
  return { loAddresses, arp, listening };
}
