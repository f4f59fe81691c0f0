// `lvsdr export ansible` without a lab: the project passes yamllint and ansible-lint (Debian's,
// default configuration and profile); every copied file is the byte-for-byte output of
// `lvsdr generate`; keepalived.conf rendered by Ansible's own template module equals the
// generated one for secrets that are cut, quoted or plain; no secret value is ever written;
// the CLI's refusals. Needs ansible, ansible-lint and yamllint (skipped without them, a failure
// under CI=true: scripts/install-system-deps.sh lab installs them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CLI, exportProject, missingTool } from './ansible-run';

const SEED = 'examples/seed.lvs';
const TOOLS = ['ansible', 'ansible-lint', 'yamllint'];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

function generate(lvs: string, out: string, secret: string): void {
  const r = spawnSync(process.execPath, [CLI, 'generate', lvs, '--out', out], { env: { ...process.env, LVS_SECRET_VRRP_WEB: secret }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const missing = missingTool(TOOLS);
const skip = missing && process.env.CI !== 'true' ? `${missing} is not installed` : false;

test('lvsdr export ansible: lint, byte-for-byte files, templated secret, refusals', { skip, timeout: 240_000 }, async (t) => {
  assert.equal(missing, undefined, `${missing} is not installed (scripts/install-system-deps.sh lab)`);
  const work = mkdtempSync(join(tmpdir(), 'lvsdr-ansible-export-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const project = join(work, 'ansible');
  const secret = 'Zr7!sEcretLonger';
  const env = { ...process.env, LVS_SECRET_VRRP_WEB: secret, HOME: join(work, 'home'), ANSIBLE_HOME: join(work, 'home', '.ansible'), ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_NOCOLOR: '1' };
  mkdirSync(env.HOME, { recursive: true });
  const r = spawnSync(process.execPath, [CLI, 'export', 'ansible', SEED, '--out', project], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /cluster web: Ansible project for 4 hosts/);

  await t.test('yamllint and ansible-lint pass with their defaults', () => {
    const y = spawnSync('yamllint', ['.'], { cwd: project, env, encoding: 'utf8' });
    assert.equal(y.status, 0, `yamllint:\n${y.stdout}${y.stderr}`);
    const l = spawnSync('ansible-lint', ['--offline'], { cwd: project, env, encoding: 'utf8' });
    assert.equal(l.status, 0, `ansible-lint:\n${l.stdout}${l.stderr}`);
    assert.match((l.stdout + l.stderr).replace(/\x1b\[[0-9;]*m/g, ''), /Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
  });

  await t.test('no secret value anywhere in the export; the README names the variable and where it is read', () => {
    for (const f of walk(project)) assert.ok(!readFileSync(f, 'utf8').includes(secret.slice(0, 8)), `${relative(project, f)} holds the secret`);
    const readme = readFileSync(join(project, 'README.md'), 'utf8');
    assert.match(readme, /`lvs_vrrp_auth`: environment variable `LVS_SECRET_VRRP_WEB`/);
    assert.match(readFileSync(join(project, 'group_vars/lvs_web.yml'), 'utf8'), /lvs_vrrp_auth: "\{\{ lookup\('ansible\.builtin\.env', 'LVS_SECRET_VRRP_WEB'\) \}\}"/);
  });

  await t.test('every copied file is what lvsdr generate writes, with its mode in host_vars', () => {
    const gen = join(work, 'generated');
    generate(SEED, gen, secret);
    let compared = 0;
    for (const host of ['lvs1', 'lvs2', 'web1', 'web2']) {
      const manifest = JSON.parse(readFileSync(join(gen, 'web', host, 'MANIFEST.json'), 'utf8')) as { files: Array<{ path: string; mode: string }> };
      const hostVars = readFileSync(join(project, 'host_vars', `${host}.yml`), 'utf8');
      for (const f of manifest.files) {
        assert.ok(hostVars.includes(`- path: ${f.path}\n    mode: "${f.mode}"`), `${host}: ${f.path} ${f.mode} in host_vars`);
        if (f.path === '/etc/keepalived/keepalived.conf') continue;
        assert.equal(readFileSync(join(project, 'files/web', host, f.path), 'utf8'), readFileSync(join(gen, 'web', host, f.path), 'utf8'), `${host}:${f.path}`);
        compared++;
      }
      assert.match(readFileSync(join(project, 'files/web', host, 'var/lib/lvs-dr/owned'), 'utf8'), /^# Files LVS-DR Studio placed on this host/);
    }
    assert.equal(compared, 20);
  });

  await t.test('keepalived.conf rendered by Ansible\'s template module is the generated file, byte for byte', () => {
    // Cut to 8 with the comment, quoted (`!`, space), bare, short.
    for (const value of [secret, 'a!b#c', 'p q', 'plain_8c', 'x1']) {
      const gen = join(work, `gen-${Buffer.from(value).toString('hex')}`);
      generate(SEED, gen, value);
      // Both directors with one value (priority and state differ), the master with every value.
      for (const host of value === secret ? ['lvs1', 'lvs2'] : ['lvs1']) {
        const dest = join(work, `rendered-${host}.conf`);
        const a = spawnSync('ansible', ['localhost', '-c', 'local', '-i', 'localhost,', '-m', 'ansible.builtin.template',
          '-a', `src=${join(project, 'templates/web', host, 'etc/keepalived/keepalived.conf.j2')} dest=${dest}`,
          '-e', "lvs_vrrp_auth={{ lookup('ansible.builtin.env', 'LVS_SECRET_VRRP_WEB') }}"], { env: { ...env, LVS_SECRET_VRRP_WEB: value }, encoding: 'utf8' });
        assert.equal(a.status, 0, `ansible template: ${a.stdout}${a.stderr}`);
        assert.equal(readFileSync(dest, 'utf8'), readFileSync(join(gen, 'web', host, 'etc/keepalived/keepalived.conf'), 'utf8'), `${host} with secret ${JSON.stringify(value)}`);
      }
    }
  });

  await t.test('the CLI refuses a foreign directory, replaces an earlier export, and answers usage errors', () => {
    const foreign = join(work, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'mine.txt'), 'x');
    const f = spawnSync(process.execPath, [CLI, 'export', 'ansible', SEED, '--out', foreign], { encoding: 'utf8' });
    assert.equal(f.status, 1);
    assert.match(f.stderr, /not empty and holds no earlier export/);
    assert.deepEqual(readdirSync(foreign), ['mine.txt']);
    // A second export over the first: a file of the earlier export no longer written is removed.
    writeFileSync(join(project, 'files/web/web1/opt/lvs/stale.sh'), 'old');
    writeFileSync(join(project, '.lvsdr-export'), readFileSync(join(project, '.lvsdr-export'), 'utf8') + 'files/web/web1/opt/lvs/stale.sh\n');
    assert.match(exportProject(SEED, project), /1 files of the earlier export removed/);
    assert.throws(() => statSync(join(project, 'files/web/web1/opt/lvs/stale.sh')));
    const u = spawnSync(process.execPath, [CLI, 'export', 'terraform', SEED], { encoding: 'utf8' });
    assert.equal(u.status, 2);
    assert.match(u.stderr, /unknown format 'terraform' \(formats: ansible\)/);
    const c = spawnSync(process.execPath, [CLI, 'export', 'ansible', SEED, '--out', join(work, 'x'), '--cluster', 'nope'], { encoding: 'utf8' });
    assert.equal(c.status, 1);
    assert.match(c.stderr, /no cluster named 'nope' \(clusters: web\)/);
  });
});
