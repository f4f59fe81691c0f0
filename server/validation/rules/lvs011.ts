// LVS011: a director's address must be on the cluster network (seed rule 1).
import { t } from '../../shared/l10n/message';
import { formatIpv4, formatIpv6, inCidr, inCidr6 } from '../../language/values';
import { defineRule } from '../types';
import { address6Of, addressOf, formatCidr, formatCidr6 } from './util-addressing';

export const lvs011 = defineRule({
  code: 'LVS011',
  severity: 'error',
  title: 'Director address not on the cluster network',
  nodeKinds: ['director'],
  check(director, ctx) {
    const net6 = ctx.cluster.network6;
    const address6 = address6Of(director.address6?.value);
    if (net6 && director.address6 && address6 !== undefined && !inCidr6(address6, net6)) {
      ctx.report({
        span: director.address6.span,
        message: t`Director ${director.name.text} has address ${formatIpv6(address6)}, which is not on the cluster's IPv6 network ${formatCidr6(net6)}: direct routing only rewrites the destination MAC, so the director must sit on the real servers' L2 segment.`,
      });
    }
    const net = ctx.cluster.network;
    const address = addressOf(director.address?.value);
    if (!net || !director.address || address === undefined || inCidr(address, net)) return;
    ctx.report({
      span: director.address.span,
      message: t`Director ${director.name.text} has address ${formatIpv4(address)}, which is not on the cluster network ${formatCidr(net)}: direct routing only rewrites the destination MAC, so the director must sit on the real servers' L2 segment.`,
    });
  },
});
