// LVS021: a gateway (the cluster's or a host's) must be a usable address inside the network.
import * as A from '../../language/ast';
import { Cidr, inCidr, parseCidr } from '../../language/values';
import { defineRule, RuleContext } from '../types';
import { addressOf, formatCidr, hostWhat, isNetworkOrBroadcast } from './util-addressing';

function checkGateway(gw: A.Prop<string>, owner: string, nets: { net: Cidr; where: string }[], ctx: RuleContext) {
  const address = addressOf(gw.value);
  if (address === undefined || nets.length === 0) return;
  const home = nets.find((n) => inCidr(address, n.net));
  if (!home) {
    const where = nets.map((n) => n.where).join(' or ');
    ctx.report({
      span: gw.span,
      message: `${owner} ${gw.value} is not inside ${where}: a default gateway must be directly reachable on the host's own subnet, or replies to clients have no first hop.`,
    });
    return;
  }
  const special = isNetworkOrBroadcast(address, home.net);
  if (special) {
    ctx.report({
      span: gw.span,
      message: `${owner} ${gw.value} is the ${special} address of ${formatCidr(home.net)}: no router can have that address, so replies to clients have no first hop.`,
    });
  }
}

export const lvs021 = defineRule({
  code: 'LVS021',
  severity: 'error',
  title: 'Gateway outside the network, or its network/broadcast address',
  nodeKinds: ['cluster', 'director', 'server'],
  check(node, ctx) {
    const net = ctx.cluster.network;
    if (node.kind === 'cluster') {
      if (node.gateway && net) checkGateway(node.gateway, 'The cluster gateway', [{ net, where: `the cluster network ${formatCidr(net)}` }], ctx);
      return;
    }
    if (!node.gateway) return;
    // A multi-homed host may route through one of its extra links instead of the cluster network.
    const nets: { net: Cidr; where: string }[] = [];
    if (net) nets.push({ net, where: `the cluster network ${formatCidr(net)}` });
    for (const l of node.links) {
      const c = parseCidr(l.address.value);
      if (c && c.prefix < 32) nets.push({ net: c, where: `the network of link ${l.iface.value} (${formatCidr(c)})` });
    }
    checkGateway(node.gateway, `The gateway of ${hostWhat(node)}`, nets, ctx);
  },
});
