// LVS020: a real server's own gateway must not be a director or a VIP (seed rule 2: the
// real-server gateway must not be the director; replies go straight to the clients).
import { defineRule, Fix } from '../types';
import { addressOf, replaceFix } from './util-addressing';

export const lvs020 = defineRule({
  code: 'LVS020',
  severity: 'error',
  title: 'Real server gateway is a director or the VIP',
  nodeKinds: ['server'],
  check(server, ctx) {
    const gw = server.gateway;
    const address = addressOf(gw?.value);
    if (!gw || address === undefined) return;
    const director = ctx.cluster.cluster.directors.find((d) => addressOf(d.address?.value) === address);
    const vip = director ? undefined : ctx.cluster.cluster.vips.find((v) => addressOf(v.address.value) === address);
    if (!director && !vip) return;
    const what = director
      ? `the address of director ${director.name.text}`
      : vip!.name ? `VIP ${vip!.name.text}` : 'the VIP';
    const fixes: Fix[] = [];
    const clusterGw = ctx.cluster.cluster.gateway;
    if (clusterGw && addressOf(clusterGw.value) !== address) {
      fixes.push(replaceFix(`Use the cluster gateway ${clusterGw.value}`, gw.span, clusterGw.value));
    }
    ctx.report({
      span: gw.span,
      message: `Gateway ${gw.value} of real server ${server.name.text} is ${what}: in direct routing the real server answers clients itself, with the VIP as source, through the segment's router; a director holds the VIP locally and drops those replies.`,
      fixes,
    });
  },
});
