// The local key of keyed digests. A file holding a resolved secret (keepalived.conf's
// auth_pass) is recorded by HMAC-SHA256 under this key, never by a plain sha256: a plain hash of
// a file whose only unknown is an 8-character password lets the password be guessed offline by
// anyone who has the record (a committed MANIFEST.json, a deploy journal). The key never leaves
// this machine; a record written elsewhere simply does not match here (the file is then kept).
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_STATE_HOME/lvs-dr/digest.key` (default `~/.local/state/lvs-dr/digest.key`). */
export function digestKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'lvs-dr', 'digest.key');
}

function readKey(path: string): Buffer | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!st.isFile()) throw new Error(`${path} is not a regular file (a symlink or other): refusing to use it as the digest key`);
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path} does not hold a digest key (64 hex digits)`);
  return Buffer.from(hex, 'hex');
}

/** This machine's digest key, created (0600, never through a symlink) on first use. */
export function localDigestKey(path = digestKeyPath()): Buffer {
  const existing = readKey(path);
  if (existing) return existing;
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKey(path)!;
    throw err;
  }
  try {
    writeSync(fd, key.toString('hex') + '\n');
  } finally {
    closeSync(fd);
  }
  return key;
}

/** `hmac-sha256:<hex>` of the content under the key. */
export function keyedDigest(key: Buffer, content: string | Buffer): string {
  return `hmac-sha256:${createHmac('sha256', key).update(content).digest('hex')}`;
}

/** A key for sealing (server/shared/sealed.ts) records of this machine, derived from the local key. */
export function localSealKey(purpose: string, key = localDigestKey()): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `lvs-dr ${purpose}`, 32));
}
