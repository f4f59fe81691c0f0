// Layout of one cluster as the network a network admin draws, top to bottom: the clients, the
// router (the cluster's gateway) they come through, the shared L2 segment (a region holding
// everything on it), the VRRP pair (a frame with the VIPs it holds and its directors side by
// side), then one block per service: the service and, below it, its real servers wrapped into
// as many columns as the width allows. Request edges run down (router → VIP → director, a trunk
// from the pair to each service, a bus from each service to its servers); the DR reply path runs
// from each real server to a rail on the left that goes up to the router (not through a director).
//
// The width available (canvas px) decides the number of columns, so the diagram fits the panel at
// a readable zoom instead of a strip that has to be shrunk. The order of each row is remembered
// (`memory`, kept in the webview state): nodes that stay keep their place, new nodes are appended.
// Real servers are placed in the block of the first service that sends to them; a block of more
// than GROUP_THRESHOLD servers becomes one collapsible group node, whose members are laid out only
// when it is expanded. Pure: no DOM.
import type { DiagramCluster, DiagramEdge, DiagramNode, NodeDiagnostic, NodeKind } from '../../server/protocol/diagram-model';
import { nameOf } from './nodeinfo';
import * as l10n from './l10n';

export const NODE_W = 200;
export const NODE_H = 66;
export const ROUTER_H = 52;
export const MEMBER_H = 44;
export const GAP_X = 18;
/** Vertical room between a row of servers and the next: the reply lane below, the bus above. */
export const ROW_GAP = 34;
/** Left margin: the reply rail (RAIL_X) and the request trunk (TRUNK_X) run in it. */
export const PAD_L = 46;
export const PAD_R = 16;
export const RAIL_X = 12;
export const TRUNK_X = 30;
export const TOP = 10;
export const PAD_BOTTOM = 20;
export const GROUP_THRESHOLD = 50;
/** Height of the captions of the segment region and the VRRP frame. */
const CAPTION_H = 22;
const EDGE_GAP = 30;
/** Narrowest layout: one column. */
export const MIN_WIDTH = PAD_L + NODE_W + PAD_R;

export interface GroupInfo {
  id: string;
  /** Name of the service the block belongs to ('' for servers no service uses). */
  service: string;
  members: DiagramNode[];
  expanded: boolean;
  label: string;
  diagnostics: NodeDiagnostic[];
}

/** The router: the cluster's gateway (not a node of the model: the text has no block for it). */
export interface RouterInfo {
  address?: string;
  network?: string;
}

export interface Item {
  id: string;
  kind: NodeKind | 'group' | 'router';
  tier: number;
  x: number;
  y: number;
  w: number;
  h: number;
  node?: DiagramNode;
  group?: GroupInfo;
  router?: RouterInfo;
  /** Group id when this item is a member of an expanded group. */
  memberOf?: string;
}

export interface EdgeItem {
  key: string;
  /** Item id, or the trunk (TRUNK_ID) / reply rail (RAIL_ID) the edge joins. */
  from: string;
  to: string;
  kind: 'request' | 'reply';
  weight?: number;
  /** Number of model edges folded into this one (collapsed groups, both directors of a pair). */
  count: number;
  /** Worst severity of the findings on the edge's `real` line(s). */
  severity?: 'error' | 'warning' | 'information';
}

/** A rectangle with a caption (the L2 segment, the VRRP pair, a block heading). */
export interface Frame {
  kind: 'segment' | 'pair';
  x: number;
  y: number;
  w: number;
  h: number;
  caption: string;
}

/** Fixed lines of the picture: the reply rail up to the router and the trunk down to the services. */
export interface Decor {
  frames: Frame[];
  /** Reply rail: from the lowest reply lane up to the router's left side. */
  rail?: { x: number; top: number; bottom: number; routerX: number; routerY: number };
  /** Request trunk: from the pair's bottom to the last service. */
  trunk?: { x: number; fromX: number; top: number; bottom: number };
}

export const TRUNK = 'trunk';
export const RAIL = 'rail';

const RANK = { error: 3, warning: 2, information: 1 } as const;

export interface ClusterLayout {
  name: string;
  cluster: DiagramCluster;
  items: Item[];
  byId: Map<string, Item>;
  /** Every model node id → the item that shows it (itself, or its collapsed group). */
  shownBy: Map<string, string>;
  /** Group id of each grouped server. */
  groupOf: Map<string, string>;
  edges: EdgeItem[];
  /** The edge item showing each model edge (same index as cluster.edges), if shown. */
  edgeOf: (EdgeItem | undefined)[];
  /** Keyboard order: top to bottom, left to right. */
  nav: Item[];
  decor: Decor;
  width: number;
  height: number;
  /** Columns of the server grid (the width decides). */
  columns: number;
  routerId: string;
}

export type OrderMemory = Record<string, string[]>;

function remembered(memory: OrderMemory, key: string, ids: string[]): string[] {
  const prev = memory[key] ?? [];
  const present = new Set(ids);
  const kept = prev.filter((id) => present.has(id));
  const keptSet = new Set(kept);
  const order = kept.concat(ids.filter((id) => !keptSet.has(id)));
  memory[key] = order;
  return order;
}

export function groupLabel(members: DiagramNode[]): string {
  const first = nameOf(members[0]);
  const last = nameOf(members[members.length - 1]);
  return l10n.t('{0} … {1} ({2} servers)', first, last, members.length);
}

/** Columns of NODE_W that fit in `width` canvas px (at least one). */
export function columnsFor(width: number): number {
  return Math.max(1, Math.floor((width - PAD_L - PAD_R + GAP_X) / (NODE_W + GAP_X)));
}

export function layoutCluster(cluster: DiagramCluster, memory: OrderMemory, expanded: ReadonlySet<string>, width = 1200): ClusterLayout {
  const cols = columnsFor(width);
  const content = cols * (NODE_W + GAP_X) - GAP_X;
  const byNode = new Map<string, DiagramNode>();
  const ofKind = (k: NodeKind) => cluster.nodes.filter((n) => n.kind === k);
  for (const n of cluster.nodes) byNode.set(n.id, n);
  const ordered = (k: NodeKind) => remembered(memory, `${cluster.name}/${k}`, ofKind(k).map((n) => n.id)).map((id) => byNode.get(id)!);

  const items: Item[] = [];
  const byId = new Map<string, Item>();
  const shownBy = new Map<string, string>();
  const groupOf = new Map<string, string>();
  const frames: Frame[] = [];
  const put = (item: Item) => {
    items.push(item);
    byId.set(item.id, item);
    return item;
  };
  const plain = (n: DiagramNode, x: number, y: number, h = NODE_H): Item => put({ id: n.id, kind: n.kind, tier: n.tier, x, y, w: NODE_W, h, node: n });
  /** A row of nodes, wrapped, centred when it is shorter than the width; returns the y below it. */
  const row = (nodes: DiagramNode[], y: number, h: number): number => {
    for (let i = 0; i < nodes.length; i += cols) {
      const line = nodes.slice(i, i + cols);
      const used = line.length * (NODE_W + GAP_X) - GAP_X;
      let x = PAD_L + Math.floor((content - used) / 2);
      for (const n of line) {
        plain(n, x, y, h);
        x += NODE_W + GAP_X;
      }
      y += h + (i + cols < nodes.length ? GAP_X : 0);
    }
    return y;
  };
  const centreX = PAD_L + Math.floor((content - NODE_W) / 2);

  // Clients, beyond the router.
  let y = TOP;
  for (const n of ordered('client')) {
    plain(n, centreX, y);
    y += NODE_H + EDGE_GAP;
  }
  // The router on the segment's edge.
  const routerId = `${cluster.name}/router/gateway`;
  const router = put({ id: routerId, kind: 'router', tier: 0, x: centreX, y, w: NODE_W, h: ROUTER_H, router: { address: cluster.gateway, network: cluster.network } });
  y += ROUTER_H + 14;
  const segmentTop = y;
  y += CAPTION_H + 6;

  // The VRRP pair: its VIPs, then its directors.
  const vips = ordered('vip');
  const directors = ordered('director');
  let pair: Frame | undefined;
  if (vips.length || directors.length) {
    const top = y;
    y += CAPTION_H;
    if (vips.length) y = row(vips, y, NODE_H) + EDGE_GAP;
    if (directors.length) y = row(directors, y, NODE_H) + 10;
    const pairNames = directors.map(nameOf).join(' + ');
    const caption = directors.length >= 2
      ? (vips.length === 1 ? l10n.t('VRRP pair: {0}, holding 1 VIP', pairNames) : l10n.t('VRRP pair: {0}, holding {1} VIPs', pairNames, vips.length))
      : directors.length === 1
        ? (vips.length === 1 ? l10n.t('director {0} (no standby), 1 VIP', pairNames) : l10n.t('director {0} (no standby), {1} VIPs', pairNames, vips.length))
        : l10n.t('VIPs (no director)');
    pair = { kind: 'pair', x: PAD_L - 8, y: top, w: content + 16, h: y - top, caption };
    frames.push(pair);
    y += EDGE_GAP;
  }

  // One block per service: the service, then its real servers (blocks by first service).
  const services = ordered('service');
  const servers = ordered('server');
  const rank = new Map(services.map((s, i) => [s.id, i]));
  const firstService = new Map<string, string>();
  for (const e of cluster.edges) {
    if (e.kind !== 'request') continue;
    const from = byNode.get(e.from);
    const to = byNode.get(e.to);
    if (!from || !to || from.kind !== 'service' || to.kind !== 'server') continue;
    const cur = firstService.get(to.id);
    if (cur === undefined || (rank.get(from.id) ?? 0) < (rank.get(cur) ?? 0)) firstService.set(to.id, from.id);
  }
  const blocks = new Map<string, DiagramNode[]>();
  for (const s of services) blocks.set(s.id, []);
  for (const n of servers) {
    const b = firstService.get(n.id) ?? '';
    if (!blocks.has(b)) blocks.set(b, []);
    blocks.get(b)!.push(n);
  }
  let lastService: Item | undefined;
  /** A grid of cells (w NODE_W, height h) from the left edge; returns the y below it. */
  const grid = <T>(list: T[], y0: number, h: number, place: (t: T, x: number, y: number) => void): number => {
    let yy = y0;
    list.forEach((t, i) => {
      const c = i % cols;
      if (c === 0 && i > 0) yy += h + ROW_GAP;
      place(t, PAD_L + c * (NODE_W + GAP_X), yy);
    });
    return list.length ? yy + h : y0 - ROW_GAP;
  };
  for (const [key, members] of blocks) {
    const svc = key ? byNode.get(key) : undefined;
    if (svc) {
      lastService = plain(svc, PAD_L, y);
      y += NODE_H;
    }
    if (members.length === 0) {
      y += EDGE_GAP;
      continue;
    }
    y += ROW_GAP;
    if (members.length <= GROUP_THRESHOLD) {
      y = grid(members, y, NODE_H, (n, x, yy) => plain(n, x, yy));
    } else {
      const gid = `${cluster.name}/group/${svc ? nameOf(svc) : '(no service)'}`;
      const isOpen = expanded.has(gid);
      const group: GroupInfo = { id: gid, service: svc ? nameOf(svc) : '', members, expanded: isOpen, label: groupLabel(members), diagnostics: members.flatMap((m) => m.diagnostics) };
      put({ id: gid, kind: 'group', tier: 4, x: PAD_L, y, w: NODE_W, h: NODE_H, group });
      for (const m of members) groupOf.set(m.id, gid);
      y += NODE_H;
      if (isOpen) {
        y = grid(members, y + ROW_GAP, MEMBER_H, (m, x, yy) => {
          put({ id: m.id, kind: m.kind, tier: m.tier, x, y: yy, w: NODE_W, h: MEMBER_H, node: m, memberOf: gid });
        });
      }
    }
    y += ROW_GAP + 6;
  }

  const bottom = Math.max(y, router.y + ROUTER_H + 40);
  frames.unshift({
    kind: 'segment', x: 4, y: segmentTop, w: PAD_L + content + PAD_R - 8, h: bottom - segmentTop,
    caption: cluster.network ? l10n.t('L2 segment {0}: directors and real servers share it', cluster.network) : l10n.t('L2 segment (no network set)'),
  });

  for (const n of cluster.nodes) {
    if (byId.has(n.id)) shownBy.set(n.id, n.id);
    else if (groupOf.has(n.id)) shownBy.set(n.id, groupOf.get(n.id)!);
  }
  const { edges, edgeOf } = foldEdges(cluster, shownBy, byNode, routerId);
  const clientItem = items.find((i) => i.kind === 'client');
  if (clientItem) {
    edges.unshift(
      { key: `request:${clientItem.id}->${routerId}`, from: clientItem.id, to: routerId, kind: 'request', count: 1 },
      { key: `reply:${routerId}->${clientItem.id}`, from: routerId, to: clientItem.id, kind: 'reply', count: 1 },
    );
  }
  let lowestLane = 0;
  for (const e of edges) {
    if (e.to !== RAIL) continue;
    const it = byId.get(e.from);
    if (it) lowestLane = Math.max(lowestLane, it.y + it.h + 10);
  }
  const decor: Decor = { frames };
  if (lowestLane) decor.rail = { x: RAIL_X, top: router.y + ROUTER_H / 2, bottom: lowestLane, routerX: router.x, routerY: router.y + ROUTER_H / 2 };
  if (pair && lastService) decor.trunk = { x: TRUNK_X, fromX: PAD_L + 24, top: pair.y + pair.h, bottom: lastService.y + NODE_H / 2 };

  const nav = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  return {
    name: cluster.name, cluster, items, byId, shownBy, groupOf, edges, edgeOf, nav, decor, routerId, columns: cols,
    width: PAD_L + content + PAD_R,
    height: bottom + PAD_BOTTOM,
  };
}

function edgeSeverity(e: DiagramEdge): EdgeItem['severity'] {
  let severity: EdgeItem['severity'];
  if (!e.diagnostics) return severity;
  for (const d of e.diagnostics) if (!severity || RANK[d.severity] > RANK[severity]) severity = d.severity;
  return severity;
}

/** Adds model edge `e` to the edge item showing it (the first one sets weight and severity). */
function foldInto(edge: EdgeItem, e: DiagramEdge): void {
  const severity = edgeSeverity(e);
  if (edge.count === 0) {
    edge.count = 1;
    edge.weight = e.weight;
    edge.severity = severity;
    return;
  }
  edge.count++;
  edge.weight = undefined;
  if (severity && (!edge.severity || RANK[severity] > RANK[edge.severity])) edge.severity = severity;
}

/**
 * Edges between shown items, drawn the way the picture runs: clients → VIP edges start at the
 * router; director → service edges join the trunk (one per service); reply edges end on the
 * rail. Edges into a collapsed group are folded into one.
 */
function foldEdges(cluster: DiagramCluster, shownBy: ReadonlyMap<string, string>, byNode: ReadonlyMap<string, DiagramNode>, routerId: string): { edges: EdgeItem[]; edgeOf: (EdgeItem | undefined)[] } {
  const edges: EdgeItem[] = [];
  const edgeOf: (EdgeItem | undefined)[] = [];
  const folded = new Map<string, EdgeItem>();
  for (const e of cluster.edges as DiagramEdge[]) {
    let from = shownBy.get(e.from);
    let to = shownBy.get(e.to);
    const fromKind = byNode.get(e.from)?.kind;
    const toKind = byNode.get(e.to)?.kind;
    if (e.kind === 'reply') to = RAIL;
    else if (fromKind === 'client') from = routerId;
    else if (fromKind === 'director' && toKind === 'service') from = TRUNK;
    if (!from || !to || from === to) {
      edgeOf.push(undefined);
      continue;
    }
    const key = `${e.kind}:${from}->${to}`;
    let edge = folded.get(key);
    if (!edge) {
      edge = { key, from, to, kind: e.kind, count: 0 };
      folded.set(key, edge);
      edges.push(edge);
    }
    foldInto(edge, e);
    edgeOf.push(edge);
  }
  return { edges, edgeOf };
}

/**
 * True when `next` lays out exactly like `prev`: the same node ids in the same order with the
 * same kinds and tiers (and the same service names, which name the groups), and the same edges
 * (from, to, kind) in the same order. Then only what the nodes and edges show can differ (labels,
 * props, weights, findings), and patchLayout updates a layout of `prev` in place.
 */
export function sameStructure(prev: DiagramCluster, next: DiagramCluster): boolean {
  if (prev.name !== next.name || prev.nodes.length !== next.nodes.length || prev.edges.length !== next.edges.length) return false;
  for (let i = 0; i < prev.nodes.length; i++) {
    const a = prev.nodes[i];
    const b = next.nodes[i];
    if (a === b) continue;
    if (a.id !== b.id || a.kind !== b.kind || a.tier !== b.tier) return false;
    if (a.kind === 'service' && nameOf(a) !== nameOf(b)) return false;
  }
  for (let i = 0; i < prev.edges.length; i++) {
    const a = prev.edges[i];
    const b = next.edges[i];
    if (a === b) continue;
    if (a.from !== b.from || a.to !== b.to || a.kind !== b.kind) return false;
  }
  return true;
}

/** What a patch changed: items whose content may differ, edges whose label or severity may. */
export interface LayoutPatch {
  items: Set<string>;
  edges: Set<EdgeItem>;
  /** The servers whose weights changed (their lines show them). */
  weights: Set<string>;
  /** The cluster's own facts (network, gateway, findings). */
  header: boolean;
}

const NO_DIAGNOSTICS: NodeDiagnostic[] = [];

function sameDiagnostics(a: NodeDiagnostic[] | undefined, b: NodeDiagnostic[] | undefined): boolean {
  if (a === b) return true;
  const x = a ?? NO_DIAGNOSTICS;
  const y = b ?? NO_DIAGNOSTICS;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (x[i].code !== y[i].code || x[i].severity !== y[i].severity || x[i].message !== y[i].message) return false;
  }
  return true;
}

function sameProps(a: DiagramNode['props'], b: DiagramNode['props']): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k] || !(k in b)) return false;
  return true;
}

/**
 * Updates a layout for the next model of a cluster of the same structure (sameStructure: `prev`
 * is the cluster the layout shows) without laying it out again: the geometry, the order and the
 * groups stay; the items get the new nodes, the groups their new labels and findings, the edges
 * their new weights and severities. Returns what changed, for the view to redraw only that.
 */
export function patchLayout(layout: ClusterLayout, prev: DiagramCluster, cluster: DiagramCluster): LayoutPatch {
  const patch: LayoutPatch = {
    items: new Set(), edges: new Set(), weights: new Set(),
    header: prev.network !== cluster.network || prev.gateway !== cluster.gateway || !sameDiagnostics(prev.diagnostics, cluster.diagnostics),
  };
  // Nodes: a patched model shares the unchanged node objects with the previous one.
  const replaced = new Map<string, DiagramNode>();
  for (let i = 0; i < cluster.nodes.length; i++) {
    const a = prev.nodes[i];
    const b = cluster.nodes[i];
    if (a === b) continue;
    replaced.set(b.id, b);
    if (a.label !== b.label || !sameProps(a.props, b.props) || !sameDiagnostics(a.diagnostics, b.diagnostics)) patch.items.add(b.id);
  }
  // Every item gets its node of the new model (ranges move with edits above them).
  const groups = new Set<GroupInfo>();
  if (replaced.size > 64) {
    for (const item of layout.items) {
      if (item.node) item.node = replaced.get(item.id) ?? item.node;
      else if (item.group) groups.add(item.group);
    }
  } else {
    for (const [id, node] of replaced) {
      const item = layout.byId.get(id);
      if (item?.node) item.node = node;
      const gid = layout.groupOf.get(id);
      const group = gid ? layout.byId.get(gid)?.group : undefined;
      if (group) groups.add(group);
    }
  }
  for (const g of groups) {
    let dirty = false;
    g.members = g.members.map((m) => {
      if (patch.items.has(m.id)) dirty = true;
      return replaced.get(m.id) ?? m;
    });
    if (dirty) {
      g.label = groupLabel(g.members);
      g.diagnostics = g.members.flatMap((m) => m.diagnostics);
      patch.items.add(g.id);
    }
  }
  // Edges: the model edges whose weight or findings changed mark their edge item (and, for
  // service → server, the server, which shows its weights); the marked items fold again.
  const refold = new Set<EdgeItem>();
  for (let i = 0; i < cluster.edges.length; i++) {
    const a = prev.edges[i];
    const b = cluster.edges[i];
    if (a === b || (a.weight === b.weight && sameDiagnostics(a.diagnostics, b.diagnostics))) continue;
    const edge = layout.edgeOf[i];
    if (edge) {
      patch.edges.add(edge);
      if (edge.count === 1) {
        // not folded: the item shows this model edge alone
        edge.count = 0;
        foldInto(edge, b);
      } else {
        refold.add(edge);
      }
    }
    if (a.weight !== b.weight && b.kind === 'request') {
      patch.weights.add(b.to);
      const shown = layout.shownBy.get(b.to);
      if (shown) patch.items.add(shown);
    }
  }
  if (refold.size) {
    // folded items (collapsed groups): fold all their model edges again
    for (const edge of refold) edge.count = 0;
    cluster.edges.forEach((e, i) => {
      const edge = layout.edgeOf[i];
      if (edge && refold.has(edge)) foldInto(edge, e);
    });
  }
  layout.cluster = cluster;
  return patch;
}

/** The items whose rows intersect [top, bottom] (canvas coordinates). */
export function visibleItems(items: Item[], top: number, bottom: number): Item[] {
  return items.filter((i) => i.y + i.h >= top && i.y <= bottom);
}
