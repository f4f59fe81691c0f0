// An unreadable .lvs file, as `lvsdr check` and `lvsdr status` report it, and a host `lvsdr import
// --ssh` cannot connect to, on the built CLI: in Chinese for LANG=zh_CN.UTF-8, the English as before
// for LANG=C (the path and the code as they are); and `lvsdr lab` with no lab up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

test('lvsdr import --ssh with no host reachable: the connection error and the outcome in Chinese for zh_CN, English for C', () => {
  const home = mkdtempSync(join(tmpdir(), 'lvsdr-import-home-'));
  try {
    // Every host goes to 127.0.0.1 port 9 and there is no key: the connection fails on this machine.
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    writeFileSync(join(home, '.ssh', 'config'), 'Host *\n  HostName 127.0.0.1\n  Port 9\n');
    writeFileSync(join(home, '.ssh', 'known_hosts'), '');
    const run = (lang: string) => spawnSync(process.execPath, [CLI, 'import', '--ssh', 'root@lvs1'], {
      encoding: 'utf8', cwd: home, timeout: 60_000, env: { ...process.env, HOME: home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, SSH_AUTH_SOCK: '' },
    });
    const zh = run('zh_CN.UTF-8');
    assert.equal(zh.status, 1, zh.stderr);
    assert.match(zh.stderr, /^lvsdr import: lvs1: lvs1：连接失败：[^\n]*[\u4e00-\u9fff]/m);
    assert.match(zh.stderr, /^lvsdr import: 没有读到任何主机$/m);
    const en = run('C');
    assert.match(en.stderr, /^lvsdr import: lvs1: lvs1: connect failed: [^\n\u4e00-\u9fff]+$/m);
    assert.match(en.stderr, /^lvsdr import: no host could be read$/m);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('lvsdr lab status, exec and down with no lab up: in Chinese for zh_CN, English for C', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-no-lab-'));
  try {
    const run = (args: string[], lang: string) => {
      const r = spawnSync(process.execPath, [CLI, 'lab', ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: lang, LVSDR_LAB_DIR: dir }, timeout: 60_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    assert.deepEqual(run(['status'], 'zh_CN.UTF-8'), { code: 1, out: `没有运行中的本地实验环境（状态目录 ${dir}）\n`, err: '' });
    assert.deepEqual(run(['status'], 'C'), { code: 1, out: `no lab is up (state directory ${dir})\n`, err: '' });
    assert.deepEqual(run(['exec', 'web1', '--', 'true'], 'zh_CN.UTF-8'), { code: 1, out: '', err: `lvsdr lab exec: 没有运行中的本地实验环境（状态目录 ${dir}）\n` });
    assert.deepEqual(run(['exec', 'web1', '--', 'true'], 'C'), { code: 1, out: '', err: `lvsdr lab exec: no lab is up (state directory ${dir})\n` });
    // `lab down` lists the machine's stray lvsdr-* namespaces too (none without root): only the first line is checked.
    assert.equal(run(['down'], 'zh_CN.UTF-8').out.split('\n')[0], `没有运行中的本地实验环境（状态目录 ${dir}）`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lvsdr import --cluster with something that is not a name: the name rule in Chinese for zh_CN, English for C, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-import-name-'));
  try {
    const zh = lvsdr(['import', '--keepalived', 'k.conf', '--cluster', '9bad'], 'zh_CN.UTF-8', dir);
    assert.equal(zh.code, 2);
    assert.equal(zh.err.split('\n')[0], "lvsdr import: --cluster 9bad：不是合法的名称（以字母或 '_' 开头，后接字母、数字、'_' 或 '-'）");
    const en = lvsdr(['import', '--keepalived', 'k.conf', '--cluster', '9bad'], 'C', dir);
    assert.equal(en.code, 2);
    assert.equal(en.err.split('\n')[0], "lvsdr import: --cluster 9bad: not a name (a letter or '_' followed by letters, digits, '_' or '-')");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
