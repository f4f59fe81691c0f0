// Effective kernel settings of a host: what the generators write by default, overridden by the
// host's `sysctl` lines. Rules read these to catch overrides that break DR.
import * as A from '../language/ast';

/** Defaults the generated sysctl snippet sets on a director (ip_forward first: it resets conf.*). */
export function directorDefaults(iface: string): [string, string][] {
  return [
    ['net.ipv4.ip_forward', '0'],
    ['net.ipv4.conf.all.send_redirects', '0'],
    ['net.ipv4.conf.default.send_redirects', '0'],
    [`net.ipv4.conf.${iface}.send_redirects`, '0'],
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

/** `net/ipv4/conf/all/arp_ignore` and dotted spellings compare equal. */
export function normalizeKey(key: string): string {
  return key.replace(/\//g, '.');
}

/** The override line that set a key, if the host has one (for ranges and fixes). */
export function sysctlLine(host: A.Host, key: string): A.Sysctl | undefined {
  const lines = host.sysctls.filter((s) => normalizeKey(s.key.value) === key);
  return lines[lines.length - 1];
}
