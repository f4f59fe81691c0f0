// One SSH connection per host (ssh2): host key checked against known_hosts before any
// authentication, key file (passphrase asked through the UI at run time, kept in memory for
// this run only), the agent at SSH_AUTH_SOCK, or a password resolved from a secret reference.
// Commands run as `exec` channels; their stdin carries scripts and file contents (never the
// command line, which other users of the host can read in /proc).
import { existsSync, readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { Client, ClientChannel, ConnectConfig, utils as sshUtils } from 'ssh2';
import type { AuthMethod, ParsedKey } from 'ssh2';
import { appendKnownHost, checkHostKey, fingerprint, keyTypeOf, knownKeyTypes, readKnownHosts } from './known-hosts';
import { DeployUi, HostTarget } from './types';
import { asMsg, Words } from './errors';
import { english, listMsgs, Msg, t } from '../shared/l10n/message';

export interface ExecResult {
  code: number;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** Why a connection could not be made; `kind` lets callers and tests tell the cases apart. */
export class ConnectError extends Error {
  /** The message for a person's language (`message` is its English). */
  readonly words: Msg;

  constructor(readonly kind: 'host-key-changed' | 'host-key-unknown' | 'host-key-other-type' | 'host-key-revoked' | 'auth' | 'network' | 'timeout' | 'key', message: Words) {
    const words = asMsg(message);
    super(english(words));
    this.name = 'ConnectError';
    this.words = words;
  }
}

/** The connection dropped (or a command timed out) while a command was running. */
export class ConnectionLostError extends Error {
  readonly words: Msg;

  constructor(message: Words) {
    const words = asMsg(message);
    super(english(words));
    this.name = 'ConnectionLostError';
    this.words = words;
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
      throw new ConnectError('key', t`cannot read the key file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    let parsed = sshUtils.parseKey(data);
    if (parsed instanceof Error && /encrypted|passphrase/i.test(parsed.message)) {
      const pass = this.ui.askPassphrase ? await this.ui.askPassphrase(file, host) : undefined;
      // Said with the way out: a run that has no one to ask (lvsdr status, VS Code's live status)
      // can only use the agent, which connectEndpoint tries first.
      if (!pass) throw new ConnectError('key', t('the key file {0} is encrypted and no passphrase was given (a run that cannot ask for it, such as lvsdr status or the live status in VS Code, needs the key in the SSH agent: ssh-add {0})', file));
      parsed = sshUtils.parseKey(data, pass);
      if (parsed instanceof Error) throw new ConnectError('key', t`the key file ${file}: wrong passphrase (${parsed.message})`);
    }
    if (parsed instanceof Error) throw new ConnectError('key', t`the key file ${file} cannot be used: ${parsed.message}`);
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
  confirmHostKey(t: Endpoint, key: Buffer, otherKnownTypes: string[]): Promise<boolean> {
    const k = `${dialAddress(t)}:${t.port}:${key.toString('base64')}`;
    let p = this.hostKeyAnswers.get(k);
    if (!p) {
      p = this.ui.confirmHostKey
        ? this.ui.confirmHostKey({ host: t.name, address: dialAddress(t), port: t.port, keyType: keyTypeOf(key), fingerprint: fingerprint(key), knownHosts: t.knownHosts, otherKnownTypes })
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
export function otherTypeMessage(ep: Endpoint, known: string[], lines: number[], offered: string, fp: string): Msg {
  const types = known.length === 1 ? t`an ${known[0]} key` : t`${known.join(' and ')} keys`;
  return t`${ep.knownHosts} has ${types} for ${ep.name} (${ep.address}:${ep.port}) (line ${listMsgs(lines)}), the host offered ${offered} ${fp} and none of the known type; refused: the host was reinstalled or re-keyed, or someone may be intercepting the connection. If the change is expected, remove the old line from known_hosts.`;
}

export interface OpenOptions {
  creds: CredentialCache;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What one SSH hop needs: the host itself or a ProxyJump hop on the way to it. */
export type Endpoint = Pick<HostTarget, 'name' | 'address' | 'port' | 'user' | 'keyFile' | 'extraKeyFiles' | 'knownHosts' | 'useAgent' | 'passwordRef' | 'connectAddress'>;

/** Where an endpoint is reached: its HostName from the ssh config, else its address. */
function dialAddress(e: Endpoint): string {
  return e.connectAddress ?? e.address;
}

/** A ConnectError from a hop names the hop; the kind stays, so callers still tell cases apart. */
function onHop(label: string | undefined, e: unknown): unknown {
  return label && e instanceof ConnectError ? new ConnectError(e.kind, t`${label}: ${e.words}`) : e;
}

/** A TCP stream to host:port opened by `via` (the hop's sshd connects; ssh's `-J`). */
function forward(via: Client, hop: string, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
      if (err) reject(new ConnectError('network', t`jump host ${hop} cannot open a connection to ${host}:${port}: ${err.message}`));
      else resolve(stream);
    });
  });
}

export class SshConnection {
  private closed = false;
  private closeReason = '';

  private constructor(readonly target: HostTarget, private readonly client: Client, private readonly hops: Array<{ name: string; client: Client }> = []) {
    client.on('close', () => {
      this.closed = true;
      this.closeReason ||= 'the connection was closed';
      for (const h of this.hops) h.client.end();
    });
    client.on('error', (e) => {
      this.closeReason = e.message;
    });
  }

  get alive(): boolean {
    return !this.closed;
  }

  /**
   * The one way to open a connection to a host: through its ProxyJump hops when it has any
   * (each hop's host key checked against its own known_hosts, as ssh does), then the host.
   */
  static async open(t: HostTarget, opts: OpenOptions): Promise<SshConnection> {
    const hops: Array<{ name: string; client: Client }> = [];
    try {
      const chain = t.jumps ?? [];
      let via: (() => Promise<Duplex>) | undefined;
      for (const [i, j] of chain.entries()) {
        const c = await connectEndpoint(j, opts, via, `jump host ${j.name}`);
        hops.push({ name: j.name, client: c });
        const next: Endpoint = chain[i + 1] ?? t;
        via = () => forward(c, j.name, dialAddress(next), next.port);
      }
      const client = await connectEndpoint(t, opts, via);
      return new SshConnection(t, client, hops);
    } catch (e) {
      for (const h of hops.reverse()) h.client.end();
      throw e;
    }
  }

  /**
   * Runs `command` (a remote shell command line), writes `stdin` to it, collects the output.
   * Rejects with ConnectionLostError when the connection drops or the timeout passes.
   */
  exec(command: string, opts: { stdin?: string | Buffer; timeoutMs?: number } = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new ConnectionLostError(t`connection to ${this.target.address} is gone (${this.closeReason})`));
    return execOn(this.client, command, opts, () => `the connection to ${this.target.address} dropped (${this.closeReason || 'closed'})`, () => this.closed);
  }

  /**
   * Runs `command` on each ProxyJump hop of this connection, in order (the self-address check
   * asks each hop how it sees the deploy). A hop that cannot run it (a bastion that only
   * forwards) gives its error instead. `want` picks the hops to ask (asked once, even when
   * several hosts share the hop).
   */
  async execOnJumpHosts(command: string, opts: { stdin?: string; timeoutMs?: number } = {}, want: (hop: string) => boolean = () => true): Promise<Array<{ hop: string; result?: ExecResult; error?: string }>> {
    const out: Array<{ hop: string; result?: ExecResult; error?: string }> = [];
    for (const h of this.hops) {
      if (!want(h.name)) continue;
      try {
        out.push({ hop: h.name, result: await execOn(h.client, command, opts, () => `the connection to jump host ${h.name} dropped`, () => this.closed) });
      } catch (e) {
        out.push({ hop: h.name, error: (e as Error).message });
      }
    }
    return out;
  }

  /**
   * Starts `command` and leaves its channel open for a conversation (the live status reader:
   * one request line in, one marked reply out, for as long as the connection lives).
   */
  openChannel(command: string): Promise<ClientChannel> {
    if (this.closed) return Promise.reject(new ConnectionLostError(t`connection to ${this.target.address} is gone (${this.closeReason})`));
    return new Promise<ClientChannel>((resolve, reject) => {
      try {
        this.client.exec(command, (err: Error | undefined, ch: ClientChannel) => (err ? reject(new ConnectionLostError(t`cannot start a command: ${err.message}`)) : resolve(ch)));
      } catch (e) {
        reject(new ConnectionLostError((e as Error).message));
      }
    });
  }

  close(): void {
    if (!this.closed) this.client.end();
    for (const h of this.hops) h.client.end();
    this.closed = true;
  }
}

/**
 * ssh-agent first: with an agent and an encrypted key file, a connection with the agent alone
 * comes first, and a passphrase is asked only when the agent is refused.
 */
async function connectEndpoint(e: Endpoint, opts: OpenOptions, via: (() => Promise<Duplex>) | undefined, label?: string): Promise<Client> {
  try {
    const agent = e.useAgent ? process.env.SSH_AUTH_SOCK : undefined;
    const files = [e.keyFile, ...(e.extraKeyFiles ?? [])].filter((f): f is string => !!f);
    if (agent && files.some((f) => keyFileEncrypted(f))) {
      try {
        return await attempt(e, opts, via, true);
      } catch (err) {
        if (!(err instanceof ConnectError) || err.kind !== 'auth') throw err;
      }
    }
    return await attempt(e, opts, via, false);
  } catch (err) {
    throw onHop(label, err);
  }
}

async function attempt(ep: Endpoint, opts: OpenOptions, via: (() => Promise<Duplex>) | undefined, agentOnly: boolean): Promise<Client> {
  const agent = ep.useAgent ? process.env.SSH_AUTH_SOCK : undefined;
  const address = dialAddress(ep);
  const names = [...new Set([ep.name, ep.address, address])];
  const knownText = readKnownHosts(ep.knownHosts);
  const auth: AuthMethod[] = [];
  const tried: string[] = [];
  if (agent) {
    auth.push({ type: 'agent', username: ep.user, agent } as AuthMethod);
    tried.push('agent');
  }
  // Key files and the password only when the agent alone is not what is tried.
  if (!agentOnly && ep.keyFile) {
    auth.push({ type: 'publickey', username: ep.user, key: await opts.creds.key(ep.keyFile, ep.name) } as AuthMethod);
    tried.push(`key ${ep.keyFile}`);
  }
  for (const f of agentOnly ? [] : ep.extraKeyFiles ?? []) {
    // Keys from the ssh config or ssh's defaults: one that is missing or unusable is skipped.
    if (!existsSync(f)) continue;
    try {
      auth.push({ type: 'publickey', username: ep.user, key: await opts.creds.key(f, ep.name) } as AuthMethod);
      tried.push(`key ${f}`);
    } catch { /* skipped, as ssh skips a key it cannot load */ }
  }
  if (ep.passwordRef && !agentOnly) {
    // Never a file: or env: reference: the file would name what is sent (a private key, say).
    if (ep.passwordRef.source !== 'secret') throw new ConnectError('auth', t`the SSH password of ${ep.name} must be a secret: reference, not ${ep.passwordRef.source}:`);
    const pw = await opts.creds.secret(ep.passwordRef);
    if (pw) {
      auth.push({ type: 'password', username: ep.user, password: pw } as AuthMethod);
      tried.push('password');
    }
  }
  if (auth.length === 0) {
    throw new ConnectError('auth', t`no way to authenticate as ${ep.user}: no key file, no agent (SSH_AUTH_SOCK) and no password reference`);
  }
  const sock = via ? await via() : undefined;

  return new Promise<Client>((resolve, reject) => {
    const client = new Client();
    let hostKeyProblem: ConnectError | undefined;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        client.end();
        sock?.destroy();
        reject(err);
      } else {
        resolve(client);
      }
    };
    const onAbort = () => finish(new ConnectError('network', t`cancelled while connecting`));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const cfg: ConnectConfig = {
      host: address,
      port: ep.port,
      sock,
      username: ep.user,
      readyTimeout: opts.timeoutMs ?? 60_000,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 6,
      authHandler: auth,
      algorithms: { serverHostKey: hostKeyAlgorithms(knownKeyTypes(knownText, names, ep.port)) as never },
      hostVerifier: ((key: Buffer, verify: (ok: boolean) => void) => {
        const v = checkHostKey(knownText, names, ep.port, key);
        const fp = fingerprint(key);
        if (v.status === 'known') return verify(true);
        if (v.status === 'revoked') {
          hostKeyProblem = new ConnectError('host-key-revoked', t`the host key of ${ep.name} (${address}) ${fp} is marked @revoked in ${ep.knownHosts}:${v.line}`);
          return verify(false);
        }
        if (v.status === 'changed') {
          hostKeyProblem = new ConnectError('host-key-changed',
            t`HOST KEY CHANGED for ${ep.name} (${address}:${ep.port}): it offered ${keyTypeOf(key)} ${fp}, but ${ep.knownHosts} says ${listMsgs(v.expected.map((e) => `${e.fingerprint} (line ${e.line})`))}. Someone may be intercepting the connection, or the host was reinstalled; refusing. If the change is expected, remove the old line from known_hosts.`);
          return verify(false);
        }
        if (v.status === 'other-type') {
          // The known types were offered first (hostKeyAlgorithms): the host no longer has them.
          hostKeyProblem = new ConnectError('host-key-other-type', otherTypeMessage(ep, v.otherKnownTypes, v.lines, keyTypeOf(key), fp));
          return verify(false);
        }
        opts.creds.confirmHostKey(ep, key, []).then((ok) => {
          if (!ok) {
            hostKeyProblem = new ConnectError('host-key-unknown',
              t`the host key of ${ep.name} (${address}:${ep.port}) is not in ${ep.knownHosts}: ${keyTypeOf(key)} ${fp}; refused (check the fingerprint, then record it: --accept-new on the command line, Accept in the dialog of a deploy, drain or restore in VS Code, or a line in ${ep.knownHosts})`);
            return verify(false);
          }
          try {
            appendKnownHost(ep.knownHosts, address, ep.port, key);
          } catch (e) {
            hostKeyProblem = new ConnectError('host-key-unknown', t`cannot record the accepted host key in ${ep.knownHosts}: ${(e as Error).message}`);
            return verify(false);
          }
          verify(true);
        }, (e: unknown) => {
          hostKeyProblem = new ConnectError('host-key-unknown', t`host key question failed: ${String(e)}`);
          verify(false);
        });
      }) as never,
    };
    client.on('ready', () => finish());
    client.on('error', (e: Error & { level?: string; code?: string }) => {
      if (hostKeyProblem) return finish(hostKeyProblem);
      if (e.level === 'client-authentication') return finish(new ConnectError('auth', t`authentication as ${ep.user} refused (tried: ${listMsgs(tried)})`));
      if (e.level === 'client-timeout' || /Timed out/i.test(e.message)) return finish(new ConnectError('timeout', t`no SSH handshake with ${address}:${ep.port} within ${(cfg.readyTimeout! / 1000).toFixed(0)} s`));
      finish(new ConnectError('network', t`cannot connect to ${address}:${ep.port}: ${` ${e.code ?? ''}${e.code ? ' ' : ''}${e.message}`.replace(/ (\S+) \1/, ' $1').slice(1)}`));
    });
    client.on('close', () => finish(hostKeyProblem ?? new ConnectError('network', t`connection to ${address}:${ep.port} closed during the handshake`)));
    try {
      client.connect(cfg);
    } catch (e) {
      finish(new ConnectError('network', (e as Error).message));
    }
  });
}

/** One command on an SSH client: `stdin` written, output collected, exit status or signal. */
function execOn(client: Client, command: string, opts: { stdin?: string | Buffer; timeoutMs?: number }, dropped: () => string, closed: () => boolean): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      done(new ConnectionLostError(t`no answer within ${((opts.timeoutMs ?? 120_000) / 1000).toFixed(0)} s`));
    }, opts.timeoutMs ?? 120_000);
    const onClose = () => done(new ConnectionLostError(dropped()));
    client.once('close', onClose);
    const done = (err: Error | undefined, r?: ExecResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.removeListener('close', onClose);
      if (err) reject(err);
      else resolve(r!);
    };
    try {
      client.exec(command, (err: Error | undefined, ch: ClientChannel) => {
        if (err) return done(new ConnectionLostError(t`cannot start a command: ${err.message}`));
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
            return done(new ConnectionLostError(`the command ended without an exit status (connection ${closed() ? 'dropped' : 'trouble'})${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
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
