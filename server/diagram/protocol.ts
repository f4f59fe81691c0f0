// The contract between the language server, the VS Code client and the designer webview:
// the diagram model the server computes, the intents the webview sends, and the custom
// LSP requests that carry them. Plain data only (it crosses JSON-RPC and postMessage).

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export type NodeKind = 'client' | 'vip' | 'director' | 'service' | 'server';

export interface NodeDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'information';
  message: string;
  /** Where the finding is in the text (added compatibly: reveal the exact spot). */
  range?: Range;
}

export interface DiagramNode {
  /** Stable across edits: `<cluster>/<kind>/<name>` (VIPs: name or address). */
  id: string;
  kind: NodeKind;
  label: string;
  /** Layout tier: 0 clients, 1 VIPs, 2 directors, 3 services, 4 real servers. */
  tier: number;
  /** Kind-specific facts shown in the node and its properties form (address, weight, role…). */
  props: Record<string, string | number | boolean>;
  /** Range of the node's declaration in the text (reveal on click; cursor → selection). */
  range?: Range;
  diagnostics: NodeDiagnostic[];
}

export interface DiagramEdge {
  from: string;
  to: string;
  /** `request`: client → VIP → director → service → server; `reply`: server → client (DR). */
  kind: 'request' | 'reply';
  /** For service → server edges: the weight of that real server in that service. */
  weight?: number;
  /** For service → server edges: findings on that `real` line (also on the service node). */
  diagnostics?: NodeDiagnostic[];
}

export interface DiagramCluster {
  name: string;
  network?: string;
  gateway?: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** Findings inside the cluster but outside every node (network, gateway, ha, ssh, target). */
  diagnostics?: NodeDiagnostic[];
}

export interface DiagramModel {
  uri: string;
  /** Document version this model was computed from. */
  version: number;
  /** False when the text has syntax errors: the model is the last good one, editing is disabled. */
  parsedOk: boolean;
  /** Version of the last text that parsed (equals `version` when parsedOk). */
  modelVersion: number;
  /** Syntax error messages (with line numbers) when parsedOk is false. */
  syntaxErrors: string[];
  clusters: DiagramCluster[];
}

/** Edits the designer can ask for. Names are the DSL names; the server validates everything. */
export type DesignerIntent =
  | { type: 'addRealServer'; cluster: string; service: string; name: string; address: string; weight: number; iface?: string }
  | { type: 'removeNode'; cluster: string; nodeId: string }
  | { type: 'setWeight'; cluster: string; service: string; server: string; weight: number }
  | { type: 'setScheduler'; cluster: string; service: string; scheduler: string }
  | { type: 'setRole'; cluster: string; director: string; role: 'master' | 'backup'; priority?: number }
  | { type: 'setProtocolPort'; cluster: string; service: string; protocol?: 'tcp' | 'udp'; port?: number }
  | { type: 'toggleVipOn'; cluster: string; server: string; enabled: boolean };

export interface TextEditData {
  range: Range;
  newText: string;
}

export type IntentResult =
  | { ok: true; edits: TextEditData[] }
  | { ok: false; reason: 'stale' | 'invalid' | 'syntax' | 'unknown-document'; message: string };

/** `lvs/diagramModel` request: params and result. */
export const DIAGRAM_MODEL_REQUEST = 'lvs/diagramModel';
export interface DiagramModelParams {
  uri: string;
}

/** `lvs/applyIntent` request: the server answers minimal TextEdits, or why not. */
export const APPLY_INTENT_REQUEST = 'lvs/applyIntent';
export interface ApplyIntentParams {
  uri: string;
  version: number;
  intent: DesignerIntent;
}
