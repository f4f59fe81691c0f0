// Messages between the designer webview (media/designer) and the extension (client/designer).
// Plain data, no vscode import: the webview bundle imports the types, the extension imports the
// validators. Everything that arrives from the webview is untrusted and checked field by field
// (type, shape, ranges) before anything happens; unknown message types are ignored.
import type { DesignerIntent, Range } from '../../server/diagram/protocol';
import type { ModelMessage } from './modelpatch';

// ---------------------------------------------------------------------------------------------
// extension → webview

export type ToWebview =
  /** The whole model, or a patch of the last one posted (modelpatch.ts). */
  | ModelMessage
  | { type: 'select'; nodeId: string | null }
  | { type: 'intentResult'; requestId: number; ok: boolean; reason?: string; message?: string }
  | { type: 'error'; message: string }
  | { type: 'focusCluster'; cluster: string };

// ---------------------------------------------------------------------------------------------
// webview → extension

export type FromWebview =
  | { type: 'ready' }
  | { type: 'requestModel' }
  | { type: 'reveal'; range: Range; nodeId?: string }
  | { type: 'intent'; requestId: number; version: number; intent: DesignerIntent }
  /** The webview rendered a model (test hook and first-paint timing). */
  | { type: 'rendered'; version: number; nodes: number; ms: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

// ---------------------------------------------------------------------------------------------
// validation

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_NAME = 200;
const MAX_TEXT = 4000;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_NAME && NAME_RE.test(v);
}

function isShortText(v: unknown, max = MAX_NAME): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function isPosition(v: unknown): boolean {
  return isObj(v) && isInt(v.line, 0, 10_000_000) && isInt(v.character, 0, 10_000_000);
}

export function isRange(v: unknown): v is Range {
  return isObj(v) && isPosition(v.start) && isPosition(v.end);
}

/** Rejects objects carrying fields that the message type does not define. */
function onlyKeys(o: Obj, allowed: string[]): string | undefined {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) return `unexpected field "${k}"`;
  return undefined;
}

/** Checks one intent's shape. Semantics (does the server exist, is the address free) are the server's. */
export function checkIntent(v: unknown): Checked<DesignerIntent> {
  if (!isObj(v)) return { ok: false, error: 'intent is not an object' };
  const bad = (error: string): Checked<DesignerIntent> => ({ ok: false, error: `intent ${String(v.type)}: ${error}` });
  if (!isName(v.cluster)) return bad('cluster must be a name');
  switch (v.type) {
    case 'addRealServer': {
      const extra = onlyKeys(v, ['type', 'cluster', 'service', 'name', 'address', 'weight', 'iface']);
      if (extra) return bad(extra);
      if (!isName(v.service)) return bad('service must be a name');
      if (typeof v.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(v.name) || v.name.length > MAX_NAME) return bad('name must match [A-Za-z_][A-Za-z0-9_-]*');
      if (typeof v.address !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}$/.test(v.address)) return bad('address must be a dotted IPv4 address');
      if (!isInt(v.weight, 0, 65535)) return bad('weight must be an integer 0-65535');
      if (v.iface !== undefined && !(typeof v.iface === 'string' && /^[A-Za-z0-9_.:@-]{1,32}$/.test(v.iface))) return bad('iface must be an interface name');
      return { ok: true, value: { type: 'addRealServer', cluster: v.cluster, service: v.service, name: v.name, address: v.address, weight: v.weight, ...(v.iface !== undefined ? { iface: v.iface as string } : {}) } };
    }
    case 'removeNode': {
      const extra = onlyKeys(v, ['type', 'cluster', 'nodeId']);
      if (extra) return bad(extra);
      if (!isShortText(v.nodeId, 400)) return bad('nodeId must be a non-empty string');
      return { ok: true, value: { type: 'removeNode', cluster: v.cluster, nodeId: v.nodeId } };
    }
    case 'setWeight': {
      const extra = onlyKeys(v, ['type', 'cluster', 'service', 'server', 'weight']);
      if (extra) return bad(extra);
      if (!isName(v.service)) return bad('service must be a name');
      if (!isName(v.server)) return bad('server must be a name');
      if (!isInt(v.weight, 0, 65535)) return bad('weight must be an integer 0-65535');
      return { ok: true, value: { type: 'setWeight', cluster: v.cluster, service: v.service, server: v.server, weight: v.weight } };
    }
    case 'setScheduler': {
      const extra = onlyKeys(v, ['type', 'cluster', 'service', 'scheduler']);
      if (extra) return bad(extra);
      if (!isName(v.service)) return bad('service must be a name');
      if (typeof v.scheduler !== 'string' || !/^[a-z]{1,8}$/.test(v.scheduler)) return bad('scheduler must be a scheduler name');
      return { ok: true, value: { type: 'setScheduler', cluster: v.cluster, service: v.service, scheduler: v.scheduler } };
    }
    case 'setRole': {
      const extra = onlyKeys(v, ['type', 'cluster', 'director', 'role', 'priority']);
      if (extra) return bad(extra);
      if (!isName(v.director)) return bad('director must be a name');
      if (v.role !== 'master' && v.role !== 'backup') return bad('role must be master or backup');
      if (v.priority !== undefined && !isInt(v.priority, 0, 255)) return bad('priority must be an integer 0-255');
      return { ok: true, value: { type: 'setRole', cluster: v.cluster, director: v.director, role: v.role, ...(v.priority !== undefined ? { priority: v.priority as number } : {}) } };
    }
    case 'setProtocolPort': {
      const extra = onlyKeys(v, ['type', 'cluster', 'service', 'protocol', 'port']);
      if (extra) return bad(extra);
      if (!isName(v.service)) return bad('service must be a name');
      if (v.protocol !== undefined && v.protocol !== 'tcp' && v.protocol !== 'udp') return bad('protocol must be tcp or udp');
      if (v.port !== undefined && !isInt(v.port, 0, 65535)) return bad('port must be an integer 0-65535');
      if (v.protocol === undefined && v.port === undefined) return bad('protocol or port is required');
      return {
        ok: true,
        value: {
          type: 'setProtocolPort', cluster: v.cluster, service: v.service,
          ...(v.protocol !== undefined ? { protocol: v.protocol as 'tcp' | 'udp' } : {}),
          ...(v.port !== undefined ? { port: v.port as number } : {}),
        },
      };
    }
    case 'toggleVipOn': {
      const extra = onlyKeys(v, ['type', 'cluster', 'server', 'enabled']);
      if (extra) return bad(extra);
      if (!isName(v.server)) return bad('server must be a name');
      if (typeof v.enabled !== 'boolean') return bad('enabled must be a boolean');
      return { ok: true, value: { type: 'toggleVipOn', cluster: v.cluster, server: v.server, enabled: v.enabled } };
    }
    default:
      return { ok: false, error: `unknown intent type ${JSON.stringify(String(v.type)).slice(0, 60)}` };
  }
}

/**
 * Checks a message from the webview. `ignored` marks a message of an unknown type (logged, not an
 * error shown to the user); other failures are malformed messages of a known type.
 */
export function checkFromWebview(v: unknown): Checked<FromWebview> & { ignored?: boolean } {
  if (!isObj(v) || typeof v.type !== 'string') return { ok: false, error: 'message is not an object with a string "type"', ignored: true };
  const bad = (error: string) => ({ ok: false as const, error: `${v.type}: ${error}` });
  switch (v.type) {
    case 'ready':
    case 'requestModel':
      return { ok: true, value: { type: v.type } };
    case 'reveal': {
      if (!isRange(v.range)) return bad('range must be {start:{line,character}, end:{line,character}}');
      if (v.nodeId !== undefined && !isShortText(v.nodeId, 400)) return bad('nodeId must be a string');
      const r = v.range;
      return {
        ok: true,
        value: {
          type: 'reveal',
          range: { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } },
          ...(v.nodeId !== undefined ? { nodeId: v.nodeId as string } : {}),
        },
      };
    }
    case 'intent': {
      if (!isInt(v.requestId, 0, Number.MAX_SAFE_INTEGER)) return bad('requestId must be a non-negative integer');
      if (!isInt(v.version, 0, Number.MAX_SAFE_INTEGER)) return bad('version must be a non-negative integer');
      const intent = checkIntent(v.intent);
      if (!intent.ok) return bad(intent.error);
      return { ok: true, value: { type: 'intent', requestId: v.requestId, version: v.version, intent: intent.value } };
    }
    case 'rendered':
      if (!isInt(v.version, 0, Number.MAX_SAFE_INTEGER) || !isInt(v.nodes, 0, 10_000_000) || typeof v.ms !== 'number' || !Number.isFinite(v.ms)) return bad('version, nodes, ms must be numbers');
      return { ok: true, value: { type: 'rendered', version: v.version, nodes: v.nodes, ms: v.ms } };
    case 'log':
      if (v.level !== 'info' && v.level !== 'warn' && v.level !== 'error') return bad('level must be info, warn or error');
      if (typeof v.message !== 'string') return bad('message must be a string');
      return { ok: true, value: { type: 'log', level: v.level, message: v.message.slice(0, MAX_TEXT) } };
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(v.type).slice(0, 60)}`, ignored: true };
  }
}
