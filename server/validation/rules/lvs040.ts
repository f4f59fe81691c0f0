// LVS040: DR cannot remap ports (ipvsadm(8): with direct routing the real server port "must be
// equal to that of the service address"; keepalived resets a different one).
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';

export const lvs040 = defineRule({
  code: 'LVS040',
  severity: 'error',
  title: 'Real server port differs from the service port',
  nodeKinds: ['real'],
  check(ref, ctx) {
    const svc = ctx.service;
    if (!ref.port || !svc?.port || ref.port.value === svc.port.value) return;
    ctx.report({
      span: ref.port.span,
      message: t`'real ${ref.name.text}:${ref.port.text}' in service ${svc.name.text} remaps port ${svc.port.value} to ${ref.port.text}, which direct routing cannot do: the director only rewrites the MAC, so packets reach ${ref.name.text} still addressed to port ${svc.port.value} (ipvsadm requires equal ports; keepalived silently resets them).`,
      fixes: [{ title: t`Remove ':${ref.port.text}'`, edits: [{ span: ref.port.full, newText: '' }], preferred: true }],
    });
  },
});
