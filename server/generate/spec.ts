// Normalises the resolved model of one cluster into the plain values every generator needs:
// addresses, interfaces and labels, services with their real servers, effective sysctls.
// Defaults are applied here, once, so all artifacts of a host agree with each other.
import * as A from '../language/ast';
import { addressFamily, addressKey, formatIpv4, formatIpv6, parseIpv6, prefixMask } from '../language/values';
import { allocateFwmarks, isFwmarkService } from '../model/fwmark';
import { effectiveSysctls, isAllowedSysctlKey } from '../model/sysctl';
import { ClusterModel, resolveReal, serviceVip, targetOs } from '../model/topology';
import { GenerateError } from './types';
import { Msg, t } from '../shared/l10n/message';

export type TargetOs = 'rhel7' | 'rhel9' | 'debian' | 'ubuntu';

export interface VipSpec {
  name?: string;
  /** IPv4 as written; IPv6 in its RFC 5952 spelling, the one `ip` and `ipvsadm` print. */
  address: string;
  family: 4 | 6;
  /** Interface (or `IF:N` label) the `vip` line asks for on the directors. */
  iface?: string;
}

/** A VIP as a host address: `ADDRESS/32`, or `ADDRESS/128` for IPv6. */
export function hostCidr(vip: VipSpec): string {
  return `${vip.address}/${vip.family === 6 ? 128 : 32}`;
}

/** An IPv6 address text in the spelling the kernel tools print; IPv4 and unreadable text unchanged. */
export function canonicalAddress(text: string): string {
  if (addressFamily(text) === 4) return text;
  const v = parseIpv6(text);
  return v === undefined ? text : formatIpv6(v);
}

/** `ADDR:PORT`, with the IPv6 address in brackets as ipvsadm writes it. */
export function addressPort(address: string, port: number): string {
  return addressFamily(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** One VIP as placed on a device: `ip addr add ADDRESS/32 dev DEV label LABEL` (IPv6 has no labels: label = dev). */
export interface PlacedVip {
  vip: VipSpec;
  dev: string;
  /** `ens33:0`, `lo:0`; equal to `dev` when the file asked for no label. */
  label: string;
}

export interface CheckSpec {
  type: 'http' | 'https' | 'tcp' | 'udp' | 'ping' | 'dns' | 'script' | 'none';
  path: string;
  expect: number;
  /** Seconds between checks (keepalived delay_loop). */
  every: number;
  /** Seconds (keepalived connect_timeout; misc_timeout of a script check). */
  timeout: number;
  retry: number;
  /** keepalived connect_port: the port checked instead of the real server's. */
  port?: number;
  /** keepalived virtualhost of an http/https check. */
  host?: string;
  /** DNS_CHECK name and type. */
  dnsName?: string;
  dnsType?: string;
  /** MISC_CHECK misc_path. */
  script?: string;
}

/** A real server receiving the traffic while no real server is in service (keepalived sorry_server). */
export interface SorrySpec {
  name: string;
  address: string;
  port: number;
}

export interface RealSpec {
  name: string;
  address: string;
  port: number;
  weight: number;
}

export interface ServiceSpec {
  name: string;
  vip: VipSpec;
  protocol: 'tcp' | 'udp';
  /** The port, or the first of `ports` (the real servers' port of a fwmark service). */
  port: number;
  /** Every port of the service (one for a plain service). */
  ports: number[];
  /** Set for a firewall-mark service (`ports`, `fwmark`): IPVS matches the mark, not VIP:port. */
  fwmark?: number;
  scheduler: string;
  /** Persistence timeout in seconds and optional netmask (ipvsadm -p/-M). */
  persistence?: { timeout: number; netmask?: string };
  /** on-failure quiesce: a failed real server keeps weight 0 instead of being removed. */
  quiesce: boolean;
  /** The health checks of every real server (none: always in service). */
  checks: CheckSpec[];
  reals: RealSpec[];
  quorum?: number;
  hysteresis?: number;
  sorry?: SorrySpec;
}

interface HostSpecBase {
  name: string;
  /** The IPv4 address, or the IPv6 one for a host that has only that family. */
  address: string;
  /** The IPv6 address (RFC 5952 spelling), when the host has one. */
  address6?: string;
  /** The IPv6 default gateway: the host's own, else the cluster's. */
  gateway6?: string;
  os: TargetOs;
  /** The host's default gateway: its own `gateway`, else the cluster's. */
  gateway?: string;
  /** Key → value in the order they must be applied (see model/sysctl.ts). */
  sysctls: [string, string][];
}

export interface DirectorSpec extends HostSpecBase {
  kind: 'director';
  /** The director's NIC (without any `:N` label): VRRP and the VIPs live there. */
  iface: string;
  role: 'master' | 'backup';
  priority: number;
  nopreempt: boolean;
  vips: PlacedVip[];
}

export interface ServerSpec extends HostSpecBase {
  kind: 'server';
  /** The server's NIC, when written (verify.sh checks that the VIP is not on it). */
  iface?: string;
  /** VIPs on the loopback (or another NOARP device), each /32. */
  loVips: PlacedVip[];
}

export type HostSpec = DirectorSpec | ServerSpec;

export interface HaSpec {
  routerId: number;
  /** VRRPv2 advertisement interval in whole seconds (the same on every director). */
  advert: number;
  auth?: A.SecretValue;
  unicast: boolean;
  /** keepalived lvs_sync_daemon: the interface the IPVS sync daemon uses. */
  syncDaemon?: string;
  /** Seconds (keepalived preempt_delay). */
  preemptDelay?: number;
  garpRepeat?: number;
  /** Seconds, may be fractional (keepalived garp_interval). */
  garpInterval?: number;
  notify?: string;
  trackInterfaces: string[];
}

/** IPVS connection timeouts in seconds (`ipvsadm --set`; 0 leaves one unchanged). */
export interface TimeoutsSpec {
  tcp: number;
  tcpFin: number;
  udp: number;
}

export interface ClusterSpec {
  name: string;
  sourceName: string;
  /** Cluster network prefix length (for the NIC profile of an rhel9 director). */
  networkPrefix?: number;
  gateway?: string;
  /** The IPv6 network's prefix length and gateway. */
  networkPrefix6?: number;
  gateway6?: string;
  vips: VipSpec[];
  services: ServiceSpec[];
  directors: DirectorSpec[];
  servers: ServerSpec[];
  ha?: HaSpec;
  timeouts?: TimeoutsSpec;
}

/** Default check timing when the file gives none (the seed's values). */
export const DEFAULT_CHECK_EVERY_S = 5;
export const DEFAULT_CHECK_TIMEOUT_S = 3;

function os(model: ClusterModel, host: A.Host): TargetOs {
  const value = targetOs(model, host);
  return (['rhel7', 'rhel9', 'debian', 'ubuntu'].includes(value) ? value : 'rhel7') as TargetOs;
}

function baseIface(host: A.Host): string | undefined {
  return host.iface?.value.split(':')[0];
}

function toSeconds(ms: number | undefined, fallback: number): number {
  return ms === undefined ? fallback : Math.max(1, Math.ceil(ms / 1000));
}

/** Picks labels `DEV:N` for VIPs without an explicit label, skipping labels already used. */
function placeVips(entries: { vip: VipSpec; dev: string; label?: string }[]): PlacedVip[] {
  const used = new Set(entries.map((e) => e.label).filter((l): l is string => !!l));
  const next = new Map<string, number>();
  return entries.map((e) => {
    if (e.vip.family === 6) return { vip: e.vip, dev: e.dev, label: e.dev }; // the kernel keeps no label on an IPv6 address
    if (e.label) return { vip: e.vip, dev: e.dev, label: e.label };
    let n = next.get(e.dev) ?? 0;
    while (used.has(`${e.dev}:${n}`)) n++;
    const label = `${e.dev}:${n}`;
    used.add(label);
    next.set(e.dev, n + 1);
    return { vip: e.vip, dev: e.dev, label };
  });
}

export function specifyCluster(model: ClusterModel, sourceName: string): ClusterSpec {
  const problems: Msg[] = [];
  const c = model.cluster;
  const cname = c.name.text;

  const vips: VipSpec[] = c.vips.map((v) => ({ name: v.name?.text, address: canonicalAddress(v.address.value), family: addressFamily(v.address.value), iface: v.iface?.value }));
  const vipOf = (v: A.Vip | undefined): VipSpec | undefined => (v ? vips[c.vips.indexOf(v)] : undefined);
  if (vips.length === 0) problems.push(t`cluster ${cname} declares no vip`);

  const services: ServiceSpec[] = [];
  const marks = allocateFwmarks(c);
  for (const svc of c.services) {
    const vip = vipOf(serviceVip(model, svc));
    if (!vip) {
      if (svc.vip) problems.push(t`service ${svc.name.text}: vip '${svc.vip.value}' is not declared`);
      continue;
    }
    const fwmark = isFwmarkService(svc) ? marks.get(svc.name.text) : undefined;
    const ports = svc.ports?.value ?? (svc.port ? [svc.port.value] : []);
    if (ports.length === 0) {
      problems.push(t`service ${svc.name.text}: no port`);
      continue;
    }
    const port = ports[0];
    const protocol = (svc.protocol?.value ?? 'tcp') === 'udp' ? 'udp' : 'tcp';
    const reals: RealSpec[] = [];
    for (const r of svc.reals) {
      const host = resolveReal(model, r);
      // The real server's address of the VIP's family (LVS054 reports a host without one).
      const address = vip.family === 6 ? host?.address6 : host?.address;
      if (!address) {
        problems.push(host ? t`service ${svc.name.text}: real server '${r.name.text}' has no IPv${vip.family} address` : t`service ${svc.name.text}: real server '${r.name.text}' is not defined`);
        continue;
      }
      reals.push({ name: r.name.text, address: canonicalAddress(address.value), port: r.port?.value ?? port, weight: r.weight?.value ?? 1 });
    }
    let sorry: SorrySpec | undefined;
    if (svc.sorry) {
      const host = model.servers.get(svc.sorry.value);
      const address = vip.family === 6 ? host?.address6 : host?.address;
      if (!address) problems.push(host ? t`service ${svc.name.text}: sorry server '${svc.sorry.value}' has no IPv${vip.family} address` : t`service ${svc.name.text}: sorry server '${svc.sorry.value}' is not a server of this cluster`);
      else sorry = { name: host!.name.text, address: canonicalAddress(address.value), port };
    }
    const netmask = svc.persistence?.value.netmask?.value;
    services.push({
      name: svc.name.text, vip, protocol, port, ports, fwmark,
      scheduler: svc.scheduler?.value ?? 'wlc',
      persistence: svc.persistence ? { timeout: toSeconds(svc.persistence.value.duration, 300), netmask } : undefined,
      quiesce: svc.onFailure?.value === 'quiesce',
      checks: svc.checks.filter((ch) => ch.type.value !== 'none').map(checkSpec),
      reals,
      quorum: svc.quorum?.value,
      hysteresis: svc.hysteresis?.value,
      sorry,
    });
  }

  const directors: DirectorSpec[] = [];
  c.directors.forEach((d, index) => {
    const iface = baseIface(d);
    const address = d.address ?? d.address6;
    if (!address || !iface) {
      problems.push(!address ? t`director ${d.name.text}: no address` : t`director ${d.name.text}: no interface`);
      return;
    }
    const role = (d.role?.value ?? (index === 0 ? 'master' : 'backup')) === 'master' ? 'master' : 'backup';
    const entries = vips.map((vip) => {
      if (vip.iface?.includes(':')) return { vip, dev: vip.iface.split(':')[0], label: vip.iface };
      return { vip, dev: vip.iface ?? iface };
    });
    directors.push({
      kind: 'director', name: d.name.text, address: canonicalAddress(address.value), iface, os: os(model, d),
      gateway: d.gateway?.value ?? c.gateway?.value,
      ...ipv6Of(d, c),
      sysctls: sysctlList(d), role,
      priority: d.priority?.value ?? (role === 'master' ? 100 : 90),
      nopreempt: !!d.nopreempt, vips: placeVips(entries),
    });
  });

  const servers: ServerSpec[] = [];
  for (const s of c.servers) {
    const iface = baseIface(s);
    const address = s.address ?? s.address6;
    if (!address) {
      problems.push(t`server ${s.name.text}: no address`);
      continue;
    }
    // VIPs this server must hold: those of the services using it, in declaration order.
    const served: VipSpec[] = [];
    for (const svc of model.usedBy.get(s.name.text) ?? []) {
      const v = vipOf(serviceVip(model, svc));
      if (v && !served.includes(v)) served.push(v);
    }
    served.sort((a, b) => vips.indexOf(a) - vips.indexOf(b));
    const entries: { vip: VipSpec; dev: string; label?: string }[] = [];
    const named = new Map<A.VipOn, VipSpec>();
    for (const on of s.vipOn) {
      if (!on.vip) continue;
      const key = addressKey(on.vip.value);
      const v = vips.find((x) => x.name === on.vip!.value || (key !== undefined && addressKey(x.address) === key))
        ?? (key !== undefined ? { address: canonicalAddress(on.vip.value), family: addressFamily(on.vip.value) } : undefined);
      if (v) named.set(on, v);
      else problems.push(t`server ${s.name.text}: vip-on names an undeclared vip '${on.vip.value}'`);
    }
    const explicit = new Set(named.values());
    for (const on of s.vipOn) {
      const label = on.label.value;
      const dev = label.split(':')[0];
      const written = label.includes(':') ? label : undefined;
      const v = named.get(on);
      const want = v?.family === 6 ? 128 : 32;
      if (on.prefix && on.prefix.value !== want && !(v === undefined && on.prefix.value === 128)) problems.push(t`server ${s.name.text}: the VIP on ${label} must be /${want}, not /${on.prefix.value}`);
      if (v) {
        entries.push({ vip: v, dev, label: written });
        continue;
      }
      if (on.vip) continue;
      // `vip-on lo:0` without a vip: every VIP served and not placed explicitly; the first one
      // gets the written label, the next ones the following free numbers on the same device.
      let first = true;
      for (const sv of served) {
        if (explicit.has(sv) || entries.some((e) => e.vip === sv)) continue;
        entries.push({ vip: sv, dev, label: first ? written : undefined });
        first = false;
      }
    }
    servers.push({
      kind: 'server', name: s.name.text, address: canonicalAddress(address.value), iface, os: os(model, s),
      gateway: s.gateway?.value ?? c.gateway?.value,
      ...ipv6Of(s, c),
      sysctls: sysctlList(s), loVips: placeVips(entries),
    });
  }

  let ha: HaSpec | undefined;
  if (c.ha) {
    if (!c.ha.routerId) problems.push(t`ha: no router-id`);
    ha = {
      routerId: c.ha.routerId?.value ?? 0,
      advert: Math.max(1, Math.round((c.ha.advert?.value ?? 1000) / 1000)),
      auth: c.ha.auth?.value,
      unicast: !!c.ha.unicast,
      syncDaemon: c.ha.syncDaemon?.value.split(':')[0],
      preemptDelay: c.ha.preemptDelay ? Math.round(c.ha.preemptDelay.value / 1000) : undefined,
      garpRepeat: c.ha.garpRepeat?.value,
      garpInterval: c.ha.garpInterval ? c.ha.garpInterval.value / 1000 : undefined,
      notify: c.ha.notify?.value,
      trackInterfaces: c.ha.trackInterfaces.map((i) => i.value.split(':')[0]),
    };
  }
  const given = c.timeouts;
  const timeouts: TimeoutsSpec | undefined = given && (given.tcp || given.tcpFin || given.udp)
    ? { tcp: toSeconds(given.tcp?.value, 0), tcpFin: toSeconds(given.tcpFin?.value, 0), udp: toSeconds(given.udp?.value, 0) }
    : undefined;

  // Validation refuses these too (LVS116, LVS117); the generator does not rely on it.
  for (const h of [...c.directors, ...c.servers]) {
    for (const s of h.sysctls) if (!isAllowedSysctlKey(s.key.value)) problems.push(h.kind === 'director' ? t`director ${h.name.text}: sysctl ${s.key.value} is not a network setting` : t`server ${h.name.text}: sysctl ${s.key.value} is not a network setting`);
  }
  if (c.directors.length > 1 && !c.ha) problems.push(t`${c.directors.length} directors and no ha block: each would hold the VIPs`);
  if (problems.length > 0) throw new GenerateError(problems.map((p) => t`cluster ${cname}: ${p}`));
  return {
    name: cname, sourceName,
    networkPrefix: model.network?.prefix,
    gateway: c.gateway?.value,
    ...(model.network6 ? { networkPrefix6: model.network6.prefix } : {}),
    ...(c.gateway6 ? { gateway6: canonicalAddress(c.gateway6.value) } : {}),
    vips, services, directors, servers, ha, timeouts,
  };
}

function checkSpec(ch: A.HealthCheck): CheckSpec {
  return {
    type: ch.type.value as CheckSpec['type'], path: ch.path?.value ?? '/', expect: ch.expect?.value ?? 200,
    every: toSeconds(ch.every?.value, DEFAULT_CHECK_EVERY_S),
    timeout: toSeconds(ch.timeout?.value, DEFAULT_CHECK_TIMEOUT_S),
    retry: ch.retry?.value ?? 1,
    port: ch.port?.value, host: ch.host?.value, dnsName: ch.name?.value, dnsType: ch.queryType?.value, script: ch.script?.value,
  };
}

/** A host's IPv6 address and gateway, as keys only when it has them (IPv4 specs stay as they were). */
function ipv6Of(h: A.Host, c: A.Cluster): { address6?: string; gateway6?: string } {
  if (!h.address6) return {};
  const gw = h.gateway6 ?? c.gateway6;
  return { address6: canonicalAddress(h.address6.value), ...(gw ? { gateway6: canonicalAddress(gw.value) } : {}) };
}

/** Effective sysctls with values' inner whitespace collapsed (the kernel prints one tab). */
function sysctlList(host: A.Host): [string, string][] {
  return [...effectiveSysctls(host)].map(([k, v]) => {
    const value = v.trim();
    return [k, /\s/.test(value) ? value.replace(/\s+/g, ' ') : value];
  });
}

/** Prefix length → dotted mask (`24` → `255.255.255.0`). */
export function prefixToNetmask(prefix: number): string {
  return formatIpv4(prefixMask(prefix));
}

/** The services a director balances are all services of the cluster. */
export function serviceKey(svc: ServiceSpec): string {
  if (svc.fwmark !== undefined) return `-f ${svc.fwmark}`;
  return `${svc.protocol === 'udp' ? '-u' : '-t'} ${addressPort(svc.vip.address, svc.port)}`;
}
