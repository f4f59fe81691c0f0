// The diagram model of a .lvs document (server/protocol/diagram-model.ts): per cluster, five tiers of nodes (clients,
// VIPs, directors, services, real servers) with request edges along the DR forward path and reply
// edges straight from each real server back to the clients. Node ids are `<cluster>/<kind>/<name>`,
// so they survive any edit that does not rename the node.
//
// Diagnostics are attached by text position: a finding whose span lies inside a node's
// declaration (a director/server/service block, a `vip` line, the `clients` line) belongs to that
// node; a finding on a `real` line is inside its service block, so it belongs to the service and
// is also attached to the service → server edge of that `real`. Findings outside every node (on
// `network`, `gateway`, `ha`, `ssh`, `target os`) are listed on the cluster.
//
// Props hold effective values where the language has a default (docs/language.md §10): a
// service's protocol (tcp) and scheduler (wlc), a director's role (first master, others backup) and
// priority (100 master / 90 backup), a server's gateway (the cluster's). Absent values without a
// default are ''. `vipOnOk` is true when the server has a `vip-on` on a loopback label and no
// LVS030/LVS031/LVS032 error. Reply edges come from the hosts some service uses.
//
// When the text has syntax errors (LVS001) the designer keeps showing the last model computed from
// text without them (`parsedOk: false`, editing disabled); LastGoodModels keeps it per document.
import * as A from '../language/ast';
import { allocateFwmarks, isFwmarkService } from '../model/fwmark';
import { ClusterModel, resolveReal, serviceVip } from '../model/topology';
import { SYNTAX_CODE } from '../validation/registry';
import { Finding } from '../validation/types';
import { DiagramCluster, DiagramEdge, DiagramModel, DiagramNode, NodeDiagnostic, NodeKind, Range } from '../protocol/diagram-model';
import { DiagramSource } from './source';
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';

/** Version reported as `modelVersion` when no text without syntax errors was ever seen. */
export const NO_MODEL_VERSION = -1;

/** The last diagram computed from text without syntax errors, per document uri. */
export class LastGoodModels {
  private readonly good = new Map<string, DiagramModel>();

  get(uri: string): DiagramModel | undefined {
    return this.good.get(uri);
  }

  remember(model: DiagramModel): void {
    if (model.parsedOk) this.good.set(model.uri, model);
  }

  forget(uri: string): void {
    this.good.delete(uri);
  }
}

/** Models already built for a source (the language server keeps one per document version), per locale. */
const built = new WeakMap<DiagramSource, Map<Locale, DiagramModel>>();

/**
 * The diagram of the validated document. With syntax errors, the last good model of `lastGood`
 * (re-labelled with the current version) or an empty one; without, a fresh model, remembered.
 */
export function buildDiagram(a: DiagramSource, lastGood?: LastGoodModels, locale: Locale = 'en'): DiagramModel {
  const { uri, version } = a.doc;
  const syntax = a.findings.filter((f) => f.code === SYNTAX_CODE);
  if (syntax.length > 0) {
    const syntaxErrors = syntax.map((f) => ({ line: a.doc.positionAt(f.span.start).line + 1, message: localize(f.msg, locale) }));
    const good = lastGood?.get(uri);
    if (!good) return { uri, version, parsedOk: false, modelVersion: NO_MODEL_VERSION, syntaxErrors, clusters: [] };
    return { ...good, version, parsedOk: false, modelVersion: good.modelVersion, syntaxErrors };
  }
  const models = built.get(a) ?? new Map<Locale, DiagramModel>();
  built.set(a, models);
  let model = models.get(locale);
  if (!model) {
    model = {
      uri, version, parsedOk: true, modelVersion: version, syntaxErrors: [],
      clusters: a.model.clusters.map((c) => buildCluster(a, c, locale)),
    };
    models.set(locale, model);
  }
  lastGood?.remember(model);
  return model;
}

/** Parses a node id back into its parts (`web/server/web1` → web, server, web1). */
export function parseNodeId(id: string): { cluster: string; kind: NodeKind; name: string } | undefined {
  const m = /^([^/]+)\/(client|vip|director|service|server)\/(.+)$/.exec(id);
  return m ? { cluster: m[1], kind: m[2] as NodeKind, name: m[3] } : undefined;
}

export function nodeId(cluster: string, kind: NodeKind, name: string): string {
  return `${cluster}/${kind}/${name}`;
}

/** A dual-stack host's IPv6 address as a prop of its own (an IPv6-only host shows it as `address`). */
function ipv6Prop(h: A.Host): { address6?: string } {
  return h.address && h.address6 ? { address6: h.address6.value } : {};
}

/** Name part of a VIP's id: its name when it has one, else its address. */
export function vipKey(vip: A.Vip): string {
  return vip.name?.text ?? vip.address.value;
}

/**
 * Span of the `clients` list: from the keyword before the first entry to the last entry of the
 * run of `clients` lines that follows it (a later list after other declarations is not included,
 * so the span never overlaps another node).
 */
export function clientsSpan(text: string, cluster: A.Cluster): A.Span | undefined {
  const entries = cluster.clients;
  if (entries.length === 0) return undefined;
  const first = entries[0].span.start;
  const kw = text.lastIndexOf('clients', first);
  let end = entries[0].span.end;
  for (const e of entries.slice(1)) {
    const gap = text.slice(end, e.span.start).replace(/#[^\n\r]*/g, '');
    if (!/^(\s|clients(?![A-Za-z0-9_-]))*$/.test(gap)) break;
    end = e.span.end;
  }
  return { start: kw >= cluster.body.start ? kw : first, end };
}

interface Owner {
  span: A.Span;
  node: DiagramNode;
  /** For services: the edges of its `real` lines, by the real's span. */
  reals?: { span: A.Span; edge?: DiagramEdge }[];
}

function buildCluster(a: DiagramSource, cm: ClusterModel, locale: Locale): DiagramCluster {
  const c = cm.cluster;
  const cname = c.name.text;
  const text = a.doc.getText();
  const range = (span: A.Span): Range => ({ start: a.doc.positionAt(span.start), end: a.doc.positionAt(span.end) });
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const owners: Owner[] = [];
  const taken = new Set<string>();
  /** Unique id; a second declaration of the same name (LVS051) gets `#2`, `#3`… */
  const uniqueId = (kind: NodeKind, name: string) => {
    let id = nodeId(cname, kind, name);
    for (let n = 2; taken.has(id); n++) id = nodeId(cname, kind, `${name}#${n}`);
    taken.add(id);
    return id;
  };
  const add = (node: Omit<DiagramNode, 'diagnostics' | 'range'>, span: A.Span | undefined): Owner | undefined => {
    const full: DiagramNode = { ...node, range: span ? range(span) : undefined, diagnostics: [] };
    if (!span) delete full.range;
    nodes.push(full);
    if (!span) return undefined;
    const owner: Owner = { span, node: full };
    owners.push(owner);
    return owner;
  };

  // Tier 0: the clients.
  const clientId = uniqueId('client', 'clients');
  add({ id: clientId, kind: 'client', label: 'Clients', tier: 0, props: { clients: c.clients.map((e) => e.value.value).join(' ') } }, clientsSpan(text, c));

  // Tier 1: VIPs.
  const vipIds = new Map<A.Vip, string>();
  for (const v of c.vips) {
    const id = uniqueId('vip', vipKey(v));
    vipIds.set(v, id);
    add({ id, kind: 'vip', label: v.address.value, tier: 1, props: { name: v.name?.text ?? '', address: v.address.value, iface: v.iface?.value ?? '' } }, v.span);
    edges.push({ from: clientId, to: id, kind: 'request' });
  }

  // Tier 2: directors (role and priority as effective values: written, else the documented default).
  const hostIds = new Map<A.Host, string>();
  c.directors.forEach((d, i) => {
    const id = uniqueId('director', d.name.text);
    hostIds.set(d, id);
    const role = d.role?.value ?? (i === 0 ? 'master' : 'backup');
    add({
      id, kind: 'director', label: d.name.text, tier: 2,
      props: {
        address: d.address?.value ?? d.address6?.value ?? '', interface: d.iface?.value ?? '', role,
        ...ipv6Prop(d),
        priority: d.priority?.value ?? (role === 'master' ? 100 : 90), vrrpState: 'unknown',
      },
    }, d.span);
  });
  for (const v of c.vips) for (const d of c.directors) edges.push({ from: vipIds.get(v)!, to: hostIds.get(d)!, kind: 'request' });

  // Tier 4 ids first (service edges point at them), nodes added after the services.
  for (const s of c.servers) hostIds.set(s, uniqueId('server', s.name.text));

  // Tier 3: services.
  const usedHosts = new Set<A.Host>();
  const marks = allocateFwmarks(c);
  for (const svc of c.services) {
    const id = uniqueId('service', svc.name.text);
    const vip = serviceVip(cm, svc);
    const owner = add({
      id, kind: 'service', label: svc.name.text, tier: 3,
      props: {
        protocol: svc.protocol?.value ?? 'tcp', port: svc.ports ? svc.ports.text : svc.port?.value ?? '', scheduler: svc.scheduler?.value ?? 'wlc',
        persistence: svc.persistence?.text ?? '', check: svc.checks.map((c) => c.type.value).join(' + '), vip: vip?.address.value ?? '',
        // Multi-port (firewall-mark) service, quorum and sorry server: shown in the properties.
        fwmark: isFwmarkService(svc) ? marks.get(svc.name.text) ?? '' : '',
        quorum: svc.quorum ? `${svc.quorum.value}${svc.hysteresis ? ` ± ${svc.hysteresis.value}` : ''}` : '',
        sorry: svc.sorry?.value ?? '',
      },
    }, svc.span)!;
    if (vip) for (const d of c.directors) edges.push({ from: hostIds.get(d)!, to: id, kind: 'request' });
    owner.reals = [];
    const seen = new Set<A.Host>();
    for (const r of svc.reals) {
      const host = resolveReal(cm, r);
      let edge: DiagramEdge | undefined;
      if (host && !seen.has(host)) {
        seen.add(host);
        usedHosts.add(host);
        edge = { from: id, to: hostIds.get(host)!, kind: 'request', weight: r.weight?.value ?? 1 };
        edges.push(edge);
      }
      owner.reals.push({ span: r.span, edge });
    }
  }

  // Tier 4: real servers, shown whether a service uses them or not.
  for (const s of c.servers) {
    const loopback = s.vipOn.filter((v) => /^lo(:|$)/.test(v.label.value));
    add({
      id: hostIds.get(s)!, kind: 'server', label: s.name.text, tier: 4,
      props: {
        address: s.address?.value ?? s.address6?.value ?? '', interface: s.iface?.value ?? '', gateway: s.gateway?.value ?? c.gateway?.value ?? '',
        ...ipv6Prop(s),
        vipOn: s.vipOn.map((v) => v.label.value).join(' '), vipOnOk: loopback.length > 0, used: usedHosts.has(s),
      },
    }, s.span);
  }
  // Replies go from each real server straight to the clients (the DR return path).
  for (const h of [...c.servers, ...c.directors]) if (usedHosts.has(h)) edges.push({ from: hostIds.get(h)!, to: clientId, kind: 'reply' });

  const cluster: DiagramCluster = { name: cname, network: c.network?.value, gateway: c.gateway?.value, nodes, edges, diagnostics: [] };
  if (!cluster.network) delete cluster.network;
  if (!cluster.gateway) delete cluster.gateway;
  attachFindings(a, c, owners, cluster, range, locale);
  // vipOnOk: a loopback alias and no finding of the loopback-VIP rules on the server.
  for (const n of nodes) {
    if (n.kind === 'server' && n.diagnostics.some((d) => VIP_ON_RULES.has(d.code) && d.severity === 'error')) n.props.vipOnOk = false;
  }
  return cluster;
}

/** Rules about the VIP on a real server's loopback (LVS030 missing, LVS031 mask, LVS032 on the NIC). */
const VIP_ON_RULES = new Set(['LVS030', 'LVS031', 'LVS032']);

/** A finding on a node, in the client's language (the same words as its diagnostic in Problems). */
function toNodeDiagnostic(f: Finding, range: (s: A.Span) => Range, locale: Locale): NodeDiagnostic {
  return { code: f.code, severity: f.severity, message: localize(f.msg, locale), range: range(f.span) };
}

function inside(inner: A.Span, outer: A.Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

function attachFindings(a: DiagramSource, c: A.Cluster, owners: Owner[], cluster: DiagramCluster, range: (s: A.Span) => Range, locale: Locale) {
  owners.sort((x, y) => x.span.start - y.span.start);
  const starts = owners.map((o) => o.span.start);
  // Findings are sorted by start offset: binary-search the first one in this cluster.
  const list = a.findings;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].span.start < c.span.start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < list.length && list[i].span.start <= c.span.end; i++) {
    const f = list[i];
    if (!inside(f.span, c.span)) continue;
    const d = toNodeDiagnostic(f, range, locale);
    const owner = ownerOf(owners, starts, f.span);
    if (!owner) {
      cluster.diagnostics!.push(d);
      continue;
    }
    owner.node.diagnostics.push(d);
    const real = owner.reals?.find((r) => inside(f.span, r.span));
    if (real?.edge) (real.edge.diagnostics ??= []).push(d);
  }
}

/** The node whose declaration contains the span (declarations never overlap). */
function ownerOf(owners: Owner[], starts: number[], span: A.Span): Owner | undefined {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= span.start) lo = mid + 1;
    else hi = mid;
  }
  const o = owners[lo - 1];
  return o && inside(span, o.span) ? o : undefined;
}
