// Tier layout of one cluster: columns client → VIP → directors → services → real servers, rows
// in model order. The order of each column is remembered (`memory`, kept in the webview state):
// nodes that stay keep their place, new nodes are appended, so nodes do not jump while the text
// is edited. Real servers are placed in blocks per service (the first service that sends to
// them); a block of more than GROUP_THRESHOLD servers becomes one collapsible group node, whose
// members are laid out (compact rows) only when it is expanded. Pure: no DOM.
import type { DiagramCluster, DiagramEdge, DiagramNode, NodeDiagnostic, NodeKind } from '../../server/protocol/diagram-model';
import { nameOf } from './nodeinfo';

export const NODE_W = 180;
export const NODE_H = 66;
export const MEMBER_H = 44;
export const ROW_GAP = 12;
export const MEMBER_GAP = 6;
export const COL_GAP = 52;
export const PAD_X = 20;
/** Band above the nodes where the DR reply path runs back to the clients. */
export const TOP = 36;
export const PAD_BOTTOM = 24;
export const REPLY_BUS = 28;
export const MEMBER_INDENT = 14;
export const GROUP_THRESHOLD = 50;
/** Short columns are centred against at most this height (long columns start at the top). */
const CENTER_CAP = 560;

export interface GroupInfo {
  id: string;
  /** Name of the service the block belongs to ('' for servers no service uses). */
  service: string;
  members: DiagramNode[];
  expanded: boolean;
  label: string;
  diagnostics: NodeDiagnostic[];
}

export interface Item {
  id: string;
  kind: NodeKind | 'group';
  tier: number;
  x: number;
  y: number;
  w: number;
  h: number;
  node?: DiagramNode;
  group?: GroupInfo;
  /** Group id when this item is a member row of an expanded group. */
  memberOf?: string;
}

export interface EdgeItem {
  key: string;
  from: string;
  to: string;
  kind: 'request' | 'reply';
  weight?: number;
  /** Number of model edges folded into this one (collapsed groups). */
  count: number;
  /** Worst severity of the findings on the edge's `real` line(s). */
  severity?: 'error' | 'warning' | 'information';
}

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
  /** Keyboard order: by column, then top to bottom. */
  nav: Item[];
  width: number;
  height: number;
  tiers: number;
  /** x of the reply bus (right of the last column). */
  busX: number;
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
  return `${first} … ${last} (${members.length} servers)`;
}

export function layoutCluster(cluster: DiagramCluster, memory: OrderMemory, expanded: ReadonlySet<string>): ClusterLayout {
  const byNode = new Map<string, DiagramNode>();
  for (const n of cluster.nodes) byNode.set(n.id, n);
  const tiers = Math.max(5, ...cluster.nodes.map((n) => n.tier + 1));
  const perTier: DiagramNode[][] = Array.from({ length: tiers }, () => []);
  for (const n of cluster.nodes) perTier[Math.max(0, n.tier)].push(n);

  // Column order with memory.
  const ordered: DiagramNode[][] = perTier.map((nodes, t) =>
    remembered(memory, `${cluster.name}/${t}`, nodes.map((n) => n.id)).map((id) => byNode.get(id)!));

  // Real servers (the last column holding servers): blocks per first service that uses them.
  const serverTier = ordered.findIndex((col) => col.some((n) => n.kind === 'server'));
  const blockOf = new Map<string, string>();
  if (serverTier >= 0) {
    const serviceOrder = ordered.flat().filter((n) => n.kind === 'service');
    const firstService = new Map<string, string>();
    const rank = new Map(serviceOrder.map((s, i) => [s.id, i]));
    for (const e of cluster.edges) {
      if (e.kind !== 'request') continue;
      const from = byNode.get(e.from);
      const to = byNode.get(e.to);
      if (!from || !to || from.kind !== 'service' || to.kind !== 'server') continue;
      const cur = firstService.get(to.id);
      if (cur === undefined || (rank.get(from.id) ?? 0) < (rank.get(cur) ?? 0)) firstService.set(to.id, from.id);
    }
    for (const n of ordered[serverTier]) blockOf.set(n.id, firstService.get(n.id) ?? '');
  }

  const items: Item[] = [];
  const byId = new Map<string, Item>();
  const shownBy = new Map<string, string>();
  const groupOf = new Map<string, string>();
  const colX = (t: number) => PAD_X + t * (NODE_W + COL_GAP);

  // Build each column as a list of rows first, to know its height.
  type Row = { item: Omit<Item, 'y'>; pitch: number };
  const columns: Row[][] = ordered.map((col, t) => {
    const rows: Row[] = [];
    const plain = (n: DiagramNode): Row => ({ item: { id: n.id, kind: n.kind, tier: t, x: colX(t), w: NODE_W, h: NODE_H, node: n }, pitch: NODE_H + ROW_GAP });
    if (t !== serverTier) {
      for (const n of col) rows.push(plain(n));
      return rows;
    }
    // blocks in service order, servers without a service last
    const blocks = new Map<string, DiagramNode[]>();
    for (const n of col) {
      const b = blockOf.get(n.id) ?? '';
      if (!blocks.has(b)) blocks.set(b, []);
      blocks.get(b)!.push(n);
    }
    const serviceIds = ordered.flat().filter((n) => n.kind === 'service').map((n) => n.id);
    const keys = [...serviceIds.filter((k) => blocks.has(k)), ...[...blocks.keys()].filter((k) => !serviceIds.includes(k))];
    for (const key of keys) {
      const members = blocks.get(key)!;
      if (members.length <= GROUP_THRESHOLD) {
        for (const n of members) rows.push(plain(n));
        continue;
      }
      const svc = key ? byNode.get(key) : undefined;
      const gid = `${cluster.name}/group/${svc ? nameOf(svc) : '(no service)'}`;
      const isOpen = expanded.has(gid);
      const group: GroupInfo = {
        id: gid, service: svc ? nameOf(svc) : '', members, expanded: isOpen, label: groupLabel(members),
        diagnostics: members.flatMap((m) => m.diagnostics),
      };
      rows.push({ item: { id: gid, kind: 'group', tier: t, x: colX(t), w: NODE_W, h: NODE_H, group }, pitch: NODE_H + (isOpen ? MEMBER_GAP : ROW_GAP) });
      for (const m of members) groupOf.set(m.id, gid);
      if (isOpen) {
        members.forEach((m, i) => rows.push({
          item: { id: m.id, kind: m.kind, tier: t, x: colX(t) + MEMBER_INDENT, w: NODE_W - MEMBER_INDENT, h: MEMBER_H, node: m, memberOf: gid },
          pitch: MEMBER_H + (i === members.length - 1 ? ROW_GAP : MEMBER_GAP),
        }));
      }
    }
    return rows;
  });

  const heights = columns.map((rows) => rows.reduce((sum, r) => sum + r.pitch, 0) - (rows.length ? ROW_GAP : 0));
  const tallest = Math.max(0, ...heights);
  const nav: Item[] = [];
  columns.forEach((rows, t) => {
    let y = TOP + Math.max(0, Math.floor((Math.min(tallest, CENTER_CAP) - heights[t]) / 2));
    for (const r of rows) {
      const item: Item = { ...r.item, y };
      items.push(item);
      byId.set(item.id, item);
      nav.push(item);
      y += r.pitch;
    }
  });
  for (const n of cluster.nodes) {
    if (byId.has(n.id)) shownBy.set(n.id, n.id);
    else if (groupOf.has(n.id)) shownBy.set(n.id, groupOf.get(n.id)!);
  }

  const { edges, edgeOf } = foldEdges(cluster, shownBy);

  const bottom = Math.max(TOP + NODE_H, ...items.map((i) => i.y + i.h));
  const lastCol = colX(tiers - 1) + NODE_W;
  return {
    name: cluster.name, cluster, items, byId, shownBy, groupOf, edges, edgeOf, nav, tiers,
    width: lastCol + REPLY_BUS + PAD_X,
    height: bottom + PAD_BOTTOM,
    busX: lastCol + REPLY_BUS / 2 + 4,
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

/** Edges between shown items; edges into a collapsed group are folded into one. */
function foldEdges(cluster: DiagramCluster, shownBy: ReadonlyMap<string, string>): { edges: EdgeItem[]; edgeOf: (EdgeItem | undefined)[] } {
  const edges: EdgeItem[] = [];
  const edgeOf: (EdgeItem | undefined)[] = [];
  const folded = new Map<string, EdgeItem>();
  for (const e of cluster.edges as DiagramEdge[]) {
    const from = shownBy.get(e.from);
    const to = shownBy.get(e.to);
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
