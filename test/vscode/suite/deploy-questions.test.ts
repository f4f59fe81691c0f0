// The questions a plan or deploy asks in VS Code, against a real sshd (test/deploy/sandbox-sshd.ts,
// two loopback addresses for the two directors of one cluster), through the real CLI on the event
// channel: a known_hosts shipped inside the workspace's repository (issue 11, item 2), an
// `auth file:` VRRP secret (item 1) and an encrypted key's passphrase (item 19). The test stands
// in for the user's clicks through the test-only API (setPrompts: modals and input boxes are not
// clickable from the extension host); it checks what each dialog says, what the answer does, and
// that an approval is remembered in VS Code's storage and nowhere in the workspace.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SandboxSshd, sandboxUnavailable, startSandboxSshd } from '../../deploy/sandbox-sshd';
import { Prompts, recorder } from './prompt-recorder';

interface PlanJson { cluster: string; hosts: Array<{ name: string }> }
interface TestApi {
  plan(arg: unknown, opts: { cluster?: string; target?: 'lab' | 'hosts' }): Promise<{ plan?: PlanJson; error?: string } | undefined>;
  showPlan(arg: unknown, opts: { cluster?: string; target?: 'lab' | 'hosts' }): Promise<PlanJson | undefined>;
  setPrompts(p: Prompts | undefined): void;
  workspaceState: vscode.Memento;
  secrets: vscode.SecretStorage;
}

const PASSPHRASE = 'correct horse 19';

/** Every file under a folder with its content (to show nothing was written there). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

function fingerprint(pub: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-'], { input: `${pub}\n`, encoding: 'utf8' }).split(/\s+/)[1];
}

suite('Deploy questions in VS Code (real sshd, real CLI)', function () {
  this.timeout(180_000);
  let api: TestApi;
  let sshd: SandboxSshd;
  let repo = '';
  const savedSock = process.env.SSH_AUTH_SOCK;

  function cluster(ssh: string, auth = ''): string {
    return [
      'cluster q {',
      '  network 127.0.0.0/8',
      '  vip 127.0.0.100',
      '  director lvs1 { address 127.0.0.1  interface lo  role master  priority 100 }',
      '  director lvs2 { address 127.0.0.2  interface lo  role backup  priority 90 }',
      `  ha { router-id 51  advert 1s${auth ? `  auth ${auth}` : ''} }`,
      `  ssh { user root  port ${sshd.port}  ${ssh} }`,
      '  target os debian',
      '}',
      '',
    ].join('\n');
  }

  function knownHostsLines(): string {
    return ['127.0.0.1', '127.0.0.2'].map((a) => `[${a}]:${sshd.port} ${sshd.hostKeys['ssh-ed25519']}`).join('\n') + '\n';
  }

  async function plan(file: string) {
    const r = await api.plan(vscode.Uri.file(file), { cluster: 'q', target: 'hosts' });
    assert.ok(r, 'the plan ran');
    return r;
  }

  suiteSetup(async function () {
    const why = sandboxUnavailable();
    if (why) {
      if (process.env.CI === 'true') throw new Error(`the sandbox sshd is needed and CI must run it: ${why}`);
      this.skip();
    }
    const ext = vscode.extensions.getExtension<{ ready: Promise<void>; deployTesting?: TestApi }>('lvs-dr-studio.lvs-dr-studio')!;
    const exports = await ext.activate();
    await exports.ready;
    assert.ok(exports.deployTesting);
    api = exports.deployTesting;
    sshd = await startSandboxSshd(['ed25519'], ['127.0.0.2']);
    // A repository of its own inside the workspace folder: its known_hosts came with it.
    repo = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, `questions-${process.pid}`);
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.copyFileSync(sshd.clientKey, path.join(repo, 'id'));
    fs.chmodSync(path.join(repo, 'id'), 0o600);
    delete process.env.SSH_AUTH_SOCK; // the encrypted key must not be found in an agent
  });

  suiteTeardown(() => {
    api?.setPrompts(undefined);
    sshd?.stop();
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
    if (savedSock !== undefined) process.env.SSH_AUTH_SOCK = savedSock;
  });

  test('a known_hosts inside the repository: the modal names the file and each host\'s key; Cancel refuses, nothing remembered', async () => {
    fs.writeFileSync(path.join(repo, 'kh'), knownHostsLines());
    const lvs = path.join(repo, 'repo-kh.lvs');
    fs.writeFileSync(lvs, cluster('key ./id  known-hosts ./kh'));
    const before = snapshot(repo);
    const { asked, prompts } = recorder({ warning: () => undefined });
    api.setPrompts(prompts);
    const r = await plan(lvs);
    assert.equal(r.plan, undefined);
    assert.match(r.error ?? '', /known_hosts inside the repository/);
    assert.equal(asked.length, 1, 'asked once for the file (both hosts use it)');
    const text = asked[0].text;
    const fp = fingerprint(sshd.hostKeys['ssh-ed25519']);
    assert.ok(text.includes(path.join(repo, 'kh')), text);
    assert.ok(text.includes(`inside the repository`), text);
    assert.ok(text.includes(`lvs1 (127.0.0.1:${sshd.port}): ssh-ed25519 ${fp}`), text);
    assert.ok(text.includes(`lvs2 (127.0.0.2:${sshd.port}): ssh-ed25519 ${fp}`), text);
    assert.deepEqual(api.workspaceState.get('lvs.approvedRepoKnownHosts') ?? [], []);
    assert.deepEqual(snapshot(repo), before, 'nothing written to the workspace');
  });

  test('Use These Host Keys: the plan connects; the approval is remembered in VS Code, not in the workspace; a changed file is asked about again', async () => {
    const lvs = path.join(repo, 'repo-kh.lvs');
    const before = snapshot(repo);
    const first = recorder({ warning: (_m, _d) => 'Use These Host Keys' });
    api.setPrompts(first.prompts);
    const r = await plan(lvs);
    assert.equal(r.error, undefined, r.error);
    assert.deepEqual(r.plan?.hosts.map((h) => h.name).sort(), ['lvs1', 'lvs2']);
    assert.equal(first.asked.length, 1);
    const remembered = api.workspaceState.get<string[]>('lvs.approvedRepoKnownHosts') ?? [];
    assert.equal(remembered.length, 1);
    assert.ok(remembered[0].includes(path.join(repo, 'kh')));
    assert.deepEqual(snapshot(repo), before, 'the approval is not written to the workspace');
    // Remembered: no dialog the second time.
    api.setPrompts(recorder({}).prompts);
    const again = await plan(lvs);
    assert.equal(again.error, undefined, again.error);
    // The file changes (one more line): asked again.
    fs.appendFileSync(path.join(repo, 'kh'), '# changed\n');
    const third = recorder({ warning: () => undefined });
    api.setPrompts(third.prompts);
    const r3 = await plan(lvs);
    assert.match(r3.error ?? '', /known_hosts inside the repository/);
    assert.equal(third.asked.length, 1, 'a changed known_hosts is asked about again');
  });

  test('auth file: in a trusted workspace: the modal names the reference; Cancel refuses, Allow reads it and is remembered', async () => {
    const kh = path.join(sshd.dir, 'known_hosts');
    fs.writeFileSync(kh, knownHostsLines());
    const pass = path.join(repo, 'vrrp-pass');
    fs.writeFileSync(pass, 'labpass1\n');
    const lvs = path.join(repo, 'auth-file.lvs');
    fs.writeFileSync(lvs, cluster(`key ./id  known-hosts ${kh}`, `file:${pass}`));
    const refused = recorder({ warning: () => undefined });
    api.setPrompts(refused.prompts);
    const r = await plan(lvs);
    assert.equal(r.plan, undefined, 'no plan without the secret');
    assert.equal(refused.asked.length, 1);
    assert.ok(refused.asked[0].text.includes(`the file ${pass}`), refused.asked[0].text);
    assert.ok(refused.asked[0].text.includes('a cloned repository could name any file of yours'), refused.asked[0].text);
    const before = snapshot(repo);
    const allowed = recorder({ warning: () => 'Allow' });
    api.setPrompts(allowed.prompts);
    const ok = await plan(lvs);
    assert.equal(ok.error, undefined, ok.error);
    assert.equal(allowed.asked.length, 1);
    assert.deepEqual(snapshot(repo), before, 'the approval is not written to the workspace');
    const approved = api.workspaceState.get<string[]>('lvs.approvedSecretSources') ?? [];
    assert.ok(approved.some((k) => k.endsWith(`file:${pass}`)), JSON.stringify(approved));
    api.setPrompts(recorder({}).prompts);
    const again = await plan(lvs);
    assert.equal(again.error, undefined, `remembered: no dialog the second time (${again.error})`);
  });

  test('an encrypted key: the passphrase is asked in a password box; once only, or remembered in SecretStorage; a wrong one is refused', async () => {
    const kh = path.join(sshd.dir, 'known_hosts');
    const enc = path.join(sshd.dir, 'id_encrypted');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-f', enc]);
    fs.appendFileSync(`${sshd.clientKey}.pub`, fs.readFileSync(`${enc}.pub`));
    const lvs = path.join(repo, 'encrypted.lvs');
    fs.writeFileSync(lvs, cluster(`key ${enc}  known-hosts ${kh}`));
    const stored = `lvs.keyPassphrase.${enc}`;
    await api.secrets.delete(stored);

    const wrong = recorder({ input: () => 'not it', pick: () => 0 });
    api.setPrompts(wrong.prompts);
    const bad = await plan(lvs);
    assert.equal(bad.plan, undefined);
    assert.match(bad.error ?? '', /passphrase/i);

    const once = recorder({ input: () => PASSPHRASE, pick: () => 0 });
    api.setPrompts(once.prompts);
    const r = await plan(lvs);
    assert.equal(r.error, undefined, r.error);
    assert.equal(once.asked.filter((a) => a.kind === 'input').length, 1, 'asked once for both hosts');
    const box = once.asked.find((a) => a.kind === 'input')!.text;
    assert.ok(box.includes(enc) && box.includes('password') && /encrypted/.test(box), box);
    assert.equal(await api.secrets.get(stored), undefined, '"this command only" is not remembered');

    const keep = recorder({ input: () => PASSPHRASE, pick: (labels) => labels.findIndex((l) => /Remember/.test(l)) });
    api.setPrompts(keep.prompts);
    const r2 = await plan(lvs);
    assert.equal(r2.error, undefined, r2.error);
    assert.equal(await api.secrets.get(stored), PASSPHRASE, 'remembered in SecretStorage');
    api.setPrompts(recorder({}).prompts);
    const r3 = await plan(lvs);
    assert.equal(r3.error, undefined, `remembered: no dialog (${r3.error})`);
    await api.secrets.delete(stored);
  });

  test('a secret: a password box, then "remember?" as a pick in the same input flow while the plan waits; stored only when picked', async () => {
    const kh = path.join(sshd.dir, 'known_hosts');
    fs.writeFileSync(kh, knownHostsLines());
    const name = `q-vrrp-${process.pid}`;
    const lvs = path.join(repo, 'auth-secret.lvs');
    fs.writeFileSync(lvs, cluster(`key ./id  known-hosts ${kh}`, `secret:${name}`));
    const stored = `lvs.secret.${name}`;
    await api.secrets.delete(stored);

    const once = recorder({ input: () => 'labpass2', pick: (labels) => labels.findIndex((l) => /this run only/.test(l)) });
    api.setPrompts(once.prompts);
    const r = await plan(lvs);
    assert.equal(r.error, undefined, r.error);
    // Both questions are quick input the run waits on, one after the other, asked once for both
    // directors: no notification (it would slide away and leave the run hanging).
    assert.deepEqual(once.asked.map((a) => a.kind), ['input', 'pick'], JSON.stringify(once.asked));
    assert.ok(once.asked[0].text.includes(`secret:${name}`) && once.asked[0].text.endsWith('password'), once.asked[0].text);
    assert.match(once.asked[1].text, new RegExp(`Secret '${name}'[\\s\\S]*Use for this run only[\\s\\S]*Remember in VS Code's secret storage`));
    assert.equal(await api.secrets.get(stored), undefined, '"this run only" is not remembered');

    const keep = recorder({ input: () => 'labpass2', pick: (labels) => labels.findIndex((l) => /Remember/.test(l)) });
    api.setPrompts(keep.prompts);
    const r2 = await plan(lvs);
    assert.equal(r2.error, undefined, r2.error);
    assert.equal(await api.secrets.get(stored), 'labpass2', 'remembered in SecretStorage');
    api.setPrompts(recorder({}).prompts);
    const r3 = await plan(lvs);
    assert.equal(r3.error, undefined, `remembered: no dialog (${r3.error})`);
    await api.secrets.delete(stored);
  });

  test('Show Deploy Plan: picking a changed file opens its diff, and the pick does not come back over it', async () => {
    const kh = path.join(sshd.dir, 'known_hosts');
    fs.writeFileSync(kh, knownHostsLines());
    const lvs = path.join(repo, 'browse.lvs');
    fs.writeFileSync(lvs, cluster(`key ./id  known-hosts ${kh}`));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    let picked = '';
    const browse = recorder({
      pick: (labels) => {
        if (picked) return undefined; // a second pick would be over the diff: answered with Esc, the assertion says so
        const i = labels.findIndex((l) => l.startsWith('$(diff-added)'));
        picked = labels[i].replace('$(diff-added) ', '');
        return i;
      },
    });
    api.setPrompts(browse.prompts);
    const shown = await api.showPlan(vscode.Uri.file(lvs), { cluster: 'q', target: 'hosts' });
    assert.ok(shown, 'the plan was shown');
    assert.ok(picked, 'the pick listed an added file');
    assert.equal(browse.asked.filter((a) => a.kind === 'pick').length, 1, 'the pick is not shown again over the diff it opened');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff, `the diff is the active editor (${vscode.window.tabGroups.activeTabGroup.activeTab?.label})`);
    assert.equal(input.modified.scheme, 'lvs-deploy-plan');
    assert.ok(input.modified.path.endsWith(picked), `${input.modified.path} is the picked ${picked}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
