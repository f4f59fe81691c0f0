// LVS054: a service's VIP and the addresses it is forwarded to are of one family. In direct routing
// IPVS forwards a virtual service only to real servers of its own family (the kernel accepts a
// real server of the other family only for tunnelling), and a director needs an address of
// the VIP's family on the segment to find the real servers' MACs (ARP for IPv4, Neighbor
// Discovery for IPv6).
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { addressFamily } from '../../language/values';
import { resolveReal, serviceVip } from '../../model/topology';
import { defineRule } from '../types';
import { hostWhat, vipRef } from './util-addressing';

function hasFamily(host: A.Host, family: 4 | 6): boolean {
  return family === 6 ? host.address6 !== undefined : host.address !== undefined;
}

const NAME = { 4: 'IPv4', 6: 'IPv6' } as const;

export const lvs054 = defineRule({
  code: 'LVS054',
  severity: 'error',
  title: "A service's VIP and its real servers (or the directors) of different address families",
  nodeKinds: ['service'],
  check(svc, ctx) {
    const vip = serviceVip(ctx.cluster, svc);
    if (!vip) return;
    const family = addressFamily(vip.address.value);
    const other = family === 6 ? 4 : 6;
    for (const r of svc.reals) {
      const host = resolveReal(ctx.cluster, r);
      // A host with no address at all is another rule's; one with only the other family is this one's.
      if (!host || hasFamily(host, family) || !hasFamily(host, other)) continue;
      ctx.report({
        span: r.name.span,
        message: t`Service ${svc.name.text} is offered on ${NAME[family]} VIP ${vipRef(vip)}, but ${hostWhat(host)} has only an ${NAME[other]} address: IPVS forwards a virtual service only to real servers of its own family. Give ${host.name.text} an ${NAME[family]} 'address' on the cluster network, or offer the service on an ${NAME[other]} VIP.`,
      });
    }
    for (const d of ctx.cluster.cluster.directors) {
      if (hasFamily(d, family) || !hasFamily(d, other)) continue;
      ctx.report({
        span: svc.name.span,
        message: t`Service ${svc.name.text} is offered on ${NAME[family]} VIP ${vipRef(vip)}, but director ${d.name.text} has no ${NAME[family]} address: in direct routing the director finds each real server's MAC on the segment (${family === 6 ? t`Neighbor Discovery` : 'ARP'}), which needs an address of that family there.`,
      });
    }
  },
});
