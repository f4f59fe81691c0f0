// The installed `lvsdr` (dist/server/cli.js) is a launcher that runs the CLI bundle from the V8
// code cache written by the build. These tests run the built files (after `npm run build`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Module } from 'node:module';
import { Script } from 'node:vm';

const BUNDLE = 'dist/server/cli-bundle.js';

test("this node accepts the build's code cache of the CLI bundle", () => {
  // Compiled as the launcher compiles it: a rejected cache would silently cost every command its
  // compile time again (P6 in the bench).
  const script = new Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData: readFileSync('dist/server/cli-bundle.v8cache') });
  assert.equal(script.cachedDataRejected, false);
});

test('lvsdr check through the launcher: findings, output and exit code of the bundle', () => {
  const ok = spawnSync(process.execPath, ['dist/server/cli.js', 'check', 'examples/seed.lvs', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), []);
  const missing = spawnSync(process.execPath, ['dist/server/cli.js', 'check', 'examples/no-such-file.lvs'], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read examples\/no-such-file\.lvs/);
});

test('V8 rejects the code cache for other source (a stale cache costs time, never behaviour)', () => {
  // V8 checks the cache against the source it is given; the launcher then compiles normally.
  const other = new Script(Module.wrap(`${readFileSync(BUNDLE, 'utf8')}\n// changed`), { filename: BUNDLE, cachedData: readFileSync('dist/server/cli-bundle.v8cache') });
  assert.equal(other.cachedDataRejected, true);
});
