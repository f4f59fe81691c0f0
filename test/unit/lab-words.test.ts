// The lab's words for a person (issue 16): `lab up`'s progress lines and the lab's refusals are
// messages, printed by `lvsdr lab` in the reader's language; the English stays as it was. None
// of this starts a lab (no root or UML kernel needed): the refusals come before anything is built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labLogLine } from '../../server/cli/lab';
import { layoutLab, LayoutError } from '../../server/lab/layout';
import { labProgress } from '../../server/lab/progress-words';
import { localize } from '../../server/shared/l10n/localize';
import { english } from '../../server/shared/l10n/message';

const SEED = readFileSync('examples/seed.lvs', 'utf8');

function lvsdr(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['dist/server/cli.js', ...args], {
    encoding: 'utf8', env: { ...process.env, LC_ALL: '', LC_MESSAGES: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('lab up progress lines: English as before, Chinese in a zh_CN reader\'s language', () => {
  const lines = [
    labProgress.starting('a1b2c3', 'web', 5, 'examples/seed.lvs'),
    labProgress.booted('lvs1', 4242, 12_345),
    labProgress.tearingDown,
    labProgress.up('a1b2c3', 30_050),
  ];
  assert.deepEqual(lines.map(english), [
    'lab a1b2c3: cluster web (5 hosts) from examples/seed.lvs',
    'director lvs1 booted (linux.uml pid 4242) in 12.3 s',
    'lab up failed: tearing down what was created',
    'lab a1b2c3 is up in 30.1 s',
  ]);
  assert.deepEqual(lines.map((l) => localize(l, 'zh-cn')), [
    '本地实验环境 a1b2c3：集群 web（5 台主机），来自 examples/seed.lvs',
    '调度器 lvs1 已启动（linux.uml pid 4242），用时 12.3 秒',
    'lab up 失败：正在拆除已创建的部分',
    '本地实验环境 a1b2c3 已启动，用时 30.1 秒',
  ]);
  const saved = { LC_ALL: process.env.LC_ALL, LANG: process.env.LANG };
  try {
    process.env.LC_ALL = 'zh_CN.UTF-8';
    assert.equal(labLogLine(labProgress.up('a1b2c3', 30_050)), 'lvsdr lab: 本地实验环境 a1b2c3 已启动，用时 30.1 秒\n');
    process.env.LC_ALL = 'C.UTF-8';
    assert.equal(labLogLine(labProgress.up('a1b2c3', 30_050)), 'lvsdr lab: lab a1b2c3 is up in 30.1 s\n');
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
});

test('lab layout refusals are messages: the clusters listed with the Chinese comma, the English unchanged', () => {
  const two = `${SEED}\n${SEED.replace('cluster web', 'cluster shop')}`;
  const e = (() => { try { layoutLab('x.lvs', two); } catch (err) { return err; } })();
  assert.ok(e instanceof LayoutError);
  assert.equal(e.message, 'x.lvs has several clusters (web, shop): choose one with --cluster NAME');
  assert.match(localize(e.words, 'zh-cn'), /web，shop/);
  assert.doesNotMatch(localize(e.words, 'zh-cn'), /, |choose/);
});

test('lvsdr lab up refused before anything is built: Chinese for zh_CN, the English for C', () => {
  // Not root or the packages missing: the prerequisites (exit 3). Root with them: a state
  // directory that is not an absolute path (exit 2), whatever TMPDIR says. Neither builds anything.
  const env = { LVSDR_LAB_DIR: 'lvsdr-lab-words-never-created' };
  const zh = lvsdr(['lab', 'up', 'examples/seed.lvs'], { ...env, LANG: 'zh_CN.UTF-8' });
  const en = lvsdr(['lab', 'up', 'examples/seed.lvs'], { ...env, LANG: 'C.UTF-8' });
  assert.ok(zh.code === 2 || zh.code === 3, zh.err);
  assert.equal(en.code, zh.code);
  if (zh.code === 3) {
    assert.match(zh.err, /^lvsdr lab up: 本地实验环境无法在这台机器上启动：\n {2}- /);
    assert.match(en.err, /^lvsdr lab up: the lab cannot start on this machine:\n {2}- /);
    assert.equal(zh.err.split('\n').length, en.err.split('\n').length);
  } else {
    assert.equal(zh.err, 'lvsdr lab up: 状态目录必须是绝对路径（得到的是 lvsdr-lab-words-never-created）\n');
    assert.equal(en.err, 'lvsdr lab up: the state directory must be an absolute path (got lvsdr-lab-words-never-created)\n');
  }
  assert.doesNotMatch(zh.err, /the lab|needs|missing|state directory/);
});

test('lvsdr lab exec names the lab\'s hosts in the reader\'s language when the host is unknown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvs-lab-words-'));
  try {
    const host = (name: string, kind: string) => ({ name, kind, ns: `lvsdr-t-${name}`, address: '192.168.147.9', prefix: 24, iface: 'eth0', bridgePort: 'p0', tcpPorts: [], udpPorts: [] });
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ version: 1, id: 't', dir, hosts: [host('lvs1', 'director'), host('web1', 'server'), host('client', 'client')] }));
    const zh = lvsdr(['lab', 'exec', 'nope', '--', 'true'], { LVSDR_LAB_DIR: dir, LANG: 'zh_CN.UTF-8' });
    const en = lvsdr(['lab', 'exec', 'nope', '--', 'true'], { LVSDR_LAB_DIR: dir, LANG: 'C.UTF-8' });
    assert.equal(zh.err, "lvsdr lab exec: 本地实验环境中没有主机 'nope'（主机：lvs1，web1，client）\n");
    assert.equal(en.err, "lvsdr lab exec: no host 'nope' in the lab (hosts: lvs1, web1, client)\n");
    assert.equal(zh.code, 1);
    assert.equal(en.code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lvsdr lab with an unknown command says so in the reader\'s language', () => {
  const zh = lvsdr(['lab', 'upp'], { LANG: 'zh_CN.UTF-8' });
  assert.equal(zh.code, 2);
  assert.match(zh.err, /^lvsdr lab: 未知命令 'upp'\n/);
  assert.match(lvsdr(['lab', 'upp'], { LANG: 'C.UTF-8' }).err, /^lvsdr lab: unknown command 'upp'\n/);
});
