// LVS071: keepalived strict mode / no_accept on an LVS director drops VIP traffic before IPVS.
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { removalFix } from './util-operational';

export const lvs071 = defineRule({
  code: 'LVS071',
  severity: 'error',
  title: 'keepalived strict mode or no-accept on an LVS director',
  nodeKinds: ['ha'],
  check(ha, ctx) {
    const cluster = ctx.cluster.cluster.name.text;
    const flags = [
      [ha.strict, 'strict', "vrrp_strict"],
      [ha.noAccept, 'no-accept', 'no_accept'],
    ] as const;
    for (const [flag, word, kaWord] of flags) {
      if (!flag) continue;
      ctx.report({
        span: flag.span,
        message: t`'${word}' in the ha block of cluster ${cluster} makes keepalived (${kaWord}) install a firewall drop for the VIP on every director below priority 255; it runs before IPVS sees the packet, so the virtual service stops answering.`,
        fixes: [removalFix(t`Remove '${word}'`, ctx.text, flag.full)],
      });
    }
  },
});
