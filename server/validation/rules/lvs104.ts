// LVS104: real servers nobody uses, services with nobody to send to, all weights zero.
import { t } from '../../shared/l10n/message';
import { defineRule, Fix } from '../types';
import { appendToBlock, removalEdit, replaceEdit } from './util-operational';

export const lvs104 = defineRule({
  code: 'LVS104',
  severity: 'warning',
  title: 'Unused real server, service without real servers, or all weights 0',
  nodeKinds: ['server', 'service'],
  check(node, ctx) {
    if (node.kind === 'server') {
      if ((ctx.cluster.usedBy.get(node.name.text) ?? []).length > 0) return;
      const fixes: Fix[] = [{ title: t`Remove server ${node.name.text}`, edits: [removalEdit(ctx.text, node.span)] }];
      const first = ctx.cluster.cluster.services[0];
      if (first) fixes.push({ title: t`Add ${node.name.text} to service ${first.name.text}`, edits: [appendToBlock(ctx.text, first.body, `real ${node.name.text} weight 1`)] });
      ctx.report({
        span: node.name.span,
        message: t`Server ${node.name.text} is used by no service: it gets the VIP and ARP settings but never receives a connection.`,
        fixes,
      });
      return;
    }
    if (node.reals.length === 0) {
      ctx.report({ span: node.name.span, message: t`Service ${node.name.text} has no real servers: the VIP accepts its connections and IPVS has nowhere to send them.` });
      return;
    }
    const weights = node.reals.map((r) => r.weight);
    if (weights.every((w) => w && w.value === 0)) {
      ctx.report({
        span: node.name.span,
        message: t`Every real server of service ${node.name.text} has weight 0: IPVS sends no new connections to a weight-0 server, so the service accepts nothing.`,
        fixes: [{ title: t`Set every weight to 1`, edits: weights.map((w) => replaceEdit(w!.span, '1')) }],
      });
    }
  },
});
