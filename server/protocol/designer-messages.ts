// Messages between the designer webview (media/designer) and the extension (client/designer),
// over postMessage. Everything from the webview is untrusted: the extension checks it with
// FromWebview (checkFromWebview) before anything happens; unknown message types are ignored.
import * as v from 'valibot';
import { check, Checked } from './check';
import { DesignerIntent, NodeId } from './designer-intent';
import { LiveView } from './designer-live';
import { Range } from './diagram-model';
import { ModelMessage } from './model-patch';

const TEXT_MAX = 4000;
const count = (what: string) => v.pipe(v.number(`${what} must be a number.`), v.safeInteger(`${what} must be a whole number.`), v.minValue(0, `${what} must not be negative.`));

// ---------------------------------------------------------------------------------------------
// extension → webview

export const ToWebview = v.variant('type', [
  /** The whole model, or a patch of the last one posted (model-patch.ts). */
  ...ModelMessage.options,
  v.object({ type: v.literal('select'), nodeId: v.nullable(v.string()) }),
  v.object({ type: v.literal('intentResult'), requestId: count('requestId'), ok: v.boolean(), reason: v.optional(v.string()), message: v.optional(v.string()) }),
  v.object({ type: v.literal('error'), message: v.string() }),
  v.object({ type: v.literal('focusCluster'), cluster: v.string() }),
  /** Live state over the diagram (designer-live.ts); status `off` clears it. */
  v.object({ type: v.literal('live'), view: LiveView }),
]);
export type ToWebview = v.InferOutput<typeof ToWebview>;

// ---------------------------------------------------------------------------------------------
// webview → extension

const fromWebview = [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('requestModel') }),
  v.object({ type: v.literal('reveal'), range: Range, nodeId: v.optional(NodeId) }),
  v.object({ type: v.literal('intent'), requestId: count('requestId'), version: count('version'), intent: DesignerIntent }),
  /** The webview rendered a model (test hook and first-paint timing). */
  v.object({ type: v.literal('rendered'), version: count('version'), nodes: count('nodes'), ms: v.pipe(v.number('ms must be a number.'), v.finite('ms must be finite.')) }),
  /** The "Live" toggle: start or stop showing the target's live state (off by default). */
  v.object({ type: v.literal('setLive'), on: v.boolean() }),
  /** The webview's visibility (document.visibilityState): no refreshes while it is hidden. */
  v.object({ type: v.literal('visibility'), visible: v.boolean() }),
  /** An operator action on a real server from the designer (previewed and confirmed by the extension). */
  v.object({ type: v.literal('serverAction'), action: v.picklist(['drain', 'restore']), cluster: v.pipe(v.string(), v.maxLength(256)), server: v.pipe(v.string(), v.maxLength(256)) }),
  /** A controlled failover of the cluster's VIPs to the backup director and back (previewed and confirmed by the extension). */
  v.object({ type: v.literal('failover'), cluster: v.pipe(v.string(), v.maxLength(256)) }),
  v.object({ type: v.literal('log'), level: v.picklist(['info', 'warn', 'error']), message: v.pipe(v.string(), v.transform((m) => m.slice(0, TEXT_MAX))) }),
] as const;

export const FromWebview = v.variant('type', fromWebview);
export type FromWebview = v.InferOutput<typeof FromWebview>;

const FROM_WEBVIEW_TYPES: readonly string[] = fromWebview.map((m) => m.entries.type.literal);

/**
 * Checks a message from the webview. `ignored` marks a message of an unknown type (logged, not an
 * error shown to the user); other failures are malformed messages of a known type.
 */
export function checkFromWebview(message: unknown): Checked<FromWebview> & { ignored?: boolean } {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !FROM_WEBVIEW_TYPES.includes(type)) {
    return { ok: false, error: `unknown message type ${JSON.stringify(type)?.slice(0, 60)}`, ignored: true };
  }
  const checked = check(FromWebview, message);
  return checked.ok ? checked : { ok: false, error: `${type}: ${checked.error}` };
}
