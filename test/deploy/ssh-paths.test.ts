// Paths of the `ssh` block: relative ones resolve against the .lvs file's folder, not the
// working directory; a known_hosts the file names inside its own repository is used only once
// confirmed (through a real sshd: refused without the confirmation although it holds the right
// key, connected with it, and the run says where the keys come from).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTarget } from '../../server/deploy/targets';
import { isInside, repositoryOf } from '../../server/deploy/ssh-paths';
import { Session } from '../../server/deploy/session';
import { DeployError } from '../../server/deploy/errors';
import { ClusterTarget, ProgressEvent } from '../../server/deploy/types';
import { sandboxUnavailable, startSandboxSshd } from './sandbox-sshd';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'lvsdr-sshpaths-')));
after(() => rmSync(root, { recursive: true, force: true }));

const seed = readFileSync('examples/seed.lvs', 'utf8');
function withSsh(ssh: string): string {
  const out = seed.replace(/ssh \{[^}]*\}/, `ssh { ${ssh} }`);
  assert.notEqual(out, seed);
  return out;
}

async function resolveFrom(cwd: string, file: string, extra: { knownHosts?: string; identity?: string } = {}) {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await resolveTarget({ file, target: 'hosts', secrets: () => 'labpass1', ...extra });
  } finally {
    process.chdir(before);
  }
}

test('relative key and known-hosts resolve against the .lvs folder, whatever the working directory', async () => {
  const repo = join(root, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'clusters'), { recursive: true });
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(elsewhere);
  const lvs = join(repo, 'clusters', 'web.lvs');
  writeFileSync(lvs, withSsh('user root  key ./id  known-hosts ./kh'));
  const t = await resolveFrom(elsewhere, lvs);
  for (const h of t.hosts) {
    assert.equal(h.keyFile, join(repo, 'clusters', 'id'));
    assert.equal(h.knownHosts, join(repo, 'clusters', 'kh'));
    assert.equal(h.knownHostsInRepo, repo, 'the known_hosts came with the repository');
  }
  // The same file given by a relative path from another folder gives the same paths.
  const t2 = await resolveFrom(join(repo, 'clusters'), 'web.lvs');
  assert.equal(t2.hosts[0].knownHosts, join(repo, 'clusters', 'kh'));
  // Command-line paths are the operator's: relative to the working directory, trusted.
  const t3 = await resolveFrom(elsewhere, lvs, { knownHosts: 'my_kh', identity: 'my_id' });
  assert.equal(t3.hosts[0].knownHosts, join(elsewhere, 'my_kh'));
  assert.equal(t3.hosts[0].keyFile, join(elsewhere, 'my_id'));
  assert.equal(t3.hosts[0].knownHostsInRepo, undefined);
  // Outside the repository (the operator's own file): used as it is.
  writeFileSync(lvs, withSsh('user root  known-hosts ~/.ssh/known_hosts'));
  assert.equal((await resolveFrom(elsewhere, lvs)).hosts[0].knownHostsInRepo, undefined);
});

test('inside the repository is decided on real paths, not string prefixes', () => {
  const repo = join(root, 'proj');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(root, 'proj-x'));
  mkdirSync(join(repo, 'deep', 'er'), { recursive: true });
  assert.equal(repositoryOf(join(repo, 'deep', 'er', 'c.lvs')), repo);
  assert.ok(isInside(join(repo, 'kh'), repo));
  assert.ok(isInside(join(repo, 'deep', 'not-yet', 'kh'), repo), 'a file that does not exist yet');
  assert.ok(!isInside(join(root, 'proj-x', 'kh'), repo), '../proj-x is not inside proj');
  assert.ok(!isInside(join(repo, '..', 'kh'), repo));
  symlinkSync(join(repo, 'deep'), join(root, 'link-into-repo'));
  assert.ok(isInside(join(root, 'link-into-repo', 'kh'), repo), 'a path outside that leads inside');
  const noGit = join(root, 'plain', 'sub');
  mkdirSync(noGit, { recursive: true });
  assert.equal(repositoryOf(join(noGit, 'c.lvs')), noGit, 'no .git above: the folder of the file');
});

const reason = sandboxUnavailable();
test('a known_hosts from the repository is not used silently (real sshd)', { skip: reason }, async () => {
  const sshd = await startSandboxSshd(['ed25519']);
  try {
    const repo = join(root, 'r2');
    mkdirSync(repo);
    const kh = join(repo, 'kh');
    writeFileSync(kh, `[127.0.0.1]:${sshd.port} ${sshd.hostKeys['ssh-ed25519']}\n`); // the right key
    const host = sshd.target({ name: 'web1', knownHosts: kh, knownHostsInRepo: repo });
    const target: ClusterTarget = { kind: 'hosts', file: join(repo, 'c.lvs'), cluster: 'web', hosts: [host], files: [], secretValues: [], services: [], vips: [], ha: false, probes: [] };
    const events: ProgressEvent[] = [];
    const refused = new Session(target, { ui: { progress: (e) => events.push(e) } }, '20250101T000000000Z-aaaaaa');
    await assert.rejects(refused.connectOne(host), (e: unknown) => {
      assert.ok(e instanceof DeployError);
      assert.equal(e.code, 'host-key-source');
      assert.match(e.message, new RegExp(`web1: connect failed: the host keys would come from ${kh}, a known_hosts inside the repository ${repo}; .*--trust-repo-known-hosts`));
      return true;
    });
    assert.equal(refused.remotes.size, 0, 'no connection was made');
    assert.ok(events.some((e) => e.state === 'info' && e.detail === `host keys of web1 come from ${kh}, which is inside the repository ${repo}`), 'the run says where the keys come from');
    let asked = 0;
    const ok = new Session(target, { ui: { confirmRepoKnownHosts: async (q) => { asked++; assert.deepEqual(q, { knownHosts: kh, repository: repo, hosts: ['web1'], targets: [{ name: 'web1', address: '127.0.0.1', port: sshd.port }] }); return true; } } }, '20250101T000000000Z-aaaaaa');
    const r = await ok.connectOne(host);
    assert.equal((await r.run('echo ok')).stdout, 'ok\n');
    const again = await ok.connectOne(host);
    assert.equal(asked, 1, 'asked once per file and run');
    // The second connection replaced the first in the session: close both, or the test process
    // keeps a socket open and never exits.
    ok.closeAll();
    r.conn.close();
    again.conn.close();
  } finally {
    sshd.stop();
  }
});
