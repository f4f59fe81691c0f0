// VIP persistence on a real server: the VIP on lo as a /32, never on the NIC.
//   rhel7  /etc/sysconfig/network-scripts/ifcfg-lo:N  NETMASK=255.255.255.255 written explicitly:
//          an lo alias inherits NETMASK=255.0.0.0 from ifcfg-lo (ifup-aliases' default_NETMASK),
//          which would make a whole /8 local. No route-lo file: adding the /32 address creates
//          the local route by itself; the classic `route add -host VIP dev lo:0` is a legacy
//          habit (research §5) and a second route only adds something to undo.
//   rhel9  /etc/NetworkManager/system-connections/lvs-dr-lo.nmconnection (type=loopback, 0600,
//          needs NetworkManager >= 1.42)
//   debian /etc/network/interfaces.d/lvs-dr-lo (ifupdown `lo:N` stanzas)
//   ubuntu /etc/systemd/system/lvs-dr-lo.service (oneshot unit, see persist-common.ts)
import { HostContext, MODE_FILE } from './context';
import { ClusterSpec, hostCidr, PlacedVip, ServerSpec } from './spec';
import { HostShape, SharedFileSpec } from './shared-body';
import { byDevice, ifupdownIpv6, nmKeyfile, stableUuid, vipUnit } from './persist-common';
import { Lines } from './text';
import { GeneratedFile } from './types';

export const SERVER_VIP_UNIT = 'lvs-dr-lo.service';

export function generateRsLoopback(ctx: HostContext, s: ServerSpec): GeneratedFile[] {
  if (s.loVips.length === 0) return [];
  switch (s.os) {
    case 'rhel7': {
      // ifcfg-lo:N aliases are IPv4 only (ifup-aliases reads IPADDR): IPv6 VIPs go to a oneshot unit.
      const six = s.loVips.filter((v) => v.vip.family === 6);
      return [
        ...ctx.bodies.files(ctx, rhel7Files),
        ...(six.length > 0 ? [vipUnit(ctx, SERVER_VIP_UNIT, `LVS-DR IPv6 VIPs of cluster ${ctx.spec.name} on the loopback of ${s.name}`, six, [
          'The IPv6 VIPs on lo as /128 addresses: an ifcfg-lo:N alias holds only an IPv4 address.',
        ])] : []),
      ];
    }
    case 'rhel9':
      return [...byDevice(s.loVips)].map(([dev, vips]) => {
        const id = `lvs-dr-${dev}`;
        const loopback = dev === 'lo';
        const addresses = [...(loopback ? ['127.0.0.1/8'] : []), ...vips.filter((v) => v.vip.family === 4).map((v) => hostCidr(v.vip))];
        const ipv4 = ['method=manual', ...addresses.map((a, i) => `address${i + 1}=${a}`)];
        const addresses6 = [...(loopback ? ['::1/128'] : []), ...vips.filter((v) => v.vip.family === 6).map((v) => hostCidr(v.vip))];
        const ipv6 = addresses6.length > 0
          ? ['addr-gen-mode=default', 'method=manual', ...addresses6.map((a, i) => `address${i + 1}=${a}`)]
          : ['method=disabled'];
        return nmKeyfile(ctx, id, [
          loopback
            ? 'The VIPs on lo as /32 addresses (type=loopback needs NetworkManager >= 1.42; on older'
            : `The VIPs on the NOARP device ${dev} as /32 addresses.`,
          ...(loopback ? ['NetworkManager use a systemd unit or ifcfg-lo:N instead). 127.0.0.1/8 and ::1 stay.'] : []),
        ], [
          ['connection', [`id=${id}`, `uuid=${stableUuid(ctx.spec.name, s.name, id)}`, `type=${loopback ? 'loopback' : 'dummy'}`, `interface-name=${dev}`, 'autoconnect=true']],
          ...(loopback ? [['loopback', []] as [string, string[]]] : []),
          ['ipv4', ipv4],
          ['ipv6', ipv6],
          ['proxy', []],
        ]);
      });
    case 'debian':
      return ctx.bodies.files(ctx, debianFile);
    case 'ubuntu':
      return [vipUnit(ctx, SERVER_VIP_UNIT, `LVS-DR VIPs of cluster ${ctx.spec.name} on the loopback of ${s.name}`, s.loVips, [
        'The VIPs on lo as /32 addresses.',
      ])];
  }
}

/** rhel7: one ifcfg-lo:N per VIP (the same on every server of this shape). */
function rhel7Files(_plan: ClusterSpec, s: HostShape): SharedFileSpec[] {
  return loVipsOf(s).filter((v) => v.vip.family === 4).map((v) => ({
    path: `/etc/sysconfig/network-scripts/ifcfg-${v.label}`,
    mode: MODE_FILE,
    purpose: [
      `VIP ${v.vip.name ?? v.vip.address} on ${v.label}: the real server accepts packets for it without`,
      'answering ARP (see 90-lvs-dr-rs.conf). NETMASK is explicit: an lo alias inherits',
      '255.0.0.0 from ifcfg-lo. An alias has no ONBOOT; ONPARENT=yes brings it up with lo.',
      'No route-lo file: the /32 address creates its local route by itself.',
    ],
    body: new Lines().add(`DEVICE=${v.label}`, `IPADDR=${v.vip.address}`, 'NETMASK=255.255.255.255', 'ONPARENT=yes'),
  }));
}

/** debian: ifupdown stanzas for every VIP in one file. */
function debianFile(_plan: ClusterSpec, s: HostShape): SharedFileSpec[] {
  const body = new Lines();
  for (const v of loVipsOf(s).filter((x) => x.vip.family === 4)) {
    body.blank().add(`auto ${v.label}`, `iface ${v.label} inet static`, `    address ${v.vip.address}`, '    netmask 255.255.255.255');
  }
  body.append(ifupdownIpv6(loVipsOf(s)));
  return [{
    path: '/etc/network/interfaces.d/lvs-dr-lo',
    mode: MODE_FILE,
    purpose: [
      'The VIPs on lo as /32 aliases. Read because /etc/network/interfaces has',
      '`source /etc/network/interfaces.d/*` (Debian\'s default). networking.service runs after',
      'systemd-sysctl, so the ARP settings of 90-lvs-dr-rs.conf are in force first.',
      ...(loVipsOf(s).some((v) => v.vip.family === 6)
        ? ['IPv6 VIPs are /128 addresses added by the `up` lines of an inet6 stanza (no aliases in IPv6).']
        : []),
    ],
    // The blank line between the header and the first stanza.
    after: [''],
    body,
  }];
}

function loVipsOf(s: HostShape): PlacedVip[] {
  return s.kind === 'server' ? s.loVips : [];
}
