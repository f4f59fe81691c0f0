// LVS050: addresses must be unique (two hosts, a VIP on a node or the gateway) and usable (not
// the network or broadcast address of the cluster network).
import * as A from '../../language/ast';
import { formatIpv4, inCidr } from '../../language/values';
import { AddressOwner } from '../../model/topology';
import { defineRule } from '../types';
import { addressOf, formatCidr, hostWhat, isNetworkOrBroadcast } from './util-addressing';

interface Owner {
  address: number;
  what: string;
  kind: 'host' | 'vip' | 'gateway' | 'link';
  span: A.Span;
}

function kindOf(o: AddressOwner): Owner['kind'] {
  if (o.node.kind === 'vip') return 'vip';
  if (o.node.kind === 'cluster') return 'gateway';
  return 'host';
}

function why(a: Owner, b: Owner): string {
  if (a.kind === 'vip' || b.kind === 'vip') {
    return 'the VIP must be an address of its own, which the active director holds and real servers keep on lo';
  }
  if (a.kind === 'gateway' || b.kind === 'gateway') return 'the router and the host would both answer ARP for it';
  return 'both hosts would answer ARP for it, and the director forwards by MAC to whichever answered last';
}

export const lvs050 = defineRule({
  code: 'LVS050',
  severity: 'error',
  title: 'Duplicate address, or network/broadcast address used',
  nodeKinds: ['cluster'],
  check(cluster, ctx) {
    const owners: Owner[] = ctx.cluster.addresses.map((o) => ({ address: o.address, what: o.what, kind: kindOf(o), span: o.span }));
    for (const host of [...cluster.directors, ...cluster.servers]) {
      for (const l of host.links) {
        const address = addressOf(l.address.value);
        if (address !== undefined) owners.push({ address, what: `link ${l.iface.value} of ${hostWhat(host)}`, kind: 'link', span: l.address.span });
      }
    }
    owners.sort((a, b) => a.span.start - b.span.start);
    const first = new Map<number, Owner>();
    for (const o of owners) {
      const prev = first.get(o.address);
      if (!prev) {
        first.set(o.address, o);
        continue;
      }
      const text = formatIpv4(o.address);
      ctx.report({ span: o.span, message: `Address ${text} of ${o.what} is already used by ${prev.what}: ${why(prev, o)}.` });
    }
    const net = ctx.cluster.network;
    if (!net) return;
    for (const o of owners) {
      if (o.kind === 'gateway' || !inCidr(o.address, net)) continue; // the gateway is LVS021's
      const special = isNetworkOrBroadcast(o.address, net);
      if (special) {
        ctx.report({
          span: o.span,
          message: `Address ${formatIpv4(o.address)} of ${o.what} is the ${special} address of the cluster network ${formatCidr(net)}: no host can use it, and packets sent to it go to ${special === 'broadcast' ? 'every host on the segment' : 'no single host'}.`,
        });
      }
    }
  },
});
