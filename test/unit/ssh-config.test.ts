// Reaching hosts as `ssh` does: what ~/.ssh/config (in a temporary HOME) says for a host —
// Host aliases and patterns (negations, the .lvs name or address), first value wins,
// IdentityFile accumulating, Include, ProxyJump hops each resolved through the config — and
// that the command line and the .lvs `ssh` block win where they say something. The built CLI's
// `deploy --explain-ssh` prints each value with where it came from, and reads only $HOME's config.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { explainSsh, parseJump, resolveSsh } from '../../server/deploy/ssh-resolve';
import { lookupHost, wildcardMatch } from '../../server/deploy/ssh-config';
import { resolveTarget } from '../../server/deploy/targets';
import { DeployError, verbatim } from '../../server/deploy/errors';
import { english } from '../../server/shared/l10n/message';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'lvsdr-sshconfig-')));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh HOME with this ~/.ssh/config (and optional extra files under ~/.ssh). */
function home(config: string, extra: Record<string, string> = {}): string {
  const h = join(root, `home${n++}`);
  mkdirSync(join(h, '.ssh'), { recursive: true });
  writeFileSync(join(h, '.ssh', 'config'), config);
  for (const [name, text] of Object.entries(extra)) {
    mkdirSync(join(h, '.ssh', name, '..'), { recursive: true });
    writeFileSync(join(h, '.ssh', name), text);
  }
  return h;
}

const CONFIG = `# the operator's config
Host bastion
  HostName 10.9.0.1
  User jump
  Port 2222
  IdentityFile ~/.ssh/bastion_key
  UserKnownHostsFile ~/.ssh/known_hosts.bastion

Host lvs* !lvs9
  User admin
  IdentityFile ~/.ssh/lvs_key
  ProxyJump bastion

Host 192.168.147.*
  User netops
  Port 2200
  IdentityFile %d/.ssh/by_address

Host *
  User fallback
  UserKnownHostsFile ~/.ssh/known_hosts.all
`;

test('Host patterns match the .lvs name or address; the first value obtained wins; IdentityFile accumulates', () => {
  const h = home(CONFIG);
  const r = resolveSsh('lvs1', '192.168.147.6', {}, h);
  assert.equal(r.user.value, 'admin');
  assert.match(english(r.user.from), /^~\/\.ssh\/config line 10 \(Host lvs\* !lvs9\)$/);
  assert.equal(r.port.value, 2200, 'Port comes from the address block, the name block has none');
  assert.match(english(r.port.from), /line 16 \(Host 192\.168\.147\.\*\)/);
  assert.deepEqual(r.extraKeyFiles.map((k) => k.value), [join(h, '.ssh/lvs_key'), join(h, '.ssh/by_address')]);
  assert.equal(r.knownHosts.value, join(h, '.ssh/known_hosts.all'));
  assert.equal(r.connectAddress.value, '192.168.147.6', 'no HostName: the .lvs address');
  assert.equal(english(r.connectAddress.from), 'the .lvs address');
});

test('a negated pattern excludes the host even when another name of it matches', () => {
  const h = home(CONFIG);
  const r = resolveSsh('lvs9', '10.1.1.9', {}, h);
  assert.equal(r.user.value, 'fallback');
  assert.equal(r.jumps.length, 0);
  assert.equal(r.port.value, 22);
  assert.equal(english(r.port.from), 'default');
});

test('ProxyJump: the hop is resolved through the config (HostName, User, Port, key, known_hosts)', () => {
  const h = home(CONFIG);
  const r = resolveSsh('lvs1', '192.168.147.6', {}, h);
  assert.deepEqual(r.jumps, [{
    name: 'bastion', address: '10.9.0.1', port: 2222, user: 'jump',
    extraKeyFiles: [join(h, '.ssh/bastion_key')], knownHosts: join(h, '.ssh/known_hosts.bastion'), useAgent: true,
  }]);
});

test('several hops, user@host:port entries, the first hop\'s own ProxyJump first, a `Host *` ProxyJump on the hop itself ignored', () => {
  const h = home(`Host outer
  HostName 10.0.0.1
Host inner
  HostName 10.0.0.2
  ProxyJump outer
Host web*
  ProxyJump inner,ops@10.0.0.3:2022
Host *
  ProxyJump outer
`);
  const r = resolveSsh('web1', '192.168.1.4', {}, h);
  assert.deepEqual(r.jumps.map((j) => `${j.address}:${j.port}`), ['10.0.0.1:22', '10.0.0.2:22', '10.0.0.3:2022']);
  assert.equal(r.jumps[2].user, 'ops');
  assert.deepEqual(r.jumps.map((j) => j.name), ['outer', 'inner', '10.0.0.3']);
  const out = explainSsh(r, h).join('\n');
  assert.match(out, /hop 1 of 3: outer/);
  assert.match(out, /route: this machine -> .*@10\.0\.0\.1:22 -> .*@10\.0\.0\.2:22 -> ops@10\.0\.0\.3:2022 -> root@192\.168\.1\.4:22/);
});

test('a ProxyJump loop is refused, naming the chain', () => {
  const h = home('Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n');
  assert.throws(() => resolveSsh('a', '10.0.0.1', {}, h), (e: unknown) => e instanceof DeployError && /ProxyJump loop: a -> b -> a/.test(e.reason));
});

test('ProxyCommand is refused rather than silently connecting directly', () => {
  const h = home('Host lvs1\n  ProxyCommand nc %h %p\n');
  assert.throws(() => resolveSsh('lvs1', '10.0.0.1', {}, h), /ProxyCommand .* is not supported; use ProxyJump/);
});

test('the .lvs ssh block and the command line win where they say something; the config fills the rest', () => {
  const h = home(CONFIG);
  const r = resolveSsh('lvs1', '192.168.147.6', {
    user: { value: 'root', from: verbatim('seed.lvs ssh block') },
    keyFile: { value: '/keys/from-cli', from: verbatim('--identity') },
    knownHosts: { value: '/kh/from-lvs', from: verbatim('seed.lvs ssh block') },
  }, h);
  assert.equal(r.user.value, 'root');
  assert.equal(english(r.user.from), 'seed.lvs ssh block');
  assert.equal(r.port.value, 2200);
  assert.equal(r.keyFile?.value, '/keys/from-cli');
  assert.deepEqual(r.extraKeyFiles, [], 'a key named on the command line or in the file replaces the config\'s');
  assert.equal(r.knownHosts.value, '/kh/from-lvs');
  assert.equal(r.jumps[0].name, 'bastion', 'ProxyJump still comes from the config');
});

test('Include (relative to ~/.ssh, with a wildcard) is read in place; Match blocks are skipped and said so', () => {
  const h = home('Include conf.d/*.conf\nMatch host lvs1 exec "touch /tmp/should-not-run"\n  User matched\nHost *\n  User last\n', {
    'conf.d/10-lvs.conf': 'Host lvs1\n  HostName mgmt-lvs1.example\n  User included\n',
  });
  const cfg = lookupHost(['lvs1', '10.0.0.6'], h);
  assert.equal(cfg.values.get('user')?.value, 'included');
  assert.match(english(cfg.values.get('user')!.from), /~\/\.ssh\/conf\.d\/10-lvs\.conf line 3 \(Host lvs1\)/);
  assert.equal(cfg.values.get('hostname')?.value, 'mgmt-lvs1.example');
  assert.ok(cfg.skipped.some((s) => /Match host lvs1 exec .*not evaluated/.test(english(s))));
  const r = resolveSsh('lvs1', '10.0.0.6', {}, h);
  assert.equal(r.connectAddress.value, 'mgmt-lvs1.example');
});

test('no ~/.ssh/config: defaults, and only the default identities that exist', () => {
  const h = join(root, `bare${n++}`);
  mkdirSync(join(h, '.ssh'), { recursive: true });
  writeFileSync(join(h, '.ssh', 'id_ed25519'), 'x');
  const r = resolveSsh('web1', '10.0.0.4', {}, h);
  assert.equal(r.user.value, 'root');
  assert.deepEqual(r.extraKeyFiles.map((k) => k.value), [join(h, '.ssh/id_ed25519')]);
  assert.equal(r.knownHosts.value, join(h, '.ssh/known_hosts'));
  assert.deepEqual(r.configFiles, []);
});

test('parseJump takes [user@]host[:port] and refuses anything else', () => {
  assert.deepEqual(parseJump('ops@10.0.0.3:2022'), { user: 'ops', host: '10.0.0.3', port: 2022 });
  assert.deepEqual(parseJump('bastion'), { user: undefined, host: 'bastion', port: undefined });
  assert.deepEqual(parseJump('ssh://u@[fe80::1]:22'), { user: 'u', host: 'fe80::1', port: 22 });
  assert.throws(() => parseJump('a b'), /not \[user@\]host\[:port\]/);
  assert.throws(() => parseJump('h:70000'), /port out of range/);
});

test('resolveTarget puts the config\'s settings on the hosts of a .lvs file', async () => {
  const h = home(CONFIG);
  const dir = join(root, 'repo');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'c.lvs');
  writeFileSync(file, readFileSync('examples/seed.lvs', 'utf8').replace(/ssh \{[^}]*\}/, 'ssh { user root }').replace(/\blvs1\b/g, 'lvs1').replace(/\blvs2\b/g, 'lvs9'));
  const saved = process.env.HOME;
  process.env.HOME = h;
  try {
    const t = await resolveTarget({ file, target: 'hosts', secrets: () => 'labpass1' });
    const lvs1 = t.hosts.find((x) => x.name === 'lvs1')!;
    assert.equal(lvs1.user, 'root', 'the .lvs ssh block wins');
    assert.equal(lvs1.port, 2200);
    assert.equal(lvs1.jumps?.[0].address, '10.9.0.1');
    const web1 = t.hosts.find((x) => x.name === 'web1')!;
    assert.equal(web1.jumps, undefined, 'web1 matches no ProxyJump block');
    assert.equal(web1.knownHosts, join(h, '.ssh/known_hosts.all'));
  } finally {
    process.env.HOME = saved;
  }
});

test('lvsdr deploy --explain-ssh prints each value and where it came from, from $HOME\'s config only', () => {
  const h = home(CONFIG);
  const dir = join(root, 'explain');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'c.lvs');
  writeFileSync(file, readFileSync('examples/seed.lvs', 'utf8').replace(/ssh \{[^}]*\}/, 'ssh { user root  known-hosts ./kh }'));
  // A config file inside the workspace is never read, whatever its name.
  mkdirSync(join(dir, '.ssh'), { recursive: true });
  writeFileSync(join(dir, '.ssh', 'config'), 'Host *\n  ProxyJump evil\n');
  const run = spawnSync(process.execPath, [resolve('dist/server/cli.js'), 'deploy', file, '--explain-ssh', 'lvs1'], { encoding: 'utf8', cwd: dir, env: { ...process.env, HOME: h, SSH_AUTH_SOCK: '' } });
  assert.equal(run.status, 0, run.stderr);
  const out = run.stdout;
  assert.match(out, /^cluster web$/m);
  assert.match(out, /^host lvs1 \(192\.168\.147\.6\)$/m);
  assert.match(out, /ssh config: ~\/\.ssh\/config$/m);
  assert.match(out, /auth order: key files \(no SSH_AUTH_SOCK/);
  assert.match(out, /^ {2}user {10}root {4}from c\.lvs ssh block$/m);
  assert.match(out, /^ {2}port {10}2200 {4}from ~\/\.ssh\/config line 16 \(Host 192\.168\.147\.\*\)$/m);
  assert.match(out, new RegExp(`^ {2}knownhosts {4}${join(dir, 'kh').replace(/[.]/g, '\\.')} {4}from c\\.lvs ssh block$`, 'm'));
  assert.match(out, /^ {2}identityfile {2}~\/\.ssh\/lvs_key \(missing, skipped\) {4}from ~\/\.ssh\/config line 11/m);
  assert.match(out, /^ {2}proxyjump {5}bastion {4}from ~\/\.ssh\/config line 12 \(Host lvs\* !lvs9\)$/m);
  assert.match(out, /^ {2}hop 1 of 1: bastion$/m);
  assert.match(out, /^ {4}hostname {6}10\.9\.0\.1 {4}from ~\/\.ssh\/config line 3 \(Host bastion\)$/m);
  assert.match(out, /route: this machine -> jump@10\.9\.0\.1:2222 -> root@192\.168\.147\.6:2200/);
  assert.doesNotMatch(out, /evil/);
  // --identity wins over everything.
  const withId = spawnSync(process.execPath, [resolve('dist/server/cli.js'), 'deploy', file, '--explain-ssh', '192.168.147.6', '-i', '/k/id'], { encoding: 'utf8', cwd: dir, env: { ...process.env, HOME: h } });
  assert.equal(withId.status, 0, withId.stderr);
  assert.match(withId.stdout, /^ {2}identityfile {2}\/k\/id {4}from --identity$/m);
  assert.doesNotMatch(withId.stdout, /lvs_key/);
});

test('patterns: `*` any run, `?` exactly one character, case-insensitive, regex characters literal', () => {
  assert.ok(wildcardMatch('web?', 'web1'));
  assert.ok(!wildcardMatch('web?', 'web'), '? is exactly one character, as in OpenSSH');
  assert.ok(!wildcardMatch('web?', 'web12'));
  assert.ok(wildcardMatch('10.1.*', '10.1.2.3'));
  assert.ok(!wildcardMatch('10.1.*', '10.12.2.3'), 'the dot is literal');
  assert.ok(wildcardMatch('LVS*', 'lvs1'));
  assert.ok(wildcardMatch('*', 'anything'));
  assert.ok(!wildcardMatch('a+b', 'aab'));
  const h = home('Host web?\n  User one\nHost *\n  User any\n');
  assert.equal(resolveSsh('web', '10.0.0.1', {}, h).user.value, 'any');
  assert.equal(resolveSsh('web1', '10.0.0.1', {}, h).user.value, 'one');
});
