// The director's reader (read-scripts.ts directorLoopScript) run by a real local bash and dash,
// talked to through LoopReader as the engine does over SSH: each request gets one marked reply
// with the files as `head -v` prints them; under bash no program starts per request; a reply
// that never ends times out and ends the reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import type { ClientChannel } from 'ssh2';
import { directorLoopScript, readerCommand, realServerLoopScript } from '../../server/live/read-scripts';
import { parseRealServerRead } from '../../server/live/parse-real-server';
import { LoopReader } from '../../server/live/loop-reader';
import { parseDirectorRead, splitHeadFiles } from '../../server/live/parse-director';
import { markedLines } from '../../server/deploy/remote';

/** A local shell's stdio shaped like the part of an ssh2 channel LoopReader uses. */
function localChannel(script: string, shell = 'sh', env: NodeJS.ProcessEnv = process.env): ClientChannel {
  const child = spawn(shell, ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'], env });
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

/**
 * Requests (by default three, the last asking for rates and timeouts) to the reader under SHELL;
 * the replies, each one's round trip, and the programs it started. `slowIpvsadm`: ipvsadm sleeps
 * that many seconds before it runs.
 */
async function converse(shell: string, opts: { command?: string; systemPath?: string; requests?: string[]; slowIpvsadm?: number } = {}): Promise<{ replies: string[]; started: string[]; ms: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-reader-'));
  const log = join(dir, 'started');
  writeFileSync(log, '');
  // Each program the reader may start, first on PATH: it records its name, then runs the real one.
  for (const name of ['head', 'ipvsadm', 'keepalived', 'cat', 'ip', 'ss']) {
    writeFileSync(join(dir, name), `#!/bin/sh\necho ${name} >>'${log}'\n${name === 'ipvsadm' && opts.slowIpvsadm ? `sleep ${opts.slowIpvsadm}\n` : ''}PATH=/usr/sbin:/usr/bin:/sbin:/bin exec ${name} "$@"\n`);
    chmodSync(join(dir, name), 0o755);
  }
  const systemPath = opts.systemPath ?? ':/usr/sbin:/usr/bin:/sbin:/bin';
  // Only PATH and the locale: whatever else this process's environment holds stays out of the shells.
  const r = new LoopReader(localChannel(opts.command ?? directorLoopScript(), shell, { PATH: `${dir}${systemPath}`, LC_ALL: 'C' }));
  try {
    const replies: string[] = [];
    const ms: number[] = [];
    for (const words of opts.requests ?? ['read', 'read', 'read rates timeouts']) {
      const t0 = Date.now();
      replies.push(await r.request(words, 20_000));
      ms.push(Date.now() - t0);
    }
    // The whole log, from the reader's start: its keepalived --signum may run before any request.
    return { replies, started: readFileSync(log, 'utf8').split('\n').filter(Boolean), ms };
  } finally {
    r.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('under bash a refresh starts no program (ipvsadm only when rates or timeouts are asked); under dash one head; the replies are equal', async () => {
  const bash = await converse('bash');
  const dash = await converse('dash');
  // keepalived --signum once when the reader starts; then nothing for the two plain reads.
  assert.deepEqual(bash.started, ['keepalived', 'ipvsadm', 'ipvsadm']);
  assert.deepEqual(dash.started, ['keepalived', 'head', 'head', 'head', 'ipvsadm', 'ipvsadm']);
  // The same files, byte for byte (fib_trie and if_inet6 are this machine's and do not change between the runs).
  assert.deepEqual(bash.replies, dash.replies);
  const files = splitHeadFiles(markedLines(bash.replies[0]).find((s) => s.words[0] === 'files')!.body);
  assert.ok(files.has('/proc/net/fib_trie'), [...files.keys()].join(', '));
});

test('the reader command line runs it under bash where the host has bash, else under sh', async () => {
  const withBash = await converse('/bin/sh', { command: readerCommand(directorLoopScript(), '') });
  assert.deepEqual(withBash.started, ['keepalived', 'ipvsadm', 'ipvsadm']);
  // PATH holds only the recording programs and sh: no bash to find, so sh runs the loop (and starts head).
  const onlySh = mkdtempSync(join(tmpdir(), 'lvsdr-only-sh-'));
  try {
    symlinkSync('/bin/dash', join(onlySh, 'sh'));
    const withoutBash = await converse('/bin/sh', { command: readerCommand(directorLoopScript(), ''), systemPath: `:${onlySh}` });
    assert.deepEqual(withoutBash.started, ['keepalived', 'head', 'head', 'head', 'ipvsadm', 'ipvsadm']);
    assert.deepEqual(withBash.replies, withoutBash.replies);
  } finally {
    rmSync(onlySh, { recursive: true, force: true });
  }
});

test('a real server reader answers each request with lo and the ARP sysctls (ip), and the listening sockets (ss) when asked', async () => {
  const { replies, started } = await converse('/bin/sh', { command: readerCommand(realServerLoopScript(), ''), requests: ['read listen', 'read', 'read'] });
  assert.deepEqual(started, ['ip', 'ss', 'ip', 'ip']);
  const sysctl = (f: string) => Number(readFileSync(`/proc/sys/net/ipv4/conf/${f}`, 'utf8'));
  replies.forEach((out, i) => {
    assert.deepEqual(markedLines(out).map((s) => s.words[0]), i === 0 ? ['lo', 'arp', 'listen'] : ['lo', 'arp']);
    const read = parseRealServerRead(out);
    assert.equal(read.listening !== undefined, i === 0);
    assert.deepEqual(read.arp, { allIgnore: sysctl('all/arp_ignore'), allAnnounce: sysctl('all/arp_announce'), loIgnore: sysctl('lo/arp_ignore'), loAnnounce: sysctl('lo/arp_announce') });
  });
});

test('`later`: ipvsadm runs after the reply (which does not wait for it) and its rates and timeouts come with the next reply', async () => {
  for (const shell of ['bash', 'dash']) {
    // ipvsadm takes 3 s to start here: a reply that waited for it would take 6 s.
    const { replies, ms } = await converse(shell, { requests: ['read later rates timeouts', 'read', 'read'], slowIpvsadm: 3 });
    const sections = replies.map((out) => markedLines(out).map((s) => s.words[0]).filter((w) => w === 'rate' || w === 'timeout'));
    assert.deepEqual(sections, [[], ['rate', 'timeout'], []], shell);
    assert.ok(ms[0] < 2500, `${shell}: the first reply took ${ms[0]} ms`);
    assert.ok(ms[1] > 4000, `${shell}: the second reply (after both ipvsadm) took ${ms[1]} ms`);
  }
});

test('neither BASH_ENV nor a ~/.bashrc runs in the reader (bash reads .bashrc when its stdin is a socket, as under sshd)', async () => {
  const home = mkdtempSync(join(tmpdir(), 'lvsdr-bash-env-'));
  try {
    writeFileSync(join(home, 'env.sh'), `echo ran >'${join(home, 'env-ran')}'\n`);
    writeFileSync(join(home, '.bashrc'), `echo ran >'${join(home, 'bashrc-ran')}'\n`);
    const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: home, BASH_ENV: join(home, 'env.sh') };
    const r = new LoopReader(localChannel(readerCommand(directorLoopScript(), ''), '/bin/sh', env));
    try {
      await r.request('read', 5000);
    } finally {
      r.close();
    }
    assert.deepEqual(readdirSync(home).sort(), ['.bashrc', 'env.sh']);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
