// `lvs/newCluster`: what `LVS: New Cluster…` asked the user, and the cluster text the language
// server builds from it (server/lsp/new-cluster.ts). The field checks are the language's own
// (the name rule of names.ts, the addresses of values.ts, the OS words of vocabulary.ts): the
// client's input boxes call the same functions, so a value the boxes accept is one the server
// accepts, and the cluster built from it checks clean.
import * as v from 'valibot';
import { NAME_RE } from '../language/names';
import { formatIpv4, parseCidr, parseIpv4 } from '../language/values';
import { TARGET_OSES } from '../language/vocabulary';

export const NEW_CLUSTER_REQUEST = 'lvs/newCluster';

/** Real servers a new cluster may start with (more are added in the editor or the designer). */
export const NEW_CLUSTER_MAX_SERVERS = 16;
export const NEW_CLUSTER_DIRECTORS = [1, 2] as const;
/** The target OSes the generator supports (vocabulary.ts), for the client's pick list. */
export const NEW_CLUSTER_OSES = TARGET_OSES;

/** The language's name rule (names.ts), for the client's name box. */
export function isClusterName(text: string): boolean {
  return NAME_RE.test(text);
}

/** Why a network is refused: not `ADDRESS/PREFIX`, or too small to hold a gateway, a VIP and hosts. */
export type NetworkProblem = 'not-cidr' | 'too-small';
/** Why a VIP is refused for the network. */
export type VipProblem = 'not-address' | 'outside' | 'reserved';
/** Why a number of real servers is refused. */
export type ServersProblem = 'not-count' | 'no-room';

/** The smallest network that holds the gateway, the VIP, one director and one real server. */
const MIN_HOSTS = 4;

/** Host addresses of a network (neither its network nor its broadcast address). */
function hostCount(network: string): number {
  const c = parseCidr(network)!;
  return Math.max(0, c.broadcast - c.network - 1);
}

export function networkProblem(text: string): NetworkProblem | undefined {
  const c = text.includes('/') ? parseCidr(text) : undefined;
  if (!c) return 'not-cidr';
  return hostCount(text) < MIN_HOSTS ? 'too-small' : undefined;
}

/** The address the gateway gets: the network's first host (the usual router address). */
export function newClusterGateway(network: string): string {
  return formatIpv4(parseCidr(network)!.network + 1);
}

/** A VIP the boxes propose: host 100 of the network when there is one, else its last host. */
export function proposedVip(network: string): string {
  const c = parseCidr(network)!;
  return formatIpv4(c.network + 100 < c.broadcast ? c.network + 100 : c.broadcast - 1);
}

export function vipProblem(vip: string, network: string): VipProblem | undefined {
  const a = parseIpv4(vip);
  if (a === undefined) return 'not-address';
  const c = parseCidr(network)!;
  if (a <= c.network || a >= c.broadcast) return a === c.network || a === c.broadcast ? 'reserved' : 'outside';
  return a === c.network + 1 ? 'reserved' : undefined;
}

/** `text` as a number of real servers for the network (the gateway, the VIP and the directors need room too). */
export function serversProblem(text: string, network: string, directors: number): ServersProblem | undefined {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || n < 1 || n > NEW_CLUSTER_MAX_SERVERS) return 'not-count';
  return 2 + directors + n > hostCount(network) ? 'no-room' : undefined;
}

export const NewClusterParams = v.pipe(
  v.object({
    name: v.pipe(v.string(), v.regex(NAME_RE, 'The name must be a letter or _ followed by letters, digits, _ or -.')),
    network: v.pipe(v.string(), v.check((n) => !networkProblem(n), 'The network must be an IPv4 network ADDRESS/PREFIX with room for four hosts.')),
    vip: v.string(),
    directors: v.picklist(NEW_CLUSTER_DIRECTORS),
    servers: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(NEW_CLUSTER_MAX_SERVERS)),
    os: v.picklist(TARGET_OSES),
  }, 'lvs/newCluster expects { name, network, vip, directors, servers, os }.'),
  v.check((p) => !vipProblem(p.vip, p.network), 'The VIP must be a host address of the network other than its gateway (the first host).'),
  v.check((p) => !serversProblem(String(p.servers), p.network, p.directors), 'The network has no room for that many hosts.'),
);
export type NewClusterParams = v.InferOutput<typeof NewClusterParams>;

export const NewClusterResult = v.variant('ok', [
  v.object({ ok: v.literal(true), text: v.string() }),
  v.object({ ok: v.literal(false), message: v.string() }),
]);
export type NewClusterResult = v.InferOutput<typeof NewClusterResult>;
