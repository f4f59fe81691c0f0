// LVS130: a multi-port (firewall-mark) service written so that IPVS or keepalived cannot serve it
// as meant: `ports` beside `port`, a port listed twice or out of range, a mark two services share
// or outside what IPVS accepts, a real server with its own port (a fwmark service has none).
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { allocateFwmarks, isFwmarkService } from '../../model/fwmark';
import { defineRule } from '../types';
import { removalFix } from './util-operational';

const MAX_MARK = 0xffffffff;

export const lvs130 = defineRule({
  code: 'LVS130',
  severity: 'error',
  title: 'Multi-port (firewall-mark) service: port and ports together, repeated port, shared or invalid mark',
  nodeKinds: ['service', 'real'],
  check(node, ctx) {
    if (node.kind === 'real') {
      const svc = ctx.service;
      if (!svc || !isFwmarkService(svc) || !node.port) return;
      ctx.report({
        span: node.port.span,
        message: t`Real ${node.name.text} names port ${node.port.text}, but service ${svc.name.text} is a firewall-mark service: IPVS forwards every marked port to the real server unchanged (DR cannot remap), so a real server of it has no port.`,
        fixes: [removalFix(t`Remove ':${node.port.text}'`, ctx.text, node.port.full)],
      });
      return;
    }
    const svc: A.Service = node;
    const name = svc.name.text;
    if (svc.ports && svc.port) {
      ctx.report({
        span: svc.port.span,
        message: t`Service ${name} has both 'port' and 'ports': a service is either one port (port N) or a firewall-mark service over several (ports N N …).`,
        fixes: [removalFix(t`Remove 'port ${svc.port.text}'`, ctx.text, svc.port.full)],
      });
    }
    if (svc.ports) {
      const seen = new Set<number>();
      for (const p of svc.ports.value) {
        if (!(Number.isInteger(p) && p >= 1 && p <= 65535)) {
          ctx.report({ span: svc.ports.span, message: t`Port ${p} of service ${name} is outside 1–65535: the marking rule matches real ports (port 0, all ports, is written 'port 0' with persistence).` });
        } else if (seen.has(p)) {
          ctx.report({ span: svc.ports.span, message: t`Port ${p} is listed twice in 'ports' of service ${name}.` });
        }
        seen.add(p);
      }
    }
    const mark = svc.fwmark;
    if (!mark) return;
    if (!(Number.isInteger(mark.value) && mark.value >= 1 && mark.value <= MAX_MARK)) {
      ctx.report({ span: mark.span, message: t`Firewall mark ${mark.text} of service ${name} is outside 1–4294967295: IPVS (ipvsadm -f) and keepalived take a non-zero 32-bit mark.` });
      return;
    }
    // Two services with one mark: IPVS has one service per mark, the second is refused.
    const marks = allocateFwmarks(ctx.cluster.cluster);
    const other = ctx.cluster.cluster.services.find((s) => s !== svc && isFwmarkService(s) && marks.get(s.name.text) === mark.value
      && (s.fwmark ? s.fwmark.span.start < mark.span.start : true));
    if (other) {
      ctx.report({
        span: mark.span,
        message: t`Firewall mark ${mark.value} of service ${name} is also the mark of service ${other.name.text}: IPVS has one virtual service per mark, so one of them would not exist.`,
      });
    }
  },
});
