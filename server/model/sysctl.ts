// Effective kernel settings of a host: what the generators write by default, overridden by the
// host's `sysctl` lines. Rules read these to catch overrides that break DR.
import * as A from '../language/ast';

/**
 * Sysctl names are kept in the form `sysctl` itself prints: dots between the parts, and a dot
 * inside a part (a VLAN interface `ens33.100`) written as '/', so `net.ipv4.conf.ens33/100.rp_filter`.
 * procps `sysctl` and systemd-sysctl both read that form; the all-dots spelling
 * `net.ipv4.conf.ens33.100.rp_filter` is read as the path net/ipv4/conf/ens33/100/… and fails.
 */
export function ifaceKeyPart(iface: string): string {
  return iface.replace(/\./g, '/');
}

/** `net.ipv4.conf.<iface>.<leaf>` for an interface name (its dots become '/'). */
export function confKey(iface: string, leaf: string): string {
  return `net.ipv4.conf.${ifaceKeyPart(iface)}.${leaf}`;
}

/** Defaults the generated sysctl snippet sets on a director (ip_forward first: it resets conf.*). */
export function directorDefaults(iface: string): [string, string][] {
  return [
    ['net.ipv4.ip_forward', '0'],
    ['net.ipv4.conf.all.send_redirects', '0'],
    ['net.ipv4.conf.default.send_redirects', '0'],
    [confKey(iface, 'send_redirects'), '0'],
  ];
}

/** Defaults the generated sysctl snippet sets on a real server (ARP: lo and all, as the seed). */
export function serverDefaults(): [string, string][] {
  return [
    ['net.ipv4.conf.lo.arp_ignore', '1'],
    ['net.ipv4.conf.lo.arp_announce', '2'],
    ['net.ipv4.conf.all.arp_ignore', '1'],
    ['net.ipv4.conf.all.arp_announce', '2'],
  ];
}

/** Ordered key → value map: defaults, then the host's overrides (last one wins). */
export function effectiveSysctls(host: A.Host): Map<string, string> {
  const iface = host.iface?.value.split(':')[0] ?? 'eth0';
  const map = new Map<string, string>(host.kind === 'director' ? directorDefaults(iface) : serverDefaults());
  for (const s of host.sysctls) map.set(normalizeKey(s.key.value), s.value.value);
  return map;
}

/**
 * The name form of a key as written in a `sysctl` line (sysctl.d(5)): when the first separator is
 * '/', the key is a /proc/sys path and its dots and slashes swap (`net/ipv4/conf/ens33.100/rp_filter`
 * → `net.ipv4.conf.ens33/100.rp_filter`); otherwise it already is the name form.
 */
export function normalizeKey(key: string): string {
  const first = /[./]/.exec(key);
  if (!first || first[0] === '.') return key;
  return key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** The override line that set a key, if the host has one (for ranges and fixes). */
export function sysctlLine(host: A.Host, key: string): A.Sysctl | undefined {
  const lines = host.sysctls.filter((s) => normalizeKey(s.key.value) === key);
  return lines[lines.length - 1];
}

/**
 * The sysctl subtrees a .lvs file may set: the network settings. Any other kernel setting
 * (kernel.modprobe, kernel.core_pattern name programs the kernel runs as root) is refused by
 * validation (LVS116) and again by the generator.
 */
export const ALLOWED_SYSCTL_PREFIXES = ['net.ipv4.', 'net.ipv6.', 'net.core.', 'net.netfilter.'] as const;

export function isAllowedSysctlKey(key: string): boolean {
  const k = normalizeKey(key);
  return ALLOWED_SYSCTL_PREFIXES.some((p) => k.startsWith(p) && k.length > p.length);
}
