// known_hosts parsing and host key verdicts, fingerprints checked against ssh-keygen itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendKnownHost, checkHostKey, entryMatches, fingerprint, keyTypeOf, knownKeyTypes, lookupName, lookupNames, parseKnownHosts,
} from '../../server/deploy/known-hosts';
import { ConnectError, CredentialCache, hostKeyAlgorithms, SshConnection } from '../../server/deploy/connection';
import { sandboxUnavailable, startSandboxSshd } from './sandbox-sshd';

/** A syntactically valid key blob of a type (random key bytes). */
function blob(type: string, seed = randomBytes(32)): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  const klen = Buffer.alloc(4);
  klen.writeUInt32BE(seed.length);
  return Buffer.concat([len, t, klen, seed]);
}

function hashed(name: string, salt = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

const ED1 = blob('ssh-ed25519');
const ED2 = blob('ssh-ed25519');
const RSA = blob('ssh-rsa');

test('fingerprint and key type match ssh-keygen -l', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-kh-'));
  try {
    for (const type of ['ed25519', 'ecdsa', 'rsa']) {
      const f = join(dir, `k_${type}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', f]);
      const [kt, b64] = readFileSync(`${f}.pub`, 'utf8').trim().split(/\s+/);
      const key = Buffer.from(b64, 'base64');
      const want = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${f}.pub`], { encoding: 'utf8' }).split(/\s+/)[1];
      assert.equal(fingerprint(key), want, type);
      assert.equal(keyTypeOf(key), kt);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lookup names: plain for port 22, [host]:port otherwise', () => {
  assert.equal(lookupName('10.0.0.1', 22), '10.0.0.1');
  assert.equal(lookupName('10.0.0.1', 2222), '[10.0.0.1]:2222');
});

test('parses plain, hashed, marked, wildcard and negated entries; skips junk', () => {
  const text = [
    '# comment',
    '',
    `web1,10.0.0.4 ssh-ed25519 ${ED1.toString('base64')} root@web1`,
    `${hashed('10.0.0.5')} ssh-ed25519 ${ED2.toString('base64')}`,
    `@revoked * ssh-rsa ${RSA.toString('base64')}`,
    `@cert-authority *.example ssh-ed25519 ${ED1.toString('base64')}`,
    `10.0.1.*,!10.0.1.7 ssh-ed25519 ${ED2.toString('base64')}`,
    `[10.0.0.9]:2222 ssh-ed25519 ${ED1.toString('base64')}`,
    'garbage line',
    `10.0.0.8 ssh-rsa ${ED1.toString('base64')}`, // type field does not match the blob: ignored
    '@unknown-marker 10.0.0.1 ssh-ed25519 AAAA',
  ].join('\n');
  const e = parseKnownHosts(text);
  assert.equal(e.length, 6);
  assert.deepEqual(e[0].patterns, ['web1', '10.0.0.4']);
  assert.ok(e[1].hashed);
  assert.equal(e[2].marker, 'revoked');
  assert.equal(e[3].marker, 'cert-authority');
  assert.ok(entryMatches(e[1], '10.0.0.5'));
  assert.ok(!entryMatches(e[1], '10.0.0.6'));
  assert.ok(entryMatches(e[4], '10.0.1.3'));
  assert.ok(!entryMatches(e[4], '10.0.1.7'), 'negated pattern wins');
  assert.ok(entryMatches(e[5], '[10.0.0.9]:2222'));
  assert.ok(!entryMatches(e[5], '10.0.0.9'));
});

test('verdicts: known, unknown, changed, revoked, per port', () => {
  const text = [
    `web1,10.0.0.4 ssh-ed25519 ${ED1.toString('base64')}`,
    `${hashed('10.0.0.5')} ssh-ed25519 ${ED2.toString('base64')}`,
    `${hashed('[10.0.0.5]:2222')} ssh-rsa ${RSA.toString('base64')}`,
    `@revoked * ssh-ed25519 ${blob('ssh-ed25519', Buffer.alloc(32, 7)).toString('base64')}`,
  ].join('\n');
  assert.equal(checkHostKey(text, '10.0.0.4', 22, ED1).status, 'known');
  assert.equal(checkHostKey(text, '10.0.0.5', 22, ED2).status, 'known', 'hashed entry');
  const changed = checkHostKey(text, '10.0.0.4', 22, ED2);
  assert.equal(changed.status, 'changed');
  assert.equal(changed.status === 'changed' && changed.expected[0].fingerprint, fingerprint(ED1));
  assert.equal(checkHostKey(text, '10.0.0.5', 22, ED1).status, 'changed', 'hashed entry, other key');
  assert.equal(checkHostKey(text, '10.0.0.6', 22, ED1).status, 'unknown');
  const other = checkHostKey(text, '10.0.0.5', 2222, ED1);
  assert.deepEqual(other, { status: 'other-type', otherKnownTypes: ['ssh-rsa'], lines: [3] }, 'only an rsa key is known on that port: not merely unknown');
  assert.equal(checkHostKey(text, '10.0.0.4', 22, blob('ssh-ed25519', Buffer.alloc(32, 7))).status, 'revoked');
  assert.deepEqual(knownKeyTypes(text, '10.0.0.5', 2222), ['ssh-rsa']);
  assert.deepEqual(hostKeyAlgorithms(['ssh-rsa']).slice(0, 3), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  assert.equal(hostKeyAlgorithms([])[0], 'ssh-ed25519');
});

test('appending an accepted key: creates the file, keeps existing lines, adds a newline first when missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-kh-'));
  try {
    const f = join(dir, 'sub', 'known_hosts');
    appendKnownHost(f, '10.0.0.4', 22, ED1);
    assert.equal(checkHostKey(readFileSync(f, 'utf8'), '10.0.0.4', 22, ED1).status, 'known');
    writeFileSync(f, readFileSync(f, 'utf8').trimEnd()); // no final newline
    appendKnownHost(f, '10.0.0.5', 2222, ED2);
    const text = readFileSync(f, 'utf8');
    assert.equal(text.split('\n').filter(Boolean).length, 2);
    assert.match(text, /^\[10\.0\.0\.5\]:2222 ssh-ed25519 /m);
    assert.equal(checkHostKey(text, '10.0.0.5', 2222, ED2).status, 'known');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lookup by name and address: a key recorded under either counts, [host]:port and hashed forms included', () => {
  const text = [
    `web1 ssh-ed25519 ${ED1.toString('base64')}`,
    `[web2]:2222 ssh-ed25519 ${ED2.toString('base64')}`,
    `${hashed('[10.0.0.7]:2200')} ssh-ed25519 ${ED1.toString('base64')}`,
    `${hashed('lvs1')} ssh-ed25519 ${ED2.toString('base64')}`,
    `[10.0.0.8]:22 ssh-ed25519 ${ED1.toString('base64')}`,
  ].join('\n');
  assert.equal(checkHostKey(text, ['web1', '10.0.0.4'], 22, ED1).status, 'known', 'recorded under the name only');
  assert.equal(checkHostKey(text, '10.0.0.4', 22, ED1).status, 'unknown', 'the address alone does not find it');
  assert.equal(checkHostKey(text, ['web1', '10.0.0.4'], 22, ED2).status, 'changed', 'another key under the name is a change');
  assert.equal(checkHostKey(text, ['web2', '10.0.0.5'], 2222, ED2).status, 'known', '[name]:port');
  assert.equal(checkHostKey(text, ['web2', '10.0.0.5'], 22, ED2).status, 'unknown', '[name]:2222 is not port 22');
  assert.equal(checkHostKey(text, ['x', '10.0.0.7'], 2200, ED1).status, 'known', 'hashed [address]:port');
  assert.equal(checkHostKey(text, ['lvs1', '10.0.0.9'], 22, ED2).status, 'known', 'hashed name');
  assert.equal(checkHostKey(text, ['y', '10.0.0.8'], 22, ED1).status, 'known', '[address]:22 is port 22');
  assert.deepEqual(lookupNames(['web1', '10.0.0.4'], 2222), ['[web1]:2222', '[10.0.0.4]:2222']);
  assert.deepEqual(knownKeyTypes(text, ['web1', '10.0.0.4'], 22), ['ssh-ed25519'], 'the known type is offered first for the name too');
});

test('a known key of another type is reported as such, never as unknown', () => {
  const text = `web1 ssh-ed25519 ${ED1.toString('base64')}\n${hashed('10.0.0.4')} ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256').toString('base64')}`;
  const v = checkHostKey(text, ['web1', '10.0.0.4'], 22, RSA);
  assert.deepEqual(v, { status: 'other-type', otherKnownTypes: ['ssh-ed25519', 'ecdsa-sha2-nistp256'], lines: [1, 2] });
  assert.equal(checkHostKey(text, ['web9', '10.0.0.9'], 22, RSA).status, 'unknown');
});

const sshdReason = sandboxUnavailable();
test('real sshd offering rsa while known_hosts has an ed25519 key for its name: refused as another type', { skip: sshdReason }, async () => {
  const sshd = await startSandboxSshd(['rsa']);
  try {
    const t = sshd.target({ name: 'web1' });
    // The ed25519 key is recorded under the host's name, the address has nothing.
    writeFileSync(t.knownHosts, `[web1]:${sshd.port} ssh-ed25519 ${ED1.toString('base64')}\n`);
    let asked = 0;
    const creds = new CredentialCache({ confirmHostKey: async () => { asked++; return true; } });
    await assert.rejects(SshConnection.open(t, { creds, timeoutMs: 10_000 }), (e: unknown) => {
      assert.ok(e instanceof ConnectError);
      assert.equal(e.kind, 'host-key-other-type');
      assert.match(e.message, /has an ssh-ed25519 key for web1 \(127\.0\.0\.1:\d+\) \(line 1\), the host offered ssh-rsa SHA256:/);
      return true;
    });
    assert.equal(asked, 0, 'no accept-new question: the host is not new');
    assert.doesNotMatch(readFileSync(t.knownHosts, 'utf8'), /ssh-rsa/, 'nothing appended');
    // With its real key recorded under the address, the same connection succeeds.
    writeFileSync(t.knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKeys['ssh-rsa']}\n`);
    const c = await SshConnection.open(t, { creds: new CredentialCache({}), timeoutMs: 10_000 });
    assert.equal((await c.exec('echo ok')).stdout, 'ok\n');
    c.close();
  } finally {
    sshd.stop();
  }
});
