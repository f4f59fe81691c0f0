// `lvsdr plan FILE` as a person reads it, in Chinese for LANG=zh_CN.UTF-8, against a real sshd
// (test/deploy/sandbox-sshd.ts: this machine, in a private mount namespace): $HOME/.ssh/config
// sends every host of the seed cluster to that sshd. Nothing was deployed there, so every host
// gets all its files added: the heading, the per-host counts, the total, the progress words and
// the accepted host key are Chinese; LANG=C prints the English text; --json stays English.
// Needs root; skipped otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { sandboxUnavailable, startSandboxSshd } from './sandbox-sshd';
import { seedAgainstSandbox } from './seed-against-sandbox';

const CLI = resolve('dist/server/cli.js');
const HAN = /[\u4e00-\u9fff]/;

test('lvsdr plan: the plan in Chinese for zh_CN, in English for C; --json stays language-neutral', { skip: sandboxUnavailable() }, async () => {
  const sshd = await startSandboxSshd(['ed25519']);
  const { home, repo, file, done } = seedAgainstSandbox(sshd, 'plan-text');
  try {
    const run = (lang: string, ...extra: string[]) => {
      const env = { ...process.env, HOME: home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, LVS_SECRET_VRRP_WEB: 'not-used' };
      const r = spawnSync(process.execPath, [CLI, 'plan', file, '--target', 'hosts', '--accept-new', ...extra], { cwd: repo, encoding: 'utf8', env, timeout: 120_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const zh = run('zh_CN.UTF-8');
    assert.equal(zh.code, 3, `${zh.out}\n${zh.err}`);
    const path = file.replace(/[.]/g, '\\.');
    assert.match(zh.out, new RegExp(`^集群 web（hosts）的部署计划，来自 ${path}\n`));
    assert.match(zh.out, /^ {2}lvs1 +master +192\.168\.147\.6 +新增 \d+，修改 0，未变 0$/m);
    assert.match(zh.out, /^ {2}web1 +server +192\.168\.147\.4 +新增 \d+，修改 0，未变 0$/m);
    assert.match(zh.out, /^# lvs1$/m, 'the diffs keep their headings');
    assert.match(zh.out, /\n4 台主机需要变更\n$/);
    assert.match(zh.err, /^lvsdr: 接受新的主机密钥 \w+ \(127\.0\.0\.1\): ssh-ed25519 SHA256:\S+，记录到 /m);
    assert.match(zh.err, /^ +[\d.]+s lvs1 +读取 +完成 +[\d.]+s {2}\d+ 个中有 0 个存在$/m);
    assert.match(zh.err, /^ +[\d.]+s lvs1 +计划 +完成 +[\d.]+s {2}新增 \d+，修改 0，未变 0$/m);

    const en = run('C');
    assert.equal(en.code, 3, en.err);
    assert.match(en.out, new RegExp(`^plan for cluster web \\(hosts\\) from ${path}\n`));
    assert.match(en.out, /^ {2}lvs1 +master +192\.168\.147\.6 +\d+ added, 0 changed, 0 unchanged$/m);
    assert.match(en.out, /\n4 hosts to change\n$/);
    assert.match(en.err, /^ +[\d.]+s lvs1 +plan +done +[\d.]+s {2}\d+ added, 0 changed, 0 unchanged$/m);
    assert.doesNotMatch(en.out.replace(/^[-+ ].*$/gm, '') + en.err, HAN);

    const json = run('zh_CN.UTF-8', '--json');
    assert.equal(json.code, 3, json.err);
    const plan = JSON.parse(json.out) as { changed: boolean; hosts: unknown[] };
    assert.equal(plan.changed, true);
    assert.equal(plan.hosts.length, 4);
  } finally {
    sshd.stop();
    done();
  }
});
