// LVS109: strict reverse-path filtering on a multi-homed real server.
import { listMsgs, t } from '../../shared/l10n/message';
import { confKey, normalizeKey, sysctlLine } from '../../model/sysctl';
import { defineRule } from '../types';
import { baseIface, replaceFix } from './util-operational';

export const lvs109 = defineRule({
  code: 'LVS109',
  severity: 'warning',
  title: 'Strict rp_filter on a multi-homed real server',
  nodeKinds: ['sysctl'],
  check(s, ctx) {
    const host = ctx.host;
    if (!host || host.kind !== 'server' || host.links.length === 0) return;
    const key = normalizeKey(s.key.value);
    const nic = host.iface ? baseIface(host.iface.value) : undefined;
    const keys = ['net.ipv4.conf.all.rp_filter', ...(nic ? [confKey(nic, 'rp_filter')] : [])];
    if (!keys.includes(key) || s.value.value !== '1' || sysctlLine(host, key) !== s) return;
    // The kernel uses max(all, interface): a 2 on the other key makes the filter loose anyway.
    const values = keys.map((k) => Number(sysctlLine(host, k)?.value.value ?? 0));
    if (Math.max(...values) !== 1) return;
    ctx.report({
      span: s.value.span,
      message: t`rp_filter = 1 (strict) on server ${host.name.text}, which is multi-homed (${listMsgs(host.links.map((l) => l.iface.value))}): a request whose route back leaves by another interface is dropped silently. Use 2 (loose), as Ubuntu ships.`,
      fixes: [replaceFix(t`Set it to 2 (loose)`, s.value.span, '2')],
    });
  },
});
