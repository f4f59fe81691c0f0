// The generated tree against hostile output folders (a cloned repository may ship any of
// them): symlinks planted as files or directories, an output folder beside the workspace whose
// name shares its prefix, a MANIFEST.json listing paths outside the tree, edited files. Nothing
// outside the output folder may be written or removed, and nothing the user changed is removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFile } from '../../server/generate';
import { generateCommand } from '../../server/cli/generate';
import { OutputTreeError, writeCluster } from '../../server/generate/write-tree';

const seed = readFileSync('examples/seed.lvs', 'utf8');
const KEY = randomBytes(32);

/** The seed's files with its VRRP secret resolved to a short value. */
function seedFiles(text = seed): ReturnType<typeof generateFile>['clusters'][number] {
  return generateFile(text, 'seed.lvs', { secrets: (r) => (r.name === 'vrrp-web' ? 's3cr3t' : undefined) }).clusters[0];
}

function sandbox(): { dir: string; victim: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lvs-tree-'));
  const victim = join(dir, 'victim');
  mkdirSync(victim);
  writeFileSync(join(victim, 'passwd'), 'root:x:0:0\n');
  return { dir, victim, done: () => rmSync(dir, { recursive: true, force: true }) };
}

type Sandbox = ReturnType<typeof sandbox>;

/** Runs a test's body with a fresh sandbox, removed afterwards however the body ends. */
async function inSandbox(body: (s: Sandbox) => void | Promise<void>): Promise<void> {
  const s = sandbox();
  try {
    await body(s);
  } finally {
    s.done();
  }
}

/** The seed's files written to `<sandbox>/out`, as a first generation. */
function writeSeed(s: Sandbox): { c: ReturnType<typeof seedFiles>; out: string } {
  const c = seedFiles();
  const out = join(s.dir, 'out');
  writeCluster(out, c.name, 'seed.lvs', c.files, { digestKey: KEY });
  return { c, out };
}

const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

test('a directory symlink planted in the output tree is refused and nothing is written through it', async () => {
  await inSandbox(async (s) => {
    const c = seedFiles();
    const out = join(s.dir, 'out');
    mkdirSync(join(out, 'web', 'lvs1'), { recursive: true });
    symlinkSync(s.victim, join(out, 'web', 'lvs1', 'etc'));
    assert.throws(() => writeCluster(out, c.name, 'seed.lvs', c.files, { digestKey: KEY }),
      (e: unknown) => e instanceof OutputTreeError && /lvs1\/etc is a symlink/.test(e.message));
    assert.deepEqual(readdirNames(s.victim), ['passwd'], 'nothing created in the symlink target');
    assert.equal(existsSync(join(out, 'web', 'lvs2')), false, 'refused before any host was written');
  });
});

test('a file symlink planted where a generated file goes is refused; its target keeps its bytes', async () => {
  await inSandbox(async (s) => {
    const { c, out } = writeSeed(s);
    const conf = join(out, 'web', 'lvs1', 'etc', 'keepalived', 'keepalived.conf');
    rmSync(conf);
    symlinkSync(join(s.victim, 'passwd'), conf);
    assert.throws(() => writeCluster(out, c.name, 'seed.lvs', c.files, { digestKey: KEY }),
      (e: unknown) => e instanceof OutputTreeError && /keepalived\.conf is a symlink/.test(e.message));
    assert.equal(readFileSync(join(s.victim, 'passwd'), 'utf8'), 'root:x:0:0\n');
    // A symlinked MANIFEST.json is refused the same way.
    rmSync(conf);
    const manifest = join(out, 'web', 'lvs2', 'MANIFEST.json');
    rmSync(manifest);
    symlinkSync(join(s.victim, 'passwd'), manifest);
    assert.throws(() => writeCluster(out, c.name, 'seed.lvs', c.files, { digestKey: KEY }), /MANIFEST\.json is a symlink/);
    assert.equal(readFileSync(join(s.victim, 'passwd'), 'utf8'), 'root:x:0:0\n');
  });
});

test('an output folder outside the workspace folder is refused by real path, not string prefix', async () => {
  await inSandbox(async (s) => {
    const c = seedFiles();
    const proj = join(s.dir, 'proj');
    mkdirSync(proj);
    // `../proj-x` from proj starts with proj's path as a string but is a sibling.
    assert.throws(() => writeCluster(join(proj, '..', 'proj-x'), c.name, 'seed.lvs', c.files, { within: proj, digestKey: KEY }),
      (e: unknown) => e instanceof OutputTreeError && /outside/.test(e.message));
    assert.equal(existsSync(join(s.dir, 'proj-x')), false, 'the sibling folder was not even created');
    // A symlink inside the workspace pointing out of it.
    symlinkSync(s.victim, join(proj, 'generated'));
    assert.throws(() => writeCluster(join(proj, 'generated'), c.name, 'seed.lvs', c.files, { within: proj, digestKey: KEY }), /outside/);
    assert.deepEqual(readdirNames(s.victim), ['passwd']);
    // Inside is fine, also when not created yet.
    const r = writeCluster(join(proj, 'gen', 'deep'), c.name, 'seed.lvs', c.files, { within: proj, digestKey: KEY });
    assert.equal(r.written, c.files.length);
  });
});

test('a MANIFEST.json listing paths outside the host folder removes nothing outside it', async () => {
  await inSandbox(async (s) => {
    const { c, out } = writeSeed(s);
    const hostDir = join(out, 'web', 'web1');
    const victimFile = join(s.victim, 'passwd');
    const victimSha = sha(readFileSync(victimFile));
    // Link inside the tree to the victim, listed with the victim's digest.
    symlinkSync(victimFile, join(hostDir, 'etc', 'passwd'));
    mkdirSync(join(hostDir, 'etc', 'sub'));
    symlinkSync(s.victim, join(hostDir, 'etc', 'sub', 'dir'));
    const hostile = [
      '../../../victim/passwd', '/../../../victim/passwd', victimFile, `/${'../'.repeat(12)}${victimFile.slice(1)}`,
      '/etc/passwd', '/etc/sub/dir/passwd', 'etc/../../../../victim/passwd', 42, null,
    ].map((path) => ({ path, mode: '0644', sha256: victimSha }));
    writeFileSync(join(hostDir, 'MANIFEST.json'), JSON.stringify({ files: hostile }));
    const r = writeCluster(out, c.name, 'seed.lvs', c.files, { digestKey: KEY });
    assert.equal(readFileSync(victimFile, 'utf8'), 'root:x:0:0\n', 'the victim is untouched');
    assert.ok(lstatSync(join(hostDir, 'etc', 'passwd')).isSymbolicLink(), 'the planted link is left alone');
    assert.deepEqual(r.removed, []);
    const reasons = r.kept.map((k) => `${k.path}: ${k.reason}`).join('\n');
    assert.match(reasons, /MANIFEST\.json: lists "\.\.\/\.\.\/\.\.\/victim\/passwd", which is not a path inside the host folder/);
    assert.match(reasons, /web\/web1\/etc\/passwd: is a symlink/);
    assert.match(reasons, /web\/web1\/etc\/sub\/dir\/passwd: a directory on its way is a symlink/);
  });
});

test('a stale file is removed only when the previous MANIFEST lists it unchanged; edited and unlisted files are kept and reported', async () => {
  await inSandbox(async (s) => {
    const out = join(s.dir, 'out');
    const ha = seedFiles();
    writeCluster(out, ha.name, 'seed.lvs', ha.files, { digestKey: KEY });
    const conf1 = join(out, 'web', 'lvs1', 'etc', 'keepalived', 'keepalived.conf');
    writeFileSync(join(out, 'web', 'lvs1', 'etc', 'notes.txt'), 'mine\n');
    // With one director and no ha, keepalived.conf is no longer generated (two directors need ha, LVS117).
    const noHa = seedFiles(seed.replace(/\n\s*ha \{[^}]*\}[^\n]*/, '').replace(/\n\s*director lvs2[^\n]*/, ''));
    assert.ok(!noHa.files.some((f) => f.path.endsWith('keepalived.conf')));
    const r = writeCluster(out, noHa.name, 'seed.lvs', noHa.files, { digestKey: KEY });
    assert.equal(existsSync(conf1), false, 'unchanged keepalived.conf of lvs1 removed (keyed digest matched)');
    assert.deepEqual(r.removed, ['web/lvs1/etc/keepalived/keepalived.conf']);
    assert.deepEqual(r.kept.map((k) => k.path), ['web/lvs1/etc/notes.txt']);
    assert.match(r.kept[0].reason, /not listed/);
    // The same change over an edited keepalived.conf keeps it.
    const out2 = join(s.dir, 'out2');
    writeCluster(out2, ha.name, 'seed.lvs', ha.files, { digestKey: KEY });
    const edited = join(out2, 'web', 'lvs1', 'etc', 'keepalived', 'keepalived.conf');
    writeFileSync(edited, readFileSync(edited, 'utf8') + '# my note\n');
    const r2 = writeCluster(out2, noHa.name, 'seed.lvs', noHa.files, { digestKey: KEY });
    assert.ok(existsSync(edited), 'the edited one is kept');
    assert.deepEqual(r2.removed, []);
    assert.deepEqual(r2.kept.map((k) => k.path), ['web/lvs1/etc/keepalived/keepalived.conf']);
    assert.match(r2.kept[0].reason, /changed since it was generated/);
  });
});

test('a secret-bearing file: mode 0600, and MANIFEST.json gives a keyed digest, never its sha256', async () => {
  await inSandbox(async (s) => {
    const { out } = writeSeed(s);
    const conf = join(out, 'web', 'lvs1', 'etc', 'keepalived', 'keepalived.conf');
    const text = readFileSync(conf, 'utf8');
    assert.match(text, /auth_pass s3cr3t/);
    assert.equal(statSync(conf).mode & 0o777, 0o600);
    const manifestText = readFileSync(join(out, 'web', 'lvs1', 'MANIFEST.json'), 'utf8');
    const entry = (JSON.parse(manifestText) as { files: { path: string; mode: string; sha256?: string; keyed?: string }[] }).files.find((f) => f.path === '/etc/keepalived/keepalived.conf')!;
    assert.equal(entry.mode, '0600');
    assert.equal(entry.sha256, undefined);
    assert.match(entry.keyed ?? '', /^hmac-sha256:[0-9a-f]{64}$/);
    assert.ok(!manifestText.includes(sha(text)), 'the plain sha256 of the file appears nowhere');
    // Another machine's key does not match: a stale copy is then kept, not removed.
    const noHa = seedFiles(seed.replace(/\n\s*ha \{[^}]*\}[^\n]*/, '').replace(/\n\s*director lvs2[^\n]*/, ''));
    const r = writeCluster(out, noHa.name, 'seed.lvs', noHa.files, { digestKey: randomBytes(32) });
    assert.ok(existsSync(conf));
    assert.ok(r.kept.some((k) => k.path === 'web/lvs1/etc/keepalived/keepalived.conf'));
  });
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir).sort();
}

test('lvsdr generate --out: a planted symlink exits 1 with the reason; kept files are listed on stderr', async () => {
  const s = sandbox();
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  const run = async (args: string[]): Promise<number> => {
    out.length = 0;
    err.length = 0;
    process.stdout.write = ((c: string) => out.push(String(c)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((c: string) => err.push(String(c)) > 0) as typeof process.stderr.write;
    try {
      return await generateCommand(args);
    } finally {
      process.stdout.write = w1;
      process.stderr.write = w2;
    }
  };
  try {
    const dir = join(s.dir, 'gen');
    assert.equal(await run(['examples/seed.lvs', '--out', dir, '--preview']), 0, err.join(''));
    writeFileSync(join(dir, 'web', 'web1', 'etc', 'mine.conf'), 'x\n');
    assert.equal(await run(['examples/seed.lvs', '--out', dir, '--preview']), 0, err.join(''));
    assert.match(err.join(''), /kept .*web\/web1\/etc\/mine\.conf: not listed by the previous MANIFEST\.json/);
    rmSync(join(dir, 'web', 'web2', 'etc'), { recursive: true });
    symlinkSync(s.victim, join(dir, 'web', 'web2', 'etc'));
    assert.equal(await run(['examples/seed.lvs', '--out', dir, '--preview']), 1);
    assert.match(err.join(''), /web2\/etc is a symlink: the generator never writes through one/);
    assert.deepEqual(readdirNames(s.victim), ['passwd']);
  } finally {
    s.done();
  }
});
