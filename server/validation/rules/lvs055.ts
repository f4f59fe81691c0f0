// LVS055: a firewall-mark service (`ports`, `fwmark`) on an IPv6 VIP. The generated marking rules
// (nftables table `ip lvs_dr`, iptables' mangle chain) and the fwmark virtual server (ipvsadm -f
// without -6, keepalived's `virtual_server fwmark` without `family inet6`) are IPv4 only: such a
// service would be written but never match a packet. Refused until they have an IPv6 form.
import { t } from '../../shared/l10n/message';
import { addressFamily } from '../../language/values';
import { isFwmarkService } from '../../model/fwmark';
import { serviceVip } from '../../model/topology';
import { defineRule } from '../types';
import { vipRef } from './util-addressing';

export const lvs055 = defineRule({
  code: 'LVS055',
  severity: 'error',
  title: 'Multi-port (firewall-mark) service on an IPv6 VIP',
  nodeKinds: ['service'],
  check(svc, ctx) {
    if (!isFwmarkService(svc)) return;
    const vip = serviceVip(ctx.cluster, svc);
    if (!vip || addressFamily(vip.address.value) !== 6) return;
    const at = svc.ports ?? svc.fwmark;
    ctx.report({
      span: at?.full ?? svc.name.span,
      message: t`Service ${svc.name.text} is a firewall-mark service (several ports) on IPv6 VIP ${vipRef(vip)}: the marking rules and the fwmark virtual server this tool generates are IPv4 only, so no packet would ever reach the service. Write one service per port for an IPv6 VIP.`,
    });
  },
});
