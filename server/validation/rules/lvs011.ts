// LVS011: a director's address must be on the cluster network (seed rule 1).
import { formatIpv4, inCidr } from '../../language/values';
import { defineRule } from '../types';
import { addressOf, formatCidr } from './util-addressing';

export const lvs011 = defineRule({
  code: 'LVS011',
  severity: 'error',
  title: 'Director address not on the cluster network',
  nodeKinds: ['director'],
  check(director, ctx) {
    const net = ctx.cluster.network;
    const address = addressOf(director.address?.value);
    if (!net || !director.address || address === undefined || inCidr(address, net)) return;
    ctx.report({
      span: director.address.span,
      message: `Director ${director.name.text} has address ${formatIpv4(address)}, which is not on the cluster network ${formatCidr(net)}: direct routing only rewrites the destination MAC, so the director must sit on the real servers' L2 segment.`,
    });
  },
});
