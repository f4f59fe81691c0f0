// The questions a live action (Drain, Restore) asks in VS Code, against a real sshd
// (test/deploy/sandbox-sshd.ts, three loopback addresses: two directors and a real server),
// through the real CLI on the event channel: an encrypted key's passphrase and an unknown host
// key get the deploy's own dialogs (client/deploy/questions.ts), not a silent refusal. The test
// runs the palette's drain after its quick picks and modal (liveTesting.act) and stands in for the
// user's clicks on the questions' dialogs through the deploy's test API (setPrompts). The sandbox
// has no IPVS (the drain and its record stay in the sandbox's tmpfs); the run's result says what it did.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SandboxSshd, sandboxUnavailable, startSandboxSshd } from '../../deploy/sandbox-sshd';
import { Prompts, recorder } from './prompt-recorder';

interface LiveKey { file: string; cluster: string; target: 'lab' | 'hosts' }
interface Run { code: number | null; summary: string; last: string; cancelled: boolean }
interface Api {
  deployTesting?: { setPrompts(p: Prompts | undefined): void; secrets: vscode.SecretStorage };
  liveTesting?: { act(action: 'drain' | 'restore', key: LiveKey, server: string): Thenable<Run> };
}

const PASSPHRASE = 'correct horse live';

function fingerprint(pub: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], { input: `${pub}\n`, encoding: 'utf8' }).split(/\s+/)[1];
}

/** What the CLI says when SSH itself refused: no key, no passphrase, no host key. */
const REFUSED_BY_SSH = /passphrase|encrypted|authenticat|host key|known_hosts/i;

suite('Live action questions in VS Code (real sshd, real CLI)', function () {
  this.timeout(180_000);
  let deploy: NonNullable<Api['deployTesting']>;
  let live: NonNullable<Api['liveTesting']>;
  let sshd: SandboxSshd;
  let dir = '';
  const savedSock = process.env.SSH_AUTH_SOCK;

  function cluster(ssh: string): string {
    return [
      'cluster q {',
      '  network 127.0.0.0/8',
      '  vip 127.0.0.100',
      '  director lvs1 { address 127.0.0.1  interface lo  role master  priority 100 }',
      '  director lvs2 { address 127.0.0.2  interface lo  role backup  priority 90 }',
      '  ha { router-id 51  advert 1s }',
      '  service http {',
      '    protocol tcp  port 80  scheduler rr',
      '    real web1 weight 1',
      '  }',
      '  server web1 { address 127.0.0.3  interface lo  vip-on lo:0 }',
      `  ssh { user root  port ${sshd.port}  ${ssh} }`,
      '  target os debian',
      '}',
      '',
    ].join('\n');
  }

  const key = (file: string): LiveKey => ({ file, cluster: 'q', target: 'hosts' });

  suiteSetup(async function () {
    const why = sandboxUnavailable();
    if (why) {
      if (process.env.CI === 'true') throw new Error(`the sandbox sshd is needed and CI must run it: ${why}`);
      this.skip();
    }
    const ext = vscode.extensions.getExtension<Api & { ready: Promise<void> }>('lvs-dr-studio.lvs-dr-studio')!;
    const exports = await ext.activate();
    await exports.ready;
    assert.ok(exports.deployTesting && exports.liveTesting);
    deploy = exports.deployTesting;
    live = exports.liveTesting;
    sshd = await startSandboxSshd(['ed25519'], ['127.0.0.2', '127.0.0.3']);
    dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, `live-questions-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true });
    delete process.env.SSH_AUTH_SOCK; // the encrypted key must not be found in an agent
  });

  suiteTeardown(() => {
    deploy?.setPrompts(undefined);
    sshd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (savedSock !== undefined) process.env.SSH_AUTH_SOCK = savedSock;
  });

  test('Drain with an encrypted key: the passphrase is asked once in a password box, and the drain gets past SSH', async () => {
    const kh = path.join(sshd.dir, 'known_hosts');
    fs.writeFileSync(kh, ['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((a) => `[${a}]:${sshd.port} ${sshd.hostKeys['ssh-ed25519']}`).join('\n') + '\n');
    const enc = path.join(sshd.dir, 'id_live_encrypted');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-f', enc]);
    fs.appendFileSync(`${sshd.clientKey}.pub`, fs.readFileSync(`${enc}.pub`));
    const lvs = path.join(dir, 'encrypted.lvs');
    fs.writeFileSync(lvs, cluster(`key ${enc}  known-hosts ${kh}`));
    await deploy.secrets.delete(`lvs.keyPassphrase.${enc}`);
    const once = recorder({ input: () => PASSPHRASE, pick: () => 0 });
    deploy.setPrompts(once.prompts);
    const r = await live.act('drain', key(lvs), 'web1');
    console.log(`[live-questions] drain with an encrypted key: exit ${r.code}, ${r.summary || r.last}`);
    assert.equal(once.asked.filter((a) => a.kind === 'input').length, 1, `asked once for every host of the run: ${JSON.stringify(once.asked)}`);
    const box = once.asked.find((a) => a.kind === 'input')!.text;
    assert.ok(box.includes(enc) && box.endsWith('password') && /encrypted/.test(box), box);
    assert.doesNotMatch(`${r.summary}\n${r.last}`, REFUSED_BY_SSH, 'the drain connected (any failure is past SSH)');
    assert.equal(r.code, 0, r.summary || r.last);
    assert.match(r.summary, /^web1 drained /, 'the result says what happened');
    assert.equal(await deploy.secrets.get(`lvs.keyPassphrase.${enc}`), undefined, '"this command only" is not remembered');
  });

  test('Restore with an unknown host key: the modal names the host and its key; Cancel refuses, Accept records the key and connects', async () => {
    const kh = path.join(sshd.dir, 'known_hosts_empty');
    fs.writeFileSync(kh, '');
    const lvs = path.join(dir, 'unknown-key.lvs');
    fs.writeFileSync(lvs, cluster(`key ${sshd.clientKey}  known-hosts ${kh}`));
    const fp = fingerprint(sshd.hostKeys['ssh-ed25519']);

    const refused = recorder({ warning: () => undefined });
    deploy.setPrompts(refused.prompts);
    const no = await live.act('restore', key(lvs), 'web1');
    assert.notEqual(no.code, 0, 'refused: the restore did not run');
    assert.ok(refused.asked.length >= 1, 'the host key was asked about');
    const modal = refused.asked[0].text;
    assert.match(modal, new RegExp(`^Unknown SSH host key of lvs[12] \\(127\\.0\\.0\\.[12]:${sshd.port}\\)`), modal);
    assert.ok(modal.includes(`ssh-ed25519 ${fp}`) && modal.includes(kh), modal);
    assert.equal(fs.readFileSync(kh, 'utf8'), '', 'nothing recorded on Cancel');

    const accepted = recorder({ warning: (_m, _d, actions) => actions[0] });
    deploy.setPrompts(accepted.prompts);
    const yes = await live.act('restore', key(lvs), 'web1');
    console.log(`[live-questions] restore after Accept: exit ${yes.code}, ${yes.summary || yes.last}; ${accepted.asked.length} host key dialogs`);
    const hosts = accepted.asked.map((a) => /^Unknown SSH host key of (\S+)/.exec(a.text)?.[1]).sort();
    assert.deepEqual(hosts, ['lvs1', 'lvs2'], 'each director asked about once');
    assert.match(fs.readFileSync(kh, 'utf8'), new RegExp(`\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `), 'Accept recorded the key');
    assert.doesNotMatch(`${yes.summary}\n${yes.last}`, REFUSED_BY_SSH, 'the restore connected (any failure is past SSH)');
    assert.equal(yes.code, 0, yes.summary || yes.last);
    assert.match(yes.summary, /^web1 restored/, 'the result says what happened');
  });
});
