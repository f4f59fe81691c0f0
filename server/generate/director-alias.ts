// VIP persistence on a director, written ONLY when the cluster has no `ha`: with keepalived,
// keepalived owns the VIP (virtual_ipaddress) and a persistent alias would make both directors
// answer ARP for it (and ifup-aliases' `arping -D` fails on the duplicate).
//   rhel7  /etc/sysconfig/network-scripts/ifcfg-IF:N   (initscripts alias file)
//   rhel9  /etc/NetworkManager/system-connections/lvs-dr-IF.nmconnection (0600)
//   debian /etc/network/interfaces.d/lvs-dr-vip         (ifupdown alias stanzas)
//   ubuntu /etc/systemd/system/lvs-dr-vip.service       (oneshot unit, see persist-common.ts)
import { HostContext, headerFor, MODE_FILE } from './context';
import { DirectorSpec, hostCidr } from './spec';
import { byDevice, ifupdownIpv6, nmKeyfile, stableUuid, vipUnit } from './persist-common';
import { addressFamily } from '../language/values';
import { Lines } from './text';
import { GeneratedFile, GenerateError } from './types';
import { t } from '../shared/l10n/message';

export const DIRECTOR_VIP_UNIT = 'lvs-dr-vip.service';

export function generateDirectorAlias(ctx: HostContext, d: DirectorSpec): GeneratedFile[] {
  if (ctx.spec.ha || d.vips.length === 0) return [];
  switch (d.os) {
    case 'rhel7': {
      // Alias files hold IPv4 only: IPv6 VIPs go to the oneshot unit (apply.sh enables it).
      const six = d.vips.filter((v) => v.vip.family === 6);
      const unit = six.length > 0 ? [vipUnit(ctx, DIRECTOR_VIP_UNIT, `LVS-DR IPv6 VIPs of cluster ${ctx.spec.name} on director ${d.name}`, six, [
        'IPv6 VIPs of this director (no keepalived in this cluster): an ifcfg alias holds only IPv4.',
      ])] : [];
      return [...unit, ...d.vips.filter((v) => v.vip.family === 4).map((v) => {
        const path = `/etc/sysconfig/network-scripts/ifcfg-${v.label}`;
        const out = new Lines().add(...headerFor(ctx, path, [
          `VIP ${v.vip.name ?? v.vip.address} as an alias of ${v.dev} (no keepalived in this cluster).`,
          'An alias has no ONBOOT: ONPARENT=yes brings it up with its parent. The /32 mask is',
          'explicit (an alias would inherit the parent\'s). ARPCHECK=no skips `arping -D`.',
        ]));
        out.add(`DEVICE=${v.label}`, 'BOOTPROTO=none', `IPADDR=${v.vip.address}`, 'NETMASK=255.255.255.255', 'ONPARENT=yes', 'ARPCHECK=no');
        return { host: d.name, path, mode: MODE_FILE, content: out.toString() };
      })];
    }
    case 'rhel9':
      if (ctx.spec.networkPrefix === undefined) {
        throw new GenerateError([t`cluster ${ctx.spec.name}: director ${d.name} (rhel9, no ha) needs the cluster's network for the prefix of its NIC profile`]);
      }
      return [...byDevice(d.vips)].map(([dev, vips]) => {
        const own = dev === d.iface;
        const id = `lvs-dr-${dev}`;
        const v4 = vips.filter((v) => v.vip.family === 4).map((v) => hostCidr(v.vip));
        const v6 = vips.filter((v) => v.vip.family === 6).map((v) => hostCidr(v.vip));
        const addresses = own && addressFamily(d.address) === 4 ? [`${d.address}/${ctx.spec.networkPrefix}`, ...v4] : v4;
        const ipv4 = ['method=manual', ...addresses.map((a, i) => `address${i + 1}=${a}`)];
        if (own && d.gateway) ipv4.push(`gateway=${d.gateway}`);
        const own6 = own && d.address6 && ctx.spec.networkPrefix6 !== undefined ? [`${d.address6}/${ctx.spec.networkPrefix6}`] : [];
        const addresses6 = [...own6, ...v6];
        const ipv6 = addresses6.length > 0
          ? ['addr-gen-mode=default', 'method=manual', ...addresses6.map((a, i) => `address${i + 1}=${a}`), ...(own6.length > 0 && d.gateway6 ? [`gateway=${d.gateway6}`] : [])]
          : ['addr-gen-mode=default', 'method=auto'];
        return nmKeyfile(ctx, id, [
          own ? `Profile of ${dev}: the director address and the VIPs as extra /32 addresses` : `Profile of ${dev}: the VIPs as /32 addresses`,
          '(no keepalived in this cluster). autoconnect-priority makes it win over the',
          'installer\'s profile for the same device. DNS servers are not described in the .lvs',
          'file: add `dns=` under [ipv4] if the profile this one replaces had them.',
        ], [
          ['connection', [`id=${id}`, `uuid=${stableUuid(ctx.spec.name, d.name, id)}`, 'type=ethernet', `interface-name=${dev}`, 'autoconnect=true', 'autoconnect-priority=10']],
          ['ipv4', ipv4],
          ['ipv6', ipv6],
        ]);
      });
    case 'debian': {
      const path = '/etc/network/interfaces.d/lvs-dr-vip';
      const out = new Lines().add(...headerFor(ctx, path, [
        'VIPs as ifupdown alias interfaces (no keepalived in this cluster). Read because',
        '/etc/network/interfaces has `source /etc/network/interfaces.d/*` (Debian\'s default).',
      ]));
      for (const v of d.vips.filter((x) => x.vip.family === 4)) {
        out.blank().add(`auto ${v.label}`, `iface ${v.label} inet static`, `    address ${v.vip.address}`, '    netmask 255.255.255.255');
      }
      out.append(ifupdownIpv6(d.vips));
      return [{ host: d.name, path, mode: MODE_FILE, content: out.toString() }];
    }
    case 'ubuntu':
      return [vipUnit(ctx, DIRECTOR_VIP_UNIT, `LVS-DR VIPs of cluster ${ctx.spec.name} on director ${d.name}`, d.vips, [
        'VIPs of this director (no keepalived in this cluster).',
      ])];
  }
}
