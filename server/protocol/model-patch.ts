// Model patches. The extension posts the first model (and the model after the webview asked for
// it) whole; after that, while the clusters keep the same number of nodes and edges, it posts
// only what changed: the nodes and edges whose data differ, by index, and the changed clusters'
// own fields. An edit of a weight thus crosses to the webview as a few hundred bytes instead of
// the whole model (462 KiB for 1,000 real servers), which postMessage would clone every time.
//
// Each posted model carries a sequence number; a patch names the one it applies to (`base`). A
// webview that holds another one (it was re-created, a message was lost) drops the patch and asks
// for the whole model (`requestModel`). Plain data, no vscode import: the extension posts with
// ModelPoster, the webview applies with applyModelPatch (which checks the patch's shape first).
import * as v from 'valibot';
import { DiagramCluster, DiagramEdge, DiagramModel, DiagramNode } from './diagram-model';

const Index = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

export const ClusterPatch = v.object({
  /** Index of the cluster in the base model (same name there). */
  index: Index,
  /** The cluster's own fields in the new model (everything but nodes and edges). */
  cluster: v.omit(DiagramCluster, ['nodes', 'edges']),
  /** The nodes and edges that differ, by index (the arrays keep their lengths). */
  nodes: v.array(v.object({ index: Index, node: DiagramNode })),
  edges: v.array(v.object({ index: Index, edge: DiagramEdge })),
});
export type ClusterPatch = v.InferOutput<typeof ClusterPatch>;

export const ModelPatch = v.object({
  /** The new model's own fields (everything but clusters). */
  model: v.omit(DiagramModel, ['clusters']),
  /** The clusters that changed; the others are the base model's. */
  clusters: v.array(ClusterPatch),
});
export type ModelPatch = v.InferOutput<typeof ModelPatch>;

/** The model messages the extension posts to one webview: whole, or as a patch of the last one. */
export const ModelMessage = v.variant('type', [
  v.object({ type: v.literal('model'), model: DiagramModel, seq: Index }),
  v.object({ type: v.literal('modelPatch'), patch: ModelPatch, base: Index, seq: Index }),
]);
export type ModelMessage = v.InferOutput<typeof ModelMessage>;

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

/**
 * The model `patch` makes of `base` (unchanged nodes, edges and clusters are shared with it), or
 * undefined when the patch is malformed or does not fit the base (then the webview asks for the
 * whole model).
 */
export function applyModelPatch(base: DiagramModel, patch: ModelPatch): DiagramModel | undefined {
  if (!v.is(ModelPatch, patch)) return undefined;
  const clusters = base.clusters.slice();
  for (const cp of patch.clusters) {
    const c = clusters[cp.index];
    if (c === undefined || cp.cluster.name !== c.name) return undefined;
    const nodes = c.nodes.slice();
    for (const n of cp.nodes) {
      if (n.index >= nodes.length) return undefined;
      nodes[n.index] = n.node;
    }
    const edges = c.edges.slice();
    for (const e of cp.edges) {
      if (e.index >= edges.length) return undefined;
      edges[e.index] = e.edge;
    }
    clusters[cp.index] = { ...cp.cluster, nodes, edges };
  }
  return { ...patch.model, clusters };
}

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
