// One refresh of the running cluster, as the live status engine (server/live/) reads it from the
// hosts: `lvsdr status --json` prints one per line, VS Code reads them from that child and the
// designer draws them as its live overlay. Hosts are remote and may lie or be half-broken, so
// every snapshot is checked against this schema where it arrives.
//
// A host that did not answer has `reachable: false` and `null` for everything it would have
// told: unreachable is never shown as healthy.
import * as v from 'valibot';
import { check, Checked } from './check';

export const LIVE_SNAPSHOT_VERSION = 1;

const name = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
const text = v.pipe(v.string(), v.maxLength(4096));
const address = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const count = v.pipe(v.number(), v.minValue(0));
const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));

/** keepalived's VRRP state of the director; STOPPED when keepalived is not running, UNKNOWN when it could not be told. */
export const VRRP_STATES = ['MASTER', 'BACKUP', 'FAULT', 'STOPPED', 'UNKNOWN'] as const;
export type VrrpState = (typeof VRRP_STATES)[number];

export const FINDING_SEVERITIES = ['error', 'warning', 'information'] as const;

/** IPVS connection timeouts in seconds (`ipvsadm -L --timeout`). */
export const IpvsTimeouts = v.object({ tcp: count, tcpFin: count, udp: count });
export type IpvsTimeouts = v.InferOutput<typeof IpvsTimeouts>;

/** One real server in one director's IPVS table. */
export const IpvsReal = v.object({
  address, port,
  /** `-g` (route/DR), `-m` (masq), `-i` (tunnel). */
  forward: v.picklist(['route', 'masq', 'tunnel', 'other']),
  weight: count, active: count, inactive: count,
});

/** One virtual service in one director's IPVS table, with its counters and rates. */
export const IpvsService = v.object({
  vip: address, port, protocol: v.picklist(['tcp', 'udp']),
  scheduler: v.pipe(v.string(), v.maxLength(16)),
  /** Persistence timeout in seconds, absent when not persistent. */
  persistence: v.optional(count),
  reals: v.array(IpvsReal),
});
export type IpvsService = v.InferOutput<typeof IpvsService>;

export const DirectorStatus = v.object({
  name, address,
  reachable: v.boolean(),
  /** Why it is unreachable, or what could not be read (English). */
  error: v.optional(text),
  /** The same in the reader's language, when that is not English. */
  errorLocalized: v.optional(text),
  /** keepalived is running; null when the host did not answer. */
  keepalived: v.nullable(v.boolean()),
  vrrp: v.picklist(VRRP_STATES),
  /** keepalived's effective priority now, null when unknown. */
  priority: v.nullable(count),
  /** Cluster VIPs (and other addresses of the file's VIPs) this director holds now. */
  vips: v.array(address),
  /** This director's IPVS table; null when unreadable. */
  ipvs: v.nullable(v.array(IpvsService)),
  timeouts: v.nullable(IpvsTimeouts),
});
export type DirectorStatus = v.InferOutput<typeof DirectorStatus>;

/** A VIP on a real server's `lo` (address and prefix length, /32 expected). */
export const LoVip = v.object({ address, prefix: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(128)) });

export const RealServerStatus = v.object({
  name, address,
  reachable: v.boolean(),
  error: v.optional(text),
  errorLocalized: v.optional(text),
  /** Addresses on `lo` other than 127.0.0.0/8 and ::1; null when unknown. */
  loVips: v.nullable(v.array(LoVip)),
  /** The ARP sysctls that keep a DR real server quiet about the VIP; null when unknown. */
  arp: v.nullable(v.object({ allIgnore: count, allAnnounce: count, loIgnore: count, loAnnounce: count })),
  /** Each service port of the file on this server: whether something listens on it (ss -ltn / -lun). */
  ports: v.array(v.object({ port, protocol: v.picklist(['tcp', 'udp']), answers: v.nullable(v.boolean()) })),
});
export type RealServerStatus = v.InferOutput<typeof RealServerStatus>;

/** One real server of one service as the active director sees it. */
export const ServiceReal = v.object({
  name, address,
  /** The IPVS weight now; null when not in the table (or no director answered). */
  weight: v.nullable(count),
  /** The file's weight. */
  fileWeight: count,
  active: count, inactive: count,
  /** In IPVS and taking new connections per the health checks (present, and not quiesced by a failed check). */
  inService: v.boolean(),
  /** An operator drain (runtime override) holds its weight at 0. */
  drained: v.boolean(),
  /** Per second over the last refresh, from the IPVS counters (0 on the first refresh). */
  connsPerSec: count, packetsInPerSec: count, bytesInPerSec: count,
  /** Since when (ISO time) it has been out of service, while it is. */
  outSince: v.optional(v.string()),
});
export type ServiceReal = v.InferOutput<typeof ServiceReal>;

export const ServiceStatus = v.object({
  name, vip: address, port, protocol: v.picklist(['tcp', 'udp']),
  /** The director whose table this is (the VIP's holder, else the first that answered); null if none. */
  from: v.nullable(name),
  /** The service exists in that director's IPVS table. */
  present: v.boolean(),
  reals: v.array(ServiceReal),
});
export type ServiceStatus = v.InferOutput<typeof ServiceStatus>;

/** A runtime finding: stable code (LVS5xx, docs/rules.md), like the language's. */
export const LiveFinding = v.object({
  code: v.pipe(v.string(), v.regex(/^LVS\d{3}$/)),
  severity: v.picklist(FINDING_SEVERITIES),
  /** English, whatever the reader's language: scripts match on it (with the code). */
  message: text,
  /** The message in the reader's language (LC_ALL/LC_MESSAGES/LANG) when that is not English. */
  messageLocalized: v.optional(text),
  /** The host it is about, when it is about one. */
  host: v.optional(name),
});
export type LiveFinding = v.InferOutput<typeof LiveFinding>;

/** An operator's temporary change (a drain) that the file does not say. */
export const RuntimeOverride = v.object({
  kind: v.literal('drain'),
  server: name,
  weight: count,
  since: v.string(),
});
export type RuntimeOverride = v.InferOutput<typeof RuntimeOverride>;

export const LiveSnapshot = v.object({
  v: v.literal(LIVE_SNAPSHOT_VERSION),
  cluster: name,
  target: v.picklist(['lab', 'hosts']),
  /** ISO time the refresh began. */
  at: v.string(),
  /** Wall time of the refresh in milliseconds. */
  ms: count,
  directors: v.array(DirectorStatus),
  realServers: v.array(RealServerStatus),
  services: v.array(ServiceStatus),
  overrides: v.array(RuntimeOverride),
  findings: v.array(LiveFinding),
});
export type LiveSnapshot = v.InferOutput<typeof LiveSnapshot>;

export function checkLiveSnapshot(input: unknown): Checked<LiveSnapshot> {
  return check(LiveSnapshot, input);
}
