// LVS116: a sysctl line outside the kernel's network settings. A .lvs file describes a load
// balancer; letting it set any kernel parameter would let a cloned repository change how the
// host runs programs (kernel.modprobe, kernel.core_pattern name programs the kernel runs as root).
import { normalizeKey } from '../../model/sysctl';
import { defineRule } from '../types';
import { removalFix } from './util-operational';

/** The sysctl subtrees a .lvs file may set. */
export const ALLOWED_SYSCTL_PREFIXES = ['net.ipv4.', 'net.ipv6.', 'net.core.', 'net.netfilter.'] as const;

export function isAllowedSysctlKey(key: string): boolean {
  const k = normalizeKey(key);
  return ALLOWED_SYSCTL_PREFIXES.some((p) => k.startsWith(p) && k.length > p.length);
}

export const lvs116 = defineRule({
  code: 'LVS116',
  severity: 'error',
  title: 'sysctl outside the network settings',
  nodeKinds: ['sysctl'],
  check(s, ctx) {
    if (isAllowedSysctlKey(s.key.value)) return;
    const owner = ctx.host ? `${ctx.host.kind} ${ctx.host.name.text}` : `cluster ${ctx.cluster.cluster.name.text}`;
    ctx.report({
      span: s.key.span,
      message: `sysctl ${s.key.value} on ${owner} is not a network setting: a .lvs file may only set keys under ${ALLOWED_SYSCTL_PREFIXES.join(', ')} (other kernel settings, such as kernel.modprobe, change how the whole host runs and are refused). Set it with the host's own configuration management.`,
      fixes: [removalFix('Remove this sysctl line', ctx.text, s.span)],
    });
  },
});
