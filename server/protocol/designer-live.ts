// The live state the designer draws over the diagram when a target is connected: per cluster,
// each director's VRRP state and the VIPs it holds, each real server's connections, rate and
// whether the health checks hold it in IPVS, and the runtime findings. LiveCluster is the part of
// the live status snapshot (`lvsdr status --json`, server/protocol/live-snapshot.ts of the live
// engine) the designer draws, field for field, so a snapshot checks against it as it is (unknown
// fields are dropped); the extension passes each one to the webview in a LiveView.
import * as v from 'valibot';

const count = v.pipe(v.number(), v.finite(), v.minValue(0));
const text = v.pipe(v.string(), v.maxLength(4000));

export const VRRP_STATES = ['MASTER', 'BACKUP', 'FAULT', 'STOPPED', 'UNKNOWN'] as const;

export const LiveDirector = v.object({
  name: text,
  reachable: v.boolean(),
  /** null when the host did not answer. */
  keepalived: v.nullable(v.boolean()),
  vrrp: v.picklist(VRRP_STATES),
  vips: v.array(text),
});
export type LiveDirector = v.InferOutput<typeof LiveDirector>;

export const LiveReal = v.object({
  name: text,
  address: v.optional(text),
  /** The IPVS weight now; null when not in the table. */
  weight: v.nullable(count),
  active: count,
  inactive: count,
  /** False when the health checks took it out of IPVS. */
  inService: v.boolean(),
  /** New connections per second over the last refresh, when known. */
  connsPerSec: v.optional(count),
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

/** A real server as a host: reachable or not (its per-service state is in the services). */
export const LiveRealServer = v.object({
  name: text,
  reachable: v.boolean(),
});
export type LiveRealServer = v.InferOutput<typeof LiveRealServer>;

/** One snapshot of one cluster (the `lvsdr status --json` object, fields the designer draws). */
export const LiveCluster = v.object({
  cluster: text,
  at: text,
  directors: v.array(LiveDirector),
  realServers: v.optional(v.array(LiveRealServer)),
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
