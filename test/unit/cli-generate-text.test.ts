// The text of `lvsdr generate` for a person, in the reader's language, on the built CLI: the
// warning for a secret left as a placeholder is Chinese for LANG=zh_CN.UTF-8 and English for
// LANG=C, while the comment it leaves in the generated keepalived.conf is the same English bytes
// in both (generated files do not depend on who ran the generator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/server/cli.js');
const HAN = /[\u4e00-\u9fff]/;
const SEED = resolve('examples/seed.lvs');

function lvsdr(args: string[], lang: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: lang };
  delete env.LVS_SECRET_VRRP_WEB;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('lvsdr generate: an unresolved secret is warned about in Chinese for zh_CN, English for C; the file comment stays English', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-generate-text-'));
  try {
    const zh = lvsdr(['generate', SEED, '--out', join(dir, 'zh')], 'zh_CN.UTF-8');
    assert.equal(zh.code, 0, zh.err);
    assert.match(zh.err, /^lvsdr generate: 警告：集群 web：调度器 lvs1：VRRP auth_pass：无法解析 secret:vrrp-web（请设置 LVS_SECRET_VRRP_WEB）；部署前请替换占位符$/m);
    const en = lvsdr(['generate', SEED, '--out', join(dir, 'en')], 'C');
    assert.equal(en.code, 0, en.err);
    assert.match(en.err, /^lvsdr generate: warning: cluster web: director lvs1: VRRP auth_pass: secret:vrrp-web could not be resolved \(set LVS_SECRET_VRRP_WEB\); replace the placeholder before deploying$/m);
    assert.doesNotMatch(en.out + en.err, HAN);

    const conf = (lang: string) => readFileSync(join(dir, lang, 'web', 'lvs1', 'etc', 'keepalived', 'keepalived.conf'), 'utf8');
    assert.match(conf('zh'), /^ +# WARNING: secret:vrrp-web could not be resolved \(set LVS_SECRET_VRRP_WEB\); replace the placeholder before deploying\n +auth_pass @@secret:vrrp-web@@$/m);
    assert.equal(conf('zh'), conf('en'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lvsdr generate: an unreadable file, a file with errors, an unknown cluster and the summary in Chinese for zh_CN, English for C', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-generate-text-'));
  try {
    const bad = join(dir, 'bad.lvs');
    writeFileSync(bad, readFileSync(SEED, 'utf8').replace('scheduler rr', 'scheduler rrr'));
    const out = join(dir, 'out');
    assert.equal(lvsdr(['generate', join(dir, 'none.lvs'), '--out', out], 'zh_CN.UTF-8').err, `lvsdr generate: 无法读取 ${join(dir, 'none.lvs')}：ENOENT\n`);
    assert.equal(lvsdr(['generate', join(dir, 'none.lvs'), '--out', out], 'C').err, `lvsdr generate: cannot read ${join(dir, 'none.lvs')}: ENOENT\n`);
    const zhBad = lvsdr(['generate', bad, '--out', out], 'zh_CN.UTF-8');
    assert.equal(zhBad.code, 1);
    assert.match(zhBad.err, /^\S+bad\.lvs:\d+:\d+ error LVS\d+ .*[\u4e00-\u9fff]/m);
    assert.match(zhBad.err, /^lvsdr generate: \S+bad\.lvs 有错误；没有生成任何文件$/m);
    const enBad = lvsdr(['generate', bad, '--out', out], 'C');
    assert.match(enBad.err, /^lvsdr generate: \S+bad\.lvs has errors; nothing was generated$/m);
    assert.doesNotMatch(enBad.err, HAN);
    assert.equal(lvsdr(['generate', SEED, '--out', out, '--cluster', 'nope'], 'zh_CN.UTF-8').err, "lvsdr generate: 没有名为 'nope' 的集群（现有集群：web）\n");
    assert.equal(lvsdr(['generate', SEED, '--out', out, '--cluster', 'nope'], 'C').err, "lvsdr generate: no cluster named 'nope' (clusters: web)\n");
    const zh = lvsdr(['generate', SEED, '--out', out, '--preview'], 'zh_CN.UTF-8');
    assert.match(zh.out, /^集群 web：4 台主机的 \d+ 个文件已写入 \S+$/m);
    const en = lvsdr(['generate', SEED, '--out', out, '--preview'], 'C');
    assert.match(en.out, /^cluster web: \d+ files for 4 hosts in \S+$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lvsdr generate: a value keepalived.conf cannot carry is refused in Chinese for zh_CN, English for C, and nothing is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-generate-refused-'));
  try {
    // keepalived would expand `$cdef` as a definition: no generator writes that secret.
    const run = (lang: string) => {
      const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: lang, LVS_SECRET_VRRP_WEB: 'ab$cdef' };
      const r = spawnSync(process.execPath, [CLI, 'generate', SEED, '--out', join(dir, lang)], { encoding: 'utf8', env, timeout: 60_000 });
      return { code: r.status, err: r.stderr };
    };
    const zh = run('zh_CN.UTF-8');
    assert.equal(zh.code, 1);
    assert.equal(zh.err, `lvsdr generate: ${SEED}: 无法生成文件：\n  - VRRP 认证机密 含有后跟名称的 '$'，keepalived 会把它当作定义展开\n`);
    const en = run('C');
    assert.equal(en.code, 1);
    assert.equal(en.err, `lvsdr generate: ${SEED}: cannot generate files:\n  - the VRRP auth secret contains '$' followed by a name, which keepalived would expand as a definition\n`);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lvsdr generate: files it leaves alone and an output tree it refuses, in Chinese for zh_CN, English for C', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-generate-tree-'));
  try {
    const out = join(dir, 'out');
    assert.equal(lvsdr(['generate', SEED, '--out', out], 'C').code, 0);
    // A file of someone else's in a host folder: kept, and said so.
    writeFileSync(join(out, 'web', 'lvs1', 'notes.txt'), 'mine\n');
    const zh = lvsdr(['generate', SEED, '--out', out], 'zh_CN.UTF-8');
    assert.equal(zh.code, 0, zh.err);
    assert.match(zh.err, new RegExp(`^lvsdr generate: 保留 ${out.replace(/[.]/g, '\\.')}/web/lvs1/notes\\.txt：未列在上一次的 MANIFEST\\.json 中$`, 'm'));
    const en = lvsdr(['generate', SEED, '--out', out], 'C');
    assert.match(en.err, new RegExp(`^lvsdr generate: kept ${out.replace(/[.]/g, '\\.')}/web/lvs1/notes\\.txt: not listed by the previous MANIFEST\\.json$`, 'm'));
    // A directory on the way that is a symlink: nothing is written through it.
    rmSync(join(out, 'web', 'lvs2'), { recursive: true });
    symlinkSync(dir, join(out, 'web', 'lvs2'));
    const refusedZh = lvsdr(['generate', SEED, '--out', out], 'zh_CN.UTF-8');
    assert.equal(refusedZh.code, 1);
    assert.match(refusedZh.err, /^lvsdr generate: 拒绝写入生成的文件：\n {2}- \S+\/web\/lvs2 是符号链接：生成器绝不经由符号链接写入（请删除它）$/m);
    const refusedEn = lvsdr(['generate', SEED, '--out', out], 'C');
    assert.match(refusedEn.err, /^lvsdr generate: refusing to write the generated files:\n {2}- \S+\/web\/lvs2 is a symlink: the generator never writes through one \(remove it\)$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
