// LVS116: a sysctl line outside the kernel's network settings. A .lvs file describes a load
// balancer; letting it set any kernel parameter would let a cloned repository change how the
// host runs programs (kernel.modprobe, kernel.core_pattern name programs the kernel runs as root).
import { hostWhat } from './util-addressing';
import { listMsgs, t } from '../../shared/l10n/message';
import { ALLOWED_SYSCTL_PREFIXES, isAllowedSysctlKey } from '../../model/sysctl';
import { defineRule } from '../types';
import { removalFix } from './util-operational';

export const lvs116 = defineRule({
  code: 'LVS116',
  severity: 'error',
  title: 'sysctl outside the network settings',
  nodeKinds: ['sysctl'],
  check(s, ctx) {
    if (isAllowedSysctlKey(s.key.value)) return;
    const owner = ctx.host ? hostWhat(ctx.host) : t`cluster ${ctx.cluster.cluster.name.text}`;
    ctx.report({
      span: s.key.span,
      message: t`sysctl ${s.key.value} on ${owner} is not a network setting: a .lvs file may only set keys under ${listMsgs(ALLOWED_SYSCTL_PREFIXES)} (other kernel settings, such as kernel.modprobe, change how the whole host runs and are refused). Set it with the host's own configuration management.`,
      fixes: [removalFix(t`Remove this sysctl line`, ctx.text, s.span)],
    });
  },
});
