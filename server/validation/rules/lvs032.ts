// LVS032: the VIP on a real server belongs on a loopback alias, never on an ARP-speaking NIC.
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { isLoopbackLabel } from './util-addressing';

export const lvs032 = defineRule({
  code: 'LVS032',
  severity: 'error',
  title: "VIP on a real server's ethernet interface",
  nodeKinds: ['vipOn'],
  check(vipOn, ctx) {
    const label = vipOn.label;
    if (isLoopbackLabel(label.value)) return;
    const used = new Set(ctx.host?.kind === 'server' ? ctx.host.vipOn.map((v) => v.label.value) : []);
    let n = 0;
    while (used.has(`lo:${n}`)) n++;
    const host = ctx.host ? t`real server ${ctx.host.name.text}` : t`the real server`;
    ctx.report({
      span: label.span,
      message: t`'vip-on ${label.value}' puts the VIP on an ethernet interface of ${host}: the server would answer ARP requests for the VIP and pull client traffic away from the director. Put the VIP on a loopback alias (lo:N).`,
      fixes: [{ title: t`Use lo:${n}`, edits: [{ span: label.span, newText: `lo:${n}` }], preferred: true }],
    });
  },
});
