// LVS101: a VIP outside the cluster network (and outside every directly attached director link).
import { t } from '../../shared/l10n/message';
import { inCidr, parseCidr, parseIpv4 } from '../../language/values';
import { defineRule } from '../types';

export const lvs101 = defineRule({
  code: 'LVS101',
  severity: 'warning',
  title: 'VIP outside the cluster network',
  nodeKinds: ['vip'],
  check(vip, ctx) {
    const net = ctx.cluster.network;
    const addr = parseIpv4(vip.address.value.split('/')[0]);
    if (!net || addr === undefined || inCidr(addr, net)) return;
    // A VIP on another network the directors are attached to (a `link` line) is reachable by ARP there.
    for (const d of ctx.cluster.cluster.directors) {
      for (const l of d.links) {
        const c = parseCidr(l.address.value);
        if (c && c.prefix < 32 && inCidr(addr, c)) return;
      }
    }
    ctx.report({
      span: vip.address.span,
      message: t`VIP ${vip.address.value} is outside the cluster network ${ctx.cluster.cluster.network!.value}: the clients' router will not ARP for it there, so it needs a route to the VIP via the active director, which must change on every failover.`,
    });
  },
});
