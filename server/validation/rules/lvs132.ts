// LVS132: the sorry server of a service must be a server of the cluster (it receives the VIP on
// lo like a real server, LVS030 checks that part), and not one of the service's own real servers
// (keepalived refuses that configuration).
import { listMsgs, t } from '../../shared/l10n/message';
import { defineRule } from '../types';

export const lvs132 = defineRule({
  code: 'LVS132',
  severity: 'error',
  title: 'Sorry server is not a server of the cluster, or is one of the real servers',
  nodeKinds: ['service'],
  check(svc, ctx) {
    const sorry = svc.sorry;
    if (!sorry) return;
    const name = sorry.value;
    if (ctx.cluster.directors.has(name) && !ctx.cluster.servers.has(name)) {
      ctx.report({ span: sorry.span, message: t`The sorry server of service ${svc.name.text} is director ${name}: a director forwarding the VIP to itself loops (LVS107); name a server of this cluster.` });
      return;
    }
    if (!ctx.cluster.servers.has(name)) {
      const known = [...ctx.cluster.servers.keys()];
      ctx.report({ span: sorry.span, message: t`The sorry server '${name}' of service ${svc.name.text} is not a server of cluster ${ctx.cluster.cluster.name.text}${known.length ? t` (servers: ${listMsgs(known)})` : ''}: it must be declared with 'server ${name} { … vip-on lo:0 }' so it gets the VIP on lo and the ARP settings.` });
      return;
    }
    if (svc.reals.some((r) => r.name.text === name)) {
      ctx.report({
        span: sorry.span,
        message: t`The sorry server ${name} of service ${svc.name.text} is also one of its real servers: keepalived refuses that ("real server … matches sorry server", keepalived -t fails), and it would take over only when every real server, itself included, is out of service.`,
      });
    }
  },
});
