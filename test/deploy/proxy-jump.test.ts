// ProxyJump through real sshds (sandbox-sshd.ts): the connection to the host is a stream the
// jump host's sshd opened (ssh2 forwardOut + `sock`), and each hop's host key is checked against
// its own known_hosts as strictly as a direct connection's: unknown refused (naming the hop),
// changed refused, accepted only through the same question. Also: the target's key is checked
// under its own name, a dead jump host reported as such, and closing closes every hop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectError, CredentialCache, SshConnection } from '../../server/deploy/connection';
import { lookupName } from '../../server/deploy/known-hosts';
import { resolveSsh } from '../../server/deploy/ssh-resolve';
import { HostKeyQuestion, HostTarget, JumpHost } from '../../server/deploy/types';
import { sandboxUnavailable, SandboxSshd, startSandboxSshd } from './sandbox-sshd';

const skip = sandboxUnavailable();

describe('ProxyJump through a real jump host', { skip }, () => {
  let bastion: SandboxSshd;
  let host: SandboxSshd;
  let dir: string;
  before(async () => {
    [bastion, host] = await Promise.all([startSandboxSshd(['ed25519']), startSandboxSshd(['ed25519'])]);
    dir = mkdtempSync(join(tmpdir(), 'lvsdr-jump-'));
  });
  after(() => {
    bastion?.stop();
    host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let k = 0;
  /** known_hosts files: the bastion's and the host's, each holding what `keys` says. */
  function knownHosts(bastionLine: string | undefined, hostLine: string | undefined): { jkh: string; hkh: string } {
    const jkh = join(dir, `jkh${k}`);
    const hkh = join(dir, `hkh${k++}`);
    writeFileSync(jkh, bastionLine ? `${lookupName('127.0.0.1', bastion.port)} ${bastionLine}\n` : '');
    writeFileSync(hkh, hostLine ? `${lookupName('127.0.0.1', host.port)} ${hostLine}\n` : '');
    return { jkh, hkh };
  }
  function jump(jkh: string, over: Partial<JumpHost> = {}): JumpHost {
    return { name: 'bastion', address: '127.0.0.1', port: bastion.port, user: 'root', keyFile: bastion.clientKey, knownHosts: jkh, useAgent: false, ...over };
  }
  function target(hkh: string, jumps: JumpHost[]): HostTarget {
    return host.target({ name: 'web1', knownHosts: hkh, jumps });
  }

  test('both host keys known: the command runs on the host, reached through the jump host', async () => {
    const { jkh, hkh } = knownHosts(bastion.hostKeys['ssh-ed25519'], host.hostKeys['ssh-ed25519']);
    host.inside('echo host-side > /run/where');
    bastion.inside('echo bastion-side > /run/where');
    const conn = await SshConnection.open(target(hkh, [jump(jkh)]), { creds: new CredentialCache(), timeoutMs: 20_000 });
    try {
      const r = await conn.exec('cat /run/where');
      assert.equal(r.stdout.trim(), 'host-side', 'the command ran on the host behind the jump host');
      // The host's sshd was reached by the jump host's sshd, not by this process.
      const peers = host.inside(`ss -tnpH state established '( sport = :${host.port} )'`).stdout;
      assert.match(peers, /sshd/);
      assert.doesNotMatch(peers, new RegExp(`pid=${process.pid},`));
    } finally {
      conn.close();
    }
  });

  test('unknown jump host key: refused without the question\'s yes, naming the jump host; nothing reaches the host', async () => {
    const { jkh, hkh } = knownHosts(undefined, host.hostKeys['ssh-ed25519']);
    const asked: HostKeyQuestion[] = [];
    const creds = new CredentialCache({ confirmHostKey: async (q) => { asked.push(q); return false; } });
    await assert.rejects(SshConnection.open(target(hkh, [jump(jkh)]), { creds, timeoutMs: 20_000 }),
      (e: unknown) => e instanceof ConnectError && e.kind === 'host-key-unknown' && /^jump host bastion: the host key of bastion \(127\.0\.0\.1:\d+\) is not in /.test(e.message));
    assert.deepEqual(asked.map((q) => [q.host, q.knownHosts]), [['bastion', jkh]], 'the question names the jump host and its known_hosts');
  });

  test('accepted jump host key is recorded in the jump host\'s known_hosts, the host\'s stays untouched', async () => {
    const { jkh, hkh } = knownHosts(undefined, host.hostKeys['ssh-ed25519']);
    const creds = new CredentialCache({ confirmHostKey: async () => true });
    const conn = await SshConnection.open(target(hkh, [jump(jkh)]), { creds, timeoutMs: 20_000 });
    conn.close();
    assert.match(readFileSync(jkh, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${bastion.port} ssh-ed25519 `));
    assert.equal(readFileSync(hkh, 'utf8').trim().split('\n').length, 1);
  });

  test('changed jump host key: refused as HOST KEY CHANGED; changed host key behind it: refused too', async () => {
    const other = readFileSync(join(host.dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const a = knownHosts(other, host.hostKeys['ssh-ed25519']);
    const creds = new CredentialCache({ confirmHostKey: async () => true });
    await assert.rejects(SshConnection.open(target(a.hkh, [jump(a.jkh)]), { creds, timeoutMs: 20_000 }),
      (e: unknown) => e instanceof ConnectError && e.kind === 'host-key-changed' && /^jump host bastion: HOST KEY CHANGED for bastion/.test(e.message));
    const b = knownHosts(bastion.hostKeys['ssh-ed25519'], bastion.hostKeys['ssh-ed25519']);
    await assert.rejects(SshConnection.open(target(b.hkh, [jump(b.jkh)]), { creds, timeoutMs: 20_000 }),
      (e: unknown) => e instanceof ConnectError && e.kind === 'host-key-changed' && /^HOST KEY CHANGED for web1/.test(e.message));
  });

  test('two hops (the jump host twice over itself) and closing ends every hop', async () => {
    const { jkh, hkh } = knownHosts(bastion.hostKeys['ssh-ed25519'], host.hostKeys['ssh-ed25519']);
    const conn = await SshConnection.open(target(hkh, [jump(jkh), jump(jkh, { name: 'bastion2' })]), { creds: new CredentialCache(), timeoutMs: 20_000 });
    assert.equal((await conn.exec('echo ok')).stdout, 'ok\n');
    conn.close();
    await new Promise((r) => setTimeout(r, 300));
    const left = bastion.inside(`ss -tn state established '( sport = :${bastion.port} )' | tail -n +2 | wc -l`).stdout.trim();
    assert.equal(left, '0', 'no connection to the jump host is left open');
  });

  test('a jump host that is down: a network error naming it', async () => {
    const { jkh, hkh } = knownHosts(bastion.hostKeys['ssh-ed25519'], host.hostKeys['ssh-ed25519']);
    await assert.rejects(SshConnection.open(target(hkh, [jump(jkh, { port: 1 })]), { creds: new CredentialCache(), timeoutMs: 5_000 }),
      (e: unknown) => e instanceof ConnectError && e.kind === 'network' && /^jump host bastion: cannot connect to 127\.0\.0\.1:1/.test(e.message));
  });

  test('resolved from ~/.ssh/config: ProxyJump, the hop\'s key and known_hosts come from the user\'s config', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    const { jkh, hkh } = knownHosts(bastion.hostKeys['ssh-ed25519'], host.hostKeys['ssh-ed25519']);
    writeFileSync(join(home, '.ssh', 'config'), [
      'Host bastion', '  HostName 127.0.0.1', `  Port ${bastion.port}`, '  User root', `  IdentityFile ${bastion.clientKey}`, `  UserKnownHostsFile ${jkh}`,
      'Host web1', `  Port ${host.port}`, '  ProxyJump bastion', `  IdentityFile ${host.clientKey}`, `  UserKnownHostsFile ${hkh}`, '',
    ].join('\n'));
    const r = resolveSsh('web1', '127.0.0.1', {}, home);
    const t: HostTarget = {
      name: 'web1', role: 'server', address: '127.0.0.1', port: r.port.value, user: r.user.value, extraKeyFiles: r.extraKeyFiles.map((x) => x.value),
      knownHosts: r.knownHosts.value, useAgent: false, jumps: r.jumps.map((j) => ({ ...j, useAgent: false })), os: 'debian', skipOsCheck: true,
    };
    const conn = await SshConnection.open(t, { creds: new CredentialCache(), timeoutMs: 20_000 });
    try {
      assert.equal((await conn.exec('echo via-config')).stdout, 'via-config\n');
    } finally {
      conn.close();
    }
  });
});
