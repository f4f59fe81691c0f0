// Never lock yourself out: a plan must not put on a host (a VIP on a director's NIC, a VIP on
// a real server's lo) an address that host sees the deploy coming from, nor the address of a
// host of the cluster. Either makes the host treat packets for that address as its own: its
// replies to the deploy go into lo, the SSH session stalls, and the rollback cannot reach the
// host again. Each host tells where the deploy comes from in its login session's
// SSH_CONNECTION (`client-ip client-port server-ip server-port`; SSH_CLIENT as a fallback);
// the server-ip is the address the deploy reaches the host at (it may differ from the file's
// address behind NAT) and is protected too. The check runs after connecting and before any
// lock, read or write (plan and deploy alike).
import { DeployError } from './errors';
import { isIpv4 } from './guard';
import { RemoteHost } from './remote';
import { ClusterTarget, HostTarget } from './types';
import { listMsgs, Msg, t } from '../shared/l10n/message';

/** How one host sees the deploy's SSH session. */
export interface SessionView {
  /** The deploy's address as the host sees it (the last hop's, through a bastion). */
  from?: string;
  /** The host's own address the session arrived at. */
  at?: string;
}

/** How a ProxyJump hop on the way to the hosts sees the deploy (its own SSH_CONNECTION). */
export interface HopView extends SessionView {
  hop: string;
}

export interface SelfAddressProblem {
  host: string;
  address: string;
  reason: Msg;
}

/** Addresses the plan puts on the host; every VIP of the cluster when the target does not say. */
export function placedAddresses(h: HostTarget, t: ClusterTarget): string[] {
  return h.placedAddresses ?? t.vips;
}

/** An IPv4 address from SSH's view of an endpoint (`::ffff:a.b.c.d` included), or undefined. */
function ipv4Of(word: string | undefined): string | undefined {
  if (!word) return undefined;
  const w = word.toLowerCase().startsWith('::ffff:') ? word.slice(7) : word;
  return isIpv4(w) ? w : undefined;
}

/** Reads SSH_CONNECTION (else SSH_CLIENT) as printed by {@link SESSION_VIEW_SCRIPT}. */
export function parseSessionView(out: string): SessionView {
  const lines = out.split('\n');
  const conn = lines.find((l) => l.startsWith('conn='))?.slice(5).trim().split(/\s+/) ?? [];
  const client = lines.find((l) => l.startsWith('client='))?.slice(7).trim().split(/\s+/) ?? [];
  return { from: ipv4Of(conn[0]) ?? ipv4Of(client[0]), at: ipv4Of(conn[2]) };
}

/** Prints the login session's SSH variables (run as the login user: sudo resets them). */
export const SESSION_VIEW_SCRIPT = [
  'printf "conn=%s\\n" "${SSH_CONNECTION:-}"',
  'printf "client=%s\\n" "${SSH_CLIENT:-}"',
].join('\n');

/**
 * Problems of the plan: for each host, each address it would carry that equals where it sees
 * the deploy from, where it is reached, the address of a host of the cluster, or where a
 * ProxyJump hop sees the deploy from or is reached (a host answering for a hop's address,
 * on a segment the hop shares, takes the hop's traffic).
 */
export function selfAddressProblems(tg: ClusterTarget, views: Map<string, SessionView>, hops: HopView[] = []): SelfAddressProblem[] {
  const out: SelfAddressProblem[] = [];
  const hostAt = new Map<string, string>();
  for (const h of tg.hosts) if (!hostAt.has(h.address)) hostAt.set(h.address, h.name);
  for (const h of tg.hosts) {
    const view = views.get(h.name) ?? {};
    for (const a of new Set(placedAddresses(h, tg))) {
      let reason: Msg | undefined;
      if (view.from === a) reason = t`${h.name} sees this deploy coming from ${a} (SSH_CONNECTION): its replies to the deploy would go into its own lo and the session would be cut off`;
      else if (hostAt.has(a)) reason = hostAt.get(a) === h.name ? t`${a} is ${h.name}'s own address: removing it again (rollback) would cut the host off` : t`${a} is the address of ${hostAt.get(a)!}, a host of this cluster: ${h.name} would stop reaching it`;
      else if (view.at === a) reason = t`${h.name} is reached at ${a} by this deploy (SSH_CONNECTION): the session would be cut off`;
      else {
        const hop = hops.find((v) => v.from === a || v.at === a);
        if (hop?.from === a) reason = t`jump host ${hop.hop} sees this deploy coming from ${a} (SSH_CONNECTION): ${h.name} would take the deploy's own address`;
        else if (hop) reason = t`${a} is where this deploy reaches jump host ${hop.hop} (SSH_CONNECTION): ${h.name} would take the jump host's address`;
      }
      if (reason) out.push({ host: h.name, address: a, reason });
    }
  }
  return out;
}

/** Throws a DeployError naming the first host and address (and every other problem). */
export function assertNoSelfAddress(problems: SelfAddressProblem[]): void {
  if (!problems.length) return;
  const [first, ...rest] = problems;
  const more = rest.length ? t`; also: ${listMsgs(rest.map((p) => `${p.host} ${p.address}`))}` : '';
  throw new DeployError(first.host, 'preflight', t`refused: the plan puts ${first.address} on ${first.host}, but ${first.reason}${more}. Nothing was applied; choose another address.`, 'self-address');
}

/** The static half, before connecting: no host may carry the address of a host of the cluster. */
export function checkClusterAddresses(t: ClusterTarget): void {
  assertNoSelfAddress(selfAddressProblems(t, new Map()));
}

/**
 * Asks every connected host, and every ProxyJump hop on the way (once each), how it sees the
 * deploy, then refuses a plan that would cut it off. A hop that only forwards (no shell) has no
 * view: `hops` lists it with an empty one.
 */
export async function checkSelfAddresses(t: ClusterTarget, remote: (name: string) => RemoteHost, timeoutMs?: number): Promise<{ hosts: Map<string, SessionView>; hops: HopView[] }> {
  const hosts = new Map<string, SessionView>();
  const hops = new Map<string, HopView>();
  const asked = new Set<string>();
  await Promise.all(t.hosts.map(async (h) => {
    const r = await remote(h.name).runUnprivileged(SESSION_VIEW_SCRIPT, timeoutMs);
    hosts.set(h.name, r.code === 0 ? parseSessionView(r.stdout) : {});
    // Hosts behind one bastion share it: the first host to reach a hop claims it, the others skip it.
    const claim = (hop: string) => !asked.has(hop) && asked.add(hop) !== undefined;
    for (const j of await remote(h.name).runOnJumpHosts(SESSION_VIEW_SCRIPT, timeoutMs, claim)) {
      hops.set(j.hop, { hop: j.hop, ...(j.result?.code === 0 ? parseSessionView(j.result.stdout) : {}) });
    }
  }));
  assertNoSelfAddress(selfAddressProblems(t, hosts, [...hops.values()]));
  return { hosts, hops: [...hops.values()] };
}
