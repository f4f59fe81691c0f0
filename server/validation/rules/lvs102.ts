// LVS102: VRRP settings keepalived accepts but silently changes: equal priorities, an auth
// password longer than 8 characters, nopreempt on the initial master.
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { defineRule } from '../types';
import { removalFix, replaceFix } from './util-operational';

/** A priority 10 below `from` (or above, near the bottom) that no director uses yet. */
function distinctPriority(from: number, used: Set<number>): number | undefined {
  for (let step = 10; step < 254; step += 1) {
    for (const p of [from - step, from + step]) if (p >= 1 && p <= 254 && !used.has(p)) return p;
  }
  return undefined;
}

export const lvs102 = defineRule({
  code: 'LVS102',
  severity: 'warning',
  title: 'Equal VRRP priorities, auth longer than 8 characters, nopreempt on the master',
  nodeKinds: ['ha', 'director'],
  check(node, ctx) {
    if (node.kind === 'director') {
      if (node.nopreempt && node.role?.value === 'master') {
        ctx.report({
          span: node.nopreempt.span,
          message: t`nopreempt on director ${node.name.text} (role master) is ignored: keepalived clears nopreempt when the initial state is MASTER. For a non-preemptive pair give both directors role backup.`,
          fixes: [removalFix(t`Remove 'nopreempt'`, ctx.text, node.nopreempt.full)],
        });
      }
      return;
    }
    const cluster = ctx.cluster.cluster;
    const auth = node.auth;
    if (auth && auth.value.kind === 'inline' && auth.value.value.length > 8) {
      ctx.report({
        span: auth.span,
        message: t`The VRRP auth of cluster ${cluster.name.text} has ${auth.value.value.length} characters; keepalived uses only the first 8 ("Truncating auth_pass"), so the rest adds no protection.`,
      });
    }
    const dirs = cluster.directors.filter((d): d is A.Director & { priority: A.Prop<number> } => !!d.priority);
    const used = new Set(dirs.map((d) => d.priority.value));
    const reported = new Set<A.Director>();
    for (let i = 0; i < dirs.length; i++) {
      for (let j = i + 1; j < dirs.length; j++) {
        const [a, b] = [dirs[i], dirs[j]];
        if (a.priority.value !== b.priority.value || reported.has(a) || reported.has(b)) continue;
        // Change the backup's value; keep the master's.
        const [keep, change] = b.role?.value === 'master' && a.role?.value !== 'master' ? [b, a] : [a, b];
        reported.add(change);
        const next = distinctPriority(keep.priority.value, used);
        if (next !== undefined) used.add(next);
        ctx.report({
          span: change.priority.span,
          message: t`Directors ${keep.name.text} and ${change.name.text} both have priority ${change.priority.value}: with equal VRRP priorities the election falls to the higher IP address, not to the roles written here, and keepalived's man page asks for distinct values.`,
          fixes: next === undefined ? [] : [replaceFix(t`Set ${change.name.text}'s priority to ${next}`, change.priority.span, String(next))],
        });
      }
    }
  },
});
