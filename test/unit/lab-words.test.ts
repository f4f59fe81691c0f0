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

test('lab status: English as before, Chinese headings and states with the table aligned in terminal columns', async () => {
  const { formatStatus } = await import('../../server/lab/status');
  const { columns } = await import('../../server/shared/text-columns');
  const host = (name: string, kind: 'director' | 'server' | 'client', address: string, ns: string) => ({
    name, kind, ns, address, prefix: 24, iface: 'ens33', bridgePort: `v-${name}`, tcpPorts: [], udpPorts: [],
    // no PID: a host whose process is gone shows DOWN (nothing of this machine is looked up)
  });
  const state = {
    version: 1 as const, id: 'a1b2c3', dir: '/var/lib/lvsdr/lab', file: 'examples/seed.lvs', cluster: 'web', createdAt: '2026-12-07T12:00:00.000Z',
    phase: 'up' as const, labNs: 'lvsdr-a1b2c3-lab', bridge: 'lab0', network: '192.168.147.0/24', prefix: 24, vips: ['192.168.147.100'],
    namespaces: [], hosts: [host('lvs1', 'director', '192.168.147.6', 'lvsdr-a1b2c3-lvs1'), host('client', 'client', '192.168.147.254', 'lvsdr-a1b2c3-client')],
    keys: { private: '/k/id', public: '/k/id.pub', authorizedKeys: '/k/ak', knownHosts: '/k/kh', hostKeys: {} },
    control: { port: 1, tokenFile: '/k/t', script: '/k/s' }, umlDir: '/u', timings: {},
  };
  const en = formatStatus(state).split('\n');
  assert.equal(en[0], 'lab a1b2c3: cluster web from examples/seed.lvs (up, since 2026-12-07T12:00:00.000Z)');
  assert.equal(en[1], 'network 192.168.147.0/24, bridge lab0 in namespace lvsdr-a1b2c3-lab; VIPs 192.168.147.100; gateway (none) not assigned (no route leaves the lab)');
  assert.equal(en[3], 'HOST    ROLE      ADDRESS             IFACE  NAMESPACE            PID  STATE');
  assert.equal(en[4], 'lvs1    director  192.168.147.6/24    ens33  lvsdr-a1b2c3-lvs1    -    DOWN');
  assert.equal(en[5], 'client  client    192.168.147.254/24  ens33  lvsdr-a1b2c3-client  -    running');
  assert.ok(en.includes('state:       /var/lib/lvsdr/lab'));

  const zh = formatStatus(state, (m) => localize(m, 'zh-cn')).split('\n');
  assert.equal(zh[0], '本地实验环境 a1b2c3：集群 web，来自 examples/seed.lvs（up，始于 2026-12-07T12:00:00.000Z）');
  assert.match(zh[1], /VIP 192\.168\.147\.100；网关 （无） 未分配/);
  assert.match(zh[3], /^主机 +角色 +地址 +接口 +命名空间 +PID +状态$/);
  assert.match(zh[4], /^lvs1 .* 已停止$/);
  assert.match(zh[5], /^client .* 运行中$/);
  // each column starts at the same terminal column in every row (a Chinese character takes two)
  const starts = (line: string) => [...line.matchAll(/(?:^|  )(\S)/g)].map((m) => columns(line.slice(0, m.index + m[0].length - 1)));
  assert.deepEqual(starts(zh[4]), starts(zh[3]));
  assert.deepEqual(starts(zh[5]), starts(zh[3]));
});
