// Deploy from VS Code against the local lab: the same engine as `lvsdr deploy`, with the
// confirmations answered by the test through the extension's test-only API (assumeYes /
// acceptNew / knownHosts, present only in test mode), then the journal checked. The public
// commands take none of those options: a command link passing them still meets every question.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// out/test/vscode/suite → the repository (the built CLI brings the lab up and down).
const repo = path.resolve(__dirname, '../../../..');
const cli = path.join(repo, 'dist/server/cli.js');
const canRunLab = process.platform === 'linux' && process.getuid?.() === 0;

interface Outcome { code: number | null; changed: boolean; journalFile?: string; message: string }
interface Options { cluster?: string; target?: 'lab' | 'hosts'; assumeYes?: boolean; acceptNew?: boolean; knownHosts?: string }
interface TestApi {
  deploy(arg: unknown, opts: Options): Promise<Outcome | undefined>;
  showPlan(arg: unknown, opts: Options): Promise<{ changed: boolean; hosts: unknown[] } | undefined>;
  setConfirm(answer: (message: string, detail: string) => Promise<'Deploy' | 'Show Changes' | undefined>): void;
}

async function testApi(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<{ ready: Promise<void>; deployTesting?: TestApi }>('lvs-dr-studio.lvs-dr-studio')!;
  const api = await ext.activate();
  await api.ready;
  assert.ok(api.deployTesting, 'the test-only deploy API is there in test mode');
  return api.deployTesting;
}

/** The walkthrough's context keys set so far (test mode only). */
async function walkthroughKeys(): Promise<string[]> {
  const ext = vscode.extensions.getExtension<{ walkthroughTesting?: { keys(): string[] } }>('lvs-dr-studio.lvs-dr-studio')!;
  const api = await ext.activate();
  assert.ok(api.walkthroughTesting, 'the test-only walkthrough API is there in test mode');
  return api.walkthroughTesting.keys();
}
const DEPLOYED = 'lvs.walkthrough.deployed';

suite('Deploy from VS Code to the local lab', function () {
  this.timeout(600_000);
  let seed: vscode.Uri;
  let api: TestApi;

  suiteSetup(function () {
    if (!canRunLab) {
      if (process.env.CI === 'true') throw new Error('the lab needs root on Linux, and CI must run it');
      this.skip();
    }
    seed = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'seed.lvs');
    // The VRRP password of secret:vrrp-web, as a user would keep it in the environment.
    process.env.LVS_SECRET_VRRP_WEB = 'lab-vrrp';
    execFileSync(process.execPath, [cli, 'lab', 'up', seed.fsPath], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  });

  suiteSetup(async () => {
    if (canRunLab) api = await testApi();
  });

  suiteTeardown(() => {
    if (!canRunLab) return;
    try {
      execFileSync(process.execPath, [cli, 'lab', 'down'], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    } catch (err) {
      console.error('lab down failed', err);
    }
  });

  test('LVS: Deploy Cluster… deploys the seed to the lab and writes a journal', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(seed));
    const outcome = (await api.deploy(seed, { cluster: 'web', target: 'lab', assumeYes: true, acceptNew: true }))!;
    assert.ok(outcome, 'the command returned an outcome');
    assert.equal(outcome.code, 0, outcome.message);
    assert.equal(outcome.changed, true);
    assert.ok(outcome.journalFile && fs.existsSync(outcome.journalFile), 'a journal was written');
    const journal = JSON.parse(fs.readFileSync(outcome.journalFile, 'utf8')) as { outcome: string; cluster: string; hosts: { name: string; outcome: string; files: unknown[] }[] };
    assert.equal(journal.cluster, 'web');
    assert.equal(journal.outcome, 'success');
    assert.deepEqual(journal.hosts.map((h) => h.name).sort(), ['lvs1', 'lvs2', 'web1', 'web2']);
    for (const h of journal.hosts) assert.ok(h.files.length > 0, `${h.name} got files`);
  });

  test('a second deploy finds nothing to change', async () => {
    const outcome = (await api.deploy(seed, { cluster: 'web', target: 'lab', assumeYes: true, acceptNew: true }))!;
    assert.equal(outcome.code, 0, outcome.message);
    assert.equal(outcome.changed, false, outcome.message);
  });

  test('Show Deploy Plan is a dry run that reports no change', async () => {
    const plan = (await api.showPlan(seed, { cluster: 'web', target: 'lab', assumeYes: true, acceptNew: true }))!;
    assert.equal(plan.changed, false);
    assert.equal(plan.hosts.length, 4);
  });

  test('unknown host keys: refused without an answer, then exactly the shown fingerprints are recorded', async () => {
    const dir = fs.mkdtempSync(path.join(repo, 'out', 'known-hosts-'));
    try {
      const knownHosts = path.join(dir, 'known_hosts');
      // assumeYes without acceptNew: nobody clicks Accept, so the plan must fail and record nothing.
      const refused = await api.showPlan(seed, { cluster: 'web', target: 'lab', assumeYes: true, knownHosts });
      assert.equal(refused, undefined, 'the plan is refused');
      assert.equal(fs.existsSync(knownHosts) ? fs.readFileSync(knownHosts, 'utf8').trim() : '', '', 'no key recorded');
      // acceptNew stands in for the Accept click on the modal listing the fingerprints.
      const plan = await api.showPlan(seed, { cluster: 'web', target: 'lab', assumeYes: true, acceptNew: true, knownHosts });
      assert.ok(plan, 'the plan ran once the keys were accepted');
      assert.equal(plan.changed, false);
      const lines = fs.readFileSync(knownHosts, 'utf8').trim().split('\n');
      assert.equal(lines.length, 4, 'one key per host');
      // Each recorded key is the lab host's own key (its fingerprint matches the lab's known_hosts).
      const status = JSON.parse(execFileSync(process.execPath, [cli, 'lab', 'status', '--json'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }).toString()) as { keys: { knownHosts: string } };
      const labKeys = fs.readFileSync(status.keys.knownHosts, 'utf8');
      for (const l of lines) assert.ok(labKeys.includes(l.split(' ').slice(1).join(' ')), `${l} is a lab host key`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the public commands ignore assumeYes, acceptNew and knownHosts: the confirmation is asked, the other known_hosts unused', async () => {
    const dir = fs.mkdtempSync(path.join(repo, 'out', 'public-command-'));
    const changed = path.join(path.dirname(seed.fsPath), 'seed-changed.lvs');
    try {
      const knownHosts = path.join(dir, 'known_hosts');
      // knownHosts and acceptNew from a command link: ignored, the plan uses the lab's own keys.
      const plan = (await vscode.commands.executeCommand('lvs.showDeployPlan', seed, { cluster: 'web', target: 'lab', assumeYes: true, acceptNew: true, knownHosts })) as { changed: boolean } | undefined;
      assert.ok(plan, 'the plan ran with the lab\'s known_hosts');
      assert.equal(fs.existsSync(knownHosts), false, 'the known_hosts of the arguments was never written');
      // assumeYes from a command link: the deploy still asks before writing anything.
      fs.writeFileSync(changed, fs.readFileSync(seed.fsPath, 'utf8').replace('real web1 weight 1', 'real web1 weight 2'));
      const asked: string[] = [];
      api.setConfirm(async (message) => { asked.push(message); return undefined; });
      const outcome = await vscode.commands.executeCommand('lvs.deploy', vscode.Uri.file(changed), { cluster: 'web', target: 'lab', assumeYes: true, acceptNew: true, knownHosts });
      assert.deepEqual(asked, ['Deploy cluster web to the local lab?'], 'the confirmation was asked once');
      assert.equal(outcome, undefined, 'declined: nothing deployed');
      // Deploys through the test API above finished too, but only the command is the user's deploy.
      assert.ok(!(await walkthroughKeys()).includes(DEPLOYED), "a declined deploy does not complete the walkthrough's deploy step");
    } finally {
      api.setConfirm(async () => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(changed, { force: true });
    }
  });

  test("the walkthrough's deploy step completes when LVS: Deploy Cluster… finishes a deploy to the lab", async () => {
    const changed = path.join(path.dirname(seed.fsPath), 'seed-walkthrough.lvs');
    try {
      // A change to apply, so the deploy really writes the hosts (a weight, as a user would edit it).
      fs.writeFileSync(changed, fs.readFileSync(seed.fsPath, 'utf8').replace('real web2 weight 1', 'real web2 weight 3'));
      assert.ok(!(await walkthroughKeys()).includes(DEPLOYED), 'the step is open before the deploy');
      const asked: string[] = [];
      // The user clicks Deploy on the confirmation (the modal is not clickable from a test).
      api.setConfirm(async (message) => { asked.push(message); return 'Deploy'; });
      const outcome = (await vscode.commands.executeCommand('lvs.deploy', vscode.Uri.file(changed), { cluster: 'web', target: 'lab' })) as Outcome | undefined;
      assert.deepEqual(asked, ['Deploy cluster web to the local lab?']);
      assert.ok(outcome, 'the command returned an outcome');
      assert.equal(outcome.code, 0, outcome.message);
      assert.equal(outcome.changed, true, outcome.message);
      assert.ok((await walkthroughKeys()).includes(DEPLOYED), "the finished deploy completed the walkthrough's deploy step");
    } finally {
      api.setConfirm(async () => undefined);
      fs.rmSync(changed, { force: true });
    }
  });
});
