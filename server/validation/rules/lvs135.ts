// LVS135: VRRP tuning that keepalived accepts but that does not do what it says: preempt-delay on
// a director that starts as MASTER (keepalived clears it), a sync daemon on an interface a
// director does not have, or with a single director (nothing to sync with), a tracked interface
// that is the VRRP interface itself (tracked already), garp-interval or preempt-delay out of range.
import { listMsgs, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { defineRule } from '../types';
import { baseIface, removalFix, replaceFix } from './util-operational';

function hasIface(d: A.Director, iface: string): boolean {
  return (d.iface && baseIface(d.iface.value) === iface) || d.links.some((l) => baseIface(l.iface.value) === iface);
}

export const lvs135 = defineRule({
  code: 'LVS135',
  severity: 'warning',
  title: 'VRRP tuning without effect: preempt-delay on the master, sync daemon on a missing interface',
  nodeKinds: ['ha'],
  check(ha, ctx) {
    const directors = ctx.cluster.cluster.directors;
    const pd = ha.preemptDelay;
    if (pd && (pd.value < 0 || pd.value > 1_000_000)) {
      ctx.report({ severity: 'error', span: pd.span, message: t`preempt-delay ${pd.text} is outside 0–1000s, keepalived's range.` });
    } else if (pd) {
      for (const d of directors) {
        if (d.role?.value !== 'master') continue;
        ctx.report({
          span: pd.span,
          message: t`preempt-delay does not act on director ${d.name.text}: keepalived clears it on an instance whose initial state is MASTER, so ${d.name.text} takes the VIPs back at once when it returns. For a delayed takeover give every director role backup (the higher priority still wins, after the delay).`,
          fixes: d.role ? [replaceFix(t`Make ${d.name.text} role backup`, d.role.span, 'backup', false)] : [],
        });
      }
    }
    const gi = ha.garpInterval;
    if (gi && gi.value > 1000 * 1000) ctx.report({ severity: 'error', span: gi.span, message: t`garp-interval ${gi.text} is longer than keepalived accepts (1000s).` });
    const gr = ha.garpRepeat;
    if (gr && !(Number.isInteger(gr.value) && gr.value >= 1 && gr.value <= 255)) ctx.report({ severity: 'error', span: gr.span, message: t`garp-repeat ${gr.text} is outside 1–255.` });
    const sd = ha.syncDaemon;
    if (sd) {
      const iface = baseIface(sd.value);
      if (directors.length < 2) {
        ctx.report({ span: sd.full, message: t`The sync daemon of cluster ${ctx.cluster.cluster.name.text} has no peer: with one director there is no backup to receive the connection table.`, fixes: [removalFix(t`Remove 'sync-daemon'`, ctx.text, sd.full)] });
      }
      const missing = directors.filter((d) => !hasIface(d, iface));
      if (missing.length > 0) {
        const own = missing[0].iface ? baseIface(missing[0].iface.value) : undefined;
        ctx.report({
          span: sd.span,
          message: t`The sync daemon runs on ${iface}, which director ${listMsgs(missing.map((d) => d.name.text))} does not have (its interface or a link): keepalived cannot start the IPVS sync daemon there, and connections do not survive a failover.`,
          fixes: own && own !== iface && directors.every((d) => hasIface(d, own)) ? [replaceFix(t`Use ${own}`, sd.span, own)] : [],
        });
      }
    }
    for (const ti of ha.trackInterfaces) {
      const iface = baseIface(ti.value);
      if (directors.length > 0 && directors.every((d) => d.iface && baseIface(d.iface.value) === iface)) {
        ctx.report({ span: ti.full, message: t`track-interface ${ti.text} is the VRRP interface of every director, which keepalived tracks already.`, fixes: [removalFix(t`Remove 'track-interface ${ti.text}'`, ctx.text, ti.full)] });
      }
    }
  },
});
