// Live health in the LVS Clusters view, in a real VS Code against the local lab: the seed is
// deployed with the built CLI, live status watches cluster web on the lab (started through the
// test-only API: the command would ask for the target in a quick pick), and the row of web shows
// the status bar's words for a healthy cluster; once the watch stops, the row shows no health.
// The LVS Hosts view, on the same lab, shows each host's state beside it (VRRP state and VIPs,
// in service and active connections) for the watched file only, and nothing once the watch stops.
// The designer's Drain (its modal answered through the test-only stand-in) waits for web2's active
// connections to reach 0, as the palette's drain does: the action journal's record says it waited.
// Runs after deploy.test.ts (mocha takes the files in name order): that suite has taken its lab
// down in its own teardown, this one brings its own lab up and down.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// out/test/vscode/suite → the repository (the built CLI brings the lab up and down, deploys).
const repo = path.resolve(__dirname, '../../../..');
const cli = path.join(repo, 'dist/server/cli.js');
const canRunLab = process.platform === 'linux' && process.getuid?.() === 0;

interface LiveKey { file: string; cluster: string; target: 'lab' | 'hosts' }
interface Row { uri: vscode.Uri; cluster: string; health: { target: string; text: string; ok: boolean }[] }
interface Api {
  ready: Promise<void>;
  clustersTesting?: { clusters(): Promise<Row[]>; shown(row: Row): { description: string; tooltip: string } };
  liveTesting?: { watch(key: LiveKey): void; stop(key: LiveKey): void };
  designer: {
    openPanels(): string[];
    receive(uri: string, message: unknown): Promise<void>;
    setActionConfirm?(confirm: ((message: string, detail: string, button: string) => Thenable<string | undefined>) | undefined): void;
  };
  hostsTesting?: { hosts(uri: vscode.Uri): Promise<{ cluster: string; host: string; description: string }[]> };
}

/** Runs the built CLI without blocking the extension host; rejects with its exit code. */
function lvsdr(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`lvsdr ${args.join(' ')}: exit ${code}`))));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

suite('Live health in the LVS Clusters view', function () {
  this.timeout(600_000);
  let seed: vscode.Uri;
  let clusters: NonNullable<Api['clustersTesting']>;
  let live: NonNullable<Api['liveTesting']>;
  let hostsView: NonNullable<Api['hostsTesting']>;
  let designer: Api['designer'];

  suiteSetup(async function () {
    if (!canRunLab) {
      if (process.env.CI === 'true') throw new Error('the lab needs root on Linux, and CI must run it');
      this.skip();
    }
    const api = await vscode.extensions.getExtension<Api>('lvs-dr-studio.lvs-dr-studio')!.activate();
    await api.ready;
    assert.ok(api.clustersTesting && api.liveTesting && api.hostsTesting, 'the test-only APIs are there in test mode');
    hostsView = api.hostsTesting;
    designer = api.designer;
    clusters = api.clustersTesting;
    live = api.liveTesting;
    seed = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'seed.lvs');
    // The VRRP password of secret:vrrp-web, as a user would keep it in the environment.
    process.env.LVS_SECRET_VRRP_WEB = 'lab-vrrp';
    await lvsdr(['lab', 'up', seed.fsPath]);
    await lvsdr(['deploy', seed.fsPath, '--target', 'lab', '--yes', '--no-probe']);
  });

  suiteTeardown(async () => {
    if (!canRunLab) return;
    try {
      await lvsdr(['lab', 'down']);
    } catch (err) {
      console.error('lab down failed', err);
    }
  });

  const webRow = async () => (await clusters.clusters()).find((r) => r.cluster === 'web' && r.uri.fsPath === seed.fsPath);

  test('the row of web shows the status bar\'s healthy words while live status watches it, and none once it stops', async () => {
    const key: LiveKey = { file: seed.fsPath, cluster: 'web', target: 'lab' };
    const before = await webRow();
    assert.ok(before, 'seed.lvs#web is listed');
    assert.deepEqual(before.health, [], 'no health before live status is on');
    assert.doesNotMatch(clusters.shown(before).description, /live on/);
    const started = Date.now();
    live.watch(key);
    let shown = { description: '', tooltip: '' };
    try {
      // keepalived's health checks put both real servers in service within a few intervals.
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(500)) {
        shown = clusters.shown((await webRow())!);
        if (shown.description.includes('live on lab: all 2 in service')) break;
      }
      console.log(`[live-health] the row read healthy after ${((Date.now() - started) / 1000).toFixed(1)} s: ${shown.description}`);
      // The file, its drift (whatever an earlier suite's deploy left), then the health.
      assert.match(shown.description, /^seed\.lvs · [^·]+ · live on lab: all 2 in service$/);
      assert.match(shown.tooltip, /^live on lab: all 2 in service$/m);
      const row = (await webRow())!;
      assert.deepEqual(row.health.map((h) => [h.target, h.ok]), [['lab', true]]);
      const others = (await clusters.clusters()).filter((r) => !(r.cluster === 'web' && r.uri.fsPath === seed.fsPath));
      assert.ok(others.every((r) => r.health.length === 0), 'only the watched cluster has a health');
    } finally {
      live.stop(key);
    }
    const after = (await webRow())!;
    assert.deepEqual(after.health, [], 'the health is cleared when the watch stops');
    assert.match(clusters.shown(after).description, /^seed\.lvs · [^·]+$/);
  });

  test('the LVS Hosts view shows each host\'s live state beside it while watched, only for the watched file, and none once the watch stops', async () => {
    const key: LiveKey = { file: seed.fsPath, cluster: 'web', target: 'lab' };
    // Another file with a cluster of the same name: the live state of seed.lvs is not its.
    const twin = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, `twin-${process.pid}.lvs`);
    fs.copyFileSync(seed.fsPath, twin.fsPath);
    const words = (rows: { host: string; description: string }[]) => Object.fromEntries(rows.map((r) => [r.host, r.description]));
    try {
      const before = words(await hostsView.hosts(seed));
      assert.deepEqual(Object.keys(before).sort(), ['lvs1', 'lvs2', 'web1', 'web2']);
      for (const [host, d] of Object.entries(before)) assert.match(d, /^\d+ files$/, `${host} shows no live state before the watch: ${d}`);
      live.watch(key);
      let shown: Record<string, string> = {};
      try {
        for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(500)) {
          shown = words(await hostsView.hosts(seed));
          if (/^MASTER /.test(shown.lvs1) && /^in service/.test(shown.web1) && /^in service/.test(shown.web2)) break;
        }
        console.log(`[live-health] hosts view: ${JSON.stringify(shown)}`);
        assert.match(shown.lvs1, /^MASTER 192\.168\.147\.100( ⚠ LVS\d+)* · \d+ files$/);
        assert.match(shown.lvs2, /^BACKUP( ⚠ LVS\d+)* · \d+ files$/);
        for (const h of ['web1', 'web2']) assert.match(shown[h], /^in service, \d+ active( ⚠ LVS\d+)* · \d+ files$/, h);
        const other = words(await hostsView.hosts(twin));
        for (const [host, d] of Object.entries(other)) assert.match(d, /^\d+ files$/, `${host} of ${path.basename(twin.fsPath)} (not watched) shows no live state: ${d}`);
      } finally {
        live.stop(key);
      }
      const after = words(await hostsView.hosts(seed));
      for (const [host, d] of Object.entries(after)) assert.match(d, /^\d+ files$/, `${host}'s live state goes away when the watch stops: ${d}`);
    } finally {
      fs.rmSync(twin.fsPath, { force: true });
    }
  });

  test('Drain from the designer waits, as the palette\'s drain does, for the active connections to reach 0 (the journal says so); Restore puts it back', async () => {
    const key = seed.toString();
    await vscode.commands.executeCommand('vscode.openWith', seed, 'lvs.designer');
    for (const deadline = Date.now() + 30_000; !designer.openPanels().includes(key) && Date.now() < deadline;) await sleep(200);
    assert.ok(designer.openPanels().includes(key), 'the designer is open on seed.lvs');
    assert.ok(designer.setActionConfirm, 'the test-only modal stand-in is there in test mode');
    const asked: string[] = [];
    designer.setActionConfirm!(async (message, _detail, button) => { asked.push(message); return button; });
    const journal = path.join(path.dirname(seed.fsPath), '.lvs-deploy', 'actions.jsonl');
    const records = () => (fs.existsSync(journal) ? fs.readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; server?: string; outcome: string; detail: string }) : []);
    try {
      // Go live: the designer asks for the target in VS Code's quick pick; the first item is the lab.
      const going = designer.receive(key, { type: 'setLive', on: true });
      await sleep(2000);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await going;
      const before = records().length;
      const started = Date.now();
      await designer.receive(key, { type: 'serverAction', action: 'drain', cluster: 'web', server: 'web2' });
      const drained = records().slice(before);
      console.log(`[live-health] designer drain: ${((Date.now() - started) / 1000).toFixed(1)} s, ${JSON.stringify(drained.map((r) => r.detail))}`);
      assert.deepEqual(asked, ['Drain real server web2 of cluster web on the local lab?']);
      assert.equal(drained.length, 1, 'one journal record for the drain');
      assert.equal(drained[0].action, 'drain');
      assert.equal(drained[0].outcome, 'done');
      // The CLI's words when it waited (with --no-wait it says "weight 0; not waited").
      assert.match(drained[0].detail, /^web2 drained \(no active connection after [\d.]+ s\)$/);
      await designer.receive(key, { type: 'serverAction', action: 'restore', cluster: 'web', server: 'web2' });
      const restored = records().slice(before + 1);
      assert.deepEqual(restored.map((r) => [r.action, r.outcome]), [['restore', 'done']]);
    } finally {
      designer.setActionConfirm!(undefined);
      await designer.receive(key, { type: 'setLive', on: false }).catch(() => undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
