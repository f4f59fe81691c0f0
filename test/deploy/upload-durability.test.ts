// Durability of an upload, observed while the real script runs: in a private mount namespace
// (unshare -m, tmpfs over /opt and /usr/local/sbin) `sync` and `mv` are wrapped by scripts
// that print their arguments on the script's own stdout and then run the real tool. The order
// of those lines and the script's `@@LVSDR` markers is the order things happened on the host:
// every staged file is fsynced before it is renamed, every directory after its renames and
// removals, and only then is the file reported committed or removed.
// Needs root; skipped otherwise (a failure under CI=true).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { PRELUDE } from '../../server/deploy/remote';
import { sha256Bytes } from '../../server/deploy/remote-files';
import { tempPath } from '../../server/deploy/staging';
import { uploadScript } from '../../server/deploy/upload';
import { mountSandboxSkip } from './mount-sandbox';

const reason = mountSandboxSkip('upload durability');

/** Runs `script` (after PRELUDE, whose PATH puts /usr/local/sbin first) with the wrappers. */
function runWrapped(setup: string, script: string): { code: number; stdout: string; stderr: string } {
  const wrapper = (tool: string, tag: string) =>
    `real=$(command -v ${tool}); printf '#!/bin/sh\\necho "${tag} $*"\\nexec %s "$@"\\n' "$real" >/usr/local/sbin/${tool}; chmod 755 /usr/local/sbin/${tool}`;
  const outer = [
    'set -e',
    'mount -t tmpfs tmpfs /opt',
    'mount -t tmpfs tmpfs /usr/local/sbin',
    wrapper('sync', 'SYNC'),
    wrapper('mv', 'MV'),
    setup,
    'exec sh -s',
  ].join('\n');
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', outer], { input: `${PRELUDE}\n${script}\n`, encoding: 'utf8' });
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

test('upload: every file fsynced before its rename, every directory after, both before the commit is reported', { skip: reason }, () => {
  const ID = '20250101T000000000Z-abc123';
  const files = [
    { path: '/opt/lvs/apply.sh', mode: 0o755, content: '#!/bin/sh\necho new\n' },
    { path: '/opt/t/etc/keepalived/keepalived.conf', mode: 0o600, content: 'global_defs {}\n' },
    { path: '/opt/t/etc/sysctl.d/90-lvs.conf', mode: 0o644, content: 'net.ipv4.ip_forward = 1\n' },
  ].map((f) => ({ ...f, sha256: sha256Bytes(f.content) }));
  const removals = ['/opt/t/old/gone.conf'];
  const r = runWrapped('mkdir -p /opt/t/old && echo old >/opt/t/old/gone.conf', uploadScript(ID, files, removals));
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const at = (pred: (l: string) => boolean, what: string): number => {
    const i = lines.findIndex(pred);
    assert.ok(i >= 0, `${what} happened:\n${r.stdout}`);
    return i;
  };
  const syncs = lines.map((l, i) => ({ l, i })).filter((x) => x.l.startsWith('SYNC '));
  const syncedAfter = (target: string, from: number) => syncs.some((s) => s.i > from && s.l.split(' ').slice(1).includes(target));
  const syncedBetween = (target: string, from: number, to: number) => syncs.some((s) => s.i > from && s.i < to && s.l.split(' ').slice(1).includes(target));
  files.forEach((f, k) => {
    const tmp = tempPath(f.path, ID);
    const mv = at((l) => l === `MV -f -- ${tmp} ${f.path}`, `rename of ${f.path}`);
    const committed = at((l) => l === `@@LVSDR COMMITTED ${k}`, `commit report of ${f.path}`);
    assert.ok(syncedBetween(tmp, -1, mv), `${tmp} is fsynced before it is renamed`);
    assert.ok(syncedBetween(dirname(f.path), mv, committed), `${dirname(f.path)} is fsynced after the rename of ${f.path} and before COMMITTED ${k}`);
  });
  const removed = at((l) => l === '@@LVSDR REMOVED 0', 'removal report');
  const lastCommit = at((l) => l === `@@LVSDR COMMITTED ${files.length - 1}`, 'last commit');
  assert.ok(syncedBetween('/opt/t/old', lastCommit, removed), 'the directory of a removed file is fsynced before the removal is reported');
  assert.ok(!syncedAfter('/opt/t/old', removed), 'nothing is synced after the last report');
  assert.match(r.stdout, /^@@LVSDR UPLOADED$/m);
  assert.doesNotMatch(r.stderr, /ignoring all arguments/, 'this coreutils fsyncs each named file (8.24 or newer)');
});
