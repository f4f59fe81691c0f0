// The deploy journal never gives the plain sha256 of keepalived.conf (its 8-character auth_pass
// could be guessed offline from it): on disk that digest is sealed under this machine's key;
// read back here it is the plain sha256 again, so plan, drift and rollback compare as before.
// Read on another machine (another key) it stays sealed and matches nothing. No lab needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployedState, Journal, readJournals, writeJournal } from '../../server/deploy/journal';
import { generateFile } from '../../server/generate';

const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

test('journal: the sha256 of keepalived.conf is sealed on disk, plain when read back with the same key, never plain with another', () => {
  // The seed director's keepalived.conf with a short secret: its sha256 is what must not leak.
  const files = generateFile(readFileSync('examples/seed.lvs', 'utf8'), 'seed.lvs', { secrets: () => 'pw' }).clusters[0].files;
  const conf = files.find((f) => f.host === 'lvs1' && f.path === '/etc/keepalived/keepalived.conf')!;
  const apply = files.find((f) => f.host === 'lvs1' && f.path === '/opt/lvs/apply.sh')!;
  const oldConf = sha(conf.content.replace('auth_pass pw', 'auth_pass old'));
  const journal: Journal = {
    version: 1, kind: 'deploy', id: '20260101T000000000Z-abcdef', tool: 'lvs-dr-studio', source: '/x/seed.lvs', sourceSha256: '0',
    cluster: 'web', target: 'hosts', startedAt: '', outcome: 'success',
    hosts: [{
      name: 'lvs1', address: '192.168.147.6', role: 'master', changed: true, hadApply: true, outcome: 'deployed', steps: [],
      files: [
        { path: conf.path, action: 'change', before: { sha256: oldConf, mode: 0o644 }, after: { sha256: sha(conf.content), mode: 0o600 } },
        { path: apply.path, action: 'add', before: null, after: { sha256: sha(apply.content), mode: 0o755 } },
      ],
    }],
  };
  const key = randomBytes(32);
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-journal-digests-'));
  try {
    writeJournal(dir, journal, key);
    const onDisk = readFileSync(join(dir, readdirSync(dir)[0]), 'utf8');
    assert.ok(!onDisk.includes(sha(conf.content)), 'the new keepalived.conf sha256 is not on disk');
    assert.ok(!onDisk.includes(oldConf), 'the previous keepalived.conf sha256 is not on disk');
    assert.ok(onDisk.includes(sha(apply.content)), 'files without secrets keep their plain sha256');
    assert.equal(journal.hosts[0].files[0].after!.sha256, sha(conf.content), 'the journal in memory is unchanged');

    const here = readJournals(dir, key);
    assert.deepEqual(here[0].hosts[0].files, journal.hosts[0].files, 'read back with the same key: plain again');
    assert.equal(deployedState(here, 'web', 'hosts').files.get('lvs1')!.get(conf.path), sha(conf.content), 'what plan and drift compare');

    const elsewhere = readJournals(dir, randomBytes(32));
    const sealed = deployedState(elsewhere, 'web', 'hosts').files.get('lvs1')!.get(conf.path)!;
    assert.match(sealed, /^sealed:v1:/, 'another key cannot unseal it');
    assert.notEqual(sealed, sha(conf.content));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
