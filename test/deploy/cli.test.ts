// The command line's refusals that happen before any connection (nothing here may reach a
// network): usage errors, deploy without --yes and without a terminal, files with errors,
// unresolved secrets, a lab target without a lab. Also the key loading of the engine: an
// encrypted key's passphrase is asked once per run, a wrong one is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployCommand, driftCommand, planCommand, rollbackCommand } from '../../server/cli/deploy';
import { ConnectError, CredentialCache, SshConnection } from '../../server/deploy/connection';

/** Runs a command function with stdout/stderr captured. */
async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  (process.stdout as unknown as { write: unknown }).write = (c: string | Uint8Array) => { out.push(String(c)); return true; };
  (process.stderr as unknown as { write: unknown }).write = (c: string | Uint8Array) => { err.push(String(c)); return true; };
  try {
    const code = await fn();
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

let connects = 0;
const realOpen = SshConnection.open;
(SshConnection as unknown as { open: unknown }).open = async (...a: unknown[]) => {
  connects++;
  return (realOpen as (...x: unknown[]) => unknown)(...a);
};

test('usage errors exit 2', async () => {
  for (const [fn, args] of [
    [planCommand, []], [planCommand, ['a.lvs', 'b.lvs']], [deployCommand, ['a.lvs', '--yes', '--concurrency', '0']],
    [deployCommand, ['a.lvs', '--bogus']], [planCommand, ['a.lvs', '--accept-key', 'SHA256:short']],
    [planCommand, ['a.lvs', '--accept-key', 'MD5:aa:bb']], [driftCommand, ['a.lvs', '--target', 'moon']], [rollbackCommand, ['a.lvs', '--yes']],
  ] as Array<[(a: string[]) => Promise<number>, string[]]>) {
    const r = await capture(() => fn(args));
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, /usage: lvsdr/);
  }
});

test('deploy without --yes and without a terminal is refused before anything else', async () => {
  assert.ok(!process.stdin.isTTY);
  const r = await capture(() => deployCommand(['examples/seed.lvs', '--target', 'hosts']));
  assert.equal(r.code, 2);
  assert.match(r.err, /refusing to deploy without --yes when there is no terminal/);
});

test('files with errors, unresolved secrets and a missing lab are refused without connecting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-cli-'));
  const saved = { lab: process.env.LVSDR_LAB_DIR, secret: process.env.LVS_SECRET_VRRP_WEB };
  try {
    const bad = join(dir, 'bad.lvs');
    writeFileSync(bad, readFileSync('examples/seed.lvs', 'utf8').replace('192.168.147.4', '192.168.147.4;reboot'));
    let r = await capture(() => deployCommand([bad, '--target', 'hosts', '--yes']));
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.lvs:\d+:\d+ error LVS001/);
    assert.match(r.err, /nothing was contacted/);

    delete process.env.LVS_SECRET_VRRP_WEB;
    r = await capture(() => planCommand(['examples/seed.lvs', '--target', 'hosts']));
    assert.equal(r.code, 1);
    assert.match(r.err, /secret:vrrp-web \(set LVS_SECRET_VRRP_WEB\).*no host was contacted/);

    process.env.LVSDR_LAB_DIR = join(dir, 'no-lab');
    process.env.LVS_SECRET_VRRP_WEB = 'x';
    r = await capture(() => driftCommand(['examples/seed.lvs', '--target', 'lab']));
    assert.equal(r.code, 1);
    assert.match(r.err, /no lab is up/);

    r = await capture(() => planCommand(['examples/seed.lvs', '--target', 'hosts', '--cluster', 'nope']));
    assert.equal(r.code, 1);
    assert.match(r.err, /no cluster 'nope'/);

    r = await capture(() => rollbackCommand(['examples/seed.lvs', '--target', 'hosts', '--journal-dir', join(dir, 'j')]));
    assert.equal(r.code, 1);
    assert.match(r.err, /no deploy of cluster web \(hosts\) to roll back/);
  } finally {
    if (saved.lab === undefined) delete process.env.LVSDR_LAB_DIR;
    else process.env.LVSDR_LAB_DIR = saved.lab;
    if (saved.secret === undefined) delete process.env.LVS_SECRET_VRRP_WEB;
    else process.env.LVS_SECRET_VRRP_WEB = saved.secret;
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(connects, 0, 'no connection was attempted');
});

test('an encrypted key: the passphrase is asked once per run; wrong or missing passphrases are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-key-'));
  try {
    const key = join(dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'right horse', '-f', key]);
    let asked = 0;
    const creds = new CredentialCache({ askPassphrase: async (file, host) => { asked++; assert.equal(file, key); assert.equal(host, 'web1'); return 'right horse'; } });
    const [a, b] = await Promise.all([creds.key(key, 'web1'), creds.key(key, 'web1')]);
    assert.equal(a, b);
    assert.equal(asked, 1);
    assert.equal(a.type, 'ssh-ed25519');
    await assert.rejects(new CredentialCache({ askPassphrase: async () => 'wrong' }).key(key, 'web1'), (e: unknown) => e instanceof ConnectError && /wrong passphrase/.test(e.message));
    await assert.rejects(new CredentialCache({}).key(key, 'web1'), (e: unknown) => e instanceof ConnectError && /encrypted and no passphrase/.test(e.message));
    await assert.rejects(new CredentialCache({}).key(join(dir, 'missing'), 'web1'), /cannot read the key file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
