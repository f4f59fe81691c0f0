// How a host is reached, decided the way `ssh` decides it, with the source of every value:
// the command line (--identity, --known-hosts) first, then the .lvs file's `ssh` block, then the
// user's ~/.ssh/config (ssh-config.ts), then defaults. ProxyJump hops come from the ssh config
// only; each hop is itself looked up in the config (its HostName, User, Port, IdentityFile,
// UserKnownHostsFile and its own ProxyJump), as OpenSSH does for `-J`.
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { ConfigValue, expandTokens, HostConfig, lookupHost, shownPath } from './ssh-config';
import type { JumpHost } from './types';
import { english, listMsgs, Msg, t } from '../shared/l10n/message';
import { DeployError } from './errors';

/** Where the address came from when the host is named by the address it is reached at. */
export const AS_GIVEN = t`as given`;

/** A value and where it came from, for --explain-ssh (in the reader's language there). */
export interface Sourced<T> {
  value: T;
  from: Msg;
}

/** What the .lvs file (or the command line) says, already resolved to absolute paths. */
export interface SshOverrides {
  user?: Sourced<string>;
  port?: Sourced<number>;
  keyFile?: Sourced<string>;
  knownHosts?: Sourced<string>;
}

export interface ResolvedSsh {
  /** Name and address the host was looked up by. */
  name: string;
  address: string;
  /** Where to connect (HostName from the config, else the address). */
  connectAddress: Sourced<string>;
  user: Sourced<string>;
  port: Sourced<number>;
  /** The key file that must be used (command line or .lvs file); errors if unreadable. */
  keyFile?: Sourced<string>;
  /** Key files tried after it when they exist (the config's IdentityFile, or ssh's defaults). */
  extraKeyFiles: Array<Sourced<string>>;
  knownHosts: Sourced<string>;
  jumps: JumpHost[];
  /** How each hop was decided (same order as jumps). */
  jumpSources: ResolvedSsh[];
  proxyJump?: Sourced<string>;
  configFiles: string[];
  /** What --explain-ssh adds (the config reader's own remarks stay English). */
  notes: Msg[];
}

/** ssh's default identities, in its order; only those that exist are tried. */
const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];
const MAX_HOPS = 8;

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

/** `[user@]host[:port]` (or `ssh://[user@]host[:port]`) of a ProxyJump list. */
export function parseJump(spec: string): { user?: string; host: string; port?: number } {
  const s = spec.replace(/^ssh:\/\//, '');
  const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:\s@]+)(?::(\d{1,5}))?$/.exec(s);
  if (!m) throw new DeployError(undefined, 'resolve', t`ProxyJump entry '${spec}' is not [user@]host[:port]`);
  const port = m[3] ? Number(m[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new DeployError(undefined, 'resolve', t`ProxyJump entry '${spec}': port out of range`);
  return { user: m[1], host: m[2].replace(/^\[|\]$/g, ''), port };
}

function configPort(v: ConfigValue | undefined): Sourced<number> | undefined {
  if (!v) return undefined;
  const n = Number(v.value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new DeployError(undefined, 'resolve', t`Port '${v.value}' at ${v.from} is not a port number`);
  return { value: n, from: v.from };
}

interface Lookup {
  name: string;
  address: string;
  overrides: SshOverrides;
  home: string;
  /** Names already on the path (ProxyJump loops). */
  chain: string[];
  /** The tool's default user when nothing says one (root for cluster hosts, the local user for hops). */
  defaultUser: string;
}

function resolveOne(l: Lookup): ResolvedSsh {
  const cfg: HostConfig = lookupHost([...new Set([l.name, l.address])], l.home);
  const v = (k: string) => cfg.values.get(k);
  const notes: Msg[] = [...cfg.skipped];
  const proxyCommand = v('proxycommand');
  if (proxyCommand && proxyCommand.value.toLowerCase() !== 'none') {
    throw new DeployError(l.name, 'resolve', t`ProxyCommand (${proxyCommand.from}) is not supported; use ProxyJump for ${l.name}`);
  }
  const hostName = v('hostname');
  const connectAddress: Sourced<string> = hostName
    ? { value: hostName.value.replace(/%h/g, l.address).replace(/%%/g, '%'), from: hostName.from }
    : { value: l.address, from: l.address === l.name ? AS_GIVEN : t`the .lvs address` };
  const user: Sourced<string> = l.overrides.user ?? (v('user') ? { value: v('user')!.value, from: v('user')!.from } : { value: l.defaultUser, from: t`default` });
  const port: Sourced<number> = l.overrides.port ?? configPort(v('port')) ?? { value: 22, from: t`default` };
  const tokens = { home: l.home, localUser: localUser(), host: connectAddress.value, original: l.name, user: user.value, port: port.value };
  const extraKeyFiles = l.overrides.keyFile ? [] : cfg.identityFiles.length
    ? cfg.identityFiles.filter((f) => f.value.toLowerCase() !== 'none').map((f) => ({ value: expandTokens(f.value, tokens), from: f.from }))
    : DEFAULT_IDENTITIES.map((n) => `${l.home}/.ssh/${n}`).filter((p) => existsSync(p)).map((p) => ({ value: p, from: t`ssh default` }));
  const ukh = v('userknownhostsfile');
  const knownHosts: Sourced<string> = l.overrides.knownHosts
    ?? (ukh ? { value: expandTokens(ukh.value.split(/\s+/)[0], tokens), from: ukh.from } : { value: `${l.home}/.ssh/known_hosts`, from: t`default` });
  if (ukh && !l.overrides.knownHosts && ukh.value.trim().split(/\s+/).length > 1) notes.push(t`UserKnownHostsFile names several files; only the first is used (${ukh.from})`);
  const strict = v('stricthostkeychecking');
  if (strict && /^(no|off|accept-new)$/i.test(strict.value)) notes.push(t`StrictHostKeyChecking ${strict.value} (${strict.from}) is not followed: host keys are always checked`);

  const pj = v('proxyjump');
  const jumps: JumpHost[] = [];
  const jumpSources: ResolvedSsh[] = [];
  if (pj && pj.value.toLowerCase() !== 'none') {
    const specs = pj.value.split(',').map((s) => s.trim()).filter(Boolean);
    for (const [i, spec] of specs.entries()) {
      const j = parseJump(spec);
      // A `Host *` ProxyJump also matches the jump host itself: a hop that names itself is direct.
      if (l.chain.includes(j.host) || j.host === l.name) {
        if (j.host === l.name && specs.length === 1) { jumps.length = 0; jumpSources.length = 0; break; }
        throw new DeployError(l.name, 'resolve', t`ProxyJump loop: ${[...l.chain, l.name, j.host].join(' -> ')} (${pj.from})`);
      }
      if (l.chain.length + specs.length > MAX_HOPS) throw new DeployError(l.name, 'resolve', t`more than ${MAX_HOPS} ProxyJump hops to reach ${l.name}`);
      const hop = resolveOne({
        name: j.host, address: j.host, home: l.home, chain: [...l.chain, l.name], defaultUser: localUser(),
        overrides: {
          user: j.user ? { value: j.user, from: pj.from } : undefined,
          port: j.port ? { value: j.port, from: pj.from } : undefined,
        },
      });
      // The first hop's own ProxyJump comes before it; a later hop is reached through the entry
      // before it in the list, whatever its own config says (as `ssh -J a,b` does).
      if (i === 0) {
        jumps.push(...hop.jumps);
        jumpSources.push(...hop.jumpSources);
      }
      jumps.push(hopTarget(hop));
      jumpSources.push(hop);
    }
  }
  return {
    name: l.name, address: l.address, connectAddress, user, port, keyFile: l.overrides.keyFile, extraKeyFiles, knownHosts,
    jumps, jumpSources, proxyJump: pj, configFiles: cfg.files, notes,
  };
}

function hopTarget(r: ResolvedSsh): JumpHost {
  return {
    name: r.name, address: r.connectAddress.value, port: r.port.value, user: r.user.value,
    extraKeyFiles: r.extraKeyFiles.map((k) => k.value), knownHosts: r.knownHosts.value, useAgent: true,
  };
}

/**
 * How to reach the host `name` at `address`. `overrides` are what the command line and the .lvs
 * file say (they win); the rest comes from $HOME/.ssh/config (HOME of this process) or defaults.
 */
export function resolveSsh(name: string, address: string, overrides: SshOverrides = {}, home = homedir()): ResolvedSsh {
  return resolveOne({ name, address, overrides, home, chain: [], defaultUser: 'root' });
}

/** The --explain-ssh lines, each value and where it came from; `say` renders the words (English unless the CLI passes the reader's language). */
export function explainSsh(r: ResolvedSsh, home = homedir(), say: (m: Msg) => string = english): string[] {
  const p = (s: string) => shownPath(s, home);
  const from = (f: Msg) => `    ${say(t`from ${f}`)}`;
  const out: string[] = [];
  const block = (x: ResolvedSsh, indent: string) => {
    out.push(`${indent}hostname      ${x.connectAddress.value}${from(x.connectAddress.from)}`);
    out.push(`${indent}user          ${x.user.value}${from(x.user.from)}`);
    out.push(`${indent}port          ${x.port.value}${from(x.port.from)}`);
    if (x.keyFile) out.push(`${indent}identityfile  ${p(x.keyFile.value)}${from(x.keyFile.from)}`);
    for (const k of x.extraKeyFiles) out.push(`${indent}identityfile  ${p(k.value)}${existsSync(k.value) ? '' : ` ${say(t`(missing, skipped)`)}`}${from(k.from)}`);
    if (!x.keyFile && x.extraKeyFiles.length === 0) out.push(`${indent}identityfile  ${say(t`(none)`)}`);
    out.push(`${indent}knownhosts    ${p(x.knownHosts.value)}${from(x.knownHosts.from)}`);
    out.push(`${indent}proxyjump     ${x.jumps.length ? x.jumps.map((j) => j.name).join(',') : say(t`none`)}${x.proxyJump ? from(x.proxyJump.from) : ''}`);
    for (const n of x.notes) out.push(`${indent}${say(t`note: ${n}`)}`);
  };
  out.push(say(t`host ${r.name} (${r.address})`));
  out.push(`  ${say(r.configFiles.length ? t`ssh config: ${listMsgs(r.configFiles.map(p))}` : t`ssh config: none (${p(`${home}/.ssh/config`)} does not exist)`)}`);
  out.push(`  ${say(process.env.SSH_AUTH_SOCK ? t`auth order: ssh-agent (SSH_AUTH_SOCK), then key files` : t`auth order: key files (no SSH_AUTH_SOCK, so no agent)`)}`);
  block(r, '  ');
  r.jumpSources.forEach((j, i) => {
    out.push(`  ${say(t`hop ${i + 1} of ${r.jumpSources.length}: ${j.name}`)}`);
    block(j, '    ');
  });
  if (r.jumps.length) out.push(`  ${say(t`route: this machine -> ${[...r.jumps.map((j) => `${j.user}@${j.address}:${j.port}`), `${r.user.value}@${r.connectAddress.value}:${r.port.value}`].join(' -> ')}`)}`);
  return out;
}
