// Live health in the LVS Clusters view, in a real VS Code against the local lab: the seed is
// deployed with the built CLI, live status watches cluster web on the lab (started through the
// test-only API: the command would ask for the target in a quick pick), and the row of web shows
// the status bar's words for a healthy cluster; once the watch stops, the row shows no health.
// Runs after deploy.test.ts (mocha takes the files in name order): that suite has taken its lab
// down in its own teardown, this one brings its own lab up and down.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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

  suiteSetup(async function () {
    if (!canRunLab) {
      if (process.env.CI === 'true') throw new Error('the lab needs root on Linux, and CI must run it');
      this.skip();
    }
    const api = await vscode.extensions.getExtension<Api>('lvs-dr-studio.lvs-dr-studio')!.activate();
    await api.ready;
    assert.ok(api.clustersTesting && api.liveTesting, 'the test-only APIs are there in test mode');
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
});
