// `lvsdr plan FILE` as a person reads it, in Chinese for LANG=zh_CN.UTF-8, against a real sshd
// (test/deploy/sandbox-sshd.ts: this machine, in a private mount namespace): $HOME/.ssh/config
// sends every host of the seed cluster to that sshd. Nothing was deployed there, so every host
// gets all its files added: the heading, the per-host counts, the total, the progress words and
// the accepted host key are Chinese; LANG=C prints the English text; --json stays English.
// Needs root; skipped otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { sandboxUnavailable, startSandboxSshd } from './sandbox-sshd';
import { seedAgainstSandbox } from './seed-against-sandbox';

const CLI = resolve('dist/server/cli.js');
const HAN = /[\u4e00-\u9fff]/;

/** `lvsdr plan FILE --target hosts --accept-new EXTRA…` in the sandbox's home and repository, with LANG=lang. */
function runPlan(s: { home: string; repo: string; file: string }, lang: string, extra: string[]) {
  const env = { ...process.env, HOME: s.home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, LVS_SECRET_VRRP_WEB: 'not-used' };
  const r = spawnSync(process.execPath, [CLI, 'plan', s.file, '--target', 'hosts', '--accept-new', ...extra], { cwd: s.repo, encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('lvsdr plan: the plan in Chinese for zh_CN, in English for C; --json stays language-neutral', { skip: sandboxUnavailable() }, async () => {
  const sshd = await startSandboxSshd(['ed25519']);
  const { home, repo, file, done } = seedAgainstSandbox(sshd, 'plan-text');
  try {
    const run = (lang: string, ...extra: string[]) => runPlan({ home, repo, file }, lang, extra);
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

// The host's record (owned-record.ts) names three files the seed no longer generates: one
// unchanged since (removed), one edited on the host and one that held a secret (both left in
// place, with a warning). The warnings and the removed file's heading are made as messages in
// the engine and printed in the reader's language; --events jsonl carries the English detail
// plus the reader's language (what VS Code's log shows), and the plan's warnings stay English.
test('lvsdr plan: files left in place and removed, in Chinese for zh_CN, in English for C and in the JSON', { skip: sandboxUnavailable() }, async () => {
  const sshd = await startSandboxSshd(['ed25519']);
  const { home, repo, file, done } = seedAgainstSandbox(sshd, 'plan-left');
  try {
    const gone = 'gone\n';
    const digest = createHash('sha256').update(gone).digest('hex');
    const placed = sshd.inside([
      'mkdir -p /var/lib/lvs-dr /opt/old',
      `printf 'gone\\n' > /opt/old/gone.conf`,
      `printf 'edited\\n' > /opt/old/edited.conf`,
      `printf 'x\\n' > /opt/old/secret.conf`,
      `printf '%s  /opt/old/gone.conf\\n%s  /opt/old/edited.conf\\nsecret  /opt/old/secret.conf\\n' ${digest} ${'0'.repeat(64)} > /var/lib/lvs-dr/owned`,
    ].join(' && '));
    assert.equal(placed.code, 0, placed.stderr);
    const run = (lang: string, ...extra: string[]) => runPlan({ home, repo, file }, lang, extra);
    const zh = run('zh_CN.UTF-8');
    assert.equal(zh.code, 3, `${zh.out}\n${zh.err}`);
    assert.match(zh.out, /^ {2}警告：lvs1：\/opt\/old\/edited\.conf 由之前的部署放置，现已不再生成，但它此后在主机上被改动过：保留不动$/m);
    assert.match(zh.out, /^ {2}警告：web1：\/opt\/old\/secret\.conf 由之前的部署放置，现已不再生成；它含有机密，因此没有记录其摘要：保留不动$/m);
    assert.match(zh.out, /^删除 lvs1:\/opt\/old\/gone\.conf（由之前的部署放置，现已不再生成）$/m);
    assert.match(zh.err, /^ +[\d.]+s web2 +计划 +信息 +\/opt\/old\/edited\.conf 由之前的部署放置/m);

    const en = run('C');
    assert.equal(en.code, 3, en.err);
    assert.match(en.out, /^ {2}warning: lvs1: \/opt\/old\/edited\.conf was placed by an earlier deploy and is no longer generated, but it changed on the host since: left in place$/m);
    assert.match(en.out, /^ {2}warning: web1: \/opt\/old\/secret\.conf was placed by an earlier deploy and is no longer generated; it held a secret, so its digest was not recorded: left in place$/m);
    assert.match(en.out, /^remove lvs1:\/opt\/old\/gone\.conf \(placed by an earlier deploy, no longer generated\)$/m);
    assert.doesNotMatch(en.out.replace(/^[-+ ].*$/gm, '') + en.err, HAN);

    const events = run('zh_CN.UTF-8', '--events', 'jsonl');
    assert.equal(events.code, 3, events.err);
    const lines = events.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const info = lines.find((e) => e.type === 'progress' && e.state === 'info' && e.host === 'lvs1' && /edited\.conf/.test(String(e.detail)));
    assert.ok(info, events.out);
    assert.equal(info.detail, '/opt/old/edited.conf was placed by an earlier deploy and is no longer generated, but it changed on the host since: left in place');
    assert.equal(info.detailLocalized, '/opt/old/edited.conf 由之前的部署放置，现已不再生成，但它此后在主机上被改动过：保留不动');
    const result = lines.find((e) => e.type === 'result') as { plan: { warnings: string[] } };
    assert.ok(result.plan.warnings.includes('lvs1: /opt/old/edited.conf was placed by an earlier deploy and is no longer generated, but it changed on the host since: left in place'));
    assert.doesNotMatch(result.plan.warnings.join('\n'), HAN);
    const enEvents = run('C', '--events', 'jsonl');
    assert.doesNotMatch(enEvents.out, /detailLocalized/);
  } finally {
    sshd.stop();
    done();
  }
});
