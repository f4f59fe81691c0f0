// A snapshot as text for a person (`lvsdr status` without --json), in the reader's language
// (the snapshot itself stays language-neutral). Remote text (errors, finding messages from
// hosts) is made printable and left as it came.
import { clusterHealth } from '../protocol/live-health';
import type { LiveSnapshot } from '../protocol/live-snapshot';
import { printable } from '../protocol/printable';
import type { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import { Msg, t } from '../shared/l10n/message';

function health(s: LiveSnapshot): Msg {
  const h = clusterHealth(s);
  switch (h.kind) {
    case 'ok': return t`all ${h.inService} in service`;
    case 'degraded': return t`${h.out} of ${h.total} out of service`;
    case 'split-brain': return t`SPLIT BRAIN`;
    case 'unreachable': return t`unreachable: ${h.hosts.join(', ')}`;
  }
}

export function formatSnapshot(s: LiveSnapshot, locale: Locale = 'en'): string {
  const l = (m: Msg) => localize(m, locale);
  const out: string[] = [];
  out.push(l(t`cluster ${s.cluster} (${s.target}) at ${s.at.slice(11, 19)} (${s.ms} ms): ${health(s)}`));
  const unreachable = (h: { error?: string; errorLocalized?: string }) => `${l(t`UNREACHABLE`)} ${printable(h.errorLocalized ?? h.error ?? '')}`;
  for (const d of s.directors) {
    out.push(d.reachable
      ? `  ${d.name.padEnd(10)} ${d.address.padEnd(15)} ${d.vrrp.padEnd(7)} ${(d.priority !== null ? l(t`prio ${d.priority}`) : '').padEnd(9)}` +
        `${l(d.keepalived ? t`keepalived up` : t`keepalived DOWN`)}  ${l(t`VIPs ${d.vips.join(' ') || '-'}`)}`
      : `  ${d.name.padEnd(10)} ${d.address.padEnd(15)} ${unreachable(d)}`);
  }
  for (const r of s.realServers) {
    if (!r.reachable) {
      out.push(`  ${r.name.padEnd(10)} ${r.address.padEnd(15)} ${unreachable(r)}`);
      continue;
    }
    const lo = r.loVips?.map((x) => `${x.address}/${x.prefix}`).join(' ') || l(t`none`);
    const arp = r.arp ? `arp_ignore ${r.arp.allIgnore} arp_announce ${r.arp.allAnnounce}` : 'arp ?';
    const ports = r.ports.map((p) => `${p.protocol}/${p.port} ${l(p.answers ? t`listening` : t`CLOSED`)}`).join(', ');
    out.push(`  ${r.name.padEnd(10)} ${r.address.padEnd(15)} lo ${lo}  ${arp}  ${ports}`);
  }
  for (const svc of s.services) {
    const from = svc.from ? (svc.present ? t` (table of ${svc.from})` : t` (table of ${svc.from}: MISSING)`) : t` (no director answered)`;
    out.push(`${l(t`service ${svc.name}`)} ${svc.protocol} ${svc.vip}:${svc.port}${l(from)}`);
    for (const r of svc.reals) {
      const w = r.weight === null ? t`not in IPVS` : r.weight !== r.fileWeight ? t`weight ${r.weight} (file ${r.fileWeight})` : t`weight ${r.weight}`;
      out.push(`  ${r.name.padEnd(10)} ${l(r.inService ? t`in service` : t`OUT`).padEnd(11)} ${l(w).padEnd(20)} ` +
        `${l(t`active ${r.active} inactive ${r.inactive}  ${r.connsPerSec} conn/s`)}${r.drained ? `  ${l(t`DRAINED`)}` : ''}`);
    }
  }
  if (s.findings.length) {
    out.push(l(t`findings:`));
    for (const f of s.findings) out.push(`  ${f.severity.padEnd(11)} ${f.code} ${f.host ? `${f.host}: ` : ''}${printable(f.messageLocalized ?? f.message)}`);
  }
  return out.join('\n') + '\n';
}
