// The master's VRRP bridge (server/deploy/vrrp-bridge.ts): the scripts run here with sh on a
// keepalived.conf generated from examples/seed.lvs; keepalived's own config test judges the bridge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFile } from '../../server/generate';
import { KEEPALIVED_CONF } from '../../server/generate/keepalived';
import { PRELUDE } from '../../server/deploy/remote';
import { bridgeScript, settleScript } from '../../server/deploy/vrrp-bridge';

const seed = readFileSync('examples/seed.lvs', 'utf8');

function conf(host: string, text = seed): string {
  const files = generateFile(text, 'seed.lvs', { secrets: () => 'labpass1' }).clusters[0].files;
  return files.find((f) => f.path === KEEPALIVED_CONF && f.host === host)!.content;
}

function sh(script: string): string {
  return execFileSync('sh', ['-s'], { input: `${PRELUDE}\n${script}\n`, encoding: 'utf8' });
}

for (const [what, text] of [['multicast', seed], ['unicast', seed.replace('advert 1s', 'advert 1s unicast')]] as const) {
  for (const host of ['lvs1', 'lvs2']) {
    test(`${what}, ${host}: the bridge differs only in priority 255 and state MASTER; settle puts the file back byte for byte`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'vrrp-bridge-'));
      try {
        const c = join(dir, 'keepalived.conf');
        const f = join(dir, 'state', 'vrrp-bridge.conf');
        const real = conf(host, text);
        writeFileSync(c, real, { mode: 0o600 });
        assert.equal(sh(bridgeScript(c, f)).trim(), 'bridged');
        const bridge = readFileSync(c, 'utf8');
        assert.equal(statSync(c).mode & 0o777, 0o600, 'the bridge holds auth_pass: 0600');
        assert.equal(readFileSync(f, 'utf8'), real, 'the real file waits aside');
        const a = real.split('\n');
        const b = bridge.split('\n');
        assert.equal(b.length, a.length);
        const diff = a.map((l, i) => [l, b[i]]).filter(([x, y]) => x !== y);
        const want = [[/^\s+priority \d+$/, /^\s+priority 255$/], [/^\s+state (MASTER|BACKUP)$/, /^\s+state MASTER$/]];
        assert.ok(diff.length >= 1 && diff.length <= 2, JSON.stringify(diff));
        for (const [x, y] of diff) assert.ok(want.some(([p, q]) => p.test(x) && q.test(y)), `${x} → ${y}`);
        assert.match(bridge, /^\s+priority 255$/m);
        assert.match(bridge, /^\s+state MASTER$/m);
        // keepalived refuses interfaces this machine lacks: the check reads a copy on one it has.
        const nic = readdirSync('/sys/class/net').filter((n) => n !== 'lo').sort()[0];
        if (nic) {
          const copy = join(dir, 'check.conf');
          writeFileSync(copy, bridge.replace(/\b(interface|dev) ens33\b/g, `$1 ${nic}`), { mode: 0o600 });
          const t = spawnSync('keepalived', ['--config-test', '-f', copy], { encoding: 'utf8' });
          if (!t.error) assert.equal(t.status, 0, `keepalived --config-test: ${t.stderr}`);
        }
        assert.equal(sh(settleScript(c, f)).trim(), 'settled');
        assert.equal(readFileSync(c, 'utf8'), real);
        assert.equal(statSync(c).mode & 0o777, 0o600);
        assert.equal(sh(settleScript(c, f)).trim(), 'none', 'a second settle finds no bridge');
        assert.equal(readFileSync(c, 'utf8'), real);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

test('a file without a vrrp_instance priority is not bridged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vrrp-bridge-'));
  try {
    const c = join(dir, 'keepalived.conf');
    writeFileSync(c, 'global_defs {\n  router_id x\n}\n');
    const r = spawnSync('sh', ['-s'], { input: `${PRELUDE}\n${bridgeScript(c, join(dir, 'f'))}\n`, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.equal(readFileSync(c, 'utf8'), 'global_defs {\n  router_id x\n}\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
