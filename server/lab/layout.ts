// What a lab will contain, computed from a .lvs file: one entry per host with its address,
// interface and the ports its responder serves, plus a free address for the client namespace.
import { parse } from '../language/parse';
import { listMsgs, Msg, t } from '../shared/l10n/message';
import { MessageError } from '../shared/l10n/message-error';
import { buildModel, ClusterModel, resolveReal } from '../model/topology';
import { formatIpv4, formatIpv6, parseCidr, parseIpv4, parseIpv6 } from '../language/values';

export type HostKind = 'director' | 'server' | 'client';

export interface LabHostLayout {
  name: string;
  kind: HostKind;
  address: string;
  prefix: number;
  /** The IPv6 address and prefix of a dual-stack cluster's host (the lab is reached over IPv4). */
  address6?: string;
  prefix6?: number;
  /** Interface name inside the host (from the file; `eth0` when the file names none). */
  iface: string;
  /** TCP ports the host's responder answers HTTP on (real servers; empty for pure directors). */
  tcpPorts: number[];
  /** UDP ports the host's responder echoes on. */
  udpPorts: number[];
}

export interface LabLayout {
  file: string;
  cluster: string;
  network: string;
  prefix: number;
  gateway?: string;
  vips: string[];
  hosts: LabHostLayout[];
}

export class LayoutError extends MessageError {}

export function layoutLab(file: string, text: string, clusterName?: string): LabLayout {
  const parsed = parse(text);
  if (parsed.issues.length > 0) {
    throw new LayoutError(t`${file} has syntax errors (run 'lvsdr check ${file}'): ${parsed.issues[0].msg}`);
  }
  const model = buildModel(parsed.ast);
  if (model.clusters.length === 0) throw new LayoutError(t`${file} describes no cluster`);
  let cm: ClusterModel | undefined;
  if (clusterName) {
    cm = model.clusters.find((c) => c.cluster.name.text === clusterName);
    if (!cm) throw new LayoutError(t`no cluster '${clusterName}' in ${file} (clusters: ${listMsgs(model.clusters.map((c) => c.cluster.name.text))})`);
  } else if (model.clusters.length > 1) {
    throw new LayoutError(t`${file} has several clusters (${listMsgs(model.clusters.map((c) => c.cluster.name.text))}): choose one with --cluster NAME`);
  } else {
    cm = model.clusters[0];
  }
  return specifyCluster(file, cm);
}

function specifyCluster(file: string, cm: ClusterModel): LabLayout {
  const c = cm.cluster;
  const name = c.name.text;
  if (!cm.network) throw new LayoutError(t`cluster ${name} has no (valid) 'network': the lab needs it for the bridge segment`);
  const net = cm.network;
  if (net.prefix > 29) throw new LayoutError(t`cluster ${name}: network /${net.prefix} is too small for a lab (need /29 or larger)`);
  const hosts: LabHostLayout[] = [];
  const inNet = (addr: number) => ((addr ^ net.network) >>> 0) >>> (32 - net.prefix) === 0;
  const seen = new Map<string, Msg>();
  const hostEntry = (h: (typeof c.directors)[number] | (typeof c.servers)[number], kind: 'director' | 'server'): LabHostLayout => {
    const label = kind === 'director' ? t`director ${h.name.text}` : t`server ${h.name.text}`;
    const address = h.address?.value;
    if (!address || parseIpv4(address) === undefined) throw new LayoutError(t`${label} has no valid address`);
    if (!inNet(parseIpv4(address)!)) throw new LayoutError(t`${label} address ${address} is outside the network ${c.network!.value}`);
    if (seen.has(address)) throw new LayoutError(t`${label} and ${seen.get(address)!} share the address ${address}`);
    seen.set(address, label);
    const iface = h.iface?.value ?? 'eth0';
    if (!/^[A-Za-z0-9_.-]{1,15}$/.test(iface) || iface.includes(':')) throw new LayoutError(t`${label}: interface name '${iface}' cannot be used`);
    const a6 = h.address6 ? parseIpv6(h.address6.value) : undefined;
    const six = a6 !== undefined && cm.network6 ? { address6: formatIpv6(a6), prefix6: cm.network6.prefix } : {};
    return { name: h.name.text, kind, address, prefix: net.prefix, ...six, iface, tcpPorts: [], udpPorts: [] };
  };
  for (const d of c.directors) if (!hosts.some((x) => x.name === d.name.text)) hosts.push(hostEntry(d, 'director'));
  for (const s of c.servers) if (!hosts.some((x) => x.name === s.name.text)) hosts.push(hostEntry(s, 'server'));
  if (!hosts.some((h) => h.kind === 'director')) throw new LayoutError(t`cluster ${name} has no director`);

  // Ports each real answers on: the real's own port, else the service's port or ports (a
  // multi-port service's real servers listen on every one); the sorry server like a real.
  for (const svc of c.services) {
    const proto = svc.protocol?.value ?? 'tcp';
    const servicePorts = svc.ports?.value ?? (svc.port ? [svc.port.value] : []);
    const answer = (name: string, ports: number[]) => {
      const host = hosts.find((h) => h.name === name);
      if (!host) return;
      const list = proto === 'udp' ? host.udpPorts : host.tcpPorts;
      for (const port of ports) if (port !== 0 && !list.includes(port)) list.push(port);
    };
    for (const r of svc.reals) {
      const target = resolveReal(cm, r);
      if (target) answer(target.name.text, r.port ? [r.port.value] : servicePorts);
    }
    if (svc.sorry) answer(svc.sorry.value, servicePorts);
  }
  for (const h of hosts) if (h.kind === 'server' && !h.tcpPorts.includes(80)) h.tcpPorts.unshift(80);
  for (const h of hosts) { h.tcpPorts.sort((a, b) => a - b); h.udpPorts.sort((a, b) => a - b); }

  const used = new Set(cm.addresses.map((a) => a.address));
  let clientAddr: number | undefined;
  for (let a = net.broadcast - 1; a > net.network; a--) {
    if (!used.has(a)) { clientAddr = a; break; }
  }
  if (clientAddr === undefined) throw new LayoutError(t`cluster ${name}: no free address left in ${c.network!.value} for the client namespace`);
  const clientName = hosts.some((h) => h.name === 'client') ? 'lab-client' : 'client';
  // A dual-stack cluster's client also gets the highest IPv6 address of the network but one.
  const net6 = cm.network6;
  const used6 = new Set(cm.addresses6.map((a) => a.address));
  let client6: bigint | undefined;
  if (net6 && net6.prefix <= 120) {
    for (let a = net6.network + (1n << BigInt(128 - net6.prefix)) - 2n; a > net6.network; a--) if (!used6.has(a)) { client6 = a; break; }
  }
  const six = client6 !== undefined ? { address6: formatIpv6(client6), prefix6: net6!.prefix } : {};
  hosts.push({ name: clientName, kind: 'client', address: formatIpv4(clientAddr), prefix: net.prefix, ...six, iface: 'eth0', tcpPorts: [], udpPorts: [] });

  return {
    file, cluster: name,
    network: `${formatIpv4(net.network)}/${net.prefix}`,
    prefix: net.prefix,
    gateway: cm.gateway !== undefined ? formatIpv4(cm.gateway) : undefined,
    vips: c.vips.map((v) => v.address.value).filter((v) => parseCidr(v) !== undefined),
    hosts,
  };
}
