// LVS118: one host address in two clusters (of one file, or of the files `lvsdr check` is given).
// The state a deploy leaves on a host is one per host, not one per cluster: apply.sh removes the
// IPVS services its state file lists and its own file no longer has (the other cluster's), and
// keepalived.conf, the sysctl file and the loopback files have one path each. Deploying one
// cluster therefore undoes the other.
import { english, Msg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { parseIpv4 } from '../../language/values';
import { ClusterModel, FileModel } from '../../model/topology';
import { defineRule, Finding } from '../types';
import { hostWhat } from './util-addressing';

/** A host of a cluster, and the file it is in when several files are compared. */
export interface HostPlace {
  host: A.Director | A.Server;
  cluster: string;
  file?: string;
}

/**
 * For each host whose address a host of an earlier cluster already has: that earlier host.
 * Clusters are taken in the given order; hosts within one cluster are LVS050's business, and a
 * cluster of the same name in another file is a variant of that cluster (deploying it replaces
 * the other), not a second cluster.
 */
export function hostsSharedAcrossClusters(clusters: Array<{ model: ClusterModel; file?: string }>): Map<A.Host, HostPlace> {
  /** Per address, the first host of each cluster name that has it. */
  const first = new Map<number, HostPlace[]>();
  const shared = new Map<A.Host, HostPlace>();
  for (const { model, file } of clusters) {
    const cluster = model.cluster.name.text;
    const mine = new Map<number, HostPlace>();
    for (const host of [...model.cluster.directors, ...model.cluster.servers]) {
      const addr = host.address ? parseIpv4(host.address.value) : undefined;
      if (addr === undefined) continue;
      const earlier = first.get(addr)?.find((p) => p.cluster !== cluster);
      if (earlier) shared.set(host, earlier);
      if (!mine.has(addr)) mine.set(addr, { host, cluster, file });
    }
    for (const [addr, place] of mine) {
      const list = first.get(addr) ?? [];
      if (!list.some((p) => p.cluster === cluster)) list.push(place);
      first.set(addr, list);
    }
  }
  return shared;
}

export function sharedHostMessage(host: A.Host, cluster: string, other: HostPlace): Msg {
  const where = other.file ? t`${hostWhat(other.host)} of cluster ${other.cluster} in ${other.file}` : t`${hostWhat(other.host)} of cluster ${other.cluster}`;
  return t`${hostWhat(host)} of cluster ${cluster} has address ${host.address?.value ?? ''}, which is also ${where}: the deployed state is one per host (apply.sh removes the IPVS services it does not list, keepalived.conf and the sysctl and loopback files have one path each), so deploying one cluster undoes the other. Describe the host in one cluster only; a cluster can hold several VIPs and services.`;
}

/** Per file, computed once: the hosts of later clusters whose address an earlier cluster has. */
const perFile = new WeakMap<FileModel, Map<A.Host, HostPlace>>();

export const lvs118 = defineRule({
  code: 'LVS118',
  severity: 'error',
  title: 'One host address in two clusters',
  nodeKinds: ['director', 'server'],
  check(host, ctx) {
    if (ctx.file.clusters.length < 2 || !host.address) return;
    let shared = perFile.get(ctx.file);
    if (!shared) {
      shared = hostsSharedAcrossClusters(ctx.file.clusters.map((model) => ({ model })));
      perFile.set(ctx.file, shared);
    }
    const other = shared.get(host);
    if (!other) return;
    ctx.report({ span: host.address.span, message: sharedHostMessage(host, ctx.cluster.cluster.name.text, other) });
  },
});

/** LVS118 across files: findings for each file's hosts whose address a cluster of an earlier file has. */
export function sharedHostFindingsAcrossFiles(files: Array<{ file: string; model: FileModel }>): Finding[][] {
  const out: Finding[][] = files.map(() => []);
  const where = new Map<A.Host, { index: number; cluster: string }>();
  const clusters: Array<{ model: ClusterModel; file: string }> = [];
  const inFile = new Set<A.Host>();
  files.forEach(({ file, model }, index) => {
    for (const c of model.clusters) {
      clusters.push({ model: c, file });
      for (const h of [...c.cluster.directors, ...c.cluster.servers]) where.set(h, { index, cluster: c.cluster.name.text });
    }
    for (const h of hostsSharedAcrossClusters(model.clusters.map((m) => ({ model: m }))).keys()) inFile.add(h);
  });
  for (const [host, other] of hostsSharedAcrossClusters(clusters)) {
    if (inFile.has(host)) continue; // the rule itself reports it within its file
    const { index, cluster } = where.get(host)!;
    if (other.file === files[index].file) continue;
    const msg = sharedHostMessage(host, cluster, other);
    out[index].push({ code: 'LVS118', severity: 'error', message: english(msg), msg, span: host.address!.span, fixes: [] });
  }
  return out;
}
