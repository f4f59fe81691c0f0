// lvsdr noticing its parent went away (server/cli/parent-gone.ts), on a real child process:
// SIGHUP, the reader of stderr/stdout gone (EPIPE), the end of the event channel's stdin. In each
// case the child reports the reason once, keeps running to its end without dying on the dead
// pipe, and exits normally. The child is this file re-run with PARENT_GONE_CHILD set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchParent } from '../../server/cli/parent-gone';
import { EventChannel } from '../../server/cli/event-channel';

const mode = process.env.PARENT_GONE_CHILD;
if (mode) {
  const report = process.env.PARENT_GONE_REPORT!;
  const channel = mode === 'channel' ? new EventChannel() : undefined;
  watchParent((why) => appendFileSync(report, `gone: ${why}\n`), channel);
  let i = 0;
  // Writes keep coming after the parent is gone: the run goes on (a rollback) and must survive them.
  const t = setInterval(() => {
    process.stderr.write(`progress ${i}\n`);
    process.stdout.write(`result ${i}\n`);
    if (++i === 60) {
      clearInterval(t);
      appendFileSync(report, 'finished\n');
      channel?.close();
    }
  }, 10);
} else {
  function run(childMode: string, act: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; report: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'parent-gone-'));
    const report = join(dir, 'report');
    const child = spawn(process.execPath, [__filename], {
      env: { ...process.env, PARENT_GONE_CHILD: childMode, PARENT_GONE_REPORT: report }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let acted = false;
    child.stderr!.on('data', () => {
      if (acted) return;
      acted = true;
      act(child);
    });
    child.stdout!.resume();
    return new Promise((resolve) => child.on('exit', (code, signal) => {
      let lines: string[] = [];
      try {
        lines = readFileSync(report, 'utf8').trim().split('\n');
      } catch { /* no report */ }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal, report: lines });
    }));
  }

  test('SIGHUP: reported once as the parent gone, the run goes on to its end', async () => {
    const r = await run('plain', (c) => c.kill('SIGHUP'));
    assert.equal(r.signal, null, 'not killed by the SIGHUP');
    assert.equal(r.code, 0);
    assert.deepEqual(r.report, ['gone: SIGHUP', 'finished']);
  });

  test('stdout and stderr readers gone: EPIPE is reported, later writes neither throw nor kill', async () => {
    const r = await run('plain', (c) => {
      c.stdout!.destroy();
      c.stderr!.destroy();
    });
    assert.equal(r.signal, null);
    assert.equal(r.code, 0);
    assert.equal(r.report.length, 2, r.report.join('\n'));
    assert.match(r.report[0], /^gone: (stdout|stderr) closed$/);
    assert.equal(r.report[1], 'finished');
  });

  test('event channel: the end of stdin (VS Code went away) is the parent gone', async () => {
    const r = await run('channel', (c) => c.stdin!.end());
    assert.equal(r.code, 0);
    assert.deepEqual(r.report, ['gone: stdin closed', 'finished']);
  });

  test('without a channel, stdin is not watched', async () => {
    const r = await run('plain', (c) => c.stdin!.end());
    assert.equal(r.code, 0);
    assert.deepEqual(r.report, ['finished']);
  });
}
