// The human text of `lvsdr status`, `drift DIR` and `drain` in the reader's language, on the built
// CLI against a cluster whose hosts cannot be reached: $HOME/.ssh/config sends every host to
// 127.0.0.1 port 9, where nothing listens, so each connection is refused on this machine and
// nothing leaves it. LANG=zh_CN.UTF-8 gives Chinese text; --json stays language-neutral (English
// `message`, Chinese only in `messageLocalized`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { unreachableSandbox } from './unreachable-sandbox';

const CLI = resolve('dist/server/cli.js');
const HAN = /[\u4e00-\u9fff]/;

const sandbox = () => unreachableSandbox('live-text');

function lvsdr(s: { home: string; repo: string }, args: string[], lang: string) {
  const env = { ...process.env, HOME: s.home, LC_ALL: '', LC_MESSAGES: '', LANG: lang, LVS_SECRET_VRRP_WEB: 'not-used' };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: s.repo, encoding: 'utf8', env, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('lvsdr status: the text in Chinese for zh_CN, in English for C; --json keeps English messages', () => {
  const s = sandbox();
  try {
    const zh = lvsdr(s, ['status', s.file, '--target', 'hosts'], 'zh_CN.UTF-8');
    assert.equal(zh.code, 3, zh.err);
    assert.match(zh.out, /^集群 web（hosts）\d\d:\d\d:\d\d（\d+ ms）：无法连接：lvs1, lvs2, web1, web2\n/);
    // Why the host does not answer, in Chinese too (the connection's own error words).
    assert.match(zh.out, /^ {2}lvs1 +192\.168\.147\.6 +无法连接 lvs1：连接失败：/m);
    assert.match(zh.out, /^服务 http tcp 192\.168\.147\.100:80（没有调度器应答）$/m);
    assert.match(zh.out, /^ {2}web1 +停止服务 +不在 IPVS 中 +活动连接 0 非活动连接 0 {2}0 连接\/秒$/m);
    assert.match(zh.out, /^问题：\n {2}error {7}LVS500 lvs1: lvs1（192\.168\.147\.6）没有应答/m);

    const en = lvsdr(s, ['status', s.file, '--target', 'hosts'], 'C');
    assert.equal(en.code, 3, en.err);
    assert.match(en.out, /^cluster web \(hosts\) at \d\d:\d\d:\d\d \(\d+ ms\): unreachable: lvs1, lvs2, web1, web2\n/);
    assert.match(en.out, /^ {2}web1 +OUT +not in IPVS +active 0 inactive 0 {2}0 conn\/s$/m);
    assert.match(en.out, /^findings:$/m);
    assert.doesNotMatch(en.out, HAN);

    const json = lvsdr(s, ['status', s.file, '--target', 'hosts', '--json'], 'zh_CN.UTF-8');
    const snap = JSON.parse(json.out) as { directors: Array<{ error?: string; errorLocalized?: string }>; realServers: Array<{ errorLocalized?: string }>; findings: Array<{ code: string; message: string; messageLocalized?: string }> };
    assert.ok(snap.findings.length >= 4);
    assert.match(snap.directors[0].error ?? '', /^lvs1: connect failed: /);
    assert.match(snap.directors[0].errorLocalized ?? '', /^lvs1：连接失败：/);
    for (const f of snap.findings) {
      assert.doesNotMatch(f.message, HAN, f.code);
      assert.match(f.messageLocalized ?? '', HAN, f.code);
    }
    const neutral = { ...snap, directors: snap.directors.map((d) => ({ ...d, errorLocalized: '' })), realServers: snap.realServers.map((r) => ({ ...r, errorLocalized: '' })), findings: snap.findings.map((f) => ({ ...f, messageLocalized: '' })) };
    assert.doesNotMatch(JSON.stringify(neutral), HAN, 'Chinese only in messageLocalized and errorLocalized');
  } finally {
    s.done();
  }
});

test('lvsdr drift DIR: the per-cluster headings and the summary in Chinese for zh_CN', () => {
  const s = sandbox();
  try {
    const zh = lvsdr(s, ['drift', '.', '--target', 'hosts'], 'zh_CN.UTF-8');
    assert.equal(zh.code, 1, zh.err);
    assert.match(zh.out, /^== seed\.lvs 集群 web ==$/m);
    assert.match(zh.out, /\n\. 下 1 个文件中 1 个集群的 drift 结果：\n {2}seed\.lvs web: 失败（退出码 1）\n$/);
    const en = lvsdr(s, ['drift', '.', '--target', 'hosts'], 'C');
    assert.match(en.out, /\ndrift of 1 cluster in 1 file under \.:\n {2}seed\.lvs web: failed \(exit 1\)\n$/);
  } finally {
    s.done();
  }
});

test('lvsdr drain without a terminal: the plan and the refusal in Chinese, exit 1 (declined before acting)', () => {
  const s = sandbox();
  try {
    const zh = lvsdr(s, ['drain', s.file, 'web1', '--target', 'hosts'], 'zh_CN.UTF-8');
    assert.equal(zh.code, 1, zh.err);
    assert.match(zh.err, /^对集群 web（hosts）的 web1 摘除流量：在 lvs1，lvs2 上把它在 http 中的权重置 0，然后等待其活动连接结束；/m);
    assert.match(zh.err, /^lvsdr drain: 没有终端可以确认，未给出 --yes 时拒绝执行$/m);
    const en = lvsdr(s, ['restore', s.file, 'web1', '--target', 'hosts'], 'C');
    assert.equal(en.code, 1, en.err);
    assert.match(en.err, /^restore web1 of cluster web \(hosts\): the file's weights on every director, the drain record removed$/m);
    assert.match(en.err, /^lvsdr restore: refusing to act without --yes when there is no terminal to confirm$/m);
  } finally {
    s.done();
  }
});

test('lvsdr drain --events jsonl: log lines and the failure keep English and carry the reader\'s language beside (textLocalized, messageLocalized)', () => {
  const s = sandbox();
  try {
    type Line = { type: string; text?: string; textLocalized?: string; error?: { message: string; messageLocalized?: string } };
    const channel = (server: string, lang: string) => {
      const r = lvsdr(s, ['drain', s.file, server, '--target', 'hosts', '--yes', '--events', 'jsonl', '--known-hosts', `${s.home}/.ssh/known_hosts`], lang);
      return { code: r.code, lines: r.out.trim().split('\n').map((l) => JSON.parse(l) as Line) };
    };
    const zh = channel('web1', 'zh_CN.UTF-8');
    assert.equal(zh.code, 1);
    const preview = zh.lines.find((e) => e.type === 'log')!;
    assert.match(preview.text!, /^drain web1 of cluster web \(hosts\): weight 0 in http on lvs1, lvs2, then wait/);
    assert.match(preview.textLocalized!, /^对集群 web（hosts）的 web1 摘除流量：在 lvs1，lvs2 上/);
    const failed = zh.lines.at(-1)!;
    assert.equal(failed.type, 'result');
    assert.match(failed.error!.message, /^lvs1 \(192\.168\.147\.6\) does not answer: lvs1: connect failed: cannot connect to 127\.0\.0\.1:9: /);
    assert.match(failed.error!.messageLocalized!, /^lvs1（192\.168\.147\.6）没有应答：lvs1：连接失败：无法连接到 127\.0\.0\.1:9：/);
    assert.doesNotMatch(JSON.stringify(zh.lines.map((e) => ({ ...e, textLocalized: undefined, error: e.error && { ...e.error, messageLocalized: undefined } }))), HAN, 'events stay English besides the localized twins');

    // a name that is no real server is refused before the preview, in the reader's language
    const unknown = channel('nosuch', 'zh_CN.UTF-8');
    assert.equal(unknown.lines.filter((e) => e.type === 'log').length, 0, 'nothing previewed');
    assert.equal(unknown.lines.at(-1)!.error!.messageLocalized, '集群 web 中没有真实服务器 nosuch（真实服务器：web1，web2）');

    const en = channel('web1', 'C');
    assert.ok(en.lines.every((e) => e.textLocalized === undefined && e.error?.messageLocalized === undefined), 'no twin in English');
    assert.match(en.lines.at(-1)!.error!.message, /^lvs1 \(192\.168\.147\.6\) does not answer: lvs1: connect failed: cannot connect to 127\.0\.0\.1:9: /);
  } finally {
    s.done();
  }
});
