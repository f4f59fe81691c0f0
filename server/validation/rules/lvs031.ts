// LVS031: the VIP on a real server's loopback must be a host address: /32 for IPv4 (seed rule 3),
// /128 for IPv6. A written prefix is compared with the family of the VIPs the line carries: its
// own `vip`, else every VIP of the services that use the server.
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { addressFamily } from '../../language/values';
import { serviceVip } from '../../model/topology';
import { defineRule, RuleContext } from '../types';
import { deleteWithLeadingSpace, findVip, isLoopbackLabel } from './util-addressing';

/** The address families of the VIPs a `vip-on` line puts on the loopback (IPv4 when none is known). */
function carriedFamilies(vipOn: A.VipOn, ctx: RuleContext): Set<4 | 6> {
  const out = new Set<4 | 6>();
  if (vipOn.vip) {
    const vip = findVip(ctx.cluster, vipOn.vip.value);
    out.add(addressFamily(vip?.address.value ?? vipOn.vip.value));
  } else if (ctx.host) {
    for (const svc of ctx.cluster.usedBy.get(ctx.host.name.text) ?? []) {
      const vip = serviceVip(ctx.cluster, svc);
      if (vip) out.add(addressFamily(vip.address.value));
    }
  }
  if (out.size === 0) out.add(4);
  return out;
}

export const lvs031 = defineRule({
  code: 'LVS031',
  severity: 'error',
  title: "VIP on a real server's loopback with a prefix other than /32 (IPv4) or /128 (IPv6)",
  nodeKinds: ['vipOn'],
  check(vipOn, ctx) {
    const prefix = vipOn.prefix;
    if (!prefix || !isLoopbackLabel(vipOn.label.value)) return;
    const families = carriedFamilies(vipOn, ctx);
    const wanted = families.has(6) && !families.has(4) ? 128 : 32;
    if (prefix.value === wanted && families.size === 1) return;
    const host = ctx.host ? t` of real server ${ctx.host.name.text}` : '';
    const both = families.size > 1;
    ctx.report({
      span: prefix.span,
      message: both
        ? t`'vip-on ${vipOn.label.value}'${host} carries IPv4 and IPv6 VIPs with one prefix /${prefix.text}: a loopback VIP must be /32 (IPv4) or /128 (IPv6); write one 'vip-on … vip NAME' line per family, or leave the prefix out.`
        : t`'vip-on ${vipOn.label.value}'${host} uses prefix /${prefix.text}; a loopback ${wanted === 128 ? 'IPv6 ' : ''}VIP must be /${wanted}: a wider mask makes the whole subnet around the VIP local to the server, so it stops reaching its neighbours (directors, gateway, clients) on that subnet.`,
      fixes: [
        ...(both ? [] : [{ title: t`Set the prefix to ${wanted}`, edits: [{ span: prefix.span, newText: String(wanted) }], preferred: true }]),
        { title: t`Remove 'prefix ${prefix.text}' (the default is /32, /128 for IPv6)`, edits: [{ span: deleteWithLeadingSpace(ctx.text, prefix.full), newText: '' }], preferred: both },
      ],
    });
  },
});
