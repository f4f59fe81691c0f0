// The human text of `lvsdr deploy`, `plan` and `rollback` in the reader's language, on the built
// CLI against a cluster whose hosts cannot be reached: $HOME/.ssh/config sends every host to
// 127.0.0.1 port 9, where nothing listens, so each connection is refused on this machine and
// nothing leaves it. LANG=zh_CN.UTF-8 gives Chinese progress words, summary, outcome and the
// connection error; LANG=C the English text as before; the journal and --events jsonl stay English.
// (The plan itself, which needs a host that answers, is test/deploy/plan-text-sandbox.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unreachableSandbox } from './unreachable-sandbox';

const CLI = resolve('dist/server/cli.js');
const HAN = /[\u4e00-\u9fff]/;

const sandbox = () => unreachableSandbox('deploy-text');

function lvsdr(s: { home: string; repo: string }, args: string[], lang: string) {
  const env = { ...process.env, HOME: s.home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, LVS_SECRET_VRRP_WEB: 'not-used' };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: s.repo, encoding: 'utf8', env, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** With --events jsonl: stdin stays open for the run, as a front end keeps it (its end cancels the deploy). */
function lvsdrChannel(s: { home: string; repo: string }, args: string[], lang: string): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...process.env, HOME: s.home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, LVS_SECRET_VRRP_WEB: 'not-used' };
  const child = spawn(process.execPath, [CLI, ...args], { cwd: s.repo, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString('utf8'); });
  return new Promise((res) => child.on('close', (code) => res({ code, out, err })));
}

test('lvsdr deploy to unreachable hosts: progress, summary and the connection error in Chinese for zh_CN, English for C', async () => {
  const s = sandbox();
  try {
    const args = ['deploy', s.file, '--target', 'hosts', '--yes', '--journal-dir', s.journals];
    const zh = lvsdr(s, args, 'zh_CN.UTF-8');
    assert.equal(zh.code, 1, zh.err);
    assert.match(zh.err, /^ +[\d.]+s lvs1 +连接 +开始$/m);
    assert.match(zh.err, /^ +[\d.]+s lvs1 +连接 +失败 +[\d.]+s {2}无法连接到 127\.0\.0\.1:9：/m);
    assert.match(zh.out, /^部署 \S+：失败，用时 [\d.]+ 秒$/m);
    assert.match(zh.out, /^ {2}web2 +未连接到$/m);
    assert.match(zh.out, /^ {2}错误：lvs1：连接失败：无法连接到 127\.0\.0\.1:9：.*（同样失败的还有：lvs2（连接），web1（连接），web2（连接））$/m);
    assert.match(zh.out, /^ {2}部署日志：\S+\.json$/m);
    assert.match(zh.err, /^lvsdr deploy: lvs1：连接失败：无法连接到 127\.0\.0\.1:9：/m);

    const en = lvsdr(s, args, 'C');
    assert.equal(en.code, 1, en.err);
    assert.match(en.err, /^ +[\d.]+s lvs1 +connect +failed +[\d.]+s {2}cannot connect to 127\.0\.0\.1:9: /m);
    assert.match(en.out, /^deploy \S+: failed in [\d.]+ s$/m);
    assert.match(en.out, /^ {2}web2 +not-reached$/m);
    assert.match(en.out, /^ {2}error: lvs1: connect failed: cannot connect to 127\.0\.0\.1:9: .* \(also failed: lvs2 \(connect\), web1 \(connect\), web2 \(connect\)\)$/m);
    assert.match(en.err, /^lvsdr deploy: lvs1: connect failed: cannot connect to 127\.0\.0\.1:9: /m);
    assert.doesNotMatch(en.out + en.err, HAN);

    // The records stay English whatever the reader's language: the journal and the event channel,
    // whose progress details add the reader's language beside the English (detailLocalized).
    const events = await lvsdrChannel(s, [...args, '--events', 'jsonl'], 'zh_CN.UTF-8');
    assert.equal(events.code, 1, events.err);
    const lines = events.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; error?: { message: string; messageLocalized?: string }; detail?: string; detailLocalized?: string });
    assert.equal(lines.at(-1)!.type, 'result');
    assert.match(lines.at(-1)!.error!.message, /^lvs1: connect failed: cannot connect to 127\.0\.0\.1:9: /);
    assert.match(lines.at(-1)!.error!.messageLocalized!, /^lvs1：连接失败：无法连接到 127\.0\.0\.1:9：/, 'VS Code shows the failure in its language');
    const failed = lines.find((e) => e.type === 'progress' && e.detail !== undefined)!;
    assert.match(failed.detail!, /^cannot connect to 127\.0\.0\.1:9: /);
    assert.match(failed.detailLocalized!, /^无法连接到 127\.0\.0\.1:9：/);
    assert.doesNotMatch(JSON.stringify(lines.map((e) => ({ ...e, detailLocalized: undefined, error: e.error && { ...e.error, messageLocalized: undefined } }))), HAN, 'events stay English besides the localized twins');
    assert.match(events.err, /部署日志：/, 'the text for a person (stderr with --events) is Chinese');
    const journals = readdirSync(s.journals).filter((f) => f.endsWith('.json'));
    assert.equal(journals.length, 3);
    for (const j of journals) assert.doesNotMatch(readFileSync(join(s.journals, j), 'utf8'), HAN, j);
  } finally {
    s.done();
  }
});

test('lvsdr deploy without --yes and without a terminal: the refusal in Chinese for zh_CN, English for C', () => {
  const s = sandbox();
  try {
    const zh = lvsdr(s, ['deploy', s.file, '--target', 'hosts'], 'zh_CN.UTF-8');
    assert.equal(zh.code, 2);
    assert.equal(zh.err, 'lvsdr deploy: 没有终端可以确认计划时，不带 --yes 拒绝部署\n');
    const en = lvsdr(s, ['deploy', s.file, '--target', 'hosts'], 'C');
    assert.equal(en.code, 2);
    assert.equal(en.err, 'lvsdr deploy: refusing to deploy without --yes when there is no terminal to confirm the plan\n');
  } finally {
    s.done();
  }
});

test('lvsdr plan and rollback: their errors in Chinese for zh_CN, English for C', () => {
  const s = sandbox();
  try {
    const plan = lvsdr(s, ['plan', s.file, '--target', 'hosts'], 'zh_CN.UTF-8');
    assert.equal(plan.code, 1, plan.err);
    assert.match(plan.err, /^lvsdr plan: lvs1：连接失败：无法连接到 127\.0\.0\.1:9：/m);
    const rollback = lvsdr(s, ['rollback', s.file, '--target', 'hosts', '--journal-dir', s.journals], 'zh_CN.UTF-8');
    assert.equal(rollback.code, 1, rollback.err);
    assert.match(rollback.err, /^lvsdr rollback: 解析失败：\S+ 中没有集群 web（hosts）可回滚的部署$/m);
    const en = lvsdr(s, ['rollback', s.file, '--target', 'hosts', '--journal-dir', s.journals], 'C');
    assert.match(en.err, /^lvsdr rollback: resolve failed: no deploy of cluster web \(hosts\) to roll back in \S+$/m);
  } finally {
    s.done();
  }
});

test('lvsdr unlock: its errors in Chinese for zh_CN, the exact English for C', () => {
  const s = sandbox();
  try {
    const unknown = ['unlock', s.file, '--host', 'nope', '--target', 'hosts'];
    const zh = lvsdr(s, unknown, 'zh_CN.UTF-8');
    assert.equal(zh.code, 1, zh.err);
    assert.equal(zh.err, "lvsdr unlock: 解析失败：集群 web 中没有主机 'nope'（主机：lvs1，lvs2，web1，web2）\n");
    const en = lvsdr(s, unknown, 'C');
    assert.equal(en.code, 1, en.err);
    assert.equal(en.err, "lvsdr unlock: resolve failed: no host 'nope' in cluster web (hosts: lvs1, lvs2, web1, web2)\n");

    // The host cannot be reached (port 9 on this machine): the engine's error in the reader's language.
    const unreachable = ['unlock', s.file, '--host', 'lvs1', '--target', 'hosts'];
    const zhConnect = lvsdr(s, unreachable, 'zh_CN.UTF-8');
    assert.equal(zhConnect.code, 1, zhConnect.err);
    assert.match(zhConnect.err, /^lvsdr unlock: lvs1：连接失败：无法连接到 127\.0\.0\.1:9：/);
    const enConnect = lvsdr(s, unreachable, 'C');
    assert.equal(enConnect.code, 1, enConnect.err);
    assert.match(enConnect.err, /^lvsdr unlock: lvs1: connect failed: cannot connect to 127\.0\.0\.1:9: /);
    assert.doesNotMatch(en.err + enConnect.err, HAN);
  } finally {
    s.done();
  }
});

test('lvsdr deploy --explain-ssh: its words in Chinese for zh_CN, the exact English for C (keywords, names and paths as they are)', () => {
  const s = sandbox();
  try {
    const explain = (host: string, lang: string) => {
      const r = spawnSync(process.execPath, [CLI, 'deploy', s.file, '--explain-ssh', host, '--cluster', 'web'], {
        cwd: s.repo, encoding: 'utf8', env: { ...process.env, HOME: s.home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, SSH_AUTH_SOCK: '' },
      });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const zhBody = [
      '主机 lvs1（192.168.147.6）',
      '  ssh 配置：~/.ssh/config',
      '  认证顺序：密钥文件（没有 SSH_AUTH_SOCK，所以不用 agent）',
      '  hostname      127.0.0.1    来自 ~/.ssh/config 第 2 行（Host *）',
      '  user          root    来自 seed.lvs 的 ssh 块',
      '  port          9    来自 ~/.ssh/config 第 3 行（Host *）',
      '  identityfile  ~/.ssh/id_ed25519    来自 seed.lvs 的 ssh 块',
      '  knownhosts    ~/.ssh/known_hosts    来自 seed.lvs 的 ssh 块',
      '  proxyjump     无',
    ];
    assert.equal(explain('lvs1', 'zh_CN.UTF-8'), ['集群 web', ...zhBody, ''].join('\n'));
    assert.equal(explain('lvs1', 'C'), [
      'cluster web',
      'host lvs1 (192.168.147.6)',
      '  ssh config: ~/.ssh/config',
      '  auth order: key files (no SSH_AUTH_SOCK, so no agent)',
      '  hostname      127.0.0.1    from ~/.ssh/config line 2 (Host *)',
      '  user          root    from seed.lvs ssh block',
      '  port          9    from ~/.ssh/config line 3 (Host *)',
      '  identityfile  ~/.ssh/id_ed25519    from seed.lvs ssh block',
      '  knownhosts    ~/.ssh/known_hosts    from seed.lvs ssh block',
      '  proxyjump     none',
      '',
    ].join('\n'));
    assert.match(explain('other', 'zh_CN.UTF-8'), /^other 不是 \S*seed\.lvs（集群 web）中的主机；只根据命令行和 ~\/\.ssh\/config 解析\n主机 other（other）\n/);
    assert.match(explain('other', 'C'), /^other is not a host of \S*seed\.lvs \(cluster web\); resolved from the command line and ~\/\.ssh\/config only\nhost other \(other\)\n/);
  } finally {
    s.done();
  }
});

test('lvsdr deploy with a secret it cannot resolve: the hint in Chinese for zh_CN, the exact English for C', () => {
  const s = sandbox();
  try {
    const run = (lang: string) => spawnSync(process.execPath, [CLI, 'deploy', s.file, '--target', 'hosts', '--yes', '--journal-dir', s.journals], {
      cwd: s.repo, encoding: 'utf8', env: { ...process.env, HOME: s.home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, LVS_SECRET_VRRP_WEB: '' },
    });
    const zh = run('zh_CN.UTF-8');
    assert.equal(zh.status, 1, zh.stderr);
    assert.match(zh.stderr, /^lvsdr deploy: 解析失败：无法解析机密引用：secret:\S+（请设置 LVS_SECRET_VRRP_WEB）；没有连接任何主机$/m);
    const en = run('C');
    assert.equal(en.status, 1, en.stderr);
    assert.match(en.stderr, /^lvsdr deploy: resolve failed: secret references could not be resolved: secret:\S+ \(set LVS_SECRET_VRRP_WEB\); no host was contacted$/m);
    assert.doesNotMatch(en.stdout + en.stderr, HAN);
  } finally {
    s.done();
  }
});

test('lvsdr plan refused before connecting (the guard): every problem in Chinese for zh_CN, English for C', () => {
  const s = sandbox();
  try {
    // The login name comes from ~/.ssh/config when the .lvs file names none; the guard refuses it.
    writeFileSync(join(s.home, '.ssh', 'config'), 'Host *\n  HostName 127.0.0.1\n  Port 9\n  User ROOT\n');
    writeFileSync(s.file, readFileSync(s.file, 'utf8').replace('ssh { user root ', 'ssh { '));
    const args = ['plan', s.file, '--target', 'hosts'];
    const zh = lvsdr(s, args, 'zh_CN.UTF-8');
    assert.equal(zh.code, 1, zh.err);
    assert.match(zh.err, /^lvsdr plan: 连接前已拒绝：\n {2}- 主机 "lvs1"：SSH 用户 "ROOT" 不是有效的登录名\n/m);
    assert.match(zh.err, /^ {2}- 主机 "web2"：SSH 用户 "ROOT" 不是有效的登录名$/m);
    const en = lvsdr(s, args, 'C');
    assert.equal(en.code, 1, en.err);
    assert.match(en.err, /^lvsdr plan: refused before connecting: \n {2}- host "lvs1": ssh user "ROOT" is not a valid login name\n/m);
    assert.doesNotMatch(en.out + en.err, HAN);
  } finally {
    s.done();
  }
});

test('lvsdr deploy --explain-ssh: what the ssh config reader skipped, in Chinese for zh_CN, English for C', () => {
  const s = sandbox();
  try {
    // An Include of itself (nested until the reader stops), one of a missing file, a Match block.
    writeFileSync(join(s.home, '.ssh', 'config'), 'Include ~/.ssh/config\nInclude ~/.ssh/missing.conf\nMatch host lvs1 exec "true"\n  User nobody\nHost *\n  HostName 127.0.0.1\n  Port 9\n');
    const explain = (lang: string) => spawnSync(process.execPath, [CLI, 'deploy', s.file, '--explain-ssh', 'lvs1', '--cluster', 'web'], {
      cwd: s.repo, encoding: 'utf8', env: { ...process.env, HOME: s.home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, SSH_AUTH_SOCK: '' },
    }).stdout;
    const zh = explain('zh_CN.UTF-8');
    assert.match(zh, /^ {2}注意：~\/\.ssh\/config 第 1 行：Include 嵌套太深$/m);
    assert.match(zh, /^ {2}注意：Include ~\/\.ssh\/missing\.conf 无法读取：ENOENT$/m);
    assert.match(zh, /^ {2}注意：Match host lvs1 exec true：不解析 Match 块$/m);
    const en = explain('C');
    assert.match(en, /^ {2}note: ~\/\.ssh\/config line 1: Include nested too deep$/m);
    // Read at every level of the Include, listed once.
    assert.match(en, /^ {2}ssh config: ~\/\.ssh\/config$/m);
    assert.match(en, /^ {2}note: Include ~\/\.ssh\/missing\.conf: ENOENT$/m);
    assert.match(en, /^ {2}note: Match host lvs1 exec true: Match blocks are not evaluated$/m);
    assert.doesNotMatch(en, HAN);
  } finally {
    s.done();
  }
});
