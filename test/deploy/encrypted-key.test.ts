// Encrypted SSH keys against real sshd (sandbox-sshd.ts) and a real ssh-agent: the agent is
// tried first, so a key the agent holds never costs a passphrase prompt; without the agent (or
// when the agent lacks the key) the passphrase is asked once, and a wrong one is reported as such.
// A run with no one to ask (lvsdr status without a terminal, as VS Code's live status runs it)
// says in the host's reason how to give the key: the agent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConnectError, CredentialCache, SshConnection } from '../../server/deploy/connection';
import { SandboxSshd, sandboxUnavailable, startSandboxSshd } from './sandbox-sshd';

const PASSPHRASE = 'correct horse 19';
const reason = sandboxUnavailable();

describe('encrypted key file against real sshd', { skip: reason }, () => {
  let sshd: SandboxSshd;
  let encrypted: string;
  let agent: ChildProcess | undefined;
  let sock = '';
  const savedSock = process.env.SSH_AUTH_SOCK;

  before(async () => {
    sshd = await startSandboxSshd();
    encrypted = join(sshd.dir, 'id_encrypted');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-f', encrypted]);
    // Authorized in place of the sandbox's own client key, so only this key logs in.
    writeFileSync(`${sshd.clientKey}.pub`, readFileSync(`${encrypted}.pub`));
    writeFileSync(join(sshd.dir, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${sshd.hostKeys['ssh-ed25519']}\n`);
    // A real agent holding the same key (added from a decrypted copy: no askpass needed).
    sock = join(sshd.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      try {
        execFileSync('test', ['-S', sock]);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const plain = join(sshd.dir, 'id_plain');
    writeFileSync(plain, readFileSync(encrypted), { mode: 0o600 });
    execFileSync('ssh-keygen', ['-q', '-p', '-P', PASSPHRASE, '-N', '', '-f', plain]);
    execFileSync('ssh-add', ['-q', plain], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
  });

  after(() => {
    agent?.kill('SIGTERM');
    if (savedSock === undefined) delete process.env.SSH_AUTH_SOCK;
    else process.env.SSH_AUTH_SOCK = savedSock;
    sshd?.stop();
  });

  function connect(useAgent: boolean, answer: string | undefined, asked: string[]) {
    const creds = new CredentialCache({ askPassphrase: async (file) => { asked.push(file); return answer; } });
    return SshConnection.open(sshd.target({ keyFile: encrypted, useAgent }), { creds, timeoutMs: 10_000 });
  }

  test('the agent holds the key: connected without a passphrase prompt', async () => {
    process.env.SSH_AUTH_SOCK = sock;
    const asked: string[] = [];
    const c = await connect(true, undefined, asked);
    c.close();
    assert.deepEqual(asked, [], 'no passphrase asked');
  });

  test('the agent lacks the key: the passphrase is asked once, then the key logs in', async () => {
    process.env.SSH_AUTH_SOCK = sock;
    execFileSync('ssh-add', ['-D'], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const asked: string[] = [];
    const c = await connect(true, PASSPHRASE, asked);
    c.close();
    assert.deepEqual(asked, [encrypted]);
  });

  test('no agent: asked once; a wrong passphrase and no answer are reported as such', async () => {
    delete process.env.SSH_AUTH_SOCK;
    const asked: string[] = [];
    const c = await connect(false, PASSPHRASE, asked);
    c.close();
    assert.deepEqual(asked, [encrypted]);
    await assert.rejects(connect(false, 'wrong', []), (e: unknown) => e instanceof ConnectError && e.kind === 'key' && /wrong passphrase/.test(e.message));
    await assert.rejects(connect(false, undefined, []), (e: unknown) => e instanceof ConnectError && /encrypted and no passphrase/.test(e.message));
  });

  test('lvsdr status with no terminal and no agent: the host is unreachable, and its reason says to add the key to the agent', () => {
    // Beside the file, not the known_hosts (that would be one shipped with the "repository").
    const dir = mkdtempSync(join(tmpdir(), 'lvsdr-status-'));
    const lvs = join(dir, 'status.lvs');
    writeFileSync(lvs, [
      'cluster q {',
      '  network 127.0.0.0/8',
      '  vip 127.0.0.100',
      '  director lvs1 { address 127.0.0.1  interface lo  role master  priority 100 }',
      '  director lvs2 { address 127.0.0.2  interface lo  role backup  priority 90 }',
      '  ha { router-id 51  advert 1s }',
      `  ssh { user root  port ${sshd.port}  key ${encrypted}  known-hosts ${join(sshd.dir, 'known_hosts')} }`,
      '  target os debian',
      '}',
      '',
    ].join('\n'));
    const cli = resolve(__dirname, '../../../dist/server/cli.js');
    // The snapshot carries a host's reason as English text (its LVS500 finding wraps it in the
    // reader's language); the terminal's messages come from the same catalog entry.
    const reasonIn = (lang: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, LANG: lang };
      delete env.SSH_AUTH_SOCK;
      delete env.LC_ALL;
      delete env.LC_MESSAGES;
      const r = spawnSync(process.execPath, [cli, 'status', lvs, '--cluster', 'q', '--target', 'hosts', '--json'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      const snap = JSON.parse(r.stdout.trim().split('\n')[0]) as { directors: Array<{ name: string; reachable: boolean; error?: string }> };
      const lvs1 = snap.directors.find((d) => d.name === 'lvs1')!;
      assert.equal(lvs1.reachable, false);
      return lvs1.error ?? '';
    };
    let en: string;
    try {
      en = reasonIn('C');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(en.includes(`the key file ${encrypted} is encrypted`) && en.includes(`needs the key in the SSH agent: ssh-add ${encrypted}`), en);
  });
});
