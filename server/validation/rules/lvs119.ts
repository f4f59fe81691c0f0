// LVS119: a sysctl key that spells a dotted interface name (a VLAN, `ens33.100`) with a plain
// separator: `net.ipv4.conf.ens33.100.rp_filter` is read by sysctl as the path
// net/ipv4/conf/ens33/100/rp_filter, which does not exist, so apply.sh stops there.
import { hostWhat } from './util-addressing';
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { ifaceKeyPart, normalizeKey } from '../../model/sysctl';
import { defineRule } from '../types';
import { baseIface, replaceFix } from './util-operational';

/** The host's interface names that contain a dot (its NIC, its links, a director's VIP interfaces). */
function dottedIfaces(host: A.Host, vips: A.Vip[]): string[] {
  const names = [host.iface?.value, ...host.links.map((l) => l.iface.value), ...(host.kind === 'director' ? vips.map((v) => v.iface?.value) : [])];
  return [...new Set(names.filter((n): n is string => !!n).map(baseIface).filter((n) => n.includes('.')))];
}

export const lvs119 = defineRule({
  code: 'LVS119',
  severity: 'error',
  title: 'sysctl key splits a dotted interface name',
  nodeKinds: ['sysctl'],
  check(s, ctx) {
    const host = ctx.host;
    if (!host) return;
    const key = normalizeKey(s.key.value);
    for (const iface of dottedIfaces(host, ctx.cluster.cluster.vips)) {
      const m = /^(net\.ipv[46]\.(?:conf|neigh)\.)(.+)(\.[^.]+)$/.exec(key);
      if (!m || m[2] !== iface) continue;
      const fixed = `${m[1]}${ifaceKeyPart(iface)}${m[3]}`;
      ctx.report({
        span: s.key.span,
        message: t`sysctl ${s.key.value} on ${hostWhat(host)} splits the interface name ${iface}: sysctl reads it as the path ${key.replace(/\./g, '/')}, which does not exist, and apply.sh fails. Write the interface part with '/' (${fixed}), as sysctl -a prints it.`,
        fixes: [replaceFix(t`Write ${fixed}`, s.key.span, fixed)],
      });
      return;
    }
  },
});
