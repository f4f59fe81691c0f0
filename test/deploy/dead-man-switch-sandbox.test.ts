// The dead man's switch (server/deploy/dead-man-switch.ts) run for real, in a private mount
// namespace of this machine (unshare -m: /opt, /run and /var/lib are empty tmpfs; nothing
// reaches the machine). A "previous deployment" (files + an apply.sh whose runtime state is a
// file in /run) is backed up with the engine's backupScript, the switch armed, the new files
// written and the new apply.sh run, then:
//   not confirmed  → the host restores by itself within timeout + 2 s: files back to their
//                    sha256 of before (absent ones deleted), the new rollback.sh and the
//                    previous apply.sh ran (runtime state as before);
//   confirmed      → it never fires; a heartbeat moves the deadline; disarming twice is fine;
//   confirm too late → the disarm reports the firing, never cancels half of it.
// Needs root; skipped otherwise (a failure under CI=true).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backupScript } from '../../server/deploy/backup';
import { armScript, disarmScript, heartbeatScript, parseSwitchState, SwitchInput, switchStateScript } from '../../server/deploy/dead-man-switch';
import { MountSandbox, mountSandboxSkip, startMountSandbox } from './mount-sandbox';

const reason = mountSandboxSkip('dead man\'s switch sandbox');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('dead man\'s switch in a private mount namespace', { skip: reason }, () => {
  let box: MountSandbox | undefined;
  const run = (script: string) => box!.run(script);
  const sh = (script: string) => box!.sh(script);
  const sha = (p: string) => sh(`sha256sum ${p} | cut -c1-64`).trim();

  before(async () => { box = await startMountSandbox(); });
  after(() => box?.stop());

  const APPLY = '/opt/lvs/apply.sh';
  const CONF = '/opt/t/etc/x.conf';
  const NEWF = '/opt/t/etc/new.conf';
  const OLD_APPLY = 'echo old >/run/runtime\n';
  const NEW_APPLY = 'echo new >/run/runtime\n';
  const NEW_ROLLBACK = 'echo "new undone" >>/run/rollback.log\n';

  /** A previous deployment, backed up as deploy `id`, then the new files written and applied. */
  function deployNew(id: string, timeoutS: number): SwitchInput {
    sh([
      'rm -rf /opt/lvs /opt/t /var/lib/lvs-dr /run/runtime /run/rollback.log',
      'mkdir -p /opt/lvs /opt/t/etc',
      `printf '%s' '${OLD_APPLY}' >${APPLY}`,
      `printf 'old conf\\n' >${CONF}; chmod 640 ${CONF}`,
      `sh ${APPLY}`,
    ].join('\n'));
    const before = { apply: sha(APPLY), conf: sha(CONF) };
    sh(backupScript(id, [APPLY, CONF, NEWF], NEW_ROLLBACK));
    const x: SwitchInput = {
      deployId: id, hadApply: true, timeoutS,
      entries: [
        { path: APPLY, before: { sha256: before.apply, mode: 0o644 } },
        { path: CONF, before: { sha256: before.conf, mode: 0o640 } },
        { path: NEWF, before: null },
      ],
    };
    assert.equal(parseSwitchState(sh(armScript(x))).state, 'armed');
    sh([`printf '%s' '${NEW_APPLY}' >${APPLY}`, `printf 'new conf\\n' >${CONF}`, `echo added >${NEWF}`, `sh ${APPLY}`].join('\n'));
    assert.equal(sh('cat /run/runtime').trim(), 'new');
    return x;
  }

  const state = (id: string) => parseSwitchState(sh(switchStateScript(id)));

  test('not confirmed: the host restores its backup by itself within the timeout + 2 s', async () => {
    const id = '20260101T000000000Z-dms001';
    const x = deployNew(id, 5);
    const beforeSums = x.entries.map((e) => e.before?.sha256);
    const t0 = Date.now();
    let st = state(id);
    while (st.state !== 'fired' && Date.now() - t0 < 15_000) {
      await sleep(250);
      st = state(id);
    }
    const ms = Date.now() - t0;
    assert.equal(st.state, 'fired', JSON.stringify(st));
    assert.ok(st.state === 'fired' && st.ok, `restore succeeded: ${JSON.stringify(st)}`);
    assert.ok(ms >= 4_000 && ms <= 7_000, `fired ${ms} ms after arming (timeout 5 s)`);
    console.log(`# dead man's switch fired ${(ms / 1000).toFixed(1)} s after arming (timeout 5 s)`);
    assert.deepEqual([sha(APPLY), sha(CONF)], beforeSums.slice(0, 2), 'files back to their sha256 of before');
    assert.equal(sh(`stat -c %a ${CONF}`).trim(), '640');
    assert.equal(run(`[ -e ${NEWF} ]`).code, 1, 'a file that was absent is deleted');
    assert.equal(sh('cat /run/runtime').trim(), 'old', 'the previous apply.sh ran');
    assert.equal(sh('cat /run/rollback.log').trim(), 'new undone', 'the new rollback.sh ran once');
    // The engine's disarm after the fact reports it and cancels nothing.
    const d = parseSwitchState(sh(disarmScript(id, 5)));
    assert.equal(d.state, 'fired');
    assert.equal(run(`pgrep -f ${id}/deadman.sh`).code, 1, 'the timer is gone');
  });

  test('confirmed: it never fires; heartbeats move the deadline; disarming again is harmless', async () => {
    const id = '20260101T000000001Z-dms002';
    deployNew(id, 5);
    await sleep(3_000);
    assert.equal(parseSwitchState(sh(heartbeatScript(id, 5))).state, 'armed');
    await sleep(3_500); // 6.5 s after arming, 3.5 s after the heartbeat
    assert.equal(state(id).state, 'armed', 'the heartbeat moved the deadline');
    assert.equal(parseSwitchState(sh(disarmScript(id, 5))).state, 'disarmed');
    await sleep(7_000);
    assert.equal(parseSwitchState(sh(disarmScript(id, 5))).state, 'disarmed');
    assert.equal(sh('cat /run/runtime').trim(), 'new', 'nothing was restored');
    assert.equal(sh(`cat ${CONF}`).trim(), 'new conf');
    assert.equal(run('[ -e /run/rollback.log ]').code, 1);
    assert.equal(run(`pgrep -f ${id}/deadman.sh`).code, 1, 'the timer has exited');
  });

  test('a heartbeat after the switch fired reports the firing (the deploy must not go on)', async () => {
    const id = '20260101T000000002Z-dms003';
    deployNew(id, 5);
    await sleep(7_500);
    const st = parseSwitchState(sh(heartbeatScript(id, 5)));
    assert.equal(st.state, 'fired');
    assert.equal(sh('cat /run/runtime').trim(), 'old');
  });
});
