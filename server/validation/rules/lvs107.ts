// LVS107: a director that is also a real server (IPVS "local node") in a pair of directors.
// While it is the backup it still has the virtual services loaded, so it balances again the
// connections the master forwards to it. The kernel's remedy, net.ipv4.vs.backup_only = 1, acts
// only while the IPVS connection-sync daemon runs in backup state (kernel commit 0c12582f): so the
// quick fix declares both, `sync-daemon IFACE` in the ha block and the sysctl on the director,
// and the rule is silent once both are there.
import { Msg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { resolveReal } from '../../model/topology';
import { defineRule, Fix, RuleContext, SpanEdit } from '../types';
import { addSysctlEdits, appendToBlock, baseIface, removalFix, sysctlValue } from './util-operational';

const BACKUP_ONLY = 'net.ipv4.vs.backup_only';

/** Whether the director is protected: sync daemon declared and backup_only set on it. */
function protectedBySync(ctx: RuleContext, dir: A.Director): boolean {
  return !!ctx.cluster.cluster.ha?.syncDaemon && sysctlValue(dir, BACKUP_ONLY) === '1';
}

/** The fix that declares the sync daemon (if missing) and backup_only on the director. */
function syncFix(ctx: RuleContext, dir: A.Director): Fix[] {
  const ha = ctx.cluster.cluster.ha;
  const iface = dir.iface ? baseIface(dir.iface.value) : undefined;
  if (!ha || !iface) return [];
  const edits: SpanEdit[] = [];
  if (!ha.syncDaemon) {
    // The ha block's braces: from its keyword to its end.
    edits.push(appendToBlock(ctx.text, { start: ctx.text.indexOf('{', ha.span.start), end: ha.span.end }, `sync-daemon ${iface}`));
  }
  edits.push(...addSysctlEdits(ctx.text, [dir], BACKUP_ONLY, '1'));
  return [{ title: t`Run the IPVS sync daemon and set ${BACKUP_ONLY} = 1 on ${dir.name.text}`, edits, preferred: true }];
}

function report(ctx: RuleContext, span: A.Span, dir: A.Director, subject: Msg, fixes: Fix[]) {
  if (ctx.cluster.cluster.directors.length < 2) return; // a lone director serving locally has no peer to loop with
  if (protectedBySync(ctx, dir)) return;
  ctx.report({
    span,
    message: t`${subject}: whenever ${dir.name.text} is the backup it still has the virtual services loaded, so the connections the master forwards to it are balanced again (DR packet loop). net.ipv4.vs.backup_only = 1 prevents that, but only while the IPVS sync daemon runs in backup state on ${dir.name.text}: declare both (sync-daemon in the ha block, the sysctl on ${dir.name.text}), or use a separate host as the real server.`,
    fixes: [...syncFix(ctx, dir), ...fixes],
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
      report(ctx, node.name.span, host, t`Director ${host.name.text} is also a real server of service ${svc}`,
        // Not preferred: it changes what the service serves, so the user picks it deliberately.
        [{ ...removalFix(t`Remove director ${host.name.text} from service ${svc}`, ctx.text, node.span), preferred: false }]);
      return;
    }
    const addr = node.address?.value;
    if (!addr) return;
    const dir = ctx.cluster.cluster.directors.find((d) => d.address?.value === addr);
    if (!dir) return;
    report(ctx, node.address!.span, dir, t`Server ${node.name.text} has the address of director ${dir.name.text} (${addr}), so that director is also a real server`, []);
  },
});
