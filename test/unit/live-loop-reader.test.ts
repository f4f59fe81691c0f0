// The director's reader (read-scripts.ts directorLoopScript) run by a real local `sh`, talked to
// through LoopReader as the engine does over SSH: each request gets one marked reply with the
// files `head` printed; a reply that never ends times out and ends the reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { ClientChannel } from 'ssh2';
import { directorLoopScript } from '../../server/live/read-scripts';
import { LoopReader } from '../../server/live/loop-reader';
import { parseDirectorRead, splitHeadFiles } from '../../server/live/parse-director';
import { markedLines } from '../../server/deploy/remote';

/** A local shell's stdio shaped like the part of an ssh2 channel LoopReader uses. */
function localChannel(script: string): ClientChannel {
  const child = spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  const ch = new EventEmitter() as EventEmitter & { stderr: NodeJS.ReadableStream; write(s: string): boolean; close(): void };
  child.stdout.on('data', (d: Buffer) => ch.emit('data', d));
  ch.stderr = child.stderr;
  ch.write = (s: string) => child.stdin.write(s);
  ch.close = () => { child.kill('SIGTERM'); };
  child.on('close', () => ch.emit('close'));
  return ch as unknown as ClientChannel;
}

test('the reader answers each request with one reply; rates and timeouts only when asked', async () => {
  const r = new LoopReader(localChannel(directorLoopScript()));
  try {
    for (const words of ['read rates timeouts', 'read', 'read']) {
      const out = await r.request(words, 5000);
      const sections = markedLines(out).map((s) => s.words[0]);
      assert.deepEqual(sections.filter((s) => s !== 'rate' && s !== 'timeout'), ['keepalived', 'signum', 'files']);
      assert.equal(sections.includes('rate'), words.includes('rates'));
      const files = splitHeadFiles(markedLines(out).find((s) => s.words[0] === 'files')!.body);
      assert.ok(files.has('/proc/net/fib_trie') && files.has('/proc/net/if_inet6'), [...files.keys()].join(', '));
      const read = parseDirectorRead(out);
      assert.ok(read.addresses.includes('127.0.0.1'), read.addresses.join(' '));
    }
  } finally {
    r.close();
  }
  assert.equal(r.alive, false);
});

test('a reply that never ends times out and ends the reader', async () => {
  const r = new LoopReader(localChannel('while read -r l; do echo "$l"; done'));
  await assert.rejects(r.request('read', 300), /no status reply within/);
  assert.equal(r.alive, false);
  await assert.rejects(r.request('read', 300), /no status reply/);
});
