// LVS010: a real server's address must be on the cluster network (seed rule 1: directors and
// real servers share one physical network; DR only rewrites the destination MAC).
import { t } from '../../shared/l10n/message';
import { formatIpv4, formatIpv6, inCidr, inCidr6 } from '../../language/values';
import { defineRule } from '../types';
import { address6Of, addressOf, formatCidr, formatCidr6 } from './util-addressing';

export const lvs010 = defineRule({
  code: 'LVS010',
  severity: 'error',
  title: 'Real server address not on the cluster network',
  nodeKinds: ['server'],
  check(server, ctx) {
    // The same rule for the IPv6 address and network (a host has one address per family).
    const net6 = ctx.cluster.network6;
    const address6 = address6Of(server.address6?.value);
    if (net6 && server.address6 && address6 !== undefined && !inCidr6(address6, net6)) {
      ctx.report({
        span: server.address6.span,
        message: t`Real server ${server.name.text} has address ${formatIpv6(address6)}, which is not on the cluster's IPv6 network ${formatCidr6(net6)}: direct routing only rewrites the destination MAC, so a real server must share the directors' L2 segment.`,
      });
    }
    const net = ctx.cluster.network;
    const address = addressOf(server.address?.value);
    if (!net || !server.address || address === undefined || inCidr(address, net)) return;
    // Extra `link` interfaces do not count: the director forwards to the server's `address`.
    const onNet = server.links.find((l) => {
      const a = addressOf(l.address.value);
      return a !== undefined && inCidr(a, net);
    });
    const hint = onNet ? t` Its link ${onNet.iface.value} is on that network, but the director sends to 'address'.` : '';
    ctx.report({
      span: server.address.span,
      message: t`Real server ${server.name.text} has address ${formatIpv4(address)}, which is not on the cluster network ${formatCidr(net)}: direct routing only rewrites the destination MAC, so a real server must share the directors' L2 segment.${hint}`,
    });
  },
});
