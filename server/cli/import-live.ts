// `lvsdr import --ssh USER@ADDR...`: reads each host over SSH with the deploy's connection (the
// same host-key rules: known_hosts, --accept-new; ~/.ssh/config and ProxyJump through
// deploy/ssh-resolve.ts) and read-only commands (server/import/live-read.ts). Real servers the
// directors' IPVS table or keepalived.conf name, and that were not given, are read too, as the
// first --ssh host's user.
import { resolve } from 'node:path';
import { Session } from '../deploy/session';
import { preflight } from '../deploy/preflight';
import { errorText } from '../deploy/errors';
import { failureText } from '../deploy/remote';
import { resolveSsh } from '../deploy/ssh-resolve';
import { pathFromCommandLine } from '../deploy/ssh-paths';
import type { ClusterTarget, DeployUi, HostTarget } from '../deploy/types';
import { importLive, LiveHost, liveReadScript, parseLiveRead } from '../import';
import { printable } from '../protocol/printable';

const READ_TIMEOUT_MS = 30_000;

export interface LiveImportOptions {
  /** `USER@ADDR` (or `ADDR`, as root), each once. */
  hosts: string[];
  identity?: string;
  knownHosts?: string;
  acceptNew: boolean;
  cluster: string;
  /** Asks about an unknown host key instead of refusing it (VS Code, on the event channel). */
  confirmHostKey?: DeployUi['confirmHostKey'];
}

export interface HostSpec { user?: string; address: string }

/** `USER@ADDR` or `ADDR`; undefined when it is neither (an IPv4 address, a plain user name). */
export function parseHostSpec(s: string): HostSpec | undefined {
  const m = /^(?:([a-z_][a-z0-9_-]{0,31})@)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (!m || m[2].split('.').some((o) => Number(o) > 255)) return undefined;
  return { user: m[1], address: m[2] };
}

function ui(acceptNew: boolean): DeployUi {
  return {
    confirmHostKey: async (q) => {
      const key = `${q.address}: ${q.keyType} ${q.fingerprint}`;
      process.stderr.write(acceptNew
        ? `lvsdr import: accepting the new host key of ${key}, recorded in ${q.knownHosts}\n`
        : `lvsdr import: unknown host key of ${key}; refused (check it, then run again with --accept-new)\n`);
      return acceptNew;
    },
  };
}

function target(spec: HostSpec, o: LiveImportOptions): HostTarget {
  const reach = resolveSsh(spec.address, spec.address, {
    user: spec.user ? { value: spec.user, from: '--ssh' } : undefined,
    keyFile: o.identity ? { value: pathFromCommandLine(o.identity), from: '--key' } : undefined,
    knownHosts: o.knownHosts ? { value: pathFromCommandLine(o.knownHosts), from: '--known-hosts' } : undefined,
  });
  return {
    name: spec.address, role: 'server', address: spec.address,
    connectAddress: reach.connectAddress.value !== spec.address ? reach.connectAddress.value : undefined,
    port: reach.port.value, user: reach.user.value, keyFile: reach.keyFile?.value,
    extraKeyFiles: reach.extraKeyFiles.map((k) => k.value), jumps: reach.jumps.length ? reach.jumps : undefined,
    knownHosts: reach.knownHosts.value, useAgent: true, os: 'rhel7', skipOsCheck: true,
  };
}

/** Reads every host; the ones that fail are reported on stderr and left out. */
async function readHosts(session: Session, specs: HostSpec[], o: LiveImportOptions): Promise<LiveHost[]> {
  const out: LiveHost[] = [];
  await Promise.all(specs.map(async (spec) => {
    try {
      const r = await session.connectOne(target(spec, o));
      try {
        await preflight(r, [], READ_TIMEOUT_MS);
        const res = await r.run(liveReadScript(), READ_TIMEOUT_MS);
        if (res.code !== 0) throw new Error(`the read failed: ${failureText(res)}`);
        out.push({ address: spec.address, read: parseLiveRead(res.stdout) });
      } finally {
        r.conn.close();
      }
    } catch (e) {
      process.stderr.write(`lvsdr import: ${spec.address}: ${printable(errorText(e))}\n`);
    }
  }));
  return specs.flatMap((s) => out.filter((h) => h.address === s.address));
}

/** The hosts read: the ones given, then the real servers the directors name that were not given. */
export async function readLiveCluster(o: LiveImportOptions): Promise<LiveHost[]> {
  const specs: HostSpec[] = [];
  for (const h of o.hosts) {
    const s = parseHostSpec(h)!;
    if (!specs.some((x) => x.address === s.address)) specs.push(s);
  }
  const empty: ClusterTarget = { kind: 'hosts', file: resolve('.'), cluster: o.cluster, hosts: [], files: [], secretValues: [], services: [], vips: [], ha: false, probes: [] };
  const session = new Session(empty, { ui: o.confirmHostKey && !o.acceptNew ? { confirmHostKey: o.confirmHostKey } : ui(o.acceptNew), connectTimeoutMs: READ_TIMEOUT_MS }, 'import');
  const hosts = await readHosts(session, specs, o);
  const { cluster } = importLive(hosts, o.cluster);
  const named = [...new Set(cluster.services.flatMap((s) => s.reals.map((r) => r.address)))];
  const more = named.filter((a) => !specs.some((s) => s.address === a)).map((address) => ({ user: specs[0]?.user, address }));
  if (more.length > 0) {
    process.stderr.write(`lvsdr import: reading the real servers the directors name: ${more.map((m) => m.address).join(', ')}\n`);
    hosts.push(...(await readHosts(session, more, o)).map((h) => ({ ...h, discovered: true })));
  }
  return hosts;
}
