// keepalived.conf holds auth_pass: it is generated 0600, planned 0600 and uploaded 0600 owned
// by root. The upload runs for real (as root) in a private mount namespace whose
// /etc/keepalived is an empty tmpfs, so nothing reaches the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { generateFile } from '../../server/generate';
import { KEEPALIVED_CONF } from '../../server/generate/keepalived';
import { planHost } from '../../server/deploy/plan';
import { PRELUDE } from '../../server/deploy/remote';
import { sha256Bytes } from '../../server/deploy/remote-files';
import { uploadScript } from '../../server/deploy/upload';
import { HostTarget } from '../../server/deploy/types';

const files = generateFile(readFileSync('examples/seed.lvs', 'utf8'), 'seed.lvs', { secrets: () => 'pw-1234' }).clusters[0].files
  .filter((f) => f.host === 'lvs1');
const conf = files.find((f) => f.path === KEEPALIVED_CONF)!;

test('keepalived.conf is generated and planned with mode 0600', () => {
  assert.equal(conf.mode, 0o600);
  assert.equal(conf.secret, true);
  const host = { name: 'lvs1', address: '192.168.147.6', role: 'master' } as HostTarget;
  const plan = planHost(host, files, { files: files.map((f) => ({ path: f.path, state: 'absent' as const })) });
  assert.equal(plan.files.find((f) => f.path === KEEPALIVED_CONF)!.after!.mode, 0o600);
});

function sandboxReason(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (unshare -m)';
  if (!existsSync('/etc/keepalived')) return 'needs /etc/keepalived to mount a tmpfs on';
  return undefined;
}

test('the upload writes keepalived.conf 0600 owned by root, also under umask 022', { skip: process.env.CI === 'true' ? false : sandboxReason() }, () => {
  const reason = sandboxReason();
  assert.equal(reason, undefined, reason);
  const upload = uploadScript('20260101T000000000Z-abc123', [{ path: conf.path, mode: conf.mode, content: conf.content, sha256: sha256Bytes(conf.content) }], []);
  const script = `${PRELUDE}\numask 022\n${upload}\nstat -c '%a %U' ${KEEPALIVED_CONF}\n`;
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs tmpfs /etc/keepalived && sh -s'], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^600 root$/m);
});
