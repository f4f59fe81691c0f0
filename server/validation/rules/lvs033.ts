// LVS033: ARP suppression on real servers (seed rule 4: arp_ignore=1, arp_announce=2).
// The kernel uses max(conf.all, conf.<iface>) for both keys, and ARP requests for the VIP arrive
// on the NIC, not on lo: so `all` lowered below the threshold breaks DR unless every interface
// that can receive them sets the key itself. Setting it on `lo` only does not help.
import { listMsgs, t } from '../../shared/l10n/message';
import { confKey, effectiveSysctls, sysctlLine } from '../../model/sysctl';
import { defineRule } from '../types';
import { hostIface, ifaceBase } from './util-addressing';

const KEYS = [
  { name: 'arp_ignore', min: 1, why: t`it would answer ARP requests for the VIP it holds on lo and pull client traffic away from the director` },
  { name: 'arp_announce', min: 2, why: t`it may use the VIP as the source of its own ARP requests, teaching the segment that the VIP lives at this server` },
] as const;

export const lvs033 = defineRule({
  code: 'LVS033',
  severity: 'error',
  title: 'Real server ARP sysctls let it answer ARP for the VIP',
  nodeKinds: ['server'],
  check(server, ctx) {
    // The defaults satisfy the rule: only the server's own sysctl lines can break it (and the
    // finding points at one). Most servers have none, so skip building their settings.
    if (server.sysctls.length === 0) return;
    const eff = effectiveSysctls(server);
    const ifaces = [...new Set([hostIface(server), ...server.links.map((l) => ifaceBase(l.iface.value))])];
    for (const key of KEYS) {
      const allKey = `net.ipv4.conf.all.${key.name}`;
      const all = Number(eff.get(allKey));
      if (!Number.isFinite(all) || all >= key.min) continue;
      // max(all, iface): an interface that sets the key itself is still protected.
      const exposed = ifaces.filter((i) => {
        const own = Number(eff.get(confKey(i, key.name)) ?? '0');
        return !(Number.isFinite(own) && own >= key.min);
      });
      if (exposed.length === 0) continue;
      const line = sysctlLine(server, allKey);
      if (!line) continue;
      const lo = Number(eff.get(`net.ipv4.conf.lo.${key.name}`));
      const loNote = lo >= key.min ? t` Setting it on lo does not help: the requests arrive on ${listMsgs(exposed)}.` : '';
      ctx.report({
        span: line.value.span,
        message: t`${allKey} = ${line.value.value} on real server ${server.name.text}: ${key.why}. The kernel uses max(all, ${exposed[0]}), so all.${key.name} must be at least ${key.min}.${loNote}`,
        fixes: [{ title: t`Set ${allKey} to ${key.min}`, edits: [{ span: line.value.span, newText: String(key.min) }], preferred: true }],
      });
    }
  },
});
