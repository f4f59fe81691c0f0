// LVS031: the VIP on a real server's loopback must be a /32 (seed rule 3).
import { defineRule } from '../types';
import { deleteWithLeadingSpace, isLoopbackLabel } from './util-addressing';

export const lvs031 = defineRule({
  code: 'LVS031',
  severity: 'error',
  title: "VIP on a real server's loopback with a prefix other than /32",
  nodeKinds: ['vipOn'],
  check(vipOn, ctx) {
    const prefix = vipOn.prefix;
    if (!prefix || prefix.value === 32 || !isLoopbackLabel(vipOn.label.value)) return;
    const host = ctx.host ? ` of real server ${ctx.host.name.text}` : '';
    ctx.report({
      span: prefix.span,
      message: `'vip-on ${vipOn.label.value}'${host} uses prefix /${prefix.text}; a loopback VIP must be /32: a wider mask makes the whole subnet around the VIP local to the server, so it stops reaching its neighbours (directors, gateway, clients) on that subnet.`,
      fixes: [
        { title: 'Set the prefix to 32', edits: [{ span: prefix.span, newText: '32' }], preferred: true },
        { title: `Remove 'prefix ${prefix.text}' (the default is /32)`, edits: [{ span: deleteWithLeadingSpace(ctx.text, prefix.full), newText: '' }] },
      ],
    });
  },
});
