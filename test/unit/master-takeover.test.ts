// Which deploy waits for the master to take the VIPs back (server/deploy/master-takeover.ts), and
// the wait script itself, run by sh against a stand-in `ip` whose addresses a file holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFile } from '../../server/generate';
import { KEEPALIVED_CONF } from '../../server/generate/keepalived';
import { takeoverScript, takeoverTarget } from '../../server/deploy/master-takeover';
import { HostPlan, HostRole } from '../../server/deploy/types';

const seed = readFileSync('examples/seed.lvs', 'utf8');
const ROLES: Record<string, HostRole> = { lvs1: 'master', lvs2: 'backup', web1: 'server', web2: 'server' };

function plans(text: string, changedHosts: string[]): HostPlan[] {
  const files = generateFile(text, 'seed.lvs', { secrets: () => 'labpass1' }).clusters[0].files;
  return Object.entries(ROLES).map(([name, role]) => {
    const conf = files.find((f) => f.host === name && f.path === KEEPALIVED_CONF)?.content;
    return {
      host: { name, role, placedAddresses: role === 'server' ? [] : ['192.168.147.100'] } as HostPlan['host'],
      files: conf === undefined ? [] : [{ path: KEEPALIVED_CONF, action: 'add' as const, before: null, after: { sha256: 'a', mode: 0o600 }, content: conf }],
      changed: changedHosts.includes(name), hadApply: false, warnings: [],
    };
  });
}

const changedOf = (p: HostPlan[]) => p.filter((x) => x.changed);

test('a deploy that changes the master waits for it to hold its VIPs, bounded by its advert interval', () => {
  const p = plans(seed, ['lvs1', 'lvs2', 'web1', 'web2']);
  assert.deepEqual(takeoverTarget(changedOf(p), p), { name: 'lvs1', vips: ['192.168.147.100'], waitS: 14 });
  const slow = plans(seed.replace('advert 1s', 'advert 3s'), ['lvs1']);
  assert.equal(takeoverTarget(changedOf(slow), slow)?.waitS, 22);
});

test('no wait when the master is unchanged, or when a backup has the higher priority (it keeps the VIPs)', () => {
  const p = plans(seed, ['lvs2', 'web1']);
  assert.equal(takeoverTarget(changedOf(p), p), undefined);
  const inverted = plans(seed.replace('priority 90', 'priority 110'), ['lvs1', 'lvs2']);
  assert.equal(takeoverTarget(changedOf(inverted), inverted), undefined);
});

test('the wait script: held at once, held once the address appears, missing after the deadline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-takeover-'));
  try {
    const addrs = join(dir, 'addrs');
    writeFileSync(join(dir, 'ip'), `#!/bin/sh\ncat ${JSON.stringify(addrs)}\n`);
    chmodSync(join(dir, 'ip'), 0o755);
    const run = (script: string) => execFileSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } }).trim();
    const nic = '2: ens33    inet 192.168.147.6/24 scope global ens33\n';
    const vip = '2: ens33    inet 192.168.147.100/32 scope global ens33:0\n';

    writeFileSync(addrs, nic + vip);
    assert.equal(run(takeoverScript(['192.168.147.100'], 5)), 'held');

    // A longer address that starts the same is not the VIP.
    writeFileSync(addrs, `${nic}2: ens33    inet 192.168.147.10/32 scope global ens33\n`);
    const t0 = Date.now();
    assert.equal(run(takeoverScript(['192.168.147.1', '192.168.147.100'], 2)), 'missing 192.168.147.1 192.168.147.100');
    assert.ok(Date.now() - t0 >= 1000, 'it waited until the deadline (whole seconds)');

    // keepalived adds the VIP while the script waits (a background writer in the same shell).
    writeFileSync(addrs, nic);
    writeFileSync(join(dir, 'later'), nic + vip);
    const t1 = Date.now();
    const later = `(sleep 1; cp ${JSON.stringify(join(dir, 'later'))} ${JSON.stringify(addrs)}) &\n`;
    assert.equal(run(later + takeoverScript(['192.168.147.100'], 10)), 'held');
    assert.ok(Date.now() - t1 < 5000, 'held soon after the address appeared, not at the deadline');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
