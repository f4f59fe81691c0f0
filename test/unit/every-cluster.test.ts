// `lvsdr plan DIR` / `lvsdr drift DIR` (built CLI): one run per cluster of every .lvs file below
// DIR, node_modules and dot folders skipped, the exit status the worst of the runs; --json and
// --events refused with a directory. Files with errors are refused before any host is contacted,
// so this needs no host at all (the lab test lab-bastion.test.ts runs `drift DIR` against hosts).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { aggregateExit } from '../../server/cli/every-cluster';

const root = mkdtempSync(join(tmpdir(), 'lvsdr-every-'));
after(() => rmSync(root, { recursive: true, force: true }));
const CLI = resolve('dist/server/cli.js');
const seed = readFileSync('examples/seed.lvs', 'utf8');

function lvsdr(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: root, env: { ...process.env, LVSDR_LAB_DIR: join(root, 'no-lab') } });
}

test('the exit status of a directory is the worst of its clusters\'', () => {
  assert.equal(aggregateExit([]), 0);
  assert.equal(aggregateExit([0, 0]), 0);
  assert.equal(aggregateExit([0, 3, 0]), 3);
  assert.equal(aggregateExit([3, 1, 0]), 1);
  assert.equal(aggregateExit([0, 2]), 1, 'a usage error in one run fails the whole');
  assert.equal(aggregateExit([130]), 1);
});

test('plan DIR: every cluster of every file below, node_modules and .git skipped, errors refused before contacting anything', () => {
  const dir = join(root, 'repo');
  for (const d of ['a', 'a/deeper', 'node_modules/x', '.git']) mkdirSync(join(dir, d), { recursive: true });
  // Two clusters in one file, each with an error (a VIP outside its network).
  const broken = seed.replace('vip 192.168.147.100', 'vip 10.9.9.9');
  writeFileSync(join(dir, 'a', 'two.lvs'), `${broken}\n${broken.replace('cluster web', 'cluster web2').replace(/192\.168\.147\./g, '192.168.148.')}`);
  writeFileSync(join(dir, 'a', 'deeper', 'syntax.lvs'), 'cluster {');
  writeFileSync(join(dir, 'node_modules', 'x', 'seed.lvs'), seed);
  writeFileSync(join(dir, '.git', 'seed.lvs'), seed);
  writeFileSync(join(dir, 'a', 'notes.txt'), 'not a cluster');
  const t0 = Date.now();
  const r = lvsdr(['plan', 'repo', '--target', 'hosts']);
  const ms = Date.now() - t0;
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^== repo\/a\/deeper\/syntax\.lvs ==$/m);
  assert.match(r.stdout, /^== repo\/a\/two\.lvs cluster web ==$/m);
  assert.match(r.stdout, /^== repo\/a\/two\.lvs cluster web2 ==$/m);
  assert.match(r.stdout, /plan of 3 clusters in 2 files under repo:\n {2}repo\/a\/deeper\/syntax\.lvs: failed \(exit 1\)\n {2}repo\/a\/two\.lvs web: failed \(exit 1\)\n {2}repo\/a\/two\.lvs web2: failed \(exit 1\)\n$/);
  assert.doesNotMatch(r.stdout + r.stderr, /node_modules|\.git/);
  assert.match(r.stderr, /nothing was contacted/);
  assert.ok(ms < 15_000, `no host was waited for (${ms} ms)`);
  // --cluster picks that cluster in every file.
  const one = lvsdr(['drift', 'repo', '--cluster', 'web2', '--target', 'hosts']);
  assert.equal(one.status, 1);
  assert.match(one.stdout, /drift of 1 cluster in 2 files under repo:\n {2}repo\/a\/two\.lvs web2: failed \(exit 1\)\n$/);
});

test('a directory without clusters passes; --json and --events take one file', () => {
  mkdirSync(join(root, 'empty', 'sub'), { recursive: true });
  const r = lvsdr(['drift', 'empty']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /drift of 0 clusters in 0 files under empty:\n {2}no cluster in any \.lvs file under empty\n/);
  const j = lvsdr(['plan', 'empty', '--json']);
  assert.equal(j.status, 2);
  assert.match(j.stderr, /--json takes one FILE, not a directory/);
  const e = lvsdr(['drift', 'empty', '--events', 'jsonl']);
  assert.equal(e.status, 2);
});
