// The dead man's switch's scripts (server/deploy/dead-man-switch.ts) as text: POSIX sh that
// shellcheck accepts, the fire script doing what the engine's rollback does in its order, and
// the state report parsed. (test/deploy/dead-man-switch-sandbox.test.ts runs them.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armScript, disarmScript, fireScript, heartbeatScript, parseSwitchState, SwitchInput, switchStateScript, timeoutProblems, timerScript } from '../../server/deploy/dead-man-switch';
import { PRELUDE } from '../../server/deploy/remote';

const X: SwitchInput = {
  deployId: '20260101T000000000Z-abc123', hadApply: true, timeoutS: 120,
  entries: [
    { path: '/opt/lvs/apply.sh', before: { sha256: 'a'.repeat(64), mode: 0o755 } },
    { path: '/etc/lvs-dr/new.conf', before: null },
  ],
};

test('every script of the switch passes sh -n and shellcheck -s sh', (t) => {
  if (spawnSync('shellcheck', ['--version']).status !== 0) {
    if (process.env.CI === 'true') assert.fail('shellcheck is not installed');
    t.skip('shellcheck is not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dms-'));
  try {
    const scripts = {
      arm: `${PRELUDE}\n${armScript(X)}`, fire: fireScript(X), fireFresh: fireScript({ ...X, hadApply: false }), timer: timerScript(X.deployId),
      heartbeat: `${PRELUDE}\n${heartbeatScript(X.deployId, 30)}`, disarm: `${PRELUDE}\n${disarmScript(X.deployId, 30)}`, state: `${PRELUDE}\n${switchStateScript(X.deployId)}`,
    };
    const files = Object.entries(scripts).map(([name, text]) => {
      const p = join(dir, `${name}.sh`);
      writeFileSync(p, text);
      assert.equal(spawnSync('sh', ['-n', p]).status, 0, `sh -n ${name}`);
      return p;
    });
    const r = spawnSync('shellcheck', ['-s', 'sh', ...files], { encoding: 'utf8' });
    assert.equal(r.stdout + r.stderr, '');
    assert.equal(r.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('firing does the rollback\'s steps in its order: stop a step, restore, new rollback.sh, previous apply.sh, marker', () => {
  const f = fireScript(X);
  const at = (s: string) => { const i = f.indexOf(s); assert.ok(i >= 0, s); return i; };
  const order = [at('step.pid'), at('no backup at'), at('/rollback-new.sh'), at("sh '/opt/lvs/apply.sh'"), at('keepalived.started" ]')];
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  assert.ok(!fireScript({ ...X, hadApply: false }).includes("sh '/opt/lvs/apply.sh'"), 'no previous apply.sh to run on a fresh host');
  assert.match(f, /'\/etc\/lvs-dr\/new\.conf'/, 'paths are quoted');
});

test('the timeout is whole seconds from 5 to 86400; ids and paths are checked before any script is built', () => {
  for (const ok of [5, 120, 86_400]) assert.deepEqual(timeoutProblems(ok), []);
  for (const bad of [0, 4, 1.5, 86_401, Number.NaN]) assert.equal(timeoutProblems(bad).length, 1, String(bad));
  assert.throws(() => armScript({ ...X, deployId: '../x' }), /not an identifier/);
  assert.throws(() => fireScript({ ...X, entries: [{ path: '/etc/$(reboot)', before: null }] }), /not an absolute path/);
});

test('the state report is read from its marker line only', () => {
  assert.deepEqual(parseSwitchState('junk\n@@LVSDR DEADMAN disarmed\n'), { state: 'disarmed' });
  assert.deepEqual(parseSwitchState('@@LVSDR DEADMAN fired 0 1767225600\nrestored\n@@LVSDR END\n'), { state: 'fired', ok: true, at: 1767225600, log: 'restored' });
  assert.equal((parseSwitchState('@@LVSDR DEADMAN fired 1 5\nboom\n@@LVSDR END\n') as { ok: boolean }).ok, false);
  assert.deepEqual(parseSwitchState('DEADMAN disarmed\n'), { state: 'none' });
});
