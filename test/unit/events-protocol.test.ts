// The event channel's contract (server/protocol/events.ts): each kind of line parses, malformed
// ones are rejected with a reason; the CLI's end asks one question at a time; remote text is
// made printable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { answerLine, eventLine, parseAnswer, parseEvent } from '../../server/protocol/events';
import { printable } from '../../server/protocol/printable';
import { EventChannel } from '../../server/cli/event-channel';

const FP = 'SHA256:' + 'A'.repeat(43);

test('well-formed events and answers parse', () => {
  const lines = [
    { v: 1, type: 'begin', command: 'deploy', cluster: 'web', target: 'lab', hosts: [{ name: 'lvs1', role: 'master', address: '10.0.0.1' }] },
    { v: 1, type: 'progress', host: 'web1', step: 'upload', state: 'done', ms: 12, detail: '3 written' },
    { v: 1, type: 'progress', step: 'probe', state: 'start' },
    { v: 1, type: 'log', level: 'warning', text: 'x' },
    { v: 1, type: 'question', id: 1, kind: 'host-key', host: 'web1', address: '10.0.0.4', port: 22, keyType: 'ssh-ed25519', fingerprint: FP, knownHosts: '/k', known: [{ keyType: 'ssh-rsa', fingerprint: FP }] },
    { v: 1, type: 'question', id: 2, kind: 'secret', source: 'secret', name: 'vrrp-web' },
    { v: 1, type: 'question', id: 3, kind: 'passphrase', keyFile: '/k', host: 'web1' },
    { v: 1, type: 'result', command: 'plan', outcome: 'no-change', exitCode: 0, hosts: [{ name: 'web1', outcome: 'unchanged' }],
      plan: { planId: '0123456789abcdef', cluster: 'web', target: 'hosts', changed: false, warnings: [], hosts: [{ name: 'web1', role: 'server', address: '10.0.0.4', changed: false, files: [{ path: '/etc/x', action: 'unchanged', before: 'a', after: 'a' }] }] } },
    { v: 1, type: 'result', command: 'deploy', outcome: 'failed', exitCode: 1, journal: '/j.json', hosts: [], error: { host: 'web2', step: 'apply', message: 'no' } },
  ];
  for (const l of lines) {
    const r = parseEvent(JSON.stringify(l));
    assert.ok(r.ok, `${JSON.stringify(l)}: ${r.ok ? '' : r.error}`);
    assert.deepEqual(r.value, l);
    assert.deepEqual(JSON.parse(eventLine(r.value as never)), l);
  }
  for (const a of [{ v: 1, id: 1, kind: 'host-key', accept: true }, { v: 1, id: 2, kind: 'secret', value: null }, { v: 1, id: 3, kind: 'passphrase', value: 'p' }]) {
    const r = parseAnswer(JSON.stringify(a));
    assert.ok(r.ok, JSON.stringify(a));
    assert.deepEqual(JSON.parse(answerLine(r.value)), a);
  }
});

test('malformed events are rejected with a reason', () => {
  const bad: Array<[string, RegExp]> = [
    ['not json', /not JSON/],
    [JSON.stringify({ type: 'log', level: 'info', text: 'x' }), /v/],
    [JSON.stringify({ v: 2, type: 'log', level: 'info', text: 'x' }), /v/],
    [JSON.stringify({ v: 1, type: 'shout', text: 'x' }), /type/],
    [JSON.stringify({ v: 1, type: 'progress', host: 'web1', step: 'reboot', state: 'start' }), /step/],
    [JSON.stringify({ v: 1, type: 'progress', host: 'web1', step: 'upload', state: 'start', ms: -1 }), /ms/],
    [JSON.stringify({ v: 1, type: 'question', id: 1, kind: 'host-key', host: 'web1', address: 'a', port: 22, keyType: 't', fingerprint: FP, knownHosts: '/k' }), /known/],
    [JSON.stringify({ v: 1, type: 'question', id: 0, kind: 'secret', source: 'secret', name: 'n' }), /id/],
    [JSON.stringify({ v: 1, type: 'question', id: 1, kind: 'root-password' }), /kind/],
    [JSON.stringify({ v: 1, type: 'result', command: 'deploy', outcome: 'great', exitCode: 0, hosts: [] }), /outcome/],
    [JSON.stringify({ v: 1, type: 'result', command: 'plan', outcome: 'changes', exitCode: 3, hosts: [], plan: { planId: 'x' } }), /plan/],
  ];
  for (const [line, why] of bad) {
    const r = parseEvent(line);
    assert.equal(r.ok, false, line);
    assert.match(r.ok ? '' : r.error, why, line);
  }
  assert.throws(() => eventLine({ v: 1, type: 'log', level: 'loud', text: 'x' } as never));
  for (const a of [{ v: 1, id: 1, kind: 'host-key', accept: 'yes' }, { v: 1, id: 1, kind: 'secret' }, { v: 1, kind: 'host-key', accept: true }]) {
    assert.equal(parseAnswer(JSON.stringify(a)).ok, false, JSON.stringify(a));
  }
});

test('printable removes escape sequences and control characters, keeps text, newlines and tabs', () => {
  assert.equal(printable('\x1b[31mred\x1b[0m ok'), 'red ok');
  assert.equal(printable('a\x1b]0;owned title\x07b'), 'ab');
  assert.equal(printable('a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b'), 'alinkb');
  assert.equal(printable('reset\x1bc here'), 'reset here');
  assert.equal(printable('\x9b2Jclear'), 'clear');
  assert.equal(printable('x\x1b[2K\ry'), 'xy');
  assert.equal(printable('bell\x07 nul\x00 del\x7f'), 'bell nul del');
  assert.equal(printable('bidi \u202eevil\u202c \u2066x\u2069'), 'bidi evil x');
  assert.equal(printable('line 1\n\tline 2 — ünïcødé ✓'), 'line 1\n\tline 2 — ünïcødé ✓');
  assert.equal(printable('trailing \x1b'), 'trailing ');
});

/** Lines written to a stream, parsed as events. */
function collect(out: PassThrough): Array<Record<string, unknown>> {
  const got: Array<Record<string, unknown>> = [];
  let buf = '';
  out.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      const r = parseEvent(l);
      assert.ok(r.ok, l);
      got.push(r.value as Record<string, unknown>);
    }
  });
  return got;
}

const tick = () => new Promise((r) => setTimeout(r, 20));

test('the CLI end asks one question at a time and matches answers by id and kind', async () => {
  const out = new PassThrough();
  const input = new PassThrough();
  const events = collect(out);
  const ch = new EventChannel(out, input);
  const q = (host: string) => ({ kind: 'host-key' as const, host, address: '10.0.0.1', port: 22, keyType: 'ssh-ed25519', fingerprint: FP, knownHosts: '/k', known: [] });
  const first = ch.ask(q('web1'));
  const second = ch.ask(q('web2'));
  await tick();
  assert.deepEqual(events.map((e) => e.host), ['web1'], 'only the first question is out');
  input.write(`${JSON.stringify({ v: 1, id: 2, kind: 'host-key', accept: true })}\n`);
  input.write('{"v":1,"id":1,"kind":"secret","value":"x"}\n');
  input.write('garbage\n');
  await tick();
  assert.deepEqual(events.filter((e) => e.type === 'question').map((e) => e.host), ['web1'], 'wrong answers do not open the next question');
  assert.equal(events.filter((e) => e.type === 'log' && e.level === 'warning').length, 3);
  input.write(answerLine({ v: 1, id: 1, kind: 'host-key', accept: false }));
  assert.deepEqual(await first, { v: 1, id: 1, kind: 'host-key', accept: false });
  await tick();
  assert.deepEqual(events.filter((e) => e.type === 'question').map((e) => [e.id, e.host]), [[1, 'web1'], [2, 'web2']]);
  input.end();
  assert.equal(await second, undefined, 'stdin closed: the open question is refused');
  assert.equal(await ch.ask({ kind: 'secret', source: 'secret', name: 'n' }), undefined, 'and so is any later one');
});
