// Prerequisites of the lab: root on Linux, the Debian packages it drives, UML's IPVS modules.
// Never installs anything: a missing package yields the exact `apt-get install -y ...` line.
import { existsSync, readdirSync } from 'node:fs';
import { joinMsgs, Msg, MsgArg, t } from '../shared/l10n/message';
import { findBinary } from './run';

/** Binary → the Debian package that ships it. */
export const REQUIRED_BINARIES: ReadonlyArray<{ binary: string; pkg: string; why: Msg }> = [
  { binary: 'linux.uml', pkg: 'user-mode-linux', why: t`directors run as user-mode-Linux kernels with IPVS` },
  { binary: 'cc', pkg: 'gcc', why: t`builds the FPU-state shim linux.uml needs on CPUs with a large XSAVE area (AMX)` },
  { binary: 'ipvsadm', pkg: 'ipvsadm', why: t`IPVS tables on the directors` },
  { binary: 'keepalived', pkg: 'keepalived', why: t`VRRP failover of the directors (started by apply.sh)` },
  { binary: 'sshd', pkg: 'openssh-server', why: t`sshd in every lab host` },
  { binary: 'ssh', pkg: 'openssh-client', why: t`reaching lab hosts` },
  { binary: 'ssh-keygen', pkg: 'openssh-client', why: t`per-lab host keys and the lab key pair` },
  { binary: 'ip', pkg: 'iproute2', why: t`namespaces, veth pairs, the bridge` },
  { binary: 'ethtool', pkg: 'ethtool', why: t`checksum and segmentation offload off on the directors' links` },
  { binary: 'curl', pkg: 'curl', why: t`HTTP checks from the client namespace` },
  { binary: 'modprobe', pkg: 'kmod', why: t`loading ip_vs and overlay inside the directors` },
  { binary: 'sysctl', pkg: 'procps', why: t`ARP and forwarding settings` },
  { binary: 'nsenter', pkg: 'util-linux', why: t`entering real-server namespaces` },
  { binary: 'unshare', pkg: 'util-linux', why: t`private mount/PID/UTS namespaces of real servers` },
  { binary: '/usr/bin/python3', pkg: 'python3', why: t`the hosts' HTTP/UDP responders and the directors' control channel` },
];

export const UML_MODULES_ROOT = '/usr/lib/uml/modules';

export interface PrereqReport {
  ok: boolean;
  problems: Msg[];
  missingPackages: string[];
  /** `apt-get install -y ...` when packages are missing. */
  installHint?: string;
  umlModules?: string;
}

/** The kernel version directory of UML's modules (e.g. /usr/lib/uml/modules/6.1.176). */
export function umlModulesDir(): string | undefined {
  if (!existsSync(UML_MODULES_ROOT)) return undefined;
  const versions = readdirSync(UML_MODULES_ROOT).filter((v) => existsSync(`${UML_MODULES_ROOT}/${v}/modules.dep`)).sort();
  return versions.length ? `${UML_MODULES_ROOT}/${versions[versions.length - 1]}` : undefined;
}

export function checkPrerequisites(): PrereqReport {
  const problems: Msg[] = [];
  const missing = new Set<string>();
  if (process.platform !== 'linux') problems.push(t`the lab needs Linux (this is ${process.platform})`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) problems.push(t`the lab needs root (namespaces, bridges, mounts)`);
  for (const r of REQUIRED_BINARIES) {
    if (!findBinary(r.binary)) {
      missing.add(r.pkg);
      problems.push(t`missing ${r.binary} (package ${r.pkg}): ${r.why}`);
    }
  }
  const mods = umlModulesDir();
  if (!missing.has('user-mode-linux')) {
    if (!mods) {
      missing.add('user-mode-linux');
      problems.push(t`no UML modules under ${UML_MODULES_ROOT} (package user-mode-linux)`);
    } else {
      for (const m of ['kernel/net/netfilter/ipvs/ip_vs.ko', 'kernel/fs/overlayfs/overlay.ko']) {
        if (!existsSync(`${mods}/${m}`)) problems.push(t`UML module ${mods}/${m} is missing (needs IPVS and overlayfs as modules)`);
      }
    }
  }
  const missingPackages = [...missing];
  return {
    ok: problems.length === 0,
    problems,
    missingPackages,
    installHint: missingPackages.length ? `apt-get install -y ${missingPackages.join(' ')}` : undefined,
    umlModules: mods,
  };
}

/** Report of a failed check for a person (one line per problem, then the install line, then a line end). */
export function formatPrereqReport(r: PrereqReport): Msg {
  const lines: MsgArg[] = r.problems.map((p) => joinMsgs(['  - ', p], ''));
  if (r.installHint) lines.push('', t`install them with:`, `  ${r.installHint}`);
  return joinMsgs([...lines, ''], '\n');
}
