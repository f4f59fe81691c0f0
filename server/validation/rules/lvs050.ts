// LVS050: addresses must be unique (two hosts, a VIP on a node or the gateway) and usable (not
// the network or broadcast address of the cluster network).
import { Msg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { Cidr, formatIpv4, formatIpv6, inCidr } from '../../language/values';
import { AddressOwner, AddressOwner6, ClusterModel } from '../../model/topology';
import { defineRule, RuleContext } from '../types';
import { addressOf, formatCidr, formatCidr6, hostWhat, isNetworkOrBroadcast } from './util-addressing';

interface Owner {
  address: number;
  what: Msg;
  kind: 'host' | 'vip' | 'gateway' | 'link';
  span: A.Span;
}

function kindOf(o: Pick<AddressOwner, 'node'>): Owner['kind'] {
  if (o.node.kind === 'vip') return 'vip';
  if (o.node.kind === 'cluster') return 'gateway';
  return 'host';
}

function why(a: Owner, b: Owner, family: 4 | 6): Msg {
  if (a.kind === 'vip' || b.kind === 'vip') {
    return t`the VIP must be an address of its own, which the active director holds and real servers keep on lo`;
  }
  if (a.kind === 'gateway' || b.kind === 'gateway') {
    return family === 6 ? t`the router and the host would both answer Neighbor Solicitations for it` : t`the router and the host would both answer ARP for it`;
  }
  return family === 6
    ? t`both hosts would answer Neighbor Solicitations for it, and the director forwards by MAC to whichever answered last`
    : t`both hosts would answer ARP for it, and the director forwards by MAC to whichever answered last`;
}

/** Every address owner of the cluster with its kind, in source order (built only to report repeats). */
function sortedOwners(model: ClusterModel): Owner[] {
  const owners: Owner[] = model.addresses.map((o) => ({ address: o.address, what: o.what, kind: kindOf(o), span: o.span }));
  for (const host of [...model.cluster.directors, ...model.cluster.servers]) {
    for (const l of host.links) {
      const address = addressOf(l.address.value);
      if (address !== undefined) owners.push({ address, what: t`link ${l.iface.value} of ${hostWhat(host)}`, kind: 'link', span: l.address.span });
    }
  }
  return owners.sort((a, b) => a.span.start - b.span.start);
}

/** True when some address is written twice (hosts, VIPs, gateway, links). */
function hasRepeatedAddress(model: ClusterModel): boolean {
  const seen = new Set<number>();
  const repeated = (address: number | undefined) => {
    if (address === undefined) return false;
    if (seen.has(address)) return true;
    seen.add(address);
    return false;
  };
  for (const o of model.addresses) if (repeated(o.address)) return true;
  for (const host of model.cluster.directors) for (const l of host.links) if (repeated(addressOf(l.address.value))) return true;
  for (const host of model.cluster.servers) for (const l of host.links) if (repeated(addressOf(l.address.value))) return true;
  return false;
}

function reportRepeats(ctx: RuleContext) {
  const first = new Map<number, Owner>();
  for (const o of sortedOwners(ctx.cluster)) {
    const prev = first.get(o.address);
    if (!prev) {
      first.set(o.address, o);
      continue;
    }
    const text = formatIpv4(o.address);
    ctx.report({ span: o.span, message: t`Address ${text} of ${o.what} is already used by ${prev.what}: ${why(prev, o, 4)}.` });
  }
}

/** `network` or `broadcast` when the address is that special address of the cluster network. */
function specialIn(net: Cidr, address: number): 'network' | 'broadcast' | undefined {
  return inCidr(address, net) ? isNetworkOrBroadcast(address, net) : undefined;
}

function reportSpecial(ctx: RuleContext, net: Cidr, address: number, span: A.Span, what: Msg, special: 'network' | 'broadcast') {
  ctx.report({
    span,
    message: special === 'broadcast'
      ? t`Address ${formatIpv4(address)} of ${what} is the broadcast address of the cluster network ${formatCidr(net)}: no host can use it, and packets sent to it go to every host on the segment.`
      : t`Address ${formatIpv4(address)} of ${what} is the network address of the cluster network ${formatCidr(net)}: no host can use it, and packets sent to it go to no single host.`,
  });
}

/** The IPv6 addresses: each written once, none the subnet-router anycast address of the network. */
function checkIpv6(ctx: RuleContext) {
  const owners = ctx.cluster.addresses6;
  if (owners.length === 0) return;
  const first = new Map<bigint, AddressOwner6>();
  for (const o of [...owners].sort((a, b) => a.span.start - b.span.start)) {
    const prev = first.get(o.address);
    if (!prev) {
      first.set(o.address, o);
      continue;
    }
    const a: Owner = { address: 0, what: prev.what, kind: kindOf(prev), span: prev.span };
    const b: Owner = { address: 0, what: o.what, kind: kindOf(o), span: o.span };
    ctx.report({ span: o.span, message: t`Address ${formatIpv6(o.address)} of ${o.what} is already used by ${prev.what}: ${why(a, b, 6)}.` });
  }
  const net = ctx.cluster.network6;
  if (!net || net.prefix >= 127) return;
  for (const o of owners) {
    if (o.node.kind === 'cluster' || o.address !== net.network) continue; // the gateway is LVS021's
    ctx.report({
      span: o.span,
      message: t`Address ${formatIpv6(o.address)} of ${o.what} is the subnet-router anycast address of the cluster's IPv6 network ${formatCidr6(net)} (its all-zero host part): routers answer it, so no host should use it.`,
    });
  }
}

export const lvs050 = defineRule({
  code: 'LVS050',
  severity: 'error',
  title: 'Duplicate address, or network/broadcast address used',
  nodeKinds: ['cluster'],
  check(cluster, ctx) {
    // Repeats are rare: a cheap scan first, and the owner list with messages only when needed.
    if (hasRepeatedAddress(ctx.cluster)) reportRepeats(ctx);
    checkIpv6(ctx);
    const net = ctx.cluster.network;
    if (!net) return;
    for (const o of ctx.cluster.addresses) {
      if (o.node.kind === 'cluster') continue; // the gateway is LVS021's
      const special = specialIn(net, o.address);
      if (special) reportSpecial(ctx, net, o.address, o.span, o.what, special);
    }
    for (const host of [...cluster.directors, ...cluster.servers]) {
      for (const l of host.links) {
        const address = addressOf(l.address.value);
        const special = address === undefined ? undefined : specialIn(net, address);
        if (special) reportSpecial(ctx, net, address!, l.address.span, t`link ${l.iface.value} of ${hostWhat(host)}`, special);
      }
    }
  },
});
