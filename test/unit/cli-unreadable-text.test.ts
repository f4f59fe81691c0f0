// An unreadable .lvs file, as `lvsdr check` and `lvsdr status` report it on the built CLI: in
// Chinese for LANG=zh_CN.UTF-8, the English as before for LANG=C (the path and the code as they are).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/server/cli.js');

function lvsdr(args: string[], lang: string, cwd: string) {
  const env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: lang };
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, cwd, timeout: 60_000 });
  return { code: r.status, err: r.stderr };
}

test('lvsdr check and status: an unreadable file in Chinese for zh_CN, English for C', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-unreadable-'));
  try {
    assert.equal(lvsdr(['check', 'none.lvs'], 'zh_CN.UTF-8', dir).err, 'lvsdr check: 无法读取 none.lvs：ENOENT\n');
    assert.equal(lvsdr(['check', 'none.lvs'], 'C', dir).err, 'lvsdr check: cannot read none.lvs: ENOENT\n');
    const zh = lvsdr(['status', 'none.lvs'], 'zh_CN.UTF-8', dir);
    assert.equal(zh.code, 1);
    assert.equal(zh.err, 'lvsdr status: 解析失败：无法读取 none.lvs：ENOENT\n');
    assert.equal(lvsdr(['status', 'none.lvs'], 'C', dir).err, 'lvsdr status: resolve failed: cannot read none.lvs: ENOENT\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
