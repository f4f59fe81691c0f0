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

test('the Chinese catalog is a file beside the bundles, @vscode/l10n a module loaded with it: an English run loads neither, a Chinese one both', () => {
  // Bundled, its 130 KB would be read and in the code cache of every run (P6); the language
  // server and the CLI require it on the first message in Chinese (server/shared/l10n/localize.ts).
  for (const name of ['cli-main', 'cli-check', 'server']) assert.doesNotMatch(readFileSync(`dist/server/${name}.js`, 'utf8'), /真实服务器/, name);
  const probe = `
    const fs = require('node:fs'); const read = fs.readFileSync; const seen = [];
    fs.readFileSync = function (f, ...rest) { seen.push(String(f)); return read.call(this, f, ...rest); };
    process.argv = [process.argv[0], 'dist/server/cli.js', 'check', 'examples/broken/LVS010.lvs'];
    process.on('exit', () => process.stderr.write('READ ' + JSON.stringify(seen.filter((f) => f.endsWith('.json')).map((f) => f.replace(/.*\\//, ''))) + '\\n'
      + 'FS_PROMISES ' + process.moduleLoadList.includes('NativeModule fs/promises') + '\\n'));
    require('./dist/server/cli.js');`;
  const read = (lang: string) => {
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, LC_ALL: lang } });
    const m = /READ (.*)/.exec(r.stderr);
    assert.ok(m, r.stderr);
    // @vscode/l10n loads node's fs/promises (about 1 ms of a start, P6); nothing else of a check does.
    return { json: JSON.parse(m[1]) as string[], out: r.stdout, l10nLoaded: /FS_PROMISES true/.test(r.stderr) };
  };
  const en = read('C');
  assert.deepEqual(en.json, []);
  assert.equal(en.l10nLoaded, false);
  assert.match(en.out, /Real server web2/);
  const zh = read('zh_CN.UTF-8');
  assert.deepEqual(zh.json, ['server.l10n.zh-cn.json']);
  assert.equal(zh.l10nLoaded, true);
  assert.match(zh.out, /真实服务器 web2/);
});
