// A snapshot as text for a person (`lvsdr status` without --json). Remote text is made printable.
import { clusterHealth, LiveSnapshot } from '../protocol/live-snapshot';
import { printable } from '../protocol/printable';

function health(s: LiveSnapshot): string {
  const h = clusterHealth(s);
  switch (h.kind) {
    case 'ok': return `all ${h.inService} in service`;
    case 'degraded': return `${h.out} of ${h.total} out of service`;
    case 'split-brain': return 'SPLIT BRAIN';
    case 'unreachable': return `unreachable: ${h.hosts.join(', ')}`;
  }
}

export function formatSnapshot(s: LiveSnapshot): string {
  const out: string[] = [];
  out.push(`cluster ${s.cluster} (${s.target}) at ${s.at.slice(11, 19)} (${s.ms} ms): ${health(s)}`);
  for (const d of s.directors) {
    out.push(d.reachable
      ? `  ${d.name.padEnd(10)} ${d.address.padEnd(15)} ${d.vrrp.padEnd(7)} ${d.priority !== null ? `prio ${d.priority}`.padEnd(9) : ''.padEnd(9)}keepalived ${d.keepalived ? 'up' : 'DOWN'}  VIPs ${d.vips.join(' ') || '-'}`
      : `  ${d.name.padEnd(10)} ${d.address.padEnd(15)} UNREACHABLE ${printable(d.error ?? '')}`);
  }
  for (const r of s.realServers) {
    if (!r.reachable) {
      out.push(`  ${r.name.padEnd(10)} ${r.address.padEnd(15)} UNREACHABLE ${printable(r.error ?? '')}`);
      continue;
    }
    const lo = r.loVips?.map((x) => `${x.address}/${x.prefix}`).join(' ') || 'none';
    const arp = r.arp ? `arp_ignore ${r.arp.allIgnore} arp_announce ${r.arp.allAnnounce}` : 'arp ?';
    const ports = r.ports.map((p) => `${p.protocol}/${p.port} ${p.answers ? 'listening' : 'CLOSED'}`).join(', ');
    out.push(`  ${r.name.padEnd(10)} ${r.address.padEnd(15)} lo ${lo}  ${arp}  ${ports}`);
  }
  for (const svc of s.services) {
    out.push(`service ${svc.name} ${svc.protocol} ${svc.vip}:${svc.port}${svc.from ? ` (table of ${svc.from}${svc.present ? '' : ': MISSING'})` : ' (no director answered)'}`);
    for (const r of svc.reals) {
      const w = r.weight === null ? 'not in IPVS' : `weight ${r.weight}${r.weight !== r.fileWeight ? ` (file ${r.fileWeight})` : ''}`;
      out.push(`  ${r.name.padEnd(10)} ${(r.inService ? 'in service' : 'OUT').padEnd(11)} ${w.padEnd(20)} active ${r.active} inactive ${r.inactive}  ${r.connsPerSec} conn/s${r.drained ? '  DRAINED' : ''}`);
    }
  }
  if (s.findings.length) {
    out.push('findings:');
    for (const f of s.findings) out.push(`  ${f.severity.padEnd(11)} ${f.code} ${f.host ? `${f.host}: ` : ''}${printable(f.messageLocalized ?? f.message)}`);
  }
  return out.join('\n') + '\n';
}
