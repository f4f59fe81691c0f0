// LVS042: FTP in direct routing needs persistence (ipvsadm(8)); the director never sees the
// control connection's replies, so only persistence keeps a client's data connections together.
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';

export const lvs042 = defineRule({
  code: 'LVS042',
  severity: 'warning',
  title: 'FTP (port 21) service without persistence',
  nodeKinds: ['service'],
  check(svc, ctx) {
    if (svc.port?.value !== 21 || svc.persistence || (svc.protocol && svc.protocol.value !== 'tcp')) return;
    const at = svc.port.full.end;
    ctx.report({
      span: svc.port.span,
      message: t`Service ${svc.name.text} is FTP (port 21) without persistence: in direct routing the director never sees the server's replies, so it cannot follow the PASV/PORT data connections; IPVS only sends them to the same real server through a persistent port-21 service (ipvsadm(8): "persistence must be set").`,
      fixes: [{ title: t`Add 'persistence 300s' (ipvsadm's default)`, edits: [{ span: { start: at, end: at }, newText: ' persistence 300s' }], preferred: true }],
    });
  },
});
