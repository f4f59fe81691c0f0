// `lvsdr drain|restore|failover --events jsonl`: the live actions on the event channel, on the
// built CLI against a cluster whose hosts cannot be reached ($HOME/.ssh/config sends every host
// to 127.0.0.1 port 9, where nothing listens: each connection is refused on this machine and
// nothing leaves it). Every stdout line is an event of server/protocol/events.ts, and the last
// is the result. The lab proves the successful runs (test/lab/live-status.test.ts, the UI tier).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ChannelEvent, parseEvent } from '../../server/protocol/events';
import { unreachableSandbox } from './unreachable-sandbox';

const CLI = resolve('dist/server/cli.js');

const sandbox = () => unreachableSandbox('live-events');

function run(s: { home: string; repo: string }, args: string[]): { code: number | null; events: ChannelEvent[]; err: string } {
  const env = { ...process.env, HOME: s.home, LC_ALL: '', LC_MESSAGES: '', LANG: 'C', LVS_SECRET_VRRP_WEB: 'not-used' };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: s.repo, encoding: 'utf8', env, timeout: 60_000, input: '' });
  const events = r.stdout.split('\n').filter((l) => l.trim()).map((l) => {
    const e = parseEvent(l);
    assert.ok(e.ok, `not an event: ${l} (${e.ok ? '' : e.error})`);
    return e.value;
  });
  return { code: r.status, events, err: r.stderr };
}

for (const [cmd, operands] of [['drain', ['web1']], ['restore', ['web1']], ['failover', []]] as const) {
  test(`lvsdr ${cmd} --events jsonl: begin, the preview as a log event, then a failed result with the reason and the action journal`, () => {
    const s = sandbox();
    try {
      const r = run(s, [cmd, s.file, ...operands, '--target', 'hosts', '--yes', '--events', 'jsonl']);
      assert.equal(r.code, 1, r.err);
      const [begin] = r.events;
      assert.ok(begin.type === 'begin', JSON.stringify(begin));
      assert.equal(begin.command, cmd);
      assert.deepEqual(begin.hosts.map((h) => h.name), ['lvs1', 'lvs2', 'web1', 'web2']);
      const logs = r.events.filter((e) => e.type === 'log');
      assert.ok(logs.some((e) => e.type === 'log' && new RegExp(`^(${cmd}|controlled failover) `).test(e.text)), JSON.stringify(logs));
      const last = r.events[r.events.length - 1];
      assert.ok(last.type === 'result', JSON.stringify(last));
      assert.equal(last.command, cmd);
      assert.equal(last.outcome, 'failed');
      assert.equal(last.exitCode, 1);
      assert.match(last.error?.message ?? '', /lvs1|127\.0\.0\.1|refused|answer/i);
      assert.match(last.journal ?? '', /\.lvs-deploy[/\\]actions\.jsonl$|actions/);
    } finally {
      s.done();
    }
  });
}

test('lvsdr drain --events jsonl without --yes: refused before acting, the result says why', () => {
  const s = sandbox();
  try {
    const r = run(s, ['drain', s.file, 'web1', '--target', 'hosts', '--events', 'jsonl']);
    assert.equal(r.code, 1, r.err);
    const last = r.events[r.events.length - 1];
    assert.ok(last.type === 'result' && last.outcome === 'failed', JSON.stringify(last));
    assert.match(last.error?.message ?? '', /without --yes/);
  } finally {
    s.done();
  }
});

test("lvsdr drain --events takes only 'jsonl' (usage error, exit 2, no events)", () => {
  const s = sandbox();
  try {
    const r = run(s, ['drain', s.file, 'web1', '--target', 'hosts', '--yes', '--events', 'xml']);
    assert.equal(r.code, 2);
    assert.deepEqual(r.events, []);
    assert.match(r.err, /--events takes 'jsonl'/);
  } finally {
    s.done();
  }
});
