// LVS111: a health check whose timeout is not shorter than its interval.
import { t } from '../../shared/l10n/message';
import { formatDuration } from '../../language/values';
import { defineRule } from '../types';
import { replaceFix } from './util-operational';

export const lvs111 = defineRule({
  code: 'LVS111',
  severity: 'warning',
  title: 'Health check timeout not shorter than its interval',
  nodeKinds: ['check'],
  check(check, ctx) {
    const { every, timeout } = check;
    if (!every || !timeout || every.value <= 0 || timeout.value < every.value) return;
    const half = every.value / 2;
    const suggestion = half >= 1000 ? Math.floor(half / 1000) * 1000 : Math.max(1, Math.floor(half));
    ctx.report({
      span: timeout.span,
      message: t`Health check timeout ${timeout.text} of service ${ctx.service?.name.text ?? '?'} is not shorter than its interval ${every.text}: keepalived schedules the next check only after a hung one gives up, so a dead server is noticed after timeout + interval per try, not at the rhythm written here.`,
      fixes: [replaceFix(t`Use timeout ${formatDuration(suggestion)}`, timeout.span, formatDuration(suggestion))],
    });
  },
});
