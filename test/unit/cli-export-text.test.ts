// The text of `lvsdr export ansible` for a person, in the reader's language, on the built CLI:
// the refusals of the output folder (RefusedError), an unreadable input, a file with errors and
// the summary are Chinese for LANG=zh_CN.UTF-8 and the English as before for LANG=C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/server/cli.js');
const HAN = /[\u4e00-\u9fff]/;
const SEED = resolve('examples/seed.lvs');

function lvsdr(args: string[], lang: string, cwd: string) {
  const env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: lang };
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, cwd, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('lvsdr export ansible: refusals, errors and the summary in Chinese for zh_CN, English for C', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-export-text-'));
  try {
    mkdirSync(join(dir, 'full'));
    writeFileSync(join(dir, 'full', 'mine.txt'), 'not an export\n');
    writeFileSync(join(dir, 'bad.lvs'), readFileSync(SEED, 'utf8').replace('scheduler rr', 'scheduler rrr'));
    // An earlier export whose roles folder became a symlink: the writer stops there.
    const zhOk = lvsdr(['export', 'ansible', SEED, '--out', 'zh'], 'zh_CN.UTF-8', dir);
    assert.equal(zhOk.code, 0, zhOk.err);
    assert.equal(zhOk.out, '集群 web：4 台主机的 Ansible 项目已写入 zh；机密（见 README.md）：lvs_vrrp_auth\n');
    rmSync(join(dir, 'zh', 'roles'), { recursive: true });
    symlinkSync(tmpdir(), join(dir, 'zh', 'roles'));

    const zh = (...args: string[]) => lvsdr(['export', 'ansible', ...args], 'zh_CN.UTF-8', dir);
    const en = (...args: string[]) => lvsdr(['export', 'ansible', ...args], 'C', dir);
    assert.equal(zh(SEED, '--out', 'full').err, 'lvsdr export ansible: full 不为空，也没有上次导出的记录（.lvsdr-export）：请选择一个空目录或新目录\n');
    assert.equal(en(SEED, '--out', 'full').err, 'lvsdr export ansible: full is not empty and holds no earlier export (.lvsdr-export): choose an empty or new directory\n');
    assert.match(zh(SEED, '--out', 'zh').err, /^lvsdr export ansible: zh\/roles 不是目录（是符号链接或文件）：不再写入任何文件$/m);
    assert.match(en(SEED, '--out', 'zh').err, /^lvsdr export ansible: zh\/roles is not a directory \(a symlink or a file\): nothing more is written$/m);
    assert.equal(zh(SEED, '--out', 'full/mine.txt').err, 'lvsdr export ansible: full/mine.txt 已存在且不是目录\n');
    assert.equal(zh('none.lvs', '--out', 'x').err, 'lvsdr export ansible: 无法读取 none.lvs：ENOENT\n');
    assert.equal(en('none.lvs', '--out', 'x').err, 'lvsdr export ansible: cannot read none.lvs: ENOENT\n');
    const zhBad = zh('bad.lvs', '--out', 'x');
    assert.equal(zhBad.code, 1);
    assert.match(zhBad.err, /^bad\.lvs:\d+:\d+ error LVS\d+ .*[\u4e00-\u9fff]/m);
    assert.match(zhBad.err, /^lvsdr export ansible: bad\.lvs 有错误；没有写入任何文件$/m);
    const enBad = en('bad.lvs', '--out', 'x');
    assert.match(enBad.err, /^lvsdr export ansible: bad\.lvs has errors; nothing was written$/m);
    assert.doesNotMatch(enBad.err, HAN);
    const enOk = en(SEED, '--out', 'en');
    assert.equal(enOk.out, 'cluster web: Ansible project for 4 hosts in en; secrets (README.md): lvs_vrrp_auth\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
