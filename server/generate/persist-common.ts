// Shared pieces of VIP persistence: NetworkManager keyfiles (RHEL 9) and the oneshot systemd
// unit used on Ubuntu. Ubuntu's netplan rejects `IF:N` labels (canonical/netplan#473), and with
// the NetworkManager renderer `netplan apply` flushed lo (canonical/netplan#408); a
// systemd-networkd drop-in would depend on the file name netplan generates and on the networkd
// renderer. A oneshot unit running `ip addr replace` works with either renderer, keeps the
// classic `IF:N` label that the scripts and verify.sh look for, and orders itself after
// systemd-sysctl so a real server's ARP settings are in force before the VIP appears.
import { createHash } from 'node:crypto';
import { HostContext, headerFor, MODE_FILE, MODE_SECRET } from './context';
import { hostCidr, PlacedVip } from './spec';
import { Lines } from './text';
import { GeneratedFile } from './types';

/** A UUID derived from the cluster, host and profile id: same input, same bytes. */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // Version 5 layout (name-based), variant 10xx.
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Groups placed VIPs by device, keeping the first-seen device order. */
export function byDevice(vips: PlacedVip[]): Map<string, PlacedVip[]> {
  const map = new Map<string, PlacedVip[]>();
  for (const v of vips) map.set(v.dev, [...(map.get(v.dev) ?? []), v]);
  return map;
}

export const NM_DIR = '/etc/NetworkManager/system-connections';

/** A NetworkManager keyfile: root-owned and mode 0600, or NetworkManager ignores it. */
export function nmKeyfile(ctx: HostContext, id: string, purpose: string[], sections: [string, string[]][]): GeneratedFile {
  const path = `${NM_DIR}/${id}.nmconnection`;
  const out = new Lines().add(...headerFor(ctx, path, [...purpose, 'NetworkManager ignores keyfiles that are not root-owned with mode 0600.']));
  for (const [name, keys] of sections) out.blank().add(`[${name}]`, ...keys);
  return { host: ctx.host.name, path, mode: MODE_SECRET, content: out.toString() };
}

/** The oneshot unit that holds VIPs on Ubuntu (see the comment at the top of this module). */
export function vipUnit(ctx: HostContext, unitName: string, description: string, vips: PlacedVip[], purpose: string[]): GeneratedFile {
  const path = `/etc/systemd/system/${unitName}`;
  const out = new Lines().add(...headerFor(ctx, path, [
    ...purpose,
    'netplan rejects IF:N labels, so the VIPs are held by this oneshot unit instead of',
    'netplan YAML; it works with the networkd and NetworkManager renderers alike.',
    'apply.sh enables it; after `netplan apply` run `systemctl restart ' + unitName + '`.',
  ]));
  out.blank().add('[Unit]', `Description=${description}`, 'After=network-online.target systemd-sysctl.service', 'Wants=network-online.target');
  out.blank().add('[Service]', 'Type=oneshot', 'RemainAfterExit=yes');
  for (const v of vips) out.add(`ExecStart=/sbin/ip addr replace ${hostCidr(v.vip)} dev ${v.dev}${v.label !== v.dev ? ` label ${v.label}` : ''}${v.vip.family === 6 ? ' nodad' : ''}`);
  for (const v of vips) out.add(`ExecStop=-/sbin/ip addr del ${hostCidr(v.vip)} dev ${v.dev}`);
  out.blank().add('[Install]', 'WantedBy=multi-user.target');
  return { host: ctx.host.name, path, mode: MODE_FILE, content: out.toString() };
}

/**
 * ifupdown has no alias interfaces for IPv6: the IPv6 VIPs of a device are added by `up` lines of
 * an inet6 stanza of the device itself (lo's `inet6 loopback` method configures nothing else).
 */
export function ifupdownIpv6(vips: PlacedVip[]): Lines {
  const body = new Lines();
  for (const [dev, list] of byDevice(vips.filter((v) => v.vip.family === 6))) {
    body.blank().add(`iface ${dev} inet6 ${dev === 'lo' ? 'loopback' : 'manual'}`);
    for (const v of list) body.add(`    up ip -6 addr replace ${hostCidr(v.vip)} dev ${dev}`);
    for (const v of list) body.add(`    down ip -6 addr del ${hostCidr(v.vip)} dev ${dev} || true`);
  }
  return body;
}
