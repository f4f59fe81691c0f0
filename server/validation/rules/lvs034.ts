// LVS034: proxy_arp / proxy_arp_pvlan must be off on every interface that carries the VIP
// (keepalived.conf(5), KERNEL SETTINGS). Proxy ARP is on when conf.all or conf.<iface> is on.
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { ClusterModel } from '../../model/topology';
import { ifaceKeyPart, normalizeKey, sysctlLine } from '../../model/sysctl';
import { defineRule } from '../types';
import { hostIface, ifaceBase } from './util-addressing';

const KEY = /^net\.ipv4\.conf\.([^.]+)\.(proxy_arp|proxy_arp_pvlan)$/;

/** Interfaces (as sysctl key parts, see ifaceKeyPart) whose proxy ARP setting reaches the VIP on this host. */
function vipInterfaces(model: ClusterModel, host: A.Host): Set<string> {
  if (host.kind === 'server') return new Set(['all', 'lo', ifaceKeyPart(hostIface(host))]);
  const set = new Set(['all']);
  const vips = model.cluster.vips;
  if (vips.length === 0) set.add(ifaceKeyPart(hostIface(host)));
  for (const v of vips) set.add(ifaceKeyPart(v.iface ? ifaceBase(v.iface.value) : hostIface(host)));
  return set;
}

export const lvs034 = defineRule({
  code: 'LVS034',
  severity: 'error',
  title: 'proxy_arp enabled on an interface carrying the VIP',
  nodeKinds: ['sysctl'],
  check(sysctl, ctx) {
    const host = ctx.host;
    if (!host) return;
    const key = normalizeKey(sysctl.key.value);
    const m = KEY.exec(key);
    if (!m || sysctlLine(host, key) !== sysctl) return; // only the line that takes effect
    const value = Number(sysctl.value.value);
    if (!Number.isFinite(value) || value === 0) return;
    const [, iface, name] = m;
    if (!vipInterfaces(ctx.cluster, host).has(iface)) return;
    const where = iface === 'all' ? t`all interfaces` : iface.replace(/\//g, '.');
    const role = host.kind === 'director' ? t`director` : t`real server`;
    ctx.report({
      span: sysctl.value.span,
      message: t`${name} = ${sysctl.value.value} on ${where} of ${role} ${host.name.text}, which carries the VIP: the host would answer ARP requests for addresses that are not its own and can divert VIP traffic; keepalived.conf(5) requires proxy_arp and proxy_arp_pvlan to be 0 on VIP interfaces.`,
      fixes: [{ title: t`Set ${key} to 0`, edits: [{ span: sysctl.value.span, newText: '0' }], preferred: true }],
    });
  },
});
