// LVS053: two clusters of one file whose VRRP instances share a router-id on overlapping networks.
import { t } from '../../shared/l10n/message';
import { Cidr, inCidr } from '../../language/values';
import { defineRule } from '../types';
import { freeRouterId } from './lvs070';
import { replaceFix } from './util-operational';

function overlap(a: Cidr, b: Cidr): boolean {
  return a.prefix <= b.prefix ? inCidr(b.network, a) : inCidr(a.network, b);
}

export const lvs053 = defineRule({
  code: 'LVS053',
  severity: 'error',
  title: 'Same VRRP router-id in two clusters on one network',
  nodeKinds: ['ha'],
  check(ha, ctx) {
    const rid = ha.routerId;
    const me = ctx.cluster;
    if (!rid || !me.network) return;
    for (const other of ctx.file.clusters) {
      if (other === me) break; // report on the later cluster only
      const oha = other.cluster.ha;
      if (!oha?.routerId || oha.routerId.value !== rid.value || !other.network || !overlap(me.network, other.network)) continue;
      const free = freeRouterId(ctx, ha);
      ctx.report({
        span: rid.span,
        message: t`router-id ${rid.value} of cluster ${me.cluster.name.text} is also used by cluster ${other.cluster.name.text} on an overlapping network: both VRRP instances advertise the same virtual router on the segment, each rejects the other's adverts (keepalived: VRID conflict), and the VIPs can end up on two directors at once.`,
        fixes: [replaceFix(t`Use router-id ${free}`, rid.span, String(free))],
      });
      return;
    }
  },
});
