// The engine's remote scripts run for real (no network): inside a private mount namespace of
// this machine (unshare -m) where /opt, /run and /var/lib are empty tmpfs, so nothing the
// scripts write reaches the machine. Read, lock, backup, upload, restore (byte-identical,
// modes, absent files deleted, created directories removed), a failed upload, and stopping an
// orphaned step. Needs root; skipped otherwise (a failure under CI=true).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PRELUDE } from '../../server/deploy/remote';
import { readScript, parseRead, sha256Bytes } from '../../server/deploy/remote-files';
import { acquireScript, parseHolder, releaseScript } from '../../server/deploy/lock';
import { backupScript, parseBackup, parseStateReport, pruneScript, restoreScript } from '../../server/deploy/backup';
import { tempPath } from '../../server/deploy/staging';
import { uploadScript } from '../../server/deploy/upload';
import { sessionScript, stopOrphanScript } from '../../server/deploy/scripts';
import { markedLines } from '../../server/deploy/remote';
import { MountSandbox, mountSandboxSkip, startMountSandbox } from './mount-sandbox';

const reason = mountSandboxSkip('remote scripts sandbox');

describe('remote scripts in a private mount namespace', { skip: reason }, () => {
  let box: MountSandbox | undefined;
  const ID = '20250101T000000000Z-abc123';
  const ID2 = '20250101T000000001Z-def456';
  const run = (script: string, input = '') => box!.run(script, input);
  const sh = (script: string) => box!.sh(script);

  before(async () => {
    box = await startMountSandbox();
    assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(' /opt tmpfs'), 'the machine does not see the sandbox mounts');
  });
  after(() => box?.stop());

  const A = '/opt/lvs/apply.sh';
  const X = '/opt/t/etc/x.conf';
  const Y = '/opt/t/new/dir/y.conf';
  const paths = [A, X, Y];

  test('read reports present files with mode, bytes and mtime; absent ones as absent', () => {
    sh(`mkdir -p /opt/lvs /opt/t/etc && printf 'old apply\\n' >${A} && chmod 755 ${A} && printf 'old x\\000bin\\n' >${X} && chmod 600 ${X}`);
    const r = run(readScript(paths, false));
    assert.equal(r.code, 0, r.stderr);
    const snap = parseRead(paths, r.stdout);
    assert.equal(snap.files[0].content!.toString(), 'old apply\n');
    assert.equal(snap.files[0].mode, 0o755);
    assert.equal(snap.files[1].content!.toString('latin1'), 'old x\0bin\n', 'binary bytes survive');
    assert.equal(snap.files[1].mode, 0o600);
    assert.equal(snap.files[2].state, 'absent');
    sh('mkdir -p /opt/t/dir-not-file');
    assert.equal(parseRead(['/opt/t/dir-not-file'], run(readScript(['/opt/t/dir-not-file'], false)).stdout).files[0].state, 'other');
  });

  test('lock: first taker wins, a second one is refused and cannot release it', () => {
    const T1 = 'a'.repeat(32);
    const T2 = 'b'.repeat(32);
    assert.match(sh(acquireScript({ deployId: ID, token: T1 })), /^LOCK=acquired$/m);
    const held = sh(acquireScript({ deployId: ID2, token: T2 }));
    assert.match(held, /^LOCK=held$/m);
    assert.equal(parseHolder(held)!.id, ID);
    assert.equal(parseHolder(held)!.token, T1);
    assert.match(sh(releaseScript(ID2, T2)), /^LOCK=not-ours$/m);
    assert.match(sh(releaseScript(ID, T2)), /^LOCK=not-ours$/m, 'the right id with another token is not the owner');
    assert.match(sh(acquireScript({ deployId: ID, token: T1 })), /^LOCK=retaken$/m, 'the same run re-takes its own lock in place');
    assert.match(sh(releaseScript(ID, T1)), /^LOCK=released$/m);
    assert.match(sh(acquireScript({ deployId: ID2, token: T2 })), /^LOCK=acquired$/m);
    assert.match(sh(releaseScript(ID2, T2)), /^LOCK=released$/m);
  });

  test('backup, upload, restore: every file back byte for byte, absent ones gone, new directories removed', () => {
    const before = parseRead(paths, run(readScript(paths, false)).stdout);
    const b = run(backupScript(ID, paths, '#!/bin/sh\necho rolled back\n'));
    assert.equal(b.code, 0, b.stderr);
    const sec = markedLines(b.stdout);
    const entries = parseBackup(sec.find((s) => s.words[0] === 'MANIFEST')!.body, sec.find((s) => s.words[0] === 'SUMS')!.body);
    assert.deepEqual(entries, [{ path: A, sha256: before.files[0].sha256 }, { path: X, sha256: before.files[1].sha256 }, { path: Y, sha256: null }]);
    assert.equal(sh(`cat /var/lib/lvs-dr/backup/${ID}/dirs`), '/opt/t/new\n/opt/t/new/dir\n');
    assert.equal(sh(`stat -c %a /var/lib/lvs-dr/backup/${ID}`).trim(), '700');

    const files = [
      { path: A, mode: 0o755, content: 'new apply\n' }, { path: X, mode: 0o644, content: 'new x\n' }, { path: Y, mode: 0o600, content: "y 'quoted' $(not run)\n" },
    ].map((f) => ({ ...f, sha256: sha256Bytes(f.content) }));
    const u = run(uploadScript(ID, files, []));
    assert.equal(u.code, 0, u.stderr);
    const after = parseRead(paths, run(readScript(paths, false)).stdout);
    assert.deepEqual(after.files.map((f) => [f.content!.toString(), f.mode]), files.map((f) => [f.content, f.mode]));
    assert.equal(sh('ls -a /opt/t/etc /opt/lvs | grep -c lvsdr || true').trim(), '0', 'no temporary file left');

    const r = run(restoreScript(ID, [
      { path: A, before: { sha256: before.files[0].sha256!, mode: 0o755 } },
      { path: X, before: { sha256: before.files[1].sha256!, mode: 0o600 } },
      { path: Y, before: null },
    ], true));
    assert.equal(r.code, 0, r.stderr);
    const state = parseStateReport(r.stdout);
    assert.equal(state.get(A)!.sha256, before.files[0].sha256);
    assert.equal(state.get(X)!.mode, '600');
    assert.ok(!state.has(Y));
    const again = parseRead(paths, run(readScript(paths, false)).stdout);
    assert.deepEqual(again.files.map((f) => [f.sha256, f.mode, f.mtime]), before.files.map((f) => [f.sha256, f.mode, f.mtime]), 'bytes, modes and mtimes as before');
    assert.equal(run('[ -e /opt/t/new ]').code, 1, 'the created directories are gone');
    assert.equal(run('[ -e /var/lib/lvs-dr ]').code, 1, 'the state directory (absent before) is gone');
  });

  test('pruning keeps the newest backups only', () => {
    const ids = ['20250101T000000000Z-000001', '20250102T000000000Z-000002', '20250103T000000000Z-000003', '20250104T000000000Z-000004'];
    sh(`mkdir -p ${ids.map((i) => `/var/lib/lvs-dr/backup/${i}`).join(' ')} /var/lib/lvs-dr/backup/.hidden`);
    sh(pruneScript(2));
    assert.deepEqual(sh('ls -A /var/lib/lvs-dr/backup').trim().split('\n'), ['.hidden', ...ids.slice(2)]);
    sh('rm -rf /var/lib/lvs-dr');
  });

  test('a staged file with a wrong checksum aborts the upload before any rename', () => {
    const before = parseRead(paths, run(readScript(paths, false)).stdout);
    const u = run(uploadScript(ID, [
      { path: A, mode: 0o755, content: 'changed\n', sha256: sha256Bytes('changed\n') },
      { path: X, mode: 0o644, content: 'x\n', sha256: '0'.repeat(64) },
    ], []));
    assert.notEqual(u.code, 0);
    assert.match(u.stderr, /staged copy of \/opt\/t\/etc\/x\.conf does not match/);
    const now = parseRead(paths, run(readScript(paths, false)).stdout);
    assert.deepEqual(now.files.map((f) => f.sha256), before.files.map((f) => f.sha256));
    assert.equal(run(`[ -e ${tempPath(A, ID)} ] || [ -e ${tempPath(X, ID)} ]`).code, 1, 'temporary files removed');
  });

  test('a step left running by a dropped session is stopped with its whole session', async () => {
    sh(`mkdir -p /run/lvs-dr.lock && printf '#!/bin/sh\\nsleep 300 &\\nwait\\n' >/opt/t/slow.sh`);
    const child = spawn('nsenter', ['-t', String(box!.pid), '-m', '--', 'sh', '-s'], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin!.end(`${PRELUDE}\n${sessionScript('/opt/t/slow.sh')}\n`);
    let stepPid = '';
    for (let i = 0; i < 50 && !stepPid; i++) {
      await new Promise((r) => setTimeout(r, 100));
      stepPid = run('cat /run/lvs-dr.lock/step.pid 2>/dev/null || true').stdout.trim();
    }
    assert.match(stepPid, /^\d+$/);
    const out = sh(stopOrphanScript());
    assert.match(out, /stopped: step session/);
    assert.equal(run(`kill -0 ${stepPid} 2>/dev/null`).code, 1, 'the step is gone');
    assert.equal(sh(`ps -e -o sid=,stat=,comm= | awk '$1 == ${stepPid} && $2 !~ /^Z/' | wc -l`).trim(), '0', 'and so is every process of its session (zombies aside)');
    assert.equal(run('[ -e /run/lvs-dr.lock/step.pid ]').code, 1);
    await new Promise((r) => child.once('close', r));
    execFileSync('true');
  });
});
