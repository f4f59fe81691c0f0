// The live state the designer draws over the diagram when a target is connected: per cluster,
// each director's VRRP state and the VIPs it holds, each real server's connections, rate and
// whether the health checks hold it in IPVS, and the runtime findings. Its fields are those of
// the live status snapshot (`lvsdr status --json`); the extension passes each snapshot of the
// designer's clusters to the webview as it is, checked on the way (LiveView).
import * as v from 'valibot';

const count = v.pipe(v.number(), v.finite(), v.minValue(0));
const text = v.pipe(v.string(), v.maxLength(4000));

export const VRRP_STATES = ['MASTER', 'BACKUP', 'FAULT', 'STOPPED', 'UNKNOWN'] as const;

export const LiveDirector = v.object({
  name: text,
  reachable: v.boolean(),
  keepalived: v.boolean(),
  vrrp: v.picklist(VRRP_STATES),
  vips: v.array(text),
});
export type LiveDirector = v.InferOutput<typeof LiveDirector>;

export const LiveReal = v.object({
  name: text,
  address: v.optional(text),
  weight: count,
  active: count,
  inactive: count,
  /** False when the health checks took it out of IPVS. */
  inService: v.boolean(),
  /** New connections per second (IPVS's rate), when known. */
  cps: v.optional(count),
  /** Drained by an operator (weight 0 as a runtime override). */
  drained: v.optional(v.boolean()),
});
export type LiveReal = v.InferOutput<typeof LiveReal>;

export const LiveService = v.object({
  name: text,
  vip: v.optional(text),
  port: v.optional(count),
  protocol: v.optional(text),
  reals: v.array(LiveReal),
});
export type LiveService = v.InferOutput<typeof LiveService>;

export const LiveFinding = v.object({
  code: text,
  severity: v.picklist(['error', 'warning', 'information']),
  message: text,
  host: v.optional(text),
});
export type LiveFinding = v.InferOutput<typeof LiveFinding>;

/** One snapshot of one cluster (the `lvsdr status --json` object, fields the designer draws). */
export const LiveCluster = v.object({
  cluster: text,
  at: text,
  directors: v.array(LiveDirector),
  services: v.array(LiveService),
  findings: v.array(LiveFinding),
});
export type LiveCluster = v.InferOutput<typeof LiveCluster>;

/** What the designer shows about the connection, and the snapshots of its clusters. */
export const LiveView = v.object({
  /** `off` (toggle off), `connecting`, `live`, `error` (the last refresh failed: why in `message`). */
  status: v.picklist(['off', 'connecting', 'live', 'error']),
  /** The target's name (lab, hosts), for the toolbar. */
  target: v.optional(text),
  message: v.optional(text),
  clusters: v.array(LiveCluster),
});
export type LiveView = v.InferOutput<typeof LiveView>;
