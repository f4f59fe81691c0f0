// Hostile input never reaches a remote shell: the guard refuses names, paths and values with
// shell syntax before a single connection is attempted (SshConnection.open is replaced by a spy
// that counts calls). The quoting itself is tested in test/unit/shell-quote.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guardTarget, pathProblems } from '../../server/deploy/guard';
import { GuardError } from '../../server/deploy/errors';
import { ConnectError, CredentialCache, SshConnection } from '../../server/deploy/connection';
import { deploy, planDeploy } from '../../server/deploy/engine';
import { resolveTarget } from '../../server/deploy/targets';
import { ClusterTarget, HostTarget } from '../../server/deploy/types';
import { GenerateRefusedError } from '../../server/generate';
import { readFileSync } from 'node:fs';

const HOSTILE_PATHS = [
  '/etc/../etc/shadow', '/etc/./x', '/etc/$(id)', '/etc/`id`', "/etc/a'b", '/etc/a"b', '/etc/a\nb', '/etc/a;b', '/etc/a b',
  'relative/path', '/etc//x', '/etc/x/', '/', '', '/etc/-rf', '/etc/a|b', '/etc/a&b', '/etc/a>b', '/etc/a\\b', '/etc/*', '/etc/a$b',
];

test('pathProblems refuses every hostile path and accepts the generated ones', () => {
  for (const p of HOSTILE_PATHS) assert.ok(pathProblems(p).length > 0, `refused: ${JSON.stringify(p)}`);
  for (const p of ['/opt/lvs/apply.sh', '/etc/sysconfig/network-scripts/ifcfg-lo:0', '/etc/NetworkManager/system-connections/lvs-dr-ens33.nmconnection',
    '/etc/sysctl.d/90-lvs-dr.conf', '/etc/systemd/system/lvs-dr-lo.service', '/etc/keepalived/keepalived.conf']) {
    assert.deepEqual(pathProblems(p), [], p);
  }
});

function host(over: Partial<HostTarget> = {}): HostTarget {
  return {
    name: 'web1', role: 'server', address: '192.0.2.10', port: 22, user: 'root', keyFile: '/nonexistent/key',
    knownHosts: '/nonexistent/known_hosts', useAgent: false, os: 'debian', skipOsCheck: true, ...over,
  };
}

function target(over: Partial<ClusterTarget> = {}): ClusterTarget {
  return {
    kind: 'hosts', file: '/nonexistent/x.lvs', cluster: 'c', hosts: [host()],
    files: [{ host: 'web1', path: '/opt/lvs/apply.sh', mode: 0o755, content: '#!/bin/sh\n' }],
    secretValues: [], services: [{ key: '-t 192.0.2.100:80', reals: ['192.0.2.10:80'] }], vips: ['192.0.2.100'], ha: false, probes: [],
    ...over,
  };
}

const HOSTILE_TARGETS: Array<[string, Partial<ClusterTarget>]> = [
  ['host name with ;', { hosts: [host({ name: 'web1;reboot' })], files: [] }],
  ['host name with $()', { hosts: [host({ name: '$(reboot)' })], files: [] }],
  ['host name with a dot (not a name of the language)', { hosts: [host({ name: 'web1.example' })], files: [] }],
  ['host name longer than 63 characters', { hosts: [host({ name: 'w'.repeat(64) })], files: [] }],
  ['address with a command', { hosts: [host({ address: '192.0.2.10; reboot' })] }],
  ['address out of range', { hosts: [host({ address: '192.0.2.300' })] }],
  ['user with backticks', { hosts: [host({ user: 'root`id`' })] }],
  ['user with a quote', { hosts: [host({ user: "ro'ot" })] }],
  ['port 0', { hosts: [host({ port: 0 })] }],
  ['key file with a newline', { hosts: [host({ keyFile: '/k\nProxyCommand x' })] }],
  ...HOSTILE_PATHS.map((p): [string, Partial<ClusterTarget>] => [`file path ${JSON.stringify(p)}`, { files: [{ host: 'web1', path: p, mode: 0o644, content: 'x' }] }]),
  ['mode out of range', { files: [{ host: 'web1', path: '/opt/lvs/apply.sh', mode: 0o17777, content: 'x' }] }],
  ['unresolved secret placeholder', { files: [{ host: 'web1', path: '/etc/keepalived/keepalived.conf', mode: 0o644, content: 'auth_pass @@secret:vrrp@@\n' }] }],
  ['file of an unknown host', { files: [{ host: 'web9', path: '/opt/lvs/apply.sh', mode: 0o755, content: 'x' }] }],
  ['service key with a command', { services: [{ key: '-t 192.0.2.100:80;reboot', reals: [] }] }],
  ['real server with backticks', { services: [{ key: '-t 192.0.2.100:80', reals: ['192.0.2.10:80`id`'] }] }],
  ['VIP with $()', { vips: ['$(reboot)'] }],
  ['SSH password from a file (a private key)', { hosts: [host({ passwordRef: { source: 'file', name: '~/.ssh/id_ed25519' } })] }],
  ['SSH password from an environment variable', { hosts: [host({ passwordRef: { source: 'env', name: 'AWS_SECRET_ACCESS_KEY' } })] }],
];

let calls = 0;
const realOpen = SshConnection.open;
before(() => {
  (SshConnection as unknown as { open: unknown }).open = async () => {
    calls++;
    throw new Error('the spy refuses every connection');
  };
});
after(() => {
  (SshConnection as unknown as { open: unknown }).open = realOpen;
});

test('the guard refuses each hostile target before any connection (plan and deploy)', async () => {
  for (const [what, over] of HOSTILE_TARGETS) {
    const t = target(over);
    assert.throws(() => guardTarget(t), GuardError, what);
    await assert.rejects(planDeploy(t), GuardError, what);
    await assert.rejects(deploy(t, { journalDir: mkdtempSync(join(tmpdir(), 'lvsdr-j-')) }), GuardError, what);
  }
  assert.equal(calls, 0, 'no connection was attempted');
  assert.doesNotThrow(() => guardTarget(target()));
});

const SEED = readFileSync('examples/seed.lvs', 'utf8');
const HOSTILE_FILES: Array<[string, string]> = [
  ['host name with ;', SEED.replace('server web1 {', 'server web1;reboot {')],
  ['command substitution in a name', SEED.replace(/web2/g, '$(reboot)')],
  ['backticks in the ssh key path', SEED.replace('key ~/.ssh/id_ed25519', 'key ~/.ssh/`reboot`')],
  ['.. in the known-hosts path', SEED.replace('known-hosts ~/.ssh/known_hosts', 'known-hosts ~/../../etc/shadow')],
  ['quote and $() in the check path', SEED.replace('path "/"', 'path "/$(reboot)"')],
  ['newline in the check path', SEED.replace('path "/"', 'path "/a\nb"')],
  ['backslash in the check path', SEED.replace('path "/"', 'path "/a\\\\b"')],
  ['semicolon in a sysctl value', SEED.replace('role master', 'role master  sysctl net.ipv4.ip_forward = "0; reboot"')],
  ['quote in an interface', SEED.replace('interface ens33  role master', 'interface "ens33\'"  role master')],
  ['address with a command', SEED.replace('192.168.147.4', '192.168.147.4;reboot')],
  ['SSH password read from the private key file', SEED.replace('key ~/.ssh/id_ed25519', 'password file:~/.ssh/id_ed25519')],
  ['SSH password read from an environment variable', SEED.replace('key ~/.ssh/id_ed25519', 'password env:HOME')],
  ['a kernel setting outside the network ones', SEED.replace('role master', 'role master  sysctl kernel.modprobe = /var/tmp/x')],
];

test('hostile .lvs files are refused by the validator before anything connects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-hostile-'));
  try {
    for (const [what, text] of HOSTILE_FILES) {
      assert.notEqual(text, SEED, `the corpus entry changes the seed: ${what}`);
      const f = join(dir, 'hostile.lvs');
      writeFileSync(f, text);
      await assert.rejects(resolveTarget({ file: f, target: 'hosts', secrets: () => 'x' }), (e: unknown) => {
        assert.ok(e instanceof GenerateRefusedError || e instanceof GuardError, `${what}: ${String(e)}`);
        return true;
      }, what);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(calls, 0, 'no connection was attempted');
});

test('an SSH password is never resolved from file: or env:, even when a target is built by hand', async () => {
  const asked: string[] = [];
  const creds = new CredentialCache({ resolveSecret: async (ref) => { asked.push(`${ref.source}:${ref.name}`); return 'leaked'; } });
  for (const source of ['file', 'env'] as const) {
    const t = host({ keyFile: undefined, passwordRef: { source, name: source === 'file' ? '/etc/hostname' : 'HOME' } });
    await assert.rejects(realOpen.call(SshConnection, t, { creds, timeoutMs: 2000 }), (e: unknown) => {
      assert.ok(e instanceof ConnectError && e.kind === 'auth', String(e));
      assert.match((e as Error).message, /must be a secret: reference/);
      return true;
    });
  }
  assert.deepEqual(asked, [], 'no file or variable was read for a password');
});

test('an SSH password from secret: still passes resolveTarget and the guard', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-pw-'));
  try {
    const f = join(dir, 'pw.lvs');
    writeFileSync(f, SEED.replace('key ~/.ssh/id_ed25519', 'password secret:web-ssh'));
    const t = await resolveTarget({ file: f, target: 'hosts', secrets: () => 'x' });
    assert.ok(t.hosts.every((h) => h.passwordRef?.source === 'secret' && h.passwordRef.name === 'web-ssh'));
    assert.doesNotThrow(() => guardTarget(t));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
