// Model patches. The extension posts the first model (and the model after the webview asked for
// it) whole; after that, while the clusters keep the same number of nodes and edges, it posts
// only what changed: the nodes and edges whose data differ, by index, and the changed clusters'
// own fields. An edit of a weight thus crosses to the webview as a few hundred bytes instead of
// the whole model (462 KiB for 1,000 real servers), which postMessage would clone every time.
//
// Each posted model carries a sequence number; a patch names the one it applies to (`base`). A
// webview that holds another one (it was re-created, a message was lost) drops the patch and asks
// for the whole model (`requestModel`). Plain data, no vscode import: the extension posts with
// ModelPoster, the webview applies with applyModelPatch.
import type { DiagramCluster, DiagramEdge, DiagramModel, DiagramNode } from '../../server/diagram/protocol';

export interface ClusterPatch {
  /** Index of the cluster in the base model (same name there). */
  index: number;
  /** The cluster's own fields in the new model (everything but nodes and edges). */
  cluster: Omit<DiagramCluster, 'nodes' | 'edges'>;
  /** The nodes and edges that differ, by index (the arrays keep their lengths). */
  nodes: { index: number; node: DiagramNode }[];
  edges: { index: number; edge: DiagramEdge }[];
}

export interface ModelPatch {
  /** The new model's own fields (everything but clusters). */
  model: Omit<DiagramModel, 'clusters'>;
  /** The clusters that changed; the others are the base model's. */
  clusters: ClusterPatch[];
}

/** Deep equality of plain JSON data (key order does not matter). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    n++;
    if (!sameData(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) n--;
  return n === 0;
}

/** A copy of `o` without the keys `omit` (the nodes and edges of a cluster, the clusters of a model). */
function own<T extends object, K extends keyof T & string>(o: T, omit: K[]): Omit<T, K> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!(omit as string[]).includes(k)) out[k] = v;
  return out as Omit<T, K>;
}

/**
 * What turns `prev` into `next`, or undefined when the shapes differ (another number of
 * clusters, a cluster renamed, nodes or edges added or removed): then the whole model is posted.
 */
export function diffModel(prev: DiagramModel, next: DiagramModel): ModelPatch | undefined {
  if (prev.clusters.length !== next.clusters.length) return undefined;
  const clusters: ClusterPatch[] = [];
  for (let i = 0; i < next.clusters.length; i++) {
    const a = prev.clusters[i];
    const b = next.clusters[i];
    if (a.name !== b.name || a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return undefined;
    const nodes: ClusterPatch['nodes'] = [];
    const edges: ClusterPatch['edges'] = [];
    for (let j = 0; j < b.nodes.length; j++) if (!sameData(a.nodes[j], b.nodes[j])) nodes.push({ index: j, node: b.nodes[j] });
    for (let j = 0; j < b.edges.length; j++) if (!sameData(a.edges[j], b.edges[j])) edges.push({ index: j, edge: b.edges[j] });
    const cluster = own(b, ['nodes', 'edges']);
    if (nodes.length || edges.length || !sameData(own(a, ['nodes', 'edges']), cluster)) clusters.push({ index: i, cluster, nodes, edges });
  }
  return { model: own(next, ['clusters']), clusters };
}

function isIndex(v: unknown, length: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < length;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The model `patch` makes of `base` (unchanged nodes, edges and clusters are shared with it), or
 * undefined when the patch does not fit the base (then the webview asks for the whole model).
 */
export function applyModelPatch(base: DiagramModel, patch: ModelPatch): DiagramModel | undefined {
  if (!isObject(patch) || !isObject(patch.model) || !Array.isArray(patch.clusters)) return undefined;
  const clusters = base.clusters.slice();
  for (const cp of patch.clusters) {
    if (!isObject(cp) || !isIndex(cp.index, clusters.length) || !isObject(cp.cluster) || !Array.isArray(cp.nodes) || !Array.isArray(cp.edges)) return undefined;
    const c = clusters[cp.index];
    if (cp.cluster.name !== c.name) return undefined;
    const nodes = c.nodes.slice();
    for (const n of cp.nodes) {
      if (!isObject(n) || !isIndex(n.index, nodes.length) || !isObject(n.node)) return undefined;
      nodes[n.index] = n.node;
    }
    const edges = c.edges.slice();
    for (const e of cp.edges) {
      if (!isObject(e) || !isIndex(e.index, edges.length) || !isObject(e.edge)) return undefined;
      edges[e.index] = e.edge;
    }
    clusters[cp.index] = { ...cp.cluster, nodes, edges };
  }
  const model = { ...patch.model, clusters } as DiagramModel;
  if (typeof model.version !== 'number' || typeof model.parsedOk !== 'boolean' || !Array.isArray(model.syntaxErrors)) return undefined;
  return model;
}

/** The model messages the extension posts to one webview: whole, or as a patch of the last one. */
export type ModelMessage =
  | { type: 'model'; model: DiagramModel; seq: number }
  | { type: 'modelPatch'; patch: ModelPatch; base: number; seq: number };

/**
 * Per webview: turns each model from the server into the message to post, or undefined when it
 * equals the last one posted. `reset` when the webview (re)starts or asks for the whole model.
 */
export class ModelPoster {
  private last: { json: string; model: DiagramModel; seq: number } | undefined;
  private seq = 0;

  reset(): void {
    this.last = undefined;
  }

  message(model: DiagramModel): ModelMessage | undefined {
    const json = JSON.stringify(model);
    const last = this.last;
    if (last && last.json === json) return undefined;
    const seq = ++this.seq;
    this.last = { json, model, seq };
    const patch = last ? diffModel(last.model, model) : undefined;
    return patch ? { type: 'modelPatch', patch, base: last!.seq, seq } : { type: 'model', model, seq };
  }
}
