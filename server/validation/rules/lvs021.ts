// LVS021: a gateway (the cluster's or a host's) must be a usable address inside the network.
import { Msg, orMsgs, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { Cidr, Cidr6, inCidr, inCidr6, parseCidr } from '../../language/values';
import { defineRule, RuleContext } from '../types';
import { address6Of, addressOf, formatCidr, formatCidr6, hostWhat, isNetworkOrBroadcast } from './util-addressing';

function checkGateway(gw: A.Prop<string>, owner: Msg, nets: { net: Cidr; where: Msg }[], ctx: RuleContext) {
  const address = addressOf(gw.value);
  if (address === undefined || nets.length === 0) return;
  const home = nets.find((n) => inCidr(address, n.net));
  if (!home) {
    const where = orMsgs(nets.map((n) => n.where));
    ctx.report({
      span: gw.span,
      message: t`${owner} ${gw.value} is not inside ${where}: a default gateway must be directly reachable on the host's own subnet, or replies to clients have no first hop.`,
    });
    return;
  }
  const special = isNetworkOrBroadcast(address, home.net);
  if (special) {
    ctx.report({
      span: gw.span,
      message: t`${owner} ${gw.value} is the ${special === 'network' ? t`network` : t`broadcast`} address of ${formatCidr(home.net)}: no router can have that address, so replies to clients have no first hop.`,
    });
  }
}

/** The IPv6 gateway: inside the IPv6 network, and not its subnet-router anycast address (RFC 4291 2.6.1). */
function checkGateway6(gw: A.Prop<string>, owner: Msg, net: Cidr6, ctx: RuleContext) {
  const address = address6Of(gw.value);
  if (address === undefined) return;
  if (!inCidr6(address, net)) {
    ctx.report({
      span: gw.span,
      message: t`${owner} ${gw.value} is not inside the cluster's IPv6 network ${formatCidr6(net)}: a default gateway must be directly reachable on the host's own subnet, or replies to clients have no first hop.`,
    });
  } else if (net.prefix < 127 && address === net.network) {
    ctx.report({
      span: gw.span,
      message: t`${owner} ${gw.value} is the subnet-router anycast address of ${formatCidr6(net)} (its all-zero host part): it is reserved for whichever router answers, not an address a router is configured with.`,
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
    const net6 = ctx.cluster.network6;
    if (net6) {
      const gw6 = node.gateway6;
      if (gw6) checkGateway6(gw6, node.kind === 'cluster' ? t`The cluster gateway` : t`The gateway of ${hostWhat(node)}`, net6, ctx);
    }
    if (node.kind === 'cluster') {
      if (node.gateway && net) checkGateway(node.gateway, t`The cluster gateway`, [{ net, where: t`the cluster network ${formatCidr(net)}` }], ctx);
      return;
    }
    if (!node.gateway) return;
    // A multi-homed host may route through one of its extra links instead of the cluster network.
    const nets: { net: Cidr; where: Msg }[] = [];
    if (net) nets.push({ net, where: t`the cluster network ${formatCidr(net)}` });
    for (const l of node.links) {
      const c = parseCidr(l.address.value);
      if (c && c.prefix < 32) nets.push({ net: c, where: t`the network of link ${l.iface.value} (${formatCidr(c)})` });
    }
    checkGateway(node.gateway, t`The gateway of ${hostWhat(node)}`, nets, ctx);
  },
});
