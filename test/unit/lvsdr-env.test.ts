// The environment the extension gives its lvsdr children (client/lvsdr-env.ts): Electron as
// Node, LC_MESSAGES in VS Code's display language, an inherited LC_ALL taken apart so it cannot
// override that; and the built CLI, run with it, speaks the display language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lvsdrEnv } from '../../client/lvsdr-env';
import { localeFromEnv } from '../../server/shared/l10n/locale';

test('zh-cn gives LC_MESSAGES=zh_CN.UTF-8, other display languages English; ELECTRON_RUN_AS_NODE always', () => {
  for (const lang of ['zh-cn', 'zh-CN', 'zh']) {
    const env = lvsdrEnv(lang, { PATH: '/bin', LANG: 'en_US.UTF-8' });
    assert.equal(env.LC_MESSAGES, 'zh_CN.UTF-8', lang);
    assert.equal(env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(env.LANG, 'en_US.UTF-8', 'LANG (the other categories) left alone');
    assert.equal(env.PATH, '/bin');
    assert.equal(localeFromEnv(env), 'zh-cn', lang);
  }
  for (const lang of ['en', 'de', 'zh-tw']) {
    const env = lvsdrEnv(lang, { LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' });
    assert.equal(env.LC_MESSAGES, 'C', lang);
    assert.equal(localeFromEnv(env), 'en', `${lang}: English although the shell is Chinese`);
  }
});

test('an inherited LC_ALL does not override the display language; the categories it set keep its value', () => {
  const base = { LC_ALL: 'en_US.UTF-8', LANG: 'C', HOME: '/home/op' };
  const env = lvsdrEnv('zh-cn', base);
  assert.equal(env.LC_ALL, undefined);
  assert.equal(localeFromEnv(env), 'zh-cn');
  for (const c of ['LC_CTYPE', 'LC_NUMERIC', 'LC_TIME', 'LC_COLLATE']) assert.equal(env[c], 'en_US.UTF-8', c);
  assert.equal(env.HOME, '/home/op');
  assert.deepEqual(base, { LC_ALL: 'en_US.UTF-8', LANG: 'C', HOME: '/home/op' }, 'the given environment is not changed');
  // An empty LC_ALL means unset: nothing to take apart.
  const empty = lvsdrEnv('en', { LC_ALL: '', LC_CTYPE: 'zh_CN.GBK' });
  assert.equal(empty.LC_ALL, undefined);
  assert.equal(empty.LC_CTYPE, 'zh_CN.GBK');
});

test('the built lvsdr, run with that environment, speaks the display language whatever the shell says', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvs-env-'));
  try {
    const file = join(dir, 'c.lvs');
    writeFileSync(file, readFileSync('examples/seed.lvs', 'utf8').replace(/vip-on lo:0/, ''));
    const run = (lang: string, shell: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, ['dist/server/cli.js', 'check', file], { encoding: 'utf8', env: lvsdrEnv(lang, { ...process.env, ...shell }) });
    const zh = run('zh-cn', { LC_ALL: 'en_US.UTF-8', LC_MESSAGES: '', LANG: 'en_US.UTF-8' });
    assert.equal(zh.status, 1, zh.stderr);
    assert.match(zh.stdout, /LVS030 真实服务器 web1/);
    const en = run('en', { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' });
    assert.equal(en.status, 1, en.stderr);
    assert.match(en.stdout, /LVS030 Real server web1/);
    assert.doesNotMatch(en.stdout, /[\u4e00-\u9fff]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
