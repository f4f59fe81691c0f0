// OpenSSH known_hosts: parsing (plain, hashed `|1|salt|hash`, wildcard and negated patterns,
// `[host]:port`, @revoked and @cert-authority markers), SHA256 fingerprints as `ssh-keygen -l`
// prints them, the verdict for an offered host key, and appending an accepted key.
// A host is looked up under every name it goes by (its name in the .lvs file and its address):
// a key recorded under either counts, as OpenSSH checks the host name and its address.
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface KnownHostLine {
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** Plain patterns (comma-separated in the file); empty for a hashed entry. */
  patterns: string[];
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict =
  | { status: 'known'; line: number }
  /** Nothing is recorded for the host under any of its names. */
  | { status: 'unknown'; otherKnownTypes: string[] }
  /** Keys of other types are recorded for the host, none of the type it offered. */
  | { status: 'other-type'; otherKnownTypes: string[]; lines: number[] }
  | { status: 'changed'; expected: Array<{ line: number; fingerprint: string }> }
  | { status: 'revoked'; line: number };

/** `SHA256:<base64 without padding>` of a public key blob (the SSH wire format). */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of a public key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return '';
  const n = key.readUInt32BE(0);
  if (n <= 0 || n > 64 || 4 + n > key.length) return '';
  return key.subarray(4, 4 + n).toString('latin1');
}

/** The name known_hosts uses for a host and port: `host`, or `[host]:port` when not 22. */
export function lookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * Every spelling under which known_hosts may record these hosts on this port: lookupName() of
 * each, and for port 22 also `[host]:22` (which means the same endpoint).
 */
export function lookupNames(hosts: string | string[], port: number): string[] {
  const list = (Array.isArray(hosts) ? hosts : [hosts]).filter(Boolean);
  const out = list.map((h) => lookupName(h, port));
  if (port === 22) out.push(...list.map((h) => `[${h}]:22`));
  return [...new Set(out)];
}

export function parseKnownHosts(text: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/[ \t]+/);
    let marker: KnownHostLine['marker'];
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: OpenSSH ignores the line
    }
    if (fields.length < 3) return;
    const [hosts, keyType, b64] = fields;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return;
    const key = Buffer.from(b64, 'base64');
    if (keyTypeOf(key) !== keyType) return; // damaged line: the blob does not carry its type
    const entry: KnownHostLine = { line: i + 1, marker, patterns: [], keyType, key };
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      if (!salt || !hash) return;
      entry.hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      entry.patterns = hosts.split(',').filter(Boolean);
    }
    out.push(entry);
  });
  return out;
}

function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Does a known_hosts entry name this host (`name` as lookupName() builds it)? */
export function entryMatches(e: KnownHostLine, name: string): boolean {
  if (e.hashed) {
    const h = createHmac('sha1', e.hashed.salt).update(name).digest();
    return h.length === e.hashed.hash.length && timingSafeEqual(h, e.hashed.hash);
  }
  let positive = false;
  for (const p of e.patterns) {
    if (p.startsWith('!')) {
      if (wildcard(p.slice(1)).test(name)) return false;
    } else if (wildcard(p).test(name)) {
      positive = true;
    }
  }
  return positive;
}

function entriesFor(entries: KnownHostLine[], hosts: string | string[], port: number): KnownHostLine[] {
  const names = lookupNames(hosts, port);
  return entries.filter((e) => !e.marker && names.some((n) => entryMatches(e, n)));
}

/** The verdict for `key` offered by host:port (`hosts`: its name and address), given the known_hosts text. */
export function checkHostKey(text: string, hosts: string | string[], port: number, key: Buffer): HostKeyVerdict {
  const entries = parseKnownHosts(text);
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', line: revoked.line };
  const mine = entriesFor(entries, hosts, port);
  const same = mine.find((e) => e.key.equals(key));
  if (same) return { status: 'known', line: same.line };
  const type = keyTypeOf(key);
  const sameType = mine.filter((e) => e.keyType === type);
  if (sameType.length > 0) return { status: 'changed', expected: sameType.map((e) => ({ line: e.line, fingerprint: fingerprint(e.key) })) };
  if (mine.length > 0) return { status: 'other-type', otherKnownTypes: [...new Set(mine.map((e) => e.keyType))], lines: mine.map((e) => e.line) };
  return { status: 'unknown', otherKnownTypes: [] };
}

/** Key types known_hosts holds for host:port (the SSH client offers these first). */
export function knownKeyTypes(text: string, hosts: string | string[], port: number): string[] {
  return [...new Set(entriesFor(parseKnownHosts(text), hosts, port).map((e) => e.keyType))];
}

export function readKnownHosts(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

/** The line appended for an accepted key: `name keytype base64`. */
export function knownHostsLine(host: string, port: number, key: Buffer): string {
  return `${lookupName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}`;
}

/** Appends an accepted key (creating the file, mode 0644, and its directory, 0700). */
export function appendKnownHost(file: string, host: string, port: number, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file) && statSync(file).size > 0) {
    const text = readFileSync(file, 'utf8');
    if (!text.endsWith('\n')) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${knownHostsLine(host, port, key)}\n`, { mode: 0o644 });
}
