// LVS103: one director only, so nothing takes over the VIP when it fails.
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';

export const lvs103 = defineRule({
  code: 'LVS103',
  severity: 'information',
  title: 'Single director: no standby',
  nodeKinds: ['cluster'],
  check(cluster, ctx) {
    if (cluster.directors.length !== 1) return;
    const d = cluster.directors[0];
    ctx.report({
      span: d.name.span,
      message: t`Director ${d.name.text} is the only director of cluster ${cluster.name.text}: when it fails, every virtual service is down until it is back. Add a second director and an ha block for a hot standby.`,
    });
  },
});
