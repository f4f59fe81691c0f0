// LVS041: port 0 ("all ports") is only valid for a persistent service (ipvsadm(8) -p; keepalived
// warns "zero port only valid for persistent services" and forces persistence on).
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';

export const lvs041 = defineRule({
  code: 'LVS041',
  severity: 'error',
  title: 'Port 0 (all ports) service without persistence',
  nodeKinds: ['service'],
  check(svc, ctx) {
    const port = svc.port;
    if (!port || port.value !== 0 || svc.persistence) return;
    ctx.report({
      span: port.span,
      message: t`Service ${svc.name.text} uses port 0 (all ports) without persistence: ipvsadm refuses port 0 without -p, and keepalived silently switches persistence on, so the service would not behave as written.`,
      fixes: [{ title: t`Add 'persistence 300s' (ipvsadm's default)`, edits: [{ span: { start: port.full.end, end: port.full.end }, newText: ' persistence 300s' }], preferred: true }],
    });
  },
});
