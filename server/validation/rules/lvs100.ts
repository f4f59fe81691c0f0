// LVS100: director sysctl overrides that turn ICMP redirects back on, or enable forwarding.
import { t } from '../../shared/l10n/message';
import { ifaceKeyPart, normalizeKey, sysctlLine } from '../../model/sysctl';
import { defineRule } from '../types';
import { baseIface, replaceFix } from './util-operational';

export const lvs100 = defineRule({
  code: 'LVS100',
  severity: 'warning',
  title: 'Director send_redirects not off, or ip_forward switched on',
  nodeKinds: ['sysctl'],
  check(s, ctx) {
    const host = ctx.host;
    if (!host || host.kind !== 'director') return;
    const key = normalizeKey(s.key.value);
    if (sysctlLine(host, key) !== s) return; // an earlier line is overridden by a later one
    const nics = new Set<string>(['all', 'default']);
    if (host.iface) nics.add(ifaceKeyPart(baseIface(host.iface.value)));
    for (const v of ctx.cluster.cluster.vips) if (v.iface) nics.add(ifaceKeyPart(baseIface(v.iface.value)));
    const m = /^net\.ipv4\.conf\.([^.]+)\.send_redirects$/.exec(key);
    if (m && nics.has(m[1]) && s.value.value !== '0') {
      ctx.report({
        span: s.value.span,
        message: t`send_redirects is ${s.value.value} for '${m[1].replace(/\//g, '.')}' on director ${host.name.text}: the kernel sends ICMP redirects if all OR the interface has it on, so all, default and the NIC must each be 0; otherwise the director tells hosts on the shared segment to bypass it.`,
        fixes: [replaceFix(t`Set it to 0`, s.value.span, '0')],
      });
    }
    if ((key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') && s.value.value !== '0') {
      ctx.report({
        severity: 'information',
        span: s.value.span,
        message: t`${key} = ${s.value.value} on director ${host.name.text} is not needed for DR (IPVS forwards from the local-input path) and makes the director route other traffic; changing it also resets every conf.* setting, so the generated sysctl file sets it first.`,
        fixes: [replaceFix(t`Set it to 0`, s.value.span, '0')],
      });
    }
  },
});
