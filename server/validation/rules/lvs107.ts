// LVS107: a director that is also a real server (IPVS "local node") needs backup_only, or it
// re-balances the connections the other director forwards to it while it is the backup.
import * as A from '../../language/ast';
import { resolveReal } from '../../model/topology';
import { defineRule, RuleContext } from '../types';
import { addSysctlEdits, sysctlValue } from './util-operational';

const KEY = 'net.ipv4.vs.backup_only';

function report(ctx: RuleContext, span: A.Span, dir: A.Director, subject: string) {
  if (ctx.cluster.cluster.directors.length < 2) return; // a lone director serving locally has no peer to loop with
  if (sysctlValue(dir, KEY) === '1') return;
  ctx.report({
    span,
    message: `${subject}: whenever ${dir.name.text} is the backup it still has the virtual services loaded, so the connections the master forwards to it are balanced again (DR packet loop). Set ${KEY} = 1 on ${dir.name.text}.`,
    fixes: [{ title: `Add sysctl ${KEY} = 1 to ${dir.name.text}`, edits: addSysctlEdits(ctx.text, [dir], KEY, '1'), preferred: true }],
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
      report(ctx, node.name.span, host, `Director ${host.name.text} is also a real server of service ${ctx.service?.name.text ?? '?'}`);
      return;
    }
    const addr = node.address?.value;
    if (!addr) return;
    const dir = ctx.cluster.cluster.directors.find((d) => d.address?.value === addr);
    if (!dir) return;
    report(ctx, node.address!.span, dir, `Server ${node.name.text} has the address of director ${dir.name.text} (${addr}), so that director is also a real server`);
  },
});
