// `lvsdr drift FILE` as a person reads it, in Chinese for LANG=zh_CN.UTF-8, against a real sshd
// (test/deploy/sandbox-sshd.ts: this machine, in a private mount namespace): $HOME/.ssh/config
// sends every host of the seed cluster to that sshd. Nothing was deployed there, so every host's
// files are missing (drift in files), and the runtime read finds what this machine is not (no
// keepalived, no IPVS service): the text says both, and --json keeps English words and codes.
// Needs root; skipped otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { sandboxUnavailable, startSandboxSshd } from './sandbox-sshd';
import { seedAgainstSandbox } from './seed-against-sandbox';

const CLI = resolve('dist/server/cli.js');
const HAN = /[\u4e00-\u9fff]/;

test('lvsdr drift: the report in Chinese for zh_CN, in English for C; --json stays language-neutral', { skip: sandboxUnavailable() }, async () => {
  const sshd = await startSandboxSshd(['ed25519']);
  const { home, repo, file, done } = seedAgainstSandbox(sshd, 'drift-text');
  try {
    const run = (lang: string, ...extra: string[]) => {
      const env = { ...process.env, HOME: home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, LVS_SECRET_VRRP_WEB: 'not-used' };
      const r = spawnSync(process.execPath, [CLI, 'drift', file, '--target', 'hosts', '--accept-new', ...extra], { cwd: repo, encoding: 'utf8', env, timeout: 120_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const zh = run('zh_CN.UTF-8');
    assert.equal(zh.code, 3, `${zh.out}\n${zh.err}`);
    assert.match(zh.out, new RegExp(`^集群 web（hosts）与 ${file.replace(/[.]/g, '\\.')} 的配置漂移\n`));
    assert.match(zh.out, /^ {2}lvs1 +\d+ 个文件中 \d+ 个不同$/m);
    assert.match(zh.out, /^ {4}missing +\S+ {2}（不是由有记录的部署写入的）$/m);
    assert.match(zh.out, /^运行状态：\n/m);
    assert.match(zh.out, /\n配置漂移（文件和运行状态）\n$/);
    const en = run('C');
    assert.equal(en.code, 3);
    assert.match(en.out, /^drift of cluster web \(hosts\) against /);
    assert.match(en.out, /^ {4}missing +\S+ {2}\(not deployed by a recorded deploy\)$/m);
    assert.match(en.out, /\nDRIFT \(files and runtime\)\n$/);
    assert.doesNotMatch(en.out, HAN);
    const json = run('zh_CN.UTF-8', '--json');
    const r = JSON.parse(json.out) as { inSync: boolean; runtime: Array<{ message: string; messageLocalized?: string }> };
    assert.equal(r.inSync, false);
    assert.doesNotMatch(JSON.stringify({ ...r, runtime: r.runtime.map((x) => ({ ...x, messageLocalized: '' })) }), HAN, 'Chinese only in messageLocalized');
    assert.ok(r.runtime.every((x) => HAN.test(x.messageLocalized ?? '')));
  } finally {
    sshd.stop();
    done();
  }
});
