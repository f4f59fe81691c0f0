// The diagram model the language server computes from a .lvs document and the designer webview
// draws (server/diagram/model.ts builds it). Plain data: it crosses JSON-RPC and postMessage.
import * as v from 'valibot';

const LINE_MAX = 10_000_000;

export const Position = v.object({
  line: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LINE_MAX)),
  character: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LINE_MAX)),
});
export type Position = v.InferOutput<typeof Position>;

export const Range = v.object({ start: Position, end: Position });
export type Range = v.InferOutput<typeof Range>;

export const NodeKind = v.picklist(['client', 'vip', 'director', 'service', 'server']);
export type NodeKind = v.InferOutput<typeof NodeKind>;

export const NodeDiagnostic = v.object({
  code: v.string(),
  severity: v.picklist(['error', 'warning', 'information']),
  message: v.string(),
  /** Where the finding is in the text (reveal the exact spot). */
  range: v.optional(Range),
});
export type NodeDiagnostic = v.InferOutput<typeof NodeDiagnostic>;

export const DiagramNode = v.object({
  /** Stable across edits: `<cluster>/<kind>/<name>` (VIPs: name or address). */
  id: v.string(),
  kind: NodeKind,
  label: v.string(),
  /** Layout tier: 0 clients, 1 VIPs, 2 directors, 3 services, 4 real servers. */
  tier: v.number(),
  /** Kind-specific facts shown in the node and its properties form (address, weight, role…). */
  props: v.record(v.string(), v.union([v.string(), v.number(), v.boolean()])),
  /** Range of the node's declaration in the text (reveal on click; cursor → selection). */
  range: v.optional(Range),
  diagnostics: v.array(NodeDiagnostic),
});
export type DiagramNode = v.InferOutput<typeof DiagramNode>;

export const DiagramEdge = v.object({
  from: v.string(),
  to: v.string(),
  /** `request`: client → VIP → director → service → server; `reply`: server → client (DR). */
  kind: v.picklist(['request', 'reply']),
  /** For service → server edges: the weight of that real server in that service. */
  weight: v.optional(v.number()),
  /** For service → server edges: findings on that `real` line (also on the service node). */
  diagnostics: v.optional(v.array(NodeDiagnostic)),
});
export type DiagramEdge = v.InferOutput<typeof DiagramEdge>;

export const DiagramCluster = v.object({
  name: v.string(),
  network: v.optional(v.string()),
  gateway: v.optional(v.string()),
  nodes: v.array(DiagramNode),
  edges: v.array(DiagramEdge),
  /** Findings inside the cluster but outside every node (network, gateway, ha, ssh, target). */
  diagnostics: v.optional(v.array(NodeDiagnostic)),
});
export type DiagramCluster = v.InferOutput<typeof DiagramCluster>;

export const DiagramModel = v.object({
  uri: v.string(),
  /** Document version this model was computed from. */
  version: v.number(),
  /** False when the text has syntax errors: the model is the last good one, editing is disabled. */
  parsedOk: v.boolean(),
  /** Version of the last text that parsed (equals `version` when parsedOk). */
  modelVersion: v.number(),
  /**
   * Syntax errors when parsedOk is false: the 1-based line and the message in the client's
   * language. The webview words the "Line N:" around them from the extension's bundle.
   */
  syntaxErrors: v.array(v.object({ line: v.pipe(v.number(), v.integer(), v.minValue(1)), message: v.string() })),
  clusters: v.array(DiagramCluster),
});
export type DiagramModel = v.InferOutput<typeof DiagramModel>;
