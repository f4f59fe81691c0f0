// `lvsdr import --ssh [USER@]ADDR|ALIAS...`: reads each host over SSH with the deploy's connection
// (the same host-key rules: known_hosts, --accept-new; ~/.ssh/config and ProxyJump through
// deploy/ssh-resolve.ts) and read-only commands (server/import/live-read.ts). A Host alias of
// ~/.ssh/config stands for the IPv4 address its HostName gives (the .lvs names hosts by address).
// Real servers the directors' IPVS table or keepalived.conf name, and that were not given, are
// read too, as the first --ssh host's user.
import { resolve } from 'node:path';
import { Session } from '../deploy/session';
import { preflight } from '../deploy/preflight';
import { verbatim, wordsOf } from '../deploy/errors';
import { isIpv4 } from '../deploy/guard';
import { failureText } from '../deploy/remote';
import { AS_GIVEN, ResolvedSsh, resolveSsh } from '../deploy/ssh-resolve';
import { pathFromCommandLine } from '../deploy/ssh-paths';
import type { ClusterTarget, DeployUi, HostTarget } from '../deploy/types';
import { importLive, LiveHost, liveReadScript, parseLiveRead } from '../import';
import { printable } from '../protocol/printable';
import { listMsgs, Msg, t } from '../shared/l10n/message';
import { MessageError } from '../shared/l10n/message-error';
import { inReaderLanguage } from './reader-language';

const READ_TIMEOUT_MS = 30_000;

export interface LiveImportOptions {
  /** `USER@ADDR` or `USER@ALIAS` (or without `USER@`: the ssh config's User, else root), each once. */
  hosts: string[];
  identity?: string;
  knownHosts?: string;
  acceptNew: boolean;
  cluster: string;
  /** Asks about an unknown host key instead of refusing it (VS Code, on the event channel). */
  confirmHostKey?: DeployUi['confirmHostKey'];
}

/** What --ssh names: a user (or none) and an IPv4 address or a Host alias of ~/.ssh/config. */
export interface HostSpec { user?: string; host: string }

/** A host to read: where it is on the cluster network and how it is reached. */
interface HostToRead { user?: string; host: string; address: string; reach: ResolvedSsh }

/**
 * `[USER@]ADDR` or `[USER@]ALIAS`; undefined when it is neither (a user name of letters, digits,
 * _ and -; an IPv4 address, or a name of letters, digits, _, . and - that is not a broken address).
 */
export function parseHostSpec(s: string): HostSpec | undefined {
  const m = /^(?:([a-z_][a-z0-9_-]{0,31})@)?([A-Za-z0-9_][A-Za-z0-9_.-]{0,252})$/.exec(s);
  if (!m || (/^[\d.]+$/.test(m[2]) && !isIpv4(m[2]))) return undefined;
  return { user: m[1], host: m[2] };
}

/** How `spec` is reached and its IPv4 address (an alias: its HostName); a message when it has none. */
function hostToRead(spec: HostSpec, o: LiveImportOptions): HostToRead | Msg {
  let reach: ResolvedSsh;
  try {
    reach = resolveSsh(spec.host, spec.host, {
      user: spec.user ? { value: spec.user, from: verbatim('--ssh') } : undefined,
      keyFile: o.identity ? { value: pathFromCommandLine(o.identity), from: verbatim('--key') } : undefined,
      knownHosts: o.knownHosts ? { value: pathFromCommandLine(o.knownHosts), from: verbatim('--known-hosts') } : undefined,
    });
  } catch (e) {
    return t`${spec.host}: ${wordsOf(e)}`;
  }
  const address = isIpv4(spec.host) ? spec.host : reach.connectAddress.value;
  if (!isIpv4(address)) {
    return reach.connectAddress.from === AS_GIVEN
      ? t`${spec.host}: not an IPv4 address, and no HostName for it in ~/.ssh/config (${reach.configFiles.length ? listMsgs(reach.configFiles) : t`none read`})`
      : t`${spec.host}: its HostName ${address} (${reach.connectAddress.from}) is not an IPv4 address; the .lvs names hosts by address`;
  }
  return { user: spec.user, host: spec.host, address, reach };
}

function ui(acceptNew: boolean): DeployUi {
  return {
    confirmHostKey: async (q) => {
      const key = `${q.address}: ${q.keyType} ${q.fingerprint}`;
      process.stderr.write(`lvsdr import: ${inReaderLanguage(acceptNew
        ? t`accepting the new host key of ${key}, recorded in ${q.knownHosts}`
        : t`unknown host key of ${key}; refused (check it, then run again with --accept-new)`)}\n`);
      return acceptNew;
    },
  };
}

function target({ host, address, reach }: HostToRead): HostTarget {
  return {
    name: host, role: 'server', address,
    connectAddress: reach.connectAddress.value !== address ? reach.connectAddress.value : undefined,
    port: reach.port.value, user: reach.user.value, keyFile: reach.keyFile?.value,
    extraKeyFiles: reach.extraKeyFiles.map((k) => k.value), jumps: reach.jumps.length ? reach.jumps : undefined,
    knownHosts: reach.knownHosts.value, useAgent: true, os: 'rhel7', skipOsCheck: true,
  };
}

/** Reads every host; the ones that fail are reported on stderr and left out. */
async function readHosts(session: Session, specs: HostToRead[]): Promise<LiveHost[]> {
  const out: LiveHost[] = [];
  await Promise.all(specs.map(async (spec) => {
    try {
      const r = await session.connectOne(target(spec));
      try {
        await preflight(r, [], READ_TIMEOUT_MS);
        const res = await r.run(liveReadScript(), READ_TIMEOUT_MS);
        if (res.code !== 0) throw new MessageError(t`the read failed: ${failureText(res)}`);
        out.push({ address: spec.address, read: parseLiveRead(res.stdout) });
      } finally {
        r.conn.close();
      }
    } catch (e) {
      process.stderr.write(`lvsdr import: ${spec.host}: ${printable(inReaderLanguage(wordsOf(e)))}\n`);
    }
  }));
  return specs.flatMap((s) => out.filter((h) => h.address === s.address));
}

/** The hosts read: the ones given, then the real servers the directors name that were not given. */
export async function readLiveCluster(o: LiveImportOptions): Promise<LiveHost[]> {
  const toRead = (spec: HostSpec): HostToRead[] => {
    const h = hostToRead(spec, o);
    if ('reach' in h) return [h];
    process.stderr.write(`lvsdr import: ${printable(inReaderLanguage(h))}\n`);
    return [];
  };
  const specs: HostToRead[] = [];
  for (const h of o.hosts.flatMap((x) => toRead(parseHostSpec(x)!))) {
    if (!specs.some((x) => x.address === h.address)) specs.push(h);
  }
  const empty: ClusterTarget = { kind: 'hosts', file: resolve('.'), cluster: o.cluster, hosts: [], files: [], secretValues: [], services: [], vips: [], ha: false, probes: [] };
  const session = new Session(empty, { ui: o.confirmHostKey && !o.acceptNew ? { confirmHostKey: o.confirmHostKey } : ui(o.acceptNew), connectTimeoutMs: READ_TIMEOUT_MS }, 'import');
  const hosts = await readHosts(session, specs);
  const { cluster } = importLive(hosts, o.cluster);
  const named = [...new Set(cluster.services.flatMap((s) => s.reals.map((r) => r.address)))];
  const more = named.filter((a) => !specs.some((s) => s.address === a)).flatMap((address) => toRead({ user: specs[0]?.user, host: address }));
  if (more.length > 0) {
    process.stderr.write(`lvsdr import: ${inReaderLanguage(t`reading the real servers the directors name: ${listMsgs(more.map((m) => m.address))}`)}\n`);
    hosts.push(...(await readHosts(session, more)).map((h) => ({ ...h, discovered: true })));
  }
  return hosts;
}
