// The installed `lvsdr` (dist/server/cli.js) is a launcher that runs the CLI's bundles from the V8
// code caches written by the build. These tests run the built files (after `npm run build`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Module } from 'node:module';
import { Script } from 'node:vm';

const CHECK_BUNDLE = 'dist/server/cli-check.js';
const CHECK_CACHE = 'dist/server/cli-check.v8cache';

test("this node accepts the build's code caches of the bundles `lvsdr check` and `lvsdr generate` run", () => {
  // Compiled as the launcher compiles them: a rejected cache would silently cost every command its
  // compile time again (P6 in the bench).
  for (const name of ['cli-main', 'cli-check', 'cli-generate']) {
    const file = `dist/server/${name}.js`;
    const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: readFileSync(`dist/server/${name}.v8cache`) });
    assert.equal(script.cachedDataRejected, false, name);
  }
});

test('lvsdr check through the launcher: findings, output and exit code of the check bundle', () => {
  const ok = spawnSync(process.execPath, ['dist/server/cli.js', 'check', 'examples/seed.lvs', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), []);
  const missing = spawnSync(process.execPath, ['dist/server/cli.js', 'check', 'examples/no-such-file.lvs'], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read examples\/no-such-file\.lvs/);
});

test('V8 rejects the code cache for other source (a stale cache costs time, never behaviour)', () => {
  // V8 checks the cache against the source it is given; the launcher then compiles normally.
  const other = new Script(Module.wrap(`${readFileSync(CHECK_BUNDLE, 'utf8')}\n// changed`), { filename: CHECK_BUNDLE, cachedData: readFileSync(CHECK_CACHE) });
  assert.equal(other.cachedDataRejected, true);
});

test('lvsdr loads the bundle of the command it runs and no other (check never loads the SSH library)', () => {
  // Which files a run read, seen from inside: the launcher's require of each bundle is a file read.
  const probe = `
    const fs = require('node:fs'); const read = fs.readFileSync; const seen = [];
    fs.readFileSync = function (f, ...rest) { seen.push(String(f)); return read.call(this, f, ...rest); };
    process.argv = [process.argv[0], 'dist/server/cli.js', ...JSON.parse(process.env.ARGS)];
    process.on('exit', () => process.stderr.write('BUNDLES ' + JSON.stringify(seen.map((f) => f.replace(/.*\\//, '')).filter((f) => /^cli-[a-z]+\\.js$/.test(f))) + '\\n'));
    require('./dist/server/cli.js');`;
  const bundles = (args: string[]) => {
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, ARGS: JSON.stringify(args) } });
    const m = /BUNDLES (.*)/.exec(r.stderr);
    assert.ok(m, r.stderr);
    return JSON.parse(m[1]) as string[];
  };
  assert.deepEqual(bundles(['check', 'examples/seed.lvs']), ['cli-main.js', 'cli-check.js']);
  assert.deepEqual(bundles(['plan', '--help']), ['cli-main.js']);
  const check = readFileSync(CHECK_BUNDLE, 'utf8');
  assert.doesNotMatch(check, /node_modules\/ssh2\//);
});

test("an English run never builds the Chinese catalog: it is a module the check bundle runs on first use", () => {
  // esbuild makes a require inside a function a lazily run module (`__commonJS`); an import at the
  // top would build the 140 KB object in every run and grow the code cache by a fifth.
  for (const name of ['cli-main', 'cli-check']) {
    const bundle = readFileSync(`dist/server/${name}.js`, 'utf8');
    assert.match(bundle, /var require_server_l10n_zh_cn = __commonJS\(/, name);
    assert.doesNotMatch(bundle, /server_l10n_zh_cn_default\s*=/, name);
  }
  const zh = spawnSync(process.execPath, ['dist/server/cli.js', 'check', 'examples/broken/LVS010.lvs'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'zh_CN.UTF-8' } });
  assert.match(zh.stdout, /真实服务器 web2/);
});
