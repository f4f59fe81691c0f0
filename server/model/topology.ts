// The resolved model of a .lvs file: names → nodes, addresses → owners, services → VIPs.
// Rules, the LSP features, the generators and the designer all read this, never raw text.
import * as A from '../language/ast';
import { Cidr, Cidr6, parseCidr, parseCidr6, parseIpv4, parseIpv6 } from '../language/values';
import { Msg, t } from '../shared/l10n/message';

export interface AddressOwner {
  address: number;
  /** e.g. `director lvs1`, `server web1`, `the VIP`, `the cluster gateway` (in messages and hovers). */
  what: Msg;
  node: A.Director | A.Server | A.Vip | A.Cluster;
  span: A.Span;
}

/** An IPv6 address written in the cluster and who owns it. */
export interface AddressOwner6 extends Omit<AddressOwner, 'address'> {
  address: bigint;
}

export interface ClusterModel {
  cluster: A.Cluster;
  /** The IPv4 network and gateway. */
  network?: Cidr;
  gateway?: number;
  /** The IPv6 network and gateway. */
  network6?: Cidr6;
  gateway6?: bigint;
  directors: Map<string, A.Director>;
  servers: Map<string, A.Server>;
  services: Map<string, A.Service>;
  /** Every address written in the cluster with who owns it (nodes, VIPs, gateways). */
  addresses: AddressOwner[];
  /** The same for IPv6 addresses (host `address` lines of that family, IPv6 VIPs, the IPv6 gateway). */
  addresses6: AddressOwner6[];
  /** Services that reference a server (as a real server or their sorry server), by server name. */
  usedBy: Map<string, A.Service[]>;
}

export interface FileModel {
  ast: A.LvsFile;
  clusters: ClusterModel[];
}

export function buildModel(ast: A.LvsFile): FileModel {
  return { ast, clusters: ast.clusters.map(buildCluster) };
}

function firstByName<T extends { name: A.Ident }>(list: T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of list) if (!map.has(item.name.text)) map.set(item.name.text, item);
  return map;
}

function buildCluster(cluster: A.Cluster): ClusterModel {
  const network = cluster.network ? parseCidr(cluster.network.value) : undefined;
  const gateway = cluster.gateway ? parseIpv4(cluster.gateway.value) : undefined;
  const addresses: AddressOwner[] = [];
  const add = (prop: A.Prop<string> | undefined, what: Msg, node: AddressOwner['node']) => {
    const address = prop ? parseIpv4(prop.value) : undefined;
    if (prop && address !== undefined) addresses.push({ address, what, node, span: prop.span });
  };
  add(cluster.gateway, t`the cluster gateway`, cluster);
  for (const d of cluster.directors) add(d.address, t`director ${d.name.text}`, d);
  for (const s of cluster.servers) add(s.address, t`server ${s.name.text}`, s);
  for (const v of cluster.vips) add(v.address, v.name ? t`VIP ${v.name.text}` : t`the VIP`, v);
  const addresses6: AddressOwner6[] = [];
  const add6 = (prop: A.Prop<string> | undefined, what: Msg, node: AddressOwner['node']) => {
    const address = prop && prop.value.includes(':') ? parseIpv6(prop.value.split('/')[0]) : undefined;
    if (prop && address !== undefined) addresses6.push({ address, what, node, span: prop.span });
  };
  add6(cluster.gateway6, t`the cluster gateway`, cluster);
  for (const d of cluster.directors) add6(d.address6, t`director ${d.name.text}`, d);
  for (const s of cluster.servers) add6(s.address6, t`server ${s.name.text}`, s);
  for (const v of cluster.vips) add6(v.address, v.name ? t`VIP ${v.name.text}` : t`the VIP`, v);
  const usedBy = new Map<string, A.Service[]>();
  const use = (name: string, svc: A.Service) => {
    const list = usedBy.get(name) ?? [];
    if (!list.includes(svc)) list.push(svc);
    usedBy.set(name, list);
  };
  for (const svc of cluster.services) {
    for (const r of svc.reals) use(r.name.text, svc);
    // A sorry server receives the service's traffic too: it needs the VIP on lo like a real server.
    if (svc.sorry) use(svc.sorry.value, svc);
  }
  return {
    cluster, network, gateway, addresses, usedBy, addresses6,
    network6: cluster.network6 ? parseCidr6(cluster.network6.value) : undefined,
    gateway6: cluster.gateway6 ? parseIpv6(cluster.gateway6.value) : undefined,
    directors: firstByName(cluster.directors),
    servers: firstByName(cluster.servers),
    services: firstByName(cluster.services),
  };
}

/** The VIP a service is offered on: its `vip` reference (name or address), else the first VIP. */
export function serviceVip(model: ClusterModel, svc: A.Service): A.Vip | undefined {
  const vips = model.cluster.vips;
  if (!svc.vip) return vips[0];
  return vips.find((v) => v.name?.text === svc.vip!.value || v.address.value === svc.vip!.value);
}

/** The host (director first, then server) a `real` line points to. */
export function resolveReal(model: ClusterModel, ref: A.RealRef): A.Host | undefined {
  return model.servers.get(ref.name.text) ?? model.directors.get(ref.name.text);
}

/** Effective target OS of a host: its own `target os`, else the cluster's, else rhel7. */
export function targetOs(model: ClusterModel, host?: A.Host): string {
  return host?.targetOs?.value ?? model.cluster.targetOs?.value ?? 'rhel7';
}

/** Effective SSH settings of a host: host block fields override the cluster's. */
export function sshSettings(model: ClusterModel, host: A.Host): Omit<A.SshSettings, 'kind' | 'span'> {
  const c = model.cluster.ssh;
  const h = host.ssh;
  return {
    user: h?.user ?? c?.user,
    key: h?.key ?? c?.key,
    knownHosts: h?.knownHosts ?? c?.knownHosts,
    password: h?.password ?? c?.password,
    port: h?.port ?? c?.port,
  };
}

export { CHECK_TYPES, ON_FAILURE, PROTOCOLS, ROLES, SCHEDULERS, TARGET_OSES } from '../language/vocabulary';
