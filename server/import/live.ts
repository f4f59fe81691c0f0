// A live import: what each host said over SSH (live-read.ts) becomes one cluster. Directors are
// the hosts with an IPVS table or a keepalived.conf; their keepalived.conf (includes followed on
// the host) gives the VRRP pair and the services, else the IPVS table does. The hosts themselves
// give the rest: the network and gateway of the first director, each host's interface, the VIPs
// on the real servers' loopback aliases, the kernel settings that differ from what the generated
// files set, and the OS family.
import { confKey, directorDefaults, serverDefaults } from '../model/sysctl';
import { joinMsgs, t } from '../shared/l10n/message';
import { ImportFinding, importFinding } from './findings';
import { ImportedCluster, ImportedHostFacts, ImportedLiveFacts } from './imported-cluster';
import { importIpvsadmRules } from './ipvsadm';
import { importKeepalived } from './keepalived';
import { KEEPALIVED_CONF, LiveHostRead, targetOsOf } from './live-read';
import { NAME_RE } from '../language/names';

export interface LiveHost {
  /** The address the host was reached at (its address on the cluster network). */
  address: string;
  read: LiveHostRead;
  /** Found as a real server in a director's services (not given): never taken for a director. */
  discovered?: boolean;
}

function ipNum(a: string): number {
  return a.split('.').reduce((n, o) => n * 256 + Number(o), 0) >>> 0;
}

function networkOf(address: string, prefix: number): string {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const n = (ipNum(address) & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${prefix}`;
}

export function isDirector(r: LiveHostRead): boolean {
  return r.keepalivedFiles.size > 0 || /^-A /m.test(r.ipvsadm ?? '');
}

/** The settings the generated files would set that the host has otherwise. */
function differingSysctls(r: LiveHostRead, director: boolean, iface: string | undefined): Array<[string, string]> {
  const wanted = director ? directorDefaults(iface ?? 'eth0') : serverDefaults();
  return wanted.filter(([k, v]) => {
    if (director && !iface && k === confKey('eth0', 'send_redirects')) return false;
    const live = r.sysctls.get(k);
    return live !== undefined && live !== v;
  }).map(([k]) => [k, r.sysctls.get(k)!]);
}

function facts(h: LiveHost, director: boolean, vips: Set<string>): ImportedHostFacts {
  const own = h.read.addresses.find((a) => a.address === h.address && a.iface !== 'lo');
  const vipOn = director ? [] : h.read.addresses
    .filter((a) => a.iface === 'lo' && vips.has(a.address))
    .map((a) => ({ label: a.label ?? 'lo', vip: a.address, prefix: a.prefix }));
  const hostname = h.read.hostname.split('.')[0];
  return {
    hostname: NAME_RE.test(hostname) ? hostname : undefined,
    iface: own?.iface,
    vipOn,
    sysctls: differingSysctls(h.read, director, own?.iface),
    os: targetOsOf(h.read.os),
    gateway: h.read.gateway,
  };
}

/** `hosts`: every host read; `name`: the cluster's name (the VRRP secret is named after it). */
export function importLive(hosts: LiveHost[], name: string): { cluster: ImportedCluster; findings: ImportFinding[] } {
  const findings: ImportFinding[] = [];
  const cluster: ImportedCluster = { services: [], directors: [] };
  // A host with an IPVS table or keepalived.conf is a director, unless another such host lists
  // it as a real server (a real server may have keepalived installed, or share its files).
  const candidates = hosts.filter((h) => !h.discovered && isDirector(h.read));
  const realsOf = (h: LiveHost) => new Set(importIpvsadmRules(h.read.ipvsadm ?? '', 'ipvsadm').services.flatMap((sv) => sv.reals.map((r) => r.address)));
  const directors = candidates.filter((h) => !candidates.some((o) => o !== h && realsOf(o).has(h.address)));
  for (const d of directors) {
    const where = `${d.address}:`;
    if (d.read.ipvsadmError) findings.push(importFinding('note', `${where}ipvsadm`, 0, joinMsgs([d.read.ipvsadmError], '')));
    if (d.read.keepalivedFiles.size > 0) {
      const k = importKeepalived(KEEPALIVED_CONF, { hostFiles: d.read.keepalivedFiles, secretName: `vrrp-${name}` });
      findings.push(...k.findings.map((f) => ({ ...f, file: `${where}${f.file}` })));
      if (!d.read.keepalivedRunning) findings.push(importFinding('note', `${where}${KEEPALIVED_CONF}`, 1, t('keepalived is not running on this host; its configuration is imported as it is')));
      for (const kd of k.cluster.directors) cluster.directors.push({ ...kd, address: kd.address ?? d.address, at: { ...kd.at, file: `${where}${kd.at.file}` } });
      if (k.cluster.ha && !cluster.ha) cluster.ha = k.cluster.ha;
      if (cluster.services.length === 0) cluster.services = k.cluster.services;
    } else {
      cluster.directors.push({ address: d.address, nopreempt: false, at: { file: `${where}ipvsadm -Sn`, line: 1 } });
    }
  }
  // Without keepalived's virtual servers, the services are the first director's IPVS table.
  if (cluster.services.length === 0) {
    const d = directors.find((x) => x.read.ipvsadm);
    if (d) {
      const r = importIpvsadmRules(d.read.ipvsadm!, `${d.address}:ipvsadm -Sn`);
      findings.push(...r.findings);
      cluster.services = r.services;
    }
  }
  const vips = new Set([...(cluster.ha?.vips ?? []).map((v) => v.address), ...cluster.services.map((s) => s.vip)]);
  const live: ImportedLiveFacts = { hosts: new Map(), extraServers: [] };
  for (const h of hosts) live.hosts.set(h.address, facts(h, directors.includes(h), vips));
  // Each director's interface is the one holding its address.
  for (const d of cluster.directors) {
    const f = d.address ? live.hosts.get(d.address) : undefined;
    if (f?.iface) d.iface = f.iface;
  }
  const first = directors[0];
  if (first) {
    const own = first.read.addresses.find((a) => a.address === first.address && a.iface !== 'lo');
    if (own) live.network = networkOf(own.address, own.prefix);
    live.gateway = first.read.gateway;
  }
  const oses = [...live.hosts.values()].map((f) => f.os);
  if (oses.length > 0 && oses.every((o) => o && o === oses[0])) live.os = oses[0];
  const listed = new Set(cluster.services.flatMap((s) => s.reals.map((r) => r.address)));
  live.extraServers = hosts.filter((h) => !directors.includes(h) && !listed.has(h.address)).map((h) => h.address);
  for (const a of listed) {
    if (!live.hosts.has(a)) findings.push(importFinding('inferred', `${a}:`, 0, t('not read (unreachable or not given): its interface and loopback VIPs are inferred')));
  }
  for (const h of hosts) {
    if (!directors.includes(h) && live.hosts.get(h.address)!.vipOn.length === 0) {
      findings.push(importFinding('note', `${h.address}:`, 0, t('no VIP of the cluster on its loopback interface')));
    }
  }
  cluster.live = live;
  return { cluster, findings };
}
