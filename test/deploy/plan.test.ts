// The planner: per-file actions from the remote state, no-op hosts, removals of files an
// earlier deploy owned, refusal of non-regular files, unified diffs with secrets masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GeneratedFile, generateFile } from '../../server/generate';
import { planHost, planId, pathsToRead, summarize } from '../../server/deploy/plan';
import { OWNED_RECORD, ownedRecordFile, parseOwnedRecord, SECRET_DIGEST } from '../../server/deploy/owned-record';
import { fileDiff, hostDiff, masker, MASK } from '../../server/deploy/diff';
import { RemoteSnapshot, sha256Bytes, parseRead, readScript } from '../../server/deploy/remote-files';
import { DeployError } from '../../server/deploy/errors';
import { HostTarget } from '../../server/deploy/types';
import { english } from '../../server/shared/l10n/message';
import { readFileSync } from 'node:fs';

const H: HostTarget = { name: 'web1', role: 'server', address: '192.0.2.4', port: 22, user: 'root', knownHosts: '/dev/null', useAgent: false, os: 'debian', skipOsCheck: true };

function gen(path: string, content: string, mode = 0o644): GeneratedFile {
  return { host: 'web1', path, mode, content };
}
function present(path: string, content: string, mode = 0o644) {
  const b = Buffer.from(content);
  return { path, state: 'present' as const, mode, mtime: 1, content: b, sha256: sha256Bytes(b) };
}

test('actions: add, change (content and mode), unchanged; hadApply; summary', () => {
  const g = [gen('/opt/lvs/apply.sh', 'new\n', 0o755), gen('/etc/a.conf', 'same\n'), gen('/etc/b.conf', 'x\n'), gen('/etc/c.conf', 'm\n', 0o600)];
  const snap: RemoteSnapshot = { files: [present('/opt/lvs/apply.sh', 'old\n', 0o755), present('/etc/a.conf', 'same\n'), { path: '/etc/b.conf', state: 'absent' }, present('/etc/c.conf', 'm\n', 0o644)] };
  const p = planHost(H, g, snap);
  assert.deepEqual(p.files.map((f) => f.action), ['change', 'unchanged', 'add', 'change']);
  assert.equal(p.files[3].modeOnly, true);
  assert.ok(p.changed);
  assert.ok(p.hadApply);
  assert.equal(english(summarize(p)), '1 added, 2 changed, 1 unchanged');
  assert.equal(p.files[0].before!.sha256, sha256Bytes('old\n'));
  assert.equal(p.files[0].after!.sha256, sha256Bytes('new\n'));
});

test('a host whose files all match is a no-op', () => {
  const g = [gen('/opt/lvs/apply.sh', 'x\n', 0o755)];
  const p = planHost(H, g, { files: [present('/opt/lvs/apply.sh', 'x\n', 0o755)] });
  assert.equal(p.changed, false);
  assert.match(english(summarize(p)), /^no change/);
});

test('files owned by the last deploy and no longer generated are removed only if untouched', () => {
  const g = [gen('/opt/lvs/apply.sh', 'x\n', 0o755)];
  const owned = new Map([['/etc/old.conf', sha256Bytes('old\n')], ['/etc/edited.conf', sha256Bytes('orig\n')], ['/etc/gone.conf', 'abc']]);
  assert.deepEqual(pathsToRead(g, owned), ['/opt/lvs/apply.sh', '/etc/old.conf', '/etc/edited.conf', '/etc/gone.conf']);
  const snap: RemoteSnapshot = { files: [present('/opt/lvs/apply.sh', 'x\n', 0o755), present('/etc/old.conf', 'old\n'), present('/etc/edited.conf', 'edited\n'), { path: '/etc/gone.conf', state: 'absent' }] };
  const p = planHost(H, g, snap, owned);
  assert.deepEqual(p.files.map((f) => `${f.action} ${f.path}`), ['unchanged /opt/lvs/apply.sh', 'remove /etc/old.conf']);
  assert.equal(p.warnings.length, 1);
  assert.match(english(p.warnings[0]), /edited\.conf.*left in place/);
});

test('a directory or symlink at a generated path is refused', () => {
  assert.throws(() => planHost(H, [gen('/etc/x', 'x')], { files: [{ path: '/etc/x', state: 'other' }] }), (e: unknown) => e instanceof DeployError && e.step === 'plan' && e.host === 'web1');
});

test('unified diffs: headers, new files, mode changes, secrets masked', () => {
  const secret = 's3cr3t-Value';
  const g = [gen('/etc/keepalived/keepalived.conf', `vrrp {\n  auth_pass ${secret}\n  priority 100\n}\n`), gen('/etc/new.conf', 'hello\n', 0o600)];
  const snap: RemoteSnapshot = { files: [present('/etc/keepalived/keepalived.conf', 'vrrp {\n  auth_pass oldpass\n  priority 90\n}\n'), { path: '/etc/new.conf', state: 'absent' }] };
  const p = planHost(H, g, snap);
  const d = hostDiff(p, masker([secret]));
  assert.match(d, /^--- a\/web1\/etc\/keepalived\/keepalived\.conf/m);
  assert.match(d, /^\+\+\+ b\/web1\/etc\/keepalived\/keepalived\.conf/m);
  assert.match(d, /^-  priority 90$/m);
  assert.match(d, /^\+  priority 100$/m);
  assert.ok(!d.includes(secret) && !d.includes('oldpass'), 'no secret in the diff');
  assert.ok(d.includes(MASK));
  assert.match(d, /^new file web1:\/etc\/new\.conf mode 0600$/m);
  assert.match(d, /^--- \/dev\/null$/m);
  const modeOnly = planHost(H, [gen('/etc/m', 'm\n', 0o600)], { files: [present('/etc/m', 'm\n', 0o644)] });
  assert.equal(fileDiff('web1', modeOnly.files[0], (t) => t), 'mode web1:/etc/m 0644 -> 0600\n');
});

test('the read script reports present/absent/other and the answer parses back', () => {
  const paths = ['/etc/a', '/etc/b'];
  const script = readScript(paths, true);
  assert.ok(script.includes("set -- \"$@\" '/etc/a'"));
  const out = [
    '@@LVSDR FILE 0 present', '@@LVSDR FILE 1 absent',
    '@@LVSDR STAT', '644 1700000000 6 /etc/a', '@@LVSDR DATA', Buffer.from('hello\n').toString('base64'), '@@LVSDR END',
    '@@LVSDR IPVS', '-A -t 192.0.2.100:80 -s rr', '-a -t 192.0.2.100:80 -r 192.0.2.4:80 -g -w 1', '@@LVSDR END',
  ].join('\n');
  const snap = parseRead(paths, out);
  assert.equal(snap.files[0].content!.toString(), 'hello\n');
  assert.equal(snap.files[0].mode, 0o644);
  assert.equal(snap.files[1].state, 'absent');
  assert.equal(snap.ipvs!.length, 2);
  assert.throws(() => parseRead(paths, out.split('\n').slice(0, 1).join('\n')), /incomplete/);
  assert.throws(() => parseRead(paths, out.replace('644 1700000000 6', '644 1700000000 9')), /changed while it was read/);
});

test('the seed plans every generated file of each host as added on an empty host', () => {
  const { clusters } = generateFile(readFileSync('examples/seed.lvs', 'utf8'), 'seed.lvs', { secrets: () => 'pw' });
  const files = clusters[0].files.filter((f) => f.host === 'lvs1');
  const p = planHost({ ...H, name: 'lvs1', role: 'master' }, files, { files: files.map((f) => ({ path: f.path, state: 'absent' as const })) });
  assert.ok(p.files.every((f) => f.action === 'add'));
  assert.equal(p.hadApply, false);
});

test('plan ids: stable for the same plan, different when anything differs', () => {
  const g = [gen('/opt/lvs/apply.sh', 'new\n', 0o755)];
  const a = planHost(H, g, { files: [present('/opt/lvs/apply.sh', 'old\n', 0o755)] });
  const b = planHost(H, g, { files: [present('/opt/lvs/apply.sh', 'old\n', 0o755)] });
  const c = planHost(H, g, { files: [present('/opt/lvs/apply.sh', 'older\n', 0o755)] });
  const d = planHost(H, g, { files: [present('/opt/lvs/apply.sh', 'old\n', 0o700)] });
  assert.match(planId([a]), /^[0-9a-f]{16}$/);
  assert.equal(planId([a]), planId([b]));
  assert.notEqual(planId([a]), planId([c]));
  assert.notEqual(planId([a]), planId([d]));
  assert.notEqual(planId([a]), planId([{ ...a, host: { ...H, name: 'web2' } }]));
});

test('the host record: one sha256 line per generated file, secrets listed without a digest; parsed back, junk and hostile lines ignored', () => {
  const g = [gen('/opt/lvs/apply.sh', 'x\n', 0o755), { ...gen('/etc/keepalived/keepalived.conf', 'auth_pass s3cret\n', 0o600), secret: true as const }, gen('/etc/a.conf', 'a\n')];
  const rec = ownedRecordFile('web1', g);
  assert.equal(rec.path, OWNED_RECORD);
  assert.equal(rec.mode, 0o600);
  assert.ok(!rec.content.includes(sha256Bytes('auth_pass s3cret\n')), 'no digest of the secret-bearing file');
  const owned = parseOwnedRecord(rec.content);
  assert.deepEqual([...owned], [['/etc/a.conf', sha256Bytes('a\n')], ['/etc/keepalived/keepalived.conf', SECRET_DIGEST], ['/opt/lvs/apply.sh', sha256Bytes('x\n')]]);
  assert.equal(ownedRecordFile('web1', [...g].reverse()).content, rec.content, 'the same files give the same record (no change on a re-deploy)');
  const hostile = [
    `${sha256Bytes('a\n')}  /etc/../etc/pam.d/sshd`, `${sha256Bytes('a\n')}  relative/path`, `${sha256Bytes('a\n')} /one-space`,
    `${sha256Bytes('a\n')}  ${OWNED_RECORD}`, `deadbeef  /etc/short`, `${sha256Bytes('a\n')}  /etc/x;reboot`,
  ].join('\n');
  assert.deepEqual([...parseOwnedRecord(hostile)], [], 'nothing the guard refuses, no short digest, not the record itself');
});

test('removal follows the host record: a secret-bearing file it lists is left in place with a warning', () => {
  const g = [gen('/opt/lvs/apply.sh', 'x\n', 0o755)];
  const owned = parseOwnedRecord(ownedRecordFile('web1', [gen('/etc/old.conf', 'old\n'), { ...gen('/etc/keepalived/keepalived.conf', 'k\n', 0o600), secret: true as const }]).content);
  const snap: RemoteSnapshot = { files: [present('/opt/lvs/apply.sh', 'x\n', 0o755), present('/etc/old.conf', 'old\n'), present('/etc/keepalived/keepalived.conf', 'k\n', 0o600)] };
  const p = planHost(H, g, snap, owned);
  assert.deepEqual(p.files.map((f) => `${f.action} ${f.path}`), ['unchanged /opt/lvs/apply.sh', 'remove /etc/old.conf']);
  assert.match(p.warnings.map(english).join('\n'), /keepalived\.conf .*held a secret.*left in place/);
});
