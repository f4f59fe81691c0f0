// One SSH connection per host (ssh2): host key checked against known_hosts before any
// authentication, key file (passphrase asked through the UI at run time, kept in memory for
// this run only), the agent at SSH_AUTH_SOCK, or a password resolved from a secret reference.
// Commands run as `exec` channels; their stdin carries scripts and file contents (never the
// command line, which other users of the host can read in /proc).
import { readFileSync } from 'node:fs';
import { Client, ClientChannel, ConnectConfig, utils as sshUtils } from 'ssh2';
import type { AuthMethod, ParsedKey } from 'ssh2';
import { appendKnownHost, checkHostKey, fingerprint, keyTypeOf, knownKeyTypes, readKnownHosts } from './known-hosts';
import { DeployUi, HostTarget } from './types';

export interface ExecResult {
  code: number;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** Why a connection could not be made; `kind` lets callers and tests tell the cases apart. */
export class ConnectError extends Error {
  constructor(readonly kind: 'host-key-changed' | 'host-key-unknown' | 'host-key-other-type' | 'host-key-revoked' | 'auth' | 'network' | 'timeout' | 'key', message: string) {
    super(message);
    this.name = 'ConnectError';
  }
}

/** The connection dropped (or a command timed out) while a command was running. */
export class ConnectionLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionLostError';
  }
}

const HOST_KEY_ALGOS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};
const DEFAULT_HOST_KEY_ALGOS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** Host key algorithms with the types known_hosts holds for the host first (as OpenSSH does). */
export function hostKeyAlgorithms(knownTypes: string[]): string[] {
  const first = knownTypes.flatMap((t) => HOST_KEY_ALGOS[t] ?? []);
  return [...first, ...DEFAULT_HOST_KEY_ALGOS.filter((a) => !first.includes(a))];
}

/**
 * Key material and answers shared by the connections of one run: a key file is read and its
 * passphrase asked once per run; nothing outlives the run.
 */
export class CredentialCache {
  private readonly keys = new Map<string, Promise<ParsedKey>>();
  private readonly secrets = new Map<string, Promise<string | undefined>>();
  private readonly hostKeyAnswers = new Map<string, Promise<boolean>>();

  constructor(private readonly ui: DeployUi = {}) {}

  key(file: string, host: string): Promise<ParsedKey> {
    let p = this.keys.get(file);
    if (!p) {
      p = this.loadKey(file, host);
      this.keys.set(file, p);
      p.catch(() => this.keys.delete(file));
    }
    return p;
  }

  private async loadKey(file: string, host: string): Promise<ParsedKey> {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (e) {
      throw new ConnectError('key', `cannot read the key file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    let parsed = sshUtils.parseKey(data);
    if (parsed instanceof Error && /encrypted|passphrase/i.test(parsed.message)) {
      const pass = this.ui.askPassphrase ? await this.ui.askPassphrase(file, host) : undefined;
      if (!pass) throw new ConnectError('key', `the key file ${file} is encrypted and no passphrase was given`);
      parsed = sshUtils.parseKey(data, pass);
      if (parsed instanceof Error) throw new ConnectError('key', `the key file ${file}: wrong passphrase (${parsed.message})`);
    }
    if (parsed instanceof Error) throw new ConnectError('key', `the key file ${file} cannot be used: ${parsed.message}`);
    return Array.isArray(parsed) ? parsed[0] : parsed;
  }

  secret(ref: { source: 'secret' | 'env' | 'file'; name: string }): Promise<string | undefined> {
    const k = `${ref.source}:${ref.name}`;
    let p = this.secrets.get(k);
    if (!p) {
      p = this.ui.resolveSecret ? this.ui.resolveSecret(ref) : Promise.resolve(undefined);
      this.secrets.set(k, p);
    }
    return p;
  }

  /** One question per host key per run, even when several connections see it. */
  confirmHostKey(t: HostTarget, key: Buffer, otherKnownTypes: string[]): Promise<boolean> {
    const k = `${t.address}:${t.port}:${key.toString('base64')}`;
    let p = this.hostKeyAnswers.get(k);
    if (!p) {
      p = this.ui.confirmHostKey
        ? this.ui.confirmHostKey({ host: t.name, address: t.address, port: t.port, keyType: keyTypeOf(key), fingerprint: fingerprint(key), knownHosts: t.knownHosts, otherKnownTypes })
        : Promise.resolve(false);
      this.hostKeyAnswers.set(k, p);
    }
    return p;
  }
}

/** True when the key file parses only with a passphrase (unreadable files count as not encrypted: loading reports them). */
export function keyFileEncrypted(file: string): boolean {
  try {
    const parsed = sshUtils.parseKey(readFileSync(file));
    return parsed instanceof Error && /encrypted|passphrase/i.test(parsed.message);
  } catch {
    return false;
  }
}

/** `known_hosts has an ssh-ed25519 key for H, the host offered ssh-rsa`, with where and what to do. */
export function otherTypeMessage(t: HostTarget, known: string[], lines: number[], offered: string, fp: string): string {
  const types = known.length === 1 ? `an ${known[0]} key` : `${known.join(' and ')} keys`;
  return `${t.knownHosts} has ${types} for ${t.name} (${t.address}:${t.port}) (line ${lines.join(', ')}), the host offered ${offered} ${fp} and none of the known type; ` +
    'refused: the host was reinstalled or re-keyed, or someone may be intercepting the connection. If the change is expected, remove the old line from known_hosts.';
}

export interface OpenOptions {
  creds: CredentialCache;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class SshConnection {
  private closed = false;
  private closeReason = '';

  private constructor(readonly target: HostTarget, private readonly client: Client) {
    client.on('close', () => {
      this.closed = true;
      this.closeReason ||= 'the connection was closed';
    });
    client.on('error', (e) => {
      this.closeReason = e.message;
    });
  }

  get alive(): boolean {
    return !this.closed;
  }

  /**
   * The agent is tried first: with an encrypted key file and an agent, a connection with the
   * agent alone comes first, and the passphrase is asked only when the agent is refused.
   */
  static async open(t: HostTarget, opts: OpenOptions, agentOnly = false): Promise<SshConnection> {
    const agent = t.useAgent ? process.env.SSH_AUTH_SOCK : undefined;
    if (!agentOnly && agent && t.keyFile && keyFileEncrypted(t.keyFile)) {
      try {
        return await SshConnection.open(t, opts, true);
      } catch (e) {
        if (!(e instanceof ConnectError) || e.kind !== 'auth') throw e;
      }
    }
    const knownText = readKnownHosts(t.knownHosts);
    const auth: AuthMethod[] = [];
    if (agent) auth.push({ type: 'agent', username: t.user, agent } as AuthMethod);
    // The key file and the password only when the agent alone is not what is tried.
    if (!agentOnly && t.keyFile) auth.push({ type: 'publickey', username: t.user, key: await opts.creds.key(t.keyFile, t.name) } as AuthMethod);
    if (t.passwordRef && !agentOnly) {
      // Never a file: or env: reference: the file would name what is sent (a private key, say).
      if (t.passwordRef.source !== 'secret') throw new ConnectError('auth', `the SSH password of ${t.name} must be a secret: reference, not ${t.passwordRef.source}:`);
      const pw = await opts.creds.secret(t.passwordRef);
      if (pw) auth.push({ type: 'password', username: t.user, password: pw } as AuthMethod);
    }
    if (auth.length === 0) {
      throw new ConnectError('auth', `no way to authenticate as ${t.user}: no key file, no agent (SSH_AUTH_SOCK) and no password reference`);
    }
    const tried = auth.map((a) => (a.type === 'publickey' ? `key ${t.keyFile}` : a.type)).join(', ');

    return new Promise<SshConnection>((resolve, reject) => {
      const client = new Client();
      let hostKeyProblem: ConnectError | undefined;
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        opts.signal?.removeEventListener('abort', onAbort);
        if (err) {
          client.end();
          reject(err);
        } else {
          resolve(new SshConnection(t, client));
        }
      };
      const onAbort = () => finish(new ConnectError('network', 'cancelled while connecting'));
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });

      const cfg: ConnectConfig = {
        host: t.address,
        port: t.port,
        username: t.user,
        readyTimeout: opts.timeoutMs ?? 60_000,
        keepaliveInterval: 10_000,
        keepaliveCountMax: 6,
        authHandler: auth,
        algorithms: { serverHostKey: hostKeyAlgorithms(knownKeyTypes(knownText, [t.name, t.address], t.port)) as never },
        hostVerifier: ((key: Buffer, verify: (ok: boolean) => void) => {
          const v = checkHostKey(knownText, [t.name, t.address], t.port, key);
          const fp = fingerprint(key);
          if (v.status === 'known') return verify(true);
          if (v.status === 'revoked') {
            hostKeyProblem = new ConnectError('host-key-revoked', `the host key of ${t.name} (${t.address}) ${fp} is marked @revoked in ${t.knownHosts}:${v.line}`);
            return verify(false);
          }
          if (v.status === 'changed') {
            hostKeyProblem = new ConnectError('host-key-changed',
              `HOST KEY CHANGED for ${t.name} (${t.address}:${t.port}): it offered ${keyTypeOf(key)} ${fp}, but ${t.knownHosts} ` +
              `says ${v.expected.map((e) => `${e.fingerprint} (line ${e.line})`).join(', ')}. Someone may be intercepting the connection, ` +
              'or the host was reinstalled; refusing. If the change is expected, remove the old line from known_hosts.');
            return verify(false);
          }
          if (v.status === 'other-type') {
            // The known types were offered first (hostKeyAlgorithms): the host no longer has them.
            hostKeyProblem = new ConnectError('host-key-other-type', otherTypeMessage(t, v.otherKnownTypes, v.lines, keyTypeOf(key), fp));
            return verify(false);
          }
          opts.creds.confirmHostKey(t, key, []).then((ok) => {
            if (!ok) {
              hostKeyProblem = new ConnectError('host-key-unknown',
                `the host key of ${t.name} (${t.address}:${t.port}) is not in ${t.knownHosts}: ${keyTypeOf(key)} ${fp}; refused (accept it with --accept-new after checking the fingerprint)`);
              return verify(false);
            }
            try {
              appendKnownHost(t.knownHosts, t.address, t.port, key);
            } catch (e) {
              hostKeyProblem = new ConnectError('host-key-unknown', `cannot record the accepted host key in ${t.knownHosts}: ${(e as Error).message}`);
              return verify(false);
            }
            verify(true);
          }, (e: unknown) => {
            hostKeyProblem = new ConnectError('host-key-unknown', `host key question failed: ${String(e)}`);
            verify(false);
          });
        }) as never,
      };
      client.on('ready', () => finish());
      client.on('error', (e: Error & { level?: string; code?: string }) => {
        if (hostKeyProblem) return finish(hostKeyProblem);
        if (e.level === 'client-authentication') return finish(new ConnectError('auth', `authentication as ${t.user} refused (tried: ${tried})`));
        if (e.level === 'client-timeout' || /Timed out/i.test(e.message)) return finish(new ConnectError('timeout', `no SSH handshake with ${t.address}:${t.port} within ${(cfg.readyTimeout! / 1000).toFixed(0)} s`));
        finish(new ConnectError('network', `cannot connect to ${t.address}:${t.port}: ${e.code ?? ''}${e.code ? ' ' : ''}${e.message}`.replace(/ (\S+) \1/, ' $1')));
      });
      client.on('close', () => finish(hostKeyProblem ?? new ConnectError('network', `connection to ${t.address}:${t.port} closed during the handshake`)));
      try {
        client.connect(cfg);
      } catch (e) {
        finish(new ConnectError('network', (e as Error).message));
      }
    });
  }

  /**
   * Runs `command` (a remote shell command line), writes `stdin` to it, collects the output.
   * Rejects with ConnectionLostError when the connection drops or the timeout passes.
   */
  exec(command: string, opts: { stdin?: string | Buffer; timeoutMs?: number } = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new ConnectionLostError(`connection to ${this.target.address} is gone (${this.closeReason})`));
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        done(new ConnectionLostError(`no answer within ${((opts.timeoutMs ?? 120_000) / 1000).toFixed(0)} s`));
      }, opts.timeoutMs ?? 120_000);
      const onClose = () => done(new ConnectionLostError(`the connection to ${this.target.address} dropped (${this.closeReason || 'closed'})`));
      this.client.once('close', onClose);
      const done = (err: Error | undefined, r?: ExecResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.client.removeListener('close', onClose);
        if (err) reject(err);
        else resolve(r!);
      };
      try {
        this.client.exec(command, (err: Error | undefined, ch: ClientChannel) => {
          if (err) return done(new ConnectionLostError(`cannot start a command: ${err.message}`));
          const out: Buffer[] = [];
          const errOut: Buffer[] = [];
          let code: number | undefined;
          let signal: string | undefined;
          ch.on('data', (d: Buffer) => out.push(d));
          ch.stderr.on('data', (d: Buffer) => errOut.push(d));
          ch.on('exit', (c: number | null, s?: string) => {
            if (c !== null && c !== undefined) code = c;
            if (s) signal = s;
          });
          ch.on('close', () => {
            const stdout = Buffer.concat(out).toString('utf8');
            const stderr = Buffer.concat(errOut).toString('utf8');
            if (code === undefined && signal === undefined) {
              return done(new ConnectionLostError(`the command ended without an exit status (connection ${this.closed ? 'dropped' : 'trouble'})${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
            }
            done(undefined, { code: code ?? 128, signal, stdout, stderr });
          });
          ch.on('error', () => { /* reported through close */ });
          if (opts.stdin !== undefined) ch.end(opts.stdin);
          else ch.end();
        });
      } catch (e) {
        done(new ConnectionLostError((e as Error).message));
      }
    });
  }

  close(): void {
    if (!this.closed) this.client.end();
    this.closed = true;
  }
}
