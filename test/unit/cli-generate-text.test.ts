// The text of `lvsdr generate` for a person, in the reader's language, on the built CLI: the
// warning for a secret left as a placeholder is Chinese for LANG=zh_CN.UTF-8 and English for
// LANG=C, while the comment it leaves in the generated keepalived.conf is the same English bytes
// in both (generated files do not depend on who ran the generator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    assert.match(zh.err, /^lvsdr generate: 警告：集群 web：调度器 lvs1：VRRP auth_pass：警告：无法解析 secret:vrrp-web（请设置 LVS_SECRET_VRRP_WEB）；部署前请替换占位符$/m);
    const en = lvsdr(['generate', SEED, '--out', join(dir, 'en')], 'C');
    assert.equal(en.code, 0, en.err);
    assert.match(en.err, /^lvsdr generate: warning: cluster web: director lvs1: VRRP auth_pass: WARNING: secret:vrrp-web could not be resolved \(set LVS_SECRET_VRRP_WEB\); replace the placeholder before deploying$/m);
    assert.doesNotMatch(en.out + en.err, HAN);

    const conf = (lang: string) => readFileSync(join(dir, lang, 'web', 'lvs1', 'etc', 'keepalived', 'keepalived.conf'), 'utf8');
    assert.match(conf('zh'), /^ +# WARNING: secret:vrrp-web could not be resolved \(set LVS_SECRET_VRRP_WEB\); replace the placeholder before deploying\n +auth_pass @@secret:vrrp-web@@$/m);
    assert.equal(conf('zh'), conf('en'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
