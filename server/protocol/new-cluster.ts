// `lvs/newCluster`: what `LVS: New Cluster…` asked the user, and the cluster text the language
// server builds from it (server/lsp/new-cluster.ts). The field checks are the language's own
// (the name rule of names.ts, the addresses of values.ts, the OS words of vocabulary.ts): the
// client's input boxes call the same functions, so a value the boxes accept is one the server
// accepts, and the cluster built from it checks clean.
import * as v from 'valibot';
import { NAME_RE } from '../language/names';
import { addressFamily, formatIpv4, formatIpv6, parseCidr, parseCidr6, parseIpv4, parseIpv6 } from '../language/values';
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

/**
 * A network the dialog may be given, of either family, as numbers: its network address and its
 * last address (IPv4's broadcast). Neither is given to a host, nor is the first host (the gateway).
 */
export interface NewClusterNetwork {
  family: 4 | 6;
  network: bigint;
  last: bigint;
  prefix: number;
}

/** `ADDRESS/PREFIX` of either family (IPv6 when it has a colon), or undefined. */
export function parseNewClusterNetwork(text: string): NewClusterNetwork | undefined {
  if (!text.includes('/')) return undefined;
  if (addressFamily(text) === 6) {
    const c = parseCidr6(text);
    return c && { family: 6, network: c.network, last: c.network | ((1n << BigInt(128 - c.prefix)) - 1n), prefix: c.prefix };
  }
  const c = parseCidr(text);
  return c && { family: 4, network: BigInt(c.network), last: BigInt(c.broadcast), prefix: c.prefix };
}

/** An address of the network's family as a number, or undefined (another family, not an address). */
export function parseNewClusterAddress(text: string, net: NewClusterNetwork): bigint | undefined {
  if (addressFamily(text) !== net.family) return undefined;
  if (net.family === 6) return parseIpv6(text);
  const a = parseIpv4(text);
  return a === undefined ? undefined : BigInt(a);
}

export function formatNewClusterAddress(value: bigint, net: NewClusterNetwork): string {
  return net.family === 6 ? formatIpv6(value) : formatIpv4(Number(value));
}

/** Host addresses of a network (neither its network nor its last address), capped: only small counts matter. */
function hostCount(net: NewClusterNetwork): number {
  const n = net.last - net.network - 1n;
  return n < 0n ? 0 : n > 1_000_000n ? 1_000_000 : Number(n);
}

export function networkProblem(text: string): NetworkProblem | undefined {
  const net = parseNewClusterNetwork(text);
  if (!net) return 'not-cidr';
  return hostCount(net) < MIN_HOSTS ? 'too-small' : undefined;
}

/** The address the gateway gets: the network's first host (the usual router address). */
export function newClusterGateway(network: string): string {
  const net = parseNewClusterNetwork(network)!;
  return formatNewClusterAddress(net.network + 1n, net);
}

/**
 * A VIP the boxes propose: host 100 of the network when there is one (IPv4 `.100`, IPv6 `::100`
 * as the guides write it), else its last host.
 */
export function proposedVip(network: string): string {
  const net = parseNewClusterNetwork(network)!;
  const hundred = net.network + (net.family === 6 ? 0x100n : 100n);
  return formatNewClusterAddress(hundred < net.last ? hundred : net.last - 1n, net);
}

export function vipProblem(vip: string, network: string): VipProblem | undefined {
  const net = parseNewClusterNetwork(network)!;
  const a = parseNewClusterAddress(vip, net);
  if (a === undefined) {
    // An address of the other family is an address, only not in this network.
    const other = addressFamily(vip) === 6 ? parseIpv6(vip) : parseIpv4(vip);
    return other === undefined ? 'not-address' : 'outside';
  }
  if (a < net.network || a > net.last) return 'outside';
  return a === net.network || a === net.last || a === net.network + 1n ? 'reserved' : undefined;
}

/** `text` as a number of real servers for the network (the gateway, the VIP and the directors need room too). */
export function serversProblem(text: string, network: string, directors: number): ServersProblem | undefined {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || n < 1 || n > NEW_CLUSTER_MAX_SERVERS) return 'not-count';
  return 2 + directors + n > hostCount(parseNewClusterNetwork(network)!) ? 'no-room' : undefined;
}

/**
 * Why the server refuses answers, in English: the language server answers with these texts as
 * messages in the client's language (server/lsp/new-cluster-refusals.ts; the contract imports no messages).
 */
export const NEW_CLUSTER_REFUSALS = {
  name: 'The name must be a letter or _ followed by letters, digits, _ or -.',
  network: 'The network must be an IPv4 or IPv6 network ADDRESS/PREFIX with room for four hosts.',
  shape: 'lvs/newCluster expects { name, network, vip, directors, servers, os }.',
  vip: 'The VIP must be a host address of the network other than its gateway (the first host).',
  room: 'The network has no room for that many hosts.',
} as const;

export const NewClusterParams = v.pipe(
  v.object({
    name: v.pipe(v.string(), v.regex(NAME_RE, NEW_CLUSTER_REFUSALS.name)),
    network: v.pipe(v.string(), v.check((n) => !networkProblem(n), NEW_CLUSTER_REFUSALS.network)),
    vip: v.string(),
    directors: v.picklist(NEW_CLUSTER_DIRECTORS),
    servers: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(NEW_CLUSTER_MAX_SERVERS)),
    os: v.picklist(TARGET_OSES),
  }, NEW_CLUSTER_REFUSALS.shape),
  v.check((p) => !vipProblem(p.vip, p.network), NEW_CLUSTER_REFUSALS.vip),
  v.check((p) => !serversProblem(String(p.servers), p.network, p.directors), NEW_CLUSTER_REFUSALS.room),
);
export type NewClusterParams = v.InferOutput<typeof NewClusterParams>;

export const NewClusterResult = v.variant('ok', [
  v.object({ ok: v.literal(true), text: v.string() }),
  v.object({ ok: v.literal(false), message: v.string() }),
]);
export type NewClusterResult = v.InferOutput<typeof NewClusterResult>;
