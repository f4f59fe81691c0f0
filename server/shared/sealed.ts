// Values sealed with AES-256-GCM under a key only the two ends hold. Used where a secret must
// cross a channel that is logged: the language client's trace (`lvs.trace.server`: verbose)
// prints every request's parameters, so VS Code sends secret values to the language server
// sealed under a key it gave the server process through its environment (never traced).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Environment variable through which the client hands the seal key to the server it starts. */
export const LSP_SEAL_KEY_ENV = 'LVS_LSP_SEAL_KEY';
const PREFIX = 'sealed:v1:';

export function newSealKey(): Buffer {
  return randomBytes(32);
}

/** `sealed:v1:<iv>:<ciphertext+tag>` (base64), a fresh IV each time. */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
  return `${PREFIX}${iv.toString('base64')}:${body.toString('base64')}`;
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** The plaintext, or undefined when the value was not sealed under this key (or was altered). */
export function unseal(key: Buffer, sealed: string): string | undefined {
  if (!isSealed(sealed)) return undefined;
  const [ivText, bodyText] = sealed.slice(PREFIX.length).split(':');
  if (!ivText || !bodyText) return undefined;
  try {
    const iv = Buffer.from(ivText, 'base64');
    const body = Buffer.from(bodyText, 'base64');
    if (iv.length !== 12 || body.length < 16) return undefined;
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
