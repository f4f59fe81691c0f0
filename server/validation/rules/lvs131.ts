// LVS131: IPVS timeouts that forget idle connections sooner than the peers keep them alive. IPVS
// drops an established TCP entry after `tcp` of silence (default 15 min); the next packet of that
// connection then goes to whichever real server the scheduler picks, which answers it with a
// reset. Linux's TCP keep-alive starts after 2 h, HTTP/2 and database pools often idle for
// minutes: kube-proxy's IPVS mode had exactly this bug (kubernetes#84041, fixed by #85517).
import { t } from '../../shared/l10n/message';
import { formatDuration } from '../../language/values';
import { defineRule } from '../types';
import { replaceFix } from './util-operational';

/** IPVS's own default for established TCP (net/netfilter/ipvs/ip_vs_proto_tcp.c). */
const TCP_DEFAULT_MS = 15 * 60_000;

export const lvs131 = defineRule({
  code: 'LVS131',
  severity: 'warning',
  title: 'IPVS timeout resets idle connections sooner than typical keep-alives, or is not whole seconds',
  nodeKinds: ['timeouts'],
  check(node, ctx) {
    for (const [prop, word] of [[node.tcp, 'tcp'], [node.tcpFin, 'tcp-fin'], [node.udp, 'udp']] as const) {
      if (!prop) continue;
      if (prop.value < 1000 || prop.value % 1000 !== 0) {
        const fixed = Math.max(1000, Math.round(prop.value / 1000) * 1000);
        ctx.report({
          severity: 'error',
          span: prop.span,
          message: t`The IPVS ${word} timeout ${prop.text} is not a whole number of seconds (at least 1s): ipvsadm --set and keepalived's lvs_timeouts take seconds.`,
          fixes: [replaceFix(t`Use ${formatDuration(fixed)}`, prop.span, formatDuration(fixed))],
        });
      }
    }
    const tcp = node.tcp;
    if (tcp && tcp.value >= 1000 && tcp.value < TCP_DEFAULT_MS) {
      ctx.report({
        span: tcp.span,
        message: t`The IPVS tcp timeout ${tcp.text} of cluster ${ctx.cluster.cluster.name.text} is shorter than IPVS's default 15m: an established connection idle that long is forgotten by the director, and its next packet is scheduled anew and reset by a real server that never saw it. Clients keeping connections open (HTTP keep-alive, database pools, TCP keep-alive after 2h) lose them.`,
        fixes: [replaceFix(t`Use 15m (the IPVS default)`, tcp.span, '15m')],
      });
    }
  },
});
