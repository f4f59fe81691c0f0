// LVS107: a director that is also a real server (IPVS "local node") in a pair of directors.
// While it is the backup it still has the virtual services loaded, so it balances again the
// connections the master forwards to it. The kernel's remedy, net.ipv4.vs.backup_only = 1, acts
// only while the IPVS connection-sync daemon runs in backup state, and the language cannot
// declare the sync daemon yet: so the rule offers no sysctl fix and is not silenced by one.
import * as A from '../../language/ast';
import { resolveReal } from '../../model/topology';
import { defineRule, Fix, RuleContext } from '../types';
import { removalFix } from './util-operational';

function report(ctx: RuleContext, span: A.Span, dir: A.Director, subject: string, fixes: Fix[]) {
  if (ctx.cluster.cluster.directors.length < 2) return; // a lone director serving locally has no peer to loop with
  ctx.report({
    span,
    message: `${subject}: whenever ${dir.name.text} is the backup it still has the virtual services loaded, so the connections the master forwards to it are balanced again (DR packet loop). net.ipv4.vs.backup_only = 1 prevents that only while the IPVS sync daemon runs in backup state on ${dir.name.text}, which this file cannot declare yet; use a separate host as the real server, or run the sync daemon (keepalived lvs_sync_daemon) yourself and set backup_only.`,
    fixes,
  });
}

export const lvs107 = defineRule({
  code: 'LVS107',
  severity: 'warning',
  title: 'A host is both director and real server',
  nodeKinds: ['real', 'server'],
  check(node, ctx) {
    if (node.kind === 'real') {
      const host = resolveReal(ctx.cluster, node);
      if (host?.kind !== 'director') return;
      const svc = ctx.service?.name.text ?? '?';
      report(ctx, node.name.span, host, `Director ${host.name.text} is also a real server of service ${svc}`,
        // Not preferred: it changes what the service serves, so the user picks it deliberately.
        [{ ...removalFix(`Remove director ${host.name.text} from service ${svc}`, ctx.text, node.span), preferred: false }]);
      return;
    }
    const addr = node.address?.value;
    if (!addr) return;
    const dir = ctx.cluster.cluster.directors.find((d) => d.address?.value === addr);
    if (!dir) return;
    report(ctx, node.address!.span, dir, `Server ${node.name.text} has the address of director ${dir.name.text} (${addr}), so that director is also a real server`, []);
  },
});
