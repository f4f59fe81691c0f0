// LVS020: a real server's own gateway must not be a director or a VIP (seed rule 2: the
// real-server gateway must not be the director; replies go straight to the clients). Each
// address family's gateway is checked against the directors' addresses and VIPs of that family.
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { addressKey } from '../../language/values';
import { defineRule, Fix, RuleContext } from '../types';
import { replaceFix } from './util-addressing';

function checkGateway(server: A.Server, gw: A.Prop<string>, clusterGw: A.Prop<string> | undefined, ctx: RuleContext) {
  const key = addressKey(gw.value);
  if (key === undefined) return;
  const same = (p: A.Prop<string> | undefined) => p !== undefined && addressKey(p.value) === key;
  const director = ctx.cluster.cluster.directors.find((d) => same(d.address) || same(d.address6));
  const vip = director ? undefined : ctx.cluster.cluster.vips.find((v) => same(v.address));
  if (!director && !vip) return;
  const what = director
    ? t`the address of director ${director.name.text}`
    : vip!.name ? t`VIP ${vip!.name.text}` : t`the VIP`;
  const fixes: Fix[] = [];
  if (clusterGw && !same(clusterGw)) {
    fixes.push(replaceFix(t`Use the cluster gateway ${clusterGw.value}`, gw.span, clusterGw.value));
  }
  ctx.report({
    span: gw.span,
    message: t`Gateway ${gw.value} of real server ${server.name.text} is ${what}: in direct routing the real server answers clients itself, with the VIP as source, through the segment's router; a director holds the VIP locally and drops those replies.`,
    fixes,
  });
}

export const lvs020 = defineRule({
  code: 'LVS020',
  severity: 'error',
  title: 'Real server gateway is a director or the VIP',
  nodeKinds: ['server'],
  check(server, ctx) {
    const c = ctx.cluster.cluster;
    if (server.gateway) checkGateway(server, server.gateway, c.gateway, ctx);
    if (server.gateway6) checkGateway(server, server.gateway6, c.gateway6, ctx);
  },
});
