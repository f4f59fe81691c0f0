// The deploy lock through a real sshd (sandbox-sshd.ts: /run is a private tmpfs, so the lock
// directory never touches this machine): two jump hosts with the same name do not steal each
// other's lock, a run re-takes its own lock by its token without losing the step record, a
// stale lock is never broken while its step runs (not even with --force), and `lvsdr unlock`
// (unlockHost) needs --force for a live-looking lock. Needs root; skipped otherwise.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { CredentialCache, SshConnection } from '../../server/deploy/connection';
import { DeployError } from '../../server/deploy/errors';
import { localize } from '../../server/shared/l10n/localize';
import { english } from '../../server/shared/l10n/message';
import { acquireLock, inspectScript, LockIdentity, newLockToken, parseHolder, releaseLock, unlockHost } from '../../server/deploy/lock';
import { LOCK_DIR, RemoteHost } from '../../server/deploy/remote';
import { runCli } from '../../server/cli/main';
import { sandboxUnavailable, SandboxSshd, startSandboxSshd } from './sandbox-sshd';

const reason = sandboxUnavailable();
if (reason && process.env.CI === 'true') test('lock over sshd: prerequisites', () => assert.fail(reason));

const STALE = 6 * 3600_000;

describe('deploy lock over a real sshd', { skip: reason }, () => {
  let sshd: SandboxSshd;
  const open: SshConnection[] = [];

  async function connect(): Promise<RemoteHost> {
    const t = sshd.target();
    const c = await SshConnection.open(t, { creds: new CredentialCache({}), timeoutMs: 10_000 });
    open.push(c);
    return new RemoteHost(t, c);
  }
  async function holder(h: RemoteHost) {
    return parseHolder((await h.run(inspectScript())).stdout);
  }
  /** A process inside the sandbox recorded as the lock's running step; returns its PID. */
  function startStep(): number {
    const r = sshd.inside(`sleep 120 >/dev/null 2>&1 & echo $! >${LOCK_DIR}/step.pid; echo $!`);
    assert.equal(r.code, 0, r.stderr);
    return Number(r.stdout.trim());
  }

  before(async () => {
    sshd = await startSandboxSshd(['ed25519']);
    writeFileSync(sshd.target().knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKeys['ssh-ed25519']}\n`);
  });
  after(() => {
    for (const c of open) c.close();
    sshd?.stop();
  });

  const OTHER_BOOT = '11111111-2222-4333-8444-555555555555';
  const DEAD_PID = 2 ** 22 + 4321;
  const A: LockIdentity = { deployId: '20250101T000000000Z-aaaaaa', token: newLockToken(), client: 'localhost.localdomain', boot: OTHER_BOOT, pid: DEAD_PID };
  const B: LockIdentity = { deployId: '20250101T000000001Z-bbbbbb', token: newLockToken(), client: 'localhost.localdomain' };

  test('a twin jump host (same name, other boot, a PID that is not running here) keeps its lock', async () => {
    const a = await connect();
    assert.deepEqual(await acquireLock(a, A, STALE), { acquired: true });
    const b = await connect();
    await assert.rejects(acquireLock(b, B, STALE), (e: unknown) => {
      assert.ok(e instanceof DeployError);
      assert.equal(e.code, 'locked');
      assert.match(e.message, /another deploy holds \/run\/lvs-dr\.lock: deploy 20250101T000000000Z-aaaaaa from localhost\.localdomain \(PID \d+, boot 11111111-/);
      return true;
    });
    const h = await holder(b);
    assert.equal(h?.id, A.deployId);
    assert.equal(h?.token, A.token);
    assert.equal(await releaseLock(b, A.deployId, B.token), false, 'the id alone does not release it');
  });

  test('the owner re-takes its lock in place after reconnecting; the record of its running step stays', async () => {
    const step = startStep();
    const a2 = await connect();
    const before = await holder(a2);
    const out = await acquireLock(a2, A, STALE);
    assert.deepEqual(out, { acquired: true, retaken: true });
    const now = await holder(a2);
    assert.notEqual(now?.conn, before?.conn, 'the lock now follows the new connection');
    assert.equal(now?.step, step);
    assert.equal(now?.stepAlive, true);
  });

  test('the owner gone and its step still running: not stale, and not broken even with --force', async () => {
    for (const c of open.splice(0)) c.close();
    await new Promise((r) => setTimeout(r, 500)); // the sshd processes of the closed connections exit
    const b = await connect();
    const h = await holder(b);
    assert.equal(h?.connAlive, false, 'the owner\'s connection is gone');
    await assert.rejects(acquireLock(b, B, STALE), /another deploy holds .*step session \d+ still running; refused/);
    // The same refusal as a Chinese reader of the CLI reads it (the message above is the journal's English).
    await assert.rejects(acquireLock(b, B, STALE), (e: unknown) => {
      assert.ok(e instanceof DeployError);
      assert.match(localize(e.words, 'zh-cn'), /^\S+：加锁失败：另一次部署持有 \S+：部署 \S+，来自 .*步骤会话 \d+ 仍在运行；已拒绝$/);
      return true;
    });
    const forced = await unlockHost(b, { force: true, staleMs: STALE });
    assert.equal(forced.state, 'refused');
    assert.equal(forced.state === 'refused' && forced.why, 'step-running');
    assert.equal(sshd.inside(`[ -f ${LOCK_DIR}/step.pid ] && [ -f ${LOCK_DIR}/owner ]`).code, 0, 'the lock and its step record are untouched');
    // The step ends: now the lock is stale (its connection is gone) and breaks without --force.
    sshd.inside(`kill ${h!.step}`);
    await new Promise((r) => setTimeout(r, 300));
    const out = await unlockHost(b, { force: false, staleMs: STALE });
    assert.equal(out.state, 'broken');
    assert.match(out.state === 'broken' ? english(out.reason) : '', /SSH connection of deploy 20250101T000000000Z-aaaaaa is gone/);
    assert.match(out.state === 'broken' ? localize(out.reason, 'zh-cn') : '', /^部署 20250101T000000000Z-aaaaaa 的 SSH 连接已断开（sshd PID \d+）$/, 'lvsdr unlock says why in the reader\'s language');
    assert.equal(sshd.inside(`[ -e ${LOCK_DIR} ]`).code, 1);
  });

  test('unlock: a live-looking lock needs --force', async () => {
    const b = await connect();
    assert.deepEqual(await acquireLock(b, B, STALE), { acquired: true });
    const c = await connect();
    const plain = await unlockHost(c, { force: false, staleMs: STALE });
    assert.equal(plain.state === 'refused' && plain.why, 'live');
    assert.equal((await holder(c))?.id, B.deployId, 'still held');
    const forced = await unlockHost(c, { force: true, staleMs: STALE });
    assert.equal(forced.state, 'broken');
    assert.equal(forced.state === 'broken' && english(forced.reason), 'forced (--force)');
    assert.equal((await unlockHost(c, { force: false, staleMs: STALE })).state, 'free');
  });
});

test('lvsdr unlock: --host is required; the command is listed in the help', async () => {
  const writes: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  (process.stderr as unknown as { write: (s: string) => boolean }).write = (s: string) => { writes.push(String(s)); return true; };
  try {
    assert.equal(await runCli(['unlock', 'x.lvs']), 2);
  } finally {
    (process.stderr as unknown as { write: typeof orig }).write = orig;
  }
  assert.match(writes.join(''), /--host HOST is required/);
});
