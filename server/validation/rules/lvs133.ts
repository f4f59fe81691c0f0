// LVS133: quorum and hysteresis keepalived cannot honour: hysteresis without quorum (ignored),
// hysteresis at or above quorum (quorum − hysteresis ≤ 0: never lost), a quorum above the total
// weight of the real servers (never reached: the sorry server serves for good).
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { removalFix } from './util-operational';

export const lvs133 = defineRule({
  code: 'LVS133',
  severity: 'error',
  title: 'Quorum above the total weight, hysteresis not below quorum, hysteresis without quorum',
  nodeKinds: ['service'],
  check(svc, ctx) {
    const { quorum, hysteresis } = svc;
    const name = svc.name.text;
    if (hysteresis && !quorum) {
      ctx.report({ severity: 'warning', span: hysteresis.full, message: t`Service ${name} has hysteresis but no quorum: keepalived applies hysteresis around the quorum only (default quorum 1).`, fixes: [removalFix(t`Remove 'hysteresis ${hysteresis.text}'`, ctx.text, hysteresis.full)] });
    }
    if (!quorum) return;
    if (!(Number.isInteger(quorum.value) && quorum.value >= 1)) {
      ctx.report({ span: quorum.span, message: t`Quorum ${quorum.text} of service ${name} must be at least 1.` });
      return;
    }
    if (hysteresis && hysteresis.value >= quorum.value) {
      ctx.report({ span: hysteresis.span, message: t`Hysteresis ${hysteresis.value} of service ${name} is not below its quorum ${quorum.value}: keepalived loses quorum below quorum − hysteresis, which is then never.` });
    }
    const total = svc.reals.reduce((sum, r) => sum + (r.weight?.value ?? 1), 0);
    if (svc.reals.length > 0 && quorum.value > total) {
      ctx.report({
        severity: 'warning',
        span: quorum.span,
        message: t`Quorum ${quorum.value} of service ${name} is above the total weight ${total} of its real servers: keepalived counts the weights of the servers in service, so the quorum is never reached.`,
      });
    }
  },
});
