// LVS081: a UDP service checked with a TCP-based checker (http, https, tcp).
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { replaceFix } from './util-operational';

const TCP_CHECKS = ['http', 'https', 'tcp'];

export const lvs081 = defineRule({
  code: 'LVS081',
  severity: 'error',
  title: 'UDP service with an HTTP or TCP-connect health check',
  nodeKinds: ['check'],
  check(check, ctx) {
    const svc = ctx.service;
    if (!svc || svc.protocol?.value !== 'udp' || !TCP_CHECKS.includes(check.type.value)) return;
    // The replacement keeps the timing options; path and expect mean nothing to a UDP check.
    const timing = [check.every, check.timeout, check.retry].filter((p) => p).map((p) => ctx.text.slice(p!.full.start, p!.full.end));
    const replacement = ['check udp', ...timing].join(' ');
    ctx.report({
      span: check.type.span,
      message: t`Service ${svc.name.text} is UDP but its health check is '${check.type.value}': that checker connects over TCP to each real server's port, which a UDP-only daemon never accepts, so every real server is marked down.`,
      fixes: [replaceFix(t`Use a 'udp' check`, check.span, replacement)],
    });
  },
});
