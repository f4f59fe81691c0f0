// Which deploys change the VRRP settings two directors must agree on, and the apply order the
// engine then uses (server/deploy/vrrp-change-order.ts; the lab proof is test/lab/vrrp-change.test.ts).
// The keepalived.conf texts are generated from variants of examples/seed.lvs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateFile } from '../../server/generate';
import { KEEPALIVED_CONF } from '../../server/generate/keepalived';
import { applyStages } from '../../server/deploy/order';
import { HostPlan, HostRole } from '../../server/deploy/types';
import { releaseScript, holdScript, vrrpChangeOf, vrrpSettings, vrrpStages } from '../../server/deploy/vrrp-change-order';
import { execFileSync } from 'node:child_process';

const seed = readFileSync('examples/seed.lvs', 'utf8');

function confs(text: string, secret = 'labpass1'): Map<string, string> {
  const files = generateFile(text, 'seed.lvs', { secrets: () => secret }).clusters[0].files;
  return new Map(files.filter((f) => f.path === KEEPALIVED_CONF).map((f) => [f.host, f.content]));
}

const ROLES: Record<string, HostRole> = { lvs1: 'master', lvs2: 'backup', web1: 'server', web2: 'server' };

/** Host plans as the engine computes them: keepalived.conf changes from `before` to `after`. */
function plans(before: Map<string, string>, after: Map<string, string>): HostPlan[] {
  return Object.entries(ROLES).map(([name, role]) => {
    const a = after.get(name);
    const b = before.get(name);
    const files = a === undefined ? [] : [{
      path: KEEPALIVED_CONF, action: b === undefined ? 'add' as const : a === b ? 'unchanged' as const : 'change' as const,
      before: b === undefined ? null : { sha256: 'b', mode: 0o600 }, after: { sha256: 'a', mode: 0o600 }, content: a, current: b === undefined ? undefined : Buffer.from(b),
    }];
    const changed = role === 'server' || (a !== undefined && a !== b);
    return { host: { name, role } as HostPlan['host'], files, changed, hadApply: true, warnings: [] };
  });
}

test('each peer setting of the vrrp_instance is found, the unicast peers one by one', () => {
  const c = confs(seed.replace('advert 1s', 'advert 2s unicast')).get('lvs1')!;
  assert.deepEqual(vrrpSettings(c), [
    'VI_web advert_int 2', 'VI_web auth_pass labpass1', 'VI_web auth_type PASS',
    'VI_web unicast_peer 192.168.147.5', 'VI_web unicast_src_ip 192.168.147.6', 'VI_web virtual_router_id 51',
  ].sort());
});

test('router id, auth, advert and unicast changes are VRRP changes: the backup is held, names only', () => {
  const base = confs(seed);
  const cases: Array<[string, Map<string, string>, string[]]> = [
    ['router id', confs(seed.replace('router-id 51', 'router-id 52')), ['virtual_router_id']],
    ['auth', confs(seed, 'labpass2'), ['auth_pass']],
    ['advert', confs(seed.replace('advert 1s', 'advert 2s')), ['advert_int']],
    ['unicast', confs(seed.replace('advert 1s', 'advert 1s unicast')), ['unicast_peer', 'unicast_src_ip']],
  ];
  for (const [what, after, keys] of cases) {
    const change = vrrpChangeOf(plans(base, after));
    assert.deepEqual(change, { keys, hold: ['lvs2'] }, what);
    assert.ok(!JSON.stringify(change).includes('labpass'), `${what}: no secret in the change`);
  }
});

test('other changes, and a first deploy, keep the usual order', () => {
  const base = confs(seed);
  assert.equal(vrrpChangeOf(plans(base, confs(seed.replace('real web1 weight 1', 'real web1 weight 2')))), undefined, 'a weight');
  assert.equal(vrrpChangeOf(plans(base, confs(seed.replace('priority 90', 'priority 80')))), undefined, 'a priority');
  assert.equal(vrrpChangeOf(plans(new Map(), confs(seed.replace('router-id 51', 'router-id 52')))), undefined, 'first deploy');
  const stages = applyStages(Object.values(ROLES).map((role) => ({ role })));
  assert.deepEqual(vrrpStages(stages, undefined), stages);
});

test('with a VRRP change: real servers, then hold the backup and apply the master, then the backup', () => {
  const change = vrrpChangeOf(plans(confs(seed), confs(seed.replace('router-id 51', 'router-id 52'))))!;
  const stages = vrrpStages(applyStages(Object.entries(ROLES).map(([name, role]) => ({ name, role }))), change);
  assert.deepEqual(stages.map((s) => [s.label, s.items.map((i) => i.name), s.hold ?? []]), [
    ['real servers', ['web1', 'web2'], []],
    ['master director', ['lvs1'], ['lvs2']],
    ['backup director', ['lvs2'], []],
  ]);
});

test('the hold and release scripts are valid sh and pass shellcheck', () => {
  for (const script of [holdScript(), releaseScript('20261206T030000123Z-abcdef')]) {
    execFileSync('sh', ['-n'], { input: script });
    try {
      execFileSync('shellcheck', ['-s', 'sh', '-'], { input: `#!/bin/sh\n${script}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { code?: string; stdout?: Buffer };
      if (err.code === 'ENOENT') continue; // shellcheck not installed: sh -n above still ran
      assert.fail(`shellcheck:\n${err.stdout?.toString()}`);
    }
  }
});
