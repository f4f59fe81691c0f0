// Firewall marks of multi-port services (`ports 80 443`): IPVS serves them as one fwmark
// service, so persistence holds across the ports. A mark the file does not pin with `fwmark N`
// is derived from the cluster and service names, so it stays the same when other services are
// added, removed or reordered; only a collision moves one (to the next free mark, in name order).
// Marks stay in 0x100–0x3fff: below are the small numbers administrators pick by hand, above are
// the 0x4000/0x8000 bits kube-proxy and others set on the same hosts.
import * as A from '../language/ast';

export const FWMARK_MIN = 0x100;
export const FWMARK_MAX = 0x3fff;

/** Whether a service is a firewall-mark service: several ports, or a pinned mark. */
export function isFwmarkService(svc: A.Service): boolean {
  return !!svc.fwmark || (svc.ports?.value.length ?? 0) > 0;
}

/** FNV-1a, 32 bits: small, stable, and spreads short names well enough. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The mark of each fwmark service of a cluster, by service name (pinned ones as written). */
export function allocateFwmarks(cluster: A.Cluster): Map<string, number> {
  const marks = new Map<string, number>();
  const used = new Set<number>();
  const services = cluster.services.filter(isFwmarkService);
  for (const svc of services) {
    if (svc.fwmark && !marks.has(svc.name.text)) {
      marks.set(svc.name.text, svc.fwmark.value);
      used.add(svc.fwmark.value);
    }
  }
  const free = services.filter((s) => !s.fwmark).map((s) => s.name.text).sort();
  const range = FWMARK_MAX - FWMARK_MIN + 1;
  for (const name of free) {
    if (marks.has(name)) continue;
    let mark = FWMARK_MIN + (fnv1a(`${cluster.name.text}/${name}`) % range);
    while (used.has(mark)) mark = mark === FWMARK_MAX ? FWMARK_MIN : mark + 1;
    marks.set(name, mark);
    used.add(mark);
  }
  return marks;
}
