// LVS052: `real NAME` must name a server of the cluster. (A director named there is LVS107's.)
import { orMsgs, t } from '../../shared/l10n/message';
import { resolveReal } from '../../model/topology';
import { defineRule, Fix } from '../types';
import { editDistance } from './util-addressing';

export const lvs052 = defineRule({
  code: 'LVS052',
  severity: 'error',
  title: 'Reference to an undefined server',
  nodeKinds: ['real'],
  check(ref, ctx) {
    if (resolveReal(ctx.cluster, ref)) return;
    const name = ref.name.text;
    const scored = [...ctx.cluster.servers.keys()].map((s) => ({ s, d: editDistance(name, s) })).filter((x) => x.d <= 2);
    const best = scored.length ? Math.min(...scored.map((x) => x.d)) : Infinity;
    const suggestions = scored.filter((x) => x.d === best).map((x) => x.s).sort();
    const fixes: Fix[] = suggestions.map((s, i) => ({ title: t`Change to '${s}'`, edits: [{ span: ref.name.span, newText: s }], preferred: i === 0 && suggestions.length === 1 }));
    const hint = suggestions.length ? t` Did you mean ${orMsgs(suggestions.map((s) => `'${s}'`))}?` : '';
    ctx.report({
      span: ref.name.span,
      message: ctx.service
        ? t`Service ${ctx.service.name.text} references real server ${name}, which is not defined in cluster ${ctx.cluster.cluster.name.text}: the director has no address to forward its share of the traffic to.${hint}`
        : t`This service references real server ${name}, which is not defined in cluster ${ctx.cluster.cluster.name.text}: the director has no address to forward its share of the traffic to.${hint}`,
      fixes,
    });
  },
});
