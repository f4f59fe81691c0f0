// LVS117: two or more directors and no `ha` block. Without VRRP nothing decides which director
// holds the VIP: every director's apply.sh puts it on its NIC, all of them answer ARP for it,
// and the segment's router sends each client to whichever answered last.
import { listMsgs, t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { freeRouterId } from './lvs070';

export const lvs117 = defineRule({
  code: 'LVS117',
  severity: 'error',
  title: 'Two or more directors without an ha block',
  nodeKinds: ['cluster'],
  check(cluster, ctx) {
    const dirs = cluster.directors;
    if (dirs.length < 2 || cluster.ha) return;
    const names = listMsgs(dirs.map((d) => d.name.text));
    const last = dirs[dirs.length - 1];
    const lineStart = ctx.text.lastIndexOf('\n', last.span.start - 1) + 1;
    const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart, last.span.start))![0];
    const snippet = `ha { router-id ${freeRouterId(ctx)}  advert 1s  auth secret:${cluster.name.text}-vrrp }`;
    ctx.report({
      span: cluster.name.span,
      message: t`Cluster ${cluster.name.text} has ${dirs.length} directors (${names}) and no ha block: each of them would put the VIPs on its interface and answer ARP for them, so clients reach whichever director answered last and connections break at random. Add an ha block (VRRP decides which director holds the VIPs), or keep one director.`,
      fixes: [{
        title: t`Add an ha block`,
        edits: [{ span: { start: last.span.end, end: last.span.end }, newText: `\n${indent}${snippet}` }],
        preferred: true,
      }],
    });
  },
});
