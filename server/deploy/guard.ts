// The engine's last line of defence: every path and value it places in a remote command is
// re-checked here, before anything connects. The grammar and LVS090 already refuse hostile
// input in the .lvs file; this guard does not trust them (a front end may build targets by
// hand, a generator may have a bug). Anything outside these small alphabets is refused.
import { GeneratedFile } from '../generate';
import { NAME_RE } from '../language/names';
import { GuardError } from './errors';
import { Msg, t } from '../shared/l10n/message';
import { ClusterTarget, HostTarget } from './types';
import { NAME_RULE_WORDS } from '../model/name-rule';

const PATH_RE = /^\/[A-Za-z0-9._@%+=:,\/-]+$/;
/** Host names end up in remote paths and unit names: the language's names, at most 63 characters. */
const NAME_MAX = 63;
const USER_RE = /^[a-z_][a-z0-9_.-]{0,31}$/;
const ID_RE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,79}$/;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const SERVICE_KEY_RE = /^-[tu] [0-9.]+:\d{1,5}$/;
const PLACEHOLDER_RE = /@@(?:secret|env|file|inline)[^@\n]*@@/;

function show(value: unknown): string {
  return JSON.stringify(String(value));
}

/** Problems of an absolute remote path, or [] when it is safe. */
export function pathProblems(path: string, what: Msg = t`path`): Msg[] {
  const p: Msg[] = [];
  if (typeof path !== 'string' || path.length === 0) return [t`${what} is empty`];
  if (path.length > 1024) p.push(t`${what} ${show(path.slice(0, 40))}… is longer than 1024 characters`);
  if (!PATH_RE.test(path)) p.push(t`${what} ${show(path)} is not an absolute path of letters, digits and . _ @ % + = : , / -`);
  const segs = path.split('/').slice(1);
  if (segs.some((s) => s === '..' || s === '.')) p.push(t`${what} ${show(path)} has a '.' or '..' segment`);
  if (segs.some((s) => s === '')) p.push(t`${what} ${show(path)} has an empty segment`);
  if (segs.some((s) => s.startsWith('-'))) p.push(t`${what} ${show(path)} has a segment starting with '-'`);
  if (segs.some((s) => s.length > 255)) p.push(t`${what} ${show(path)} has a segment longer than 255 characters`);
  return p;
}

export function isIpv4(value: string): boolean {
  return IPV4_RE.test(value);
}

export function nameProblems(value: string, what: Msg): Msg[] {
  if (typeof value !== 'string' || !NAME_RE.test(value)) return [t`${what} ${show(value)} is not a name (${NAME_RULE_WORDS})`];
  return value.length > NAME_MAX ? [t`${what} ${show(value.slice(0, 40))}… is longer than ${NAME_MAX} characters`] : [];
}

export function userProblems(value: string, what: Msg): Msg[] {
  return USER_RE.test(value) ? [] : [t`${what} ${show(value)} is not a valid login name`];
}

export function idProblems(value: string, what: Msg = t`deploy id`): Msg[] {
  return ID_RE.test(value) ? [] : [t`${what} ${show(value)} is not an identifier`];
}

export function addressProblems(value: string, what: Msg): Msg[] {
  return isIpv4(value) ? [] : [t`${what} ${show(value)} is not an IPv4 address`];
}

export function portProblems(value: number, what: Msg): Msg[] {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? [] : [t`${what} ${show(value)} is not a port (1-65535)`];
}

export function modeProblems(value: number, what: Msg): Msg[] {
  return Number.isInteger(value) && value >= 0 && value <= 0o7777 ? [] : [t`${what} ${show(value)} is not a file mode`];
}

/** `-t 192.168.147.100:80`, or `-f 256` (a firewall-mark service). */
export function serviceKeyProblems(key: string): Msg[] {
  const mark = /^-f (\d{1,10})$/.exec(key);
  if (mark) return Number(mark[1]) >= 1 && Number(mark[1]) <= 0xffffffff ? [] : [t`IPVS firewall mark ${show(key)} is not 1-4294967295`];
  if (!SERVICE_KEY_RE.test(key)) return [t`IPVS service ${show(key)} is not '-t|-u ADDRESS:PORT'`];
  const [addr, port] = key.slice(3).split(':');
  return [...addressProblems(addr, t`IPVS service address`), ...portProblems(Number(port), t`IPVS service port`)];
}

/** `192.168.147.4:80` */
export function endpointProblems(value: string, what: Msg): Msg[] {
  const m = /^([0-9.]+):(\d{1,5})$/.exec(value);
  if (!m) return [t`${what} ${show(value)} is not ADDRESS:PORT`];
  return [...addressProblems(m[1], what), ...portProblems(Number(m[2]), what)];
}

/** Throws GuardError when any problem was found. */
export function assertNoProblems(problems: Msg[]): void {
  if (problems.length > 0) throw new GuardError(problems);
}

export function hostProblems(h: HostTarget): Msg[] {
  const host = show(h.name);
  const p = [
    ...nameProblems(h.name, t`host name`),
    ...addressProblems(h.address, t`host ${host}: address`),
    ...portProblems(h.port, t`host ${host}: ssh port`),
    ...userProblems(h.user, t`host ${host}: ssh user`),
  ];
  for (const [what, v] of [[t`key file`, h.keyFile], [t`known-hosts file`, h.knownHosts]] as const) {
    if (v !== undefined && /[\x00-\x1f\x7f]/.test(v)) p.push(t`host ${host}: ${what} ${show(v)} contains a control character`);
  }
  if (!['master', 'backup', 'server'].includes(h.role)) p.push(t`host ${host}: unknown role ${show(h.role)}`);
  // A file: or env: reference would send a local file (a private key) or variable as a password.
  if (h.passwordRef && h.passwordRef.source !== 'secret') {
    p.push(t`host ${host}: the SSH password comes from ${show(`${h.passwordRef.source}:${h.passwordRef.name}`)}; an SSH password is taken only from a secret: reference`);
  }
  return p;
}

export function fileProblems(f: GeneratedFile): Msg[] {
  const p = [...nameProblems(f.host, t`file host`), ...pathProblems(f.path, t`file of ${f.host}`), ...modeProblems(f.mode, t`mode of ${f.path}`)];
  if (typeof f.content !== 'string') p.push(t`content of ${f.path} is not text`);
  else if (PLACEHOLDER_RE.test(f.content)) {
    p.push(t`${`${f.host}:${f.path}`} still holds a secret placeholder (${PLACEHOLDER_RE.exec(f.content)![0]}): resolve the secret before deploying`);
  } else if (f.content.includes('\0')) p.push(t`${`${f.host}:${f.path}`} contains a NUL byte`);
  return p;
}

/**
 * Re-checks a whole deploy before any connection: host names, addresses, ports, users, every
 * file path, mode and content, the IPVS services and destinations the drain step would touch.
 */
export function guardTarget(tg: ClusterTarget, opts: { files?: boolean } = {}): void {
  const checkFiles = opts.files ?? true;
  const p: Msg[] = [];
  const names = new Set<string>();
  const addrs = new Set<string>();
  for (const h of tg.hosts) {
    p.push(...hostProblems(h));
    if (names.has(h.name)) p.push(t`two hosts are named ${show(h.name)}`);
    if (addrs.has(`${h.address}:${h.port}`)) p.push(t`two hosts share ${`${h.address}:${h.port}`}`);
    names.add(h.name);
    addrs.add(`${h.address}:${h.port}`);
  }
  const paths = new Set<string>();
  for (const f of checkFiles ? tg.files : []) {
    p.push(...fileProblems(f));
    if (!names.has(f.host)) p.push(t`file ${show(f.path)} belongs to unknown host ${show(f.host)}`);
    const key = `${f.host}\0${f.path}`;
    if (paths.has(key)) p.push(t`${f.host}: ${show(f.path)} is generated twice`);
    paths.add(key);
  }
  for (const v of tg.vips) p.push(...addressProblems(v, t`VIP`));
  for (const s of tg.services) {
    p.push(...serviceKeyProblems(s.key));
    // A fwmark service's real servers have port 0 (the mark chose the ports).
    for (const r of s.reals) p.push(...endpointProblems(s.key.startsWith('-f ') ? r.replace(/:0$/, ':1') : r, t`real server of ${s.key}`));
  }
  assertNoProblems(p);
}
