// `lvsdr import` speaks the reader's language on stderr (LC_ALL, LC_MESSAGES, then LANG): its
// findings (not expressible, inferred, note) and the error that stops an import, each after its
// `file:line: `. In a C locale the words are the English the importer has always printed; the
// event channel's JSON keeps English `message` with `messageLocalized` beside it in Chinese.
// The real CLI (dist/server/cli.js) runs as a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ImportedJson, ResultEvent } from '../../server/protocol/events';

const CLI = resolve('dist/server/cli.js');
const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'C' };
const CHINESE = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };

const dir = mkdtempSync(join(tmpdir(), 'lvs-import-text-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

// A NAT virtual_server (not expressible), a /24 VIP (a note) and a service without a protocol (inferred).
const LOSSY = file('lossy.conf', [
  'vrrp_instance VI_1 {', '  state MASTER', '  interface eth0', '  virtual_router_id 51', '  priority 100',
  '  virtual_ipaddress {', '    10.0.0.100/24', '  }', '}',
  'virtual_server 10.0.0.100 80 {', '  lb_algo rr', '  lb_kind NAT', '  protocol TCP', '  real_server 10.0.0.11 80 {', '    weight 1', '  }', '}',
  'virtual_server 10.0.0.100 443 {', '  lb_algo rr', '  lb_kind DR', '  real_server 10.0.0.11 443 {', '    weight 1', '  }', '}', '',
].join('\n'));
const BAD_PRIORITY = file('priority.conf', 'vrrp_instance VI_1 {\n  state MASTER\n  interface eth0\n  virtual_router_id 51\n  priority 300\n}\n');
const BAD_INCLUDE = file('include.conf', 'global_defs {\n  router_id lvs1\n}\ninclude /nonexistent/lvs-import-text.conf\n');

function lvsdr(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [CLI, 'import', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, input: '', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('lvsdr import in a C locale: findings and errors in the English it has always printed', () => {
  const lossy = lvsdr(['--keepalived', LOSSY], ENGLISH);
  assert.equal(lossy.code, 4, lossy.err);
  assert.deepEqual(lossy.err.split('\n').filter((l) => l.startsWith(LOSSY)), [
    `${LOSSY}:7: note: VIP 10.0.0.100/24: placed as /32 (the language places every VIP as a /32)`,
    `${LOSSY}:10: not-expressible: virtual_server 10.0.0.100 80: lvs_method NAT; only DR is expressible; not imported`,
    `${LOSSY}:18: inferred: virtual_server 10.0.0.100 443: no protocol; TCP assumed`,
  ]);
  const priority = lvsdr(['--keepalived', BAD_PRIORITY], ENGLISH);
  assert.equal(priority.code, 1);
  assert.equal(priority.err, `lvsdr import: ${BAD_PRIORITY}:1: priority 300: not 1 to 255\n`);
  const include = lvsdr(['--keepalived', BAD_INCLUDE], ENGLISH);
  assert.equal(include.code, 1);
  assert.equal(include.err, `lvsdr import: ${BAD_INCLUDE}:4: cannot read included file /nonexistent/lvs-import-text.conf (ENOENT)\n`);
});

test('lvsdr import with LANG=zh_CN.UTF-8: findings and errors in Chinese, each after its file:line', () => {
  const lossy = lvsdr(['--keepalived', LOSSY], CHINESE);
  assert.equal(lossy.code, 4, lossy.err);
  assert.deepEqual(lossy.err.split('\n').filter((l) => l.startsWith(LOSSY)), [
    `${LOSSY}:7: 说明：VIP 10.0.0.100/24：按 /32 配置（.lvs 语言中每个 VIP 都按 /32 配置）`,
    `${LOSSY}:10: 无法表达：virtual_server 10.0.0.100 80：lvs_method NAT；只能表达 DR；未导入`,
    `${LOSSY}:18: 推断：virtual_server 10.0.0.100 443：没有协议；按 TCP 处理`,
  ]);
  // The validator's findings on the imported text, too (LVS103: one director).
  assert.match(lossy.err, /<stdout>:\d+: information LVS103: 调度器 /);
  const priority = lvsdr(['--keepalived', BAD_PRIORITY], CHINESE);
  assert.equal(priority.code, 1);
  assert.equal(priority.err, `lvsdr import: ${BAD_PRIORITY}:1: priority 300：不在 1 到 255 之间\n`);
  const include = lvsdr(['--keepalived', BAD_INCLUDE], CHINESE);
  assert.equal(include.code, 1);
  assert.equal(include.err, `lvsdr import: ${BAD_INCLUDE}:4: 无法读取 include 的文件 /nonexistent/lvs-import-text.conf（ENOENT）\n`);
});

function result(out: string): ResultEvent {
  const r = out.trim().split('\n').map((l) => JSON.parse(l) as ResultEvent).find((e) => e.type === 'result');
  assert.ok(r, out);
  return r;
}

function imported(r: ResultEvent): ImportedJson {
  assert.ok(r.imported, JSON.stringify(r));
  return r.imported;
}

test('lvsdr import --events jsonl: English message, and messageLocalized in Chinese only for a Chinese reader', () => {
  const zh = imported(result(lvsdr(['--events', 'jsonl', '--keepalived', LOSSY], CHINESE).out));
  const nat = zh.findings.find((f) => f.line === 10);
  assert.ok(nat);
  assert.equal(nat.kind, 'not-expressible');
  assert.equal(nat.message, 'virtual_server 10.0.0.100 80: lvs_method NAT; only DR is expressible; not imported');
  assert.equal(nat.messageLocalized, 'virtual_server 10.0.0.100 80：lvs_method NAT；只能表达 DR；未导入');
  const single = zh.validation.find((v) => v.code === 'LVS103');
  assert.match(single?.message ?? '', /^Director lvs1 is the only director/);
  assert.match(single?.messageLocalized ?? '', /^调度器 lvs1/);
  const en = imported(result(lvsdr(['--events', 'jsonl', '--keepalived', LOSSY], ENGLISH).out));
  assert.deepEqual(en.findings.map((f) => Object.keys(f)), en.findings.map(() => ['kind', 'file', 'line', 'message']));
  assert.equal(en.findings.find((f) => f.line === 10)?.message, nat.message);
});

test('lvsdr import --events jsonl: a failed import\'s error in English with messageLocalized in Chinese', () => {
  const zh = result(lvsdr(['--events', 'jsonl', '--keepalived', BAD_PRIORITY], CHINESE).out);
  assert.equal(zh.outcome, 'failed');
  assert.ok(zh.error);
  assert.equal(zh.error.message, `${BAD_PRIORITY}:1: priority 300: not 1 to 255`);
  assert.equal(zh.error.messageLocalized, `${BAD_PRIORITY}:1: priority 300：不在 1 到 255 之间`);
  const en = result(lvsdr(['--events', 'jsonl', '--keepalived', BAD_PRIORITY], ENGLISH).out);
  assert.deepEqual(en.error, { message: `${BAD_PRIORITY}:1: priority 300: not 1 to 255` });
});

test('lvsdr import --ssh: a host that cannot be resolved, and no host read, in the reader\'s language (English JSON with its twin)', () => {
  const home = mkdtempSync(join(tmpdir(), 'lvs-import-home-'));
  const ssh = (env: Record<string, string>, ...more: string[]) => lvsdr([...more, '--ssh', 'root@lvs-nowhere'], { ...env, HOME: home });
  const en = ssh(ENGLISH);
  assert.equal(en.code, 1);
  assert.match(en.err, /^lvsdr import: lvs-nowhere: not an IPv4 address, and no HostName for it in ~\/\.ssh\/config \(.*\)\nlvsdr import: no host could be read\n$/);
  const zh = ssh(CHINESE);
  assert.equal(zh.code, 1);
  assert.match(zh.err, /^lvsdr import: lvs-nowhere：不是 IPv4 地址，~\/\.ssh\/config 中也没有它的 HostName（.*）\nlvsdr import: 没有读到任何主机\n$/);
  assert.deepEqual(result(ssh(CHINESE, '--events', 'jsonl').out).error, { message: 'no host could be read', messageLocalized: '没有读到任何主机' });
  assert.deepEqual(result(ssh(ENGLISH, '--events', 'jsonl').out).error, { message: 'no host could be read' });
});
