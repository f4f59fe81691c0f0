// An interrupted deploy (journal at `running`, its process gone) is found in the workspace on
// opening it, and only then: a live process, another machine, a journal whose .lvs file is not
// beside its .lvs-deploy folder, or one rolled back already is not offered for Roll Back.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Found { id: string; cluster: string; target: string; lvsFile: vscode.Uri }
interface TestApi { findInterrupted(): Promise<Found[]> }

suite('Interrupted deploys in the workspace', () => {
  let api: TestApi;
  let dir: string;
  let lvs: string;
  const written: string[] = [];

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<{ ready: Promise<void>; deployTesting?: TestApi }>('lvs-dr-studio.lvs-dr-studio')!;
    const exports = await ext.activate();
    await exports.ready;
    assert.ok(exports.deployTesting);
    api = exports.deployTesting;
    lvs = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'seed.lvs');
    dir = path.join(path.dirname(lvs), '.lvs-deploy');
    fs.mkdirSync(dir, { recursive: true });
  });

  suiteTeardown(() => {
    for (const f of written) fs.rmSync(f, { force: true });
  });

  const bootId = () => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  /** The PID of a process that has exited. */
  const deadPid = () => spawnSync(process.execPath, ['-e', ''], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }).pid!;

  function journal(id: string, extra: Record<string, unknown>): void {
    const f = path.join(dir, `${id}.json`);
    fs.writeFileSync(f, JSON.stringify({
      version: 1, kind: 'deploy', id, tool: 'lvs-dr-studio', source: lvs, sourceSha256: '0'.repeat(64), cluster: 'web', target: 'lab',
      startedAt: new Date().toISOString(), outcome: 'running', hosts: [], ...extra,
    }));
    written.push(f);
  }

  test('found only when its process is gone, on this machine, beside its .lvs file', async () => {
    journal('20260101T000000001Z-000001', { runner: { hostname: hostname(), bootId: bootId(), pid: deadPid() } });
    journal('20260101T000000002Z-000002', { runner: { hostname: hostname(), bootId: bootId(), pid: process.pid } });
    journal('20260101T000000003Z-000003', { runner: { hostname: `${hostname()}-other`, bootId: bootId(), pid: deadPid() } });
    journal('20260101T000000004Z-000004', { source: '/etc/passwd.lvs', runner: { hostname: hostname(), bootId: bootId(), pid: deadPid() } });
    journal('20260101T000000005Z-000005', { outcome: 'cancelled', runner: { hostname: hostname(), bootId: bootId(), pid: deadPid() } });
    journal('20260101T000000006Z-000006', { runner: { hostname: hostname(), bootId: 'another-boot', pid: process.pid } });
    const found = await api.findInterrupted();
    const ids = found.map((d) => d.id).filter((id) => id.startsWith('20260101T')).sort();
    assert.deepEqual(ids, ['20260101T000000001Z-000001', '20260101T000000006Z-000006'], 'dead PID, or a PID of an earlier boot');
    const d = found.find((x) => x.id === '20260101T000000001Z-000001')!;
    assert.equal(d.cluster, 'web');
    assert.equal(d.lvsFile.fsPath, lvs);
  });
});
