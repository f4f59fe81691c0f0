// Ordering, bounded concurrency, the journal, locks, drain parsing, preflight checks, the
// progress lines, and the remote scripts (syntax-checked by a real sh -n).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOrder, applyStages, boundedEach } from '../../server/deploy/order';
import { deployedState, Journal, journalDirFor, lastDeploy, newDeployId, readJournals, writeJournal } from '../../server/deploy/journal';
import { acquireScript, breakScript, inspectScript, localBootId, newLockToken, parseHolder, releaseScript, staleReason } from '../../server/deploy/lock';
import { activeScript, drainsFor, parseActive, parseSaveLine, setWeightScript } from '../../server/deploy/drain';
import { osMismatch, parseOsRelease } from '../../server/deploy/preflight';
import { backupScript, discardBackupScript, parseBackup, pruneScript, restoreScript } from '../../server/deploy/backup';
import { parentDirs, tempPath } from '../../server/deploy/staging';
import { uploadScript } from '../../server/deploy/upload';
import { readScript } from '../../server/deploy/remote-files';
import { sessionScript, stopOrphanScript } from '../../server/deploy/scripts';
import { PRELUDE } from '../../server/deploy/remote';
import { formatEvent } from '../../server/deploy/progress-text';
import { english } from '../../server/shared/l10n/message';
import { localize } from '../../server/shared/l10n/localize';
import { GuardError } from '../../server/deploy/errors';
import { HostRole } from '../../server/deploy/types';

test('apply order: real servers (file order), then backup directors, then the master', () => {
  const hosts: Array<{ name: string; role: HostRole }> = [
    { name: 'lvs1', role: 'master' }, { name: 'web1', role: 'server' }, { name: 'lvs2', role: 'backup' }, { name: 'web2', role: 'server' },
  ];
  assert.deepEqual(applyOrder(hosts).map((h) => h.name), ['web1', 'web2', 'lvs2', 'lvs1']);
  const stages = applyStages(hosts);
  assert.deepEqual(stages.map((s) => [s.label, s.parallel, s.items.length]), [['real servers', true, 2], ['backup director', false, 1], ['master director', false, 1]]);
  assert.deepEqual(applyStages([{ name: 'lvs1', role: 'master' }]).map((s) => s.label), ['master director']);
});

test('boundedEach never runs more than the limit and stops starting items when told', async () => {
  let running = 0;
  let peak = 0;
  const seen: number[] = [];
  await boundedEach([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, async (i) => {
    running++;
    peak = Math.max(peak, running);
    seen.push(i);
    await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
    running--;
  });
  assert.equal(peak, 4);
  assert.equal(seen.length, 10);
  let started = 0;
  let stop = false;
  await boundedEach([1, 2, 3, 4, 5, 6], 2, async (i) => {
    started++;
    if (i === 2) stop = true;
    await new Promise((r) => setTimeout(r, 5));
  }, () => stop);
  assert.ok(started <= 3, `started ${started}`);
});

function j(id: string, kind: Journal['kind'], outcome: Journal['outcome'], extra: Partial<Journal> = {}): Journal {
  return {
    version: 1, kind, id, tool: 'lvs-dr-studio', source: '/x.lvs', sourceSha256: '0', cluster: 'web', target: 'lab',
    startedAt: '', outcome, hosts: [{ name: 'web1', address: '1.2.3.4', role: 'server', changed: true, hadApply: false, outcome: 'deployed', steps: [],
      files: [{ path: '/opt/lvs/apply.sh', action: 'add', before: null, after: { sha256: id, mode: 0o755 } }] }],
    ...extra,
  };
}

test('journal: sortable ids, write/read, last deploy skips rolled-back ones, deployed state', () => {
  const a = newDeployId(new Date('2025-01-01T00:00:00Z'));
  const b = newDeployId(new Date('2025-01-01T00:00:01Z'));
  assert.ok(a < b);
  assert.match(a, /^20250101T000000000Z-[0-9a-f]{6}$/);
  assert.equal(journalDirFor('/srv/x/seed.lvs'), '/srv/x/.lvs-deploy');
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-journal-'));
  try {
    writeJournal(dir, j('20250101T000000000Z-aaaaaa', 'deploy', 'success'));
    writeJournal(dir, j('20250102T000000000Z-bbbbbb', 'deploy', 'success'));
    writeJournal(dir, j('20250103T000000000Z-cccccc', 'deploy', 'failed'));
    writeJournal(dir, j('20250104T000000000Z-dddddd', 'rollback', 'success', { rollbackOf: '20250102T000000000Z-bbbbbb' }));
    writeJournal(dir, j('20250105T000000000Z-eeeeee', 'deploy', 'success', { cluster: 'other' }));
    const all = readJournals(dir);
    assert.equal(all.length, 5);
    assert.equal(lastDeploy(all, 'web', 'lab')?.id, '20250101T000000000Z-aaaaaa');
    assert.equal(lastDeploy(all, 'web', 'hosts'), undefined);
    const st = deployedState(all, 'web', 'lab');
    assert.equal(st.journal?.id, '20250101T000000000Z-aaaaaa');
    assert.equal(st.files.get('web1')!.get('/opt/lvs/apply.sh'), '20250101T000000000Z-aaaaaa');
    writeJournal(dir, j('20250106T000000000Z-ffffff', 'deploy', 'no-change'));
    assert.equal(deployedState(readJournals(dir), 'web', 'lab').journal?.id, '20250106T000000000Z-ffffff');
    assert.equal(lastDeploy(readJournals(dir), 'web', 'lab')?.id, '20250101T000000000Z-aaaaaa', 'a no-change run is nothing to roll back');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lock: owner parsing and staleness; identity is the boot id, never the host name', () => {
  const BOOT = '0f0e0d0c-0b0a-4908-8706-050403020100';
  const OTHER = '11111111-2222-4333-8444-555555555555';
  const out = `LOCK=held\nid=20250101T000000000Z-aaaaaa\ntoken=${'ab'.repeat(16)}\nclient=box\nboot=${BOOT}\npid=4242\nsince=1700000000\nconn=77\nconnAlive=no\nstep=\nstepAlive=no\n`;
  const o = parseHolder(out)!;
  assert.deepEqual(o, {
    id: '20250101T000000000Z-aaaaaa', token: 'ab'.repeat(16), client: 'box', boot: BOOT, pid: 4242, since: 1700000000000,
    conn: 77, connAlive: false, step: undefined, stepAlive: false,
  });
  assert.match(english(staleReason(o, Date.now(), 3600_000)!), /SSH connection .* is gone/);
  const alive = { ...o, connAlive: true, since: Date.now() - 1000 };
  assert.equal(staleReason(alive, Date.now(), 3600_000, OTHER), undefined);
  assert.match(english(staleReason({ ...alive, since: Date.now() - 7200_000 }, Date.now(), 3600_000, OTHER)!), /min ago/);
  const deadPid = 2 ** 22 + 12345;
  assert.match(english(staleReason({ ...alive, pid: deadPid }, Date.now(), 3600_000, BOOT)!), /ran on this machine \(boot .*\) as PID \d+, which is gone/);
  assert.equal(staleReason({ ...alive, pid: process.pid }, Date.now(), 3600_000, BOOT), undefined, 'our boot, PID alive');
  // Another jump host with the same name (localhost.localdomain twice): its PID means nothing here.
  const twin = { ...alive, client: hostname(), boot: OTHER, pid: deadPid };
  assert.equal(staleReason(twin, Date.now(), 3600_000, BOOT), undefined, 'same host name, other boot: not stale');
  assert.equal(staleReason({ ...twin, boot: undefined }, Date.now(), 3600_000, BOOT), undefined, 'no boot id recorded: not judged by PID');
  // A step still running keeps the lock, however old it is and whoever is gone.
  assert.equal(staleReason({ ...o, since: 1, step: 99, stepAlive: true }, Date.now(), 3600_000, BOOT), undefined);
  assert.match(localBootId(), /^[0-9a-f-]{36}$/);
  assert.match(newLockToken(), /^[0-9a-f]{32}$/);
  assert.notEqual(newLockToken(), newLockToken());
  assert.throws(() => acquireScript({ deployId: 'bad id;reboot', token: newLockToken() }), GuardError);
  assert.throws(() => acquireScript({ deployId: '20250101T000000000Z-aaaaaa', token: "x';reboot;'" }), GuardError);
  assert.throws(() => releaseScript('20250101T000000000Z-aaaaaa', 'short'), GuardError);
});

test('drain: ipvsadm -Sn lines, what to drain, active connections', () => {
  assert.deepEqual(parseSaveLine('-a -t 192.0.2.100:80 -r 192.0.2.4:80 -g -w 3'), { key: '-t 192.0.2.100:80', real: '192.0.2.4:80', weight: 3 });
  assert.equal(parseSaveLine('-A -t 192.0.2.100:80 -s rr'), undefined);
  const live = new Map([
    ['lvs1', ['-A -t 192.0.2.100:80 -s rr', '-a -t 192.0.2.100:80 -r 192.0.2.4:80 -g -w 1', '-a -t 192.0.2.100:80 -r 192.0.2.3:80 -g -w 2', '-a -t 198.51.100.1:80 -r 192.0.2.9:80 -g -w 1']],
    ['lvs2', ['-a -t 192.0.2.100:80 -r 192.0.2.3:80 -g -w 2', '-a -t 192.0.2.100:443 -r 192.0.2.4:443 -g -w 1']],
  ]);
  const d = drainsFor(live, [{ key: '-t 192.0.2.100:80', reals: ['192.0.2.4:80'] }], ['192.0.2.100']);
  assert.deepEqual(d.map((x) => `${x.key} ${x.real} w${x.weight} ${x.directors.join(',')}`).sort(), [
    '-t 192.0.2.100:443 192.0.2.4:443 w1 lvs2',
    '-t 192.0.2.100:80 192.0.2.3:80 w2 lvs1,lvs2',
  ], 'other clusters\' VIPs are left alone');
  const active = parseActive([
    '@@SVC -t 192.0.2.100:80', 'IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn', 'TCP  192.0.2.100:80 rr',
    '  -> 192.0.2.3:80                 Route   0      5          2', '  -> 192.0.2.4:80                 Route   1      0          0',
  ].join('\n'));
  assert.equal(active.get('-t 192.0.2.100:80 192.0.2.3:80'), 5);
  assert.equal(active.get('-t 192.0.2.100:80 192.0.2.4:80'), 0);
  assert.match(setWeightScript([{ key: '-t 192.0.2.100:80', real: '192.0.2.3:80', weight: 0 }]), /ipvsadm -e -t '192\.0\.2\.100:80' -r '192\.0\.2\.3:80' -g -w '0'/);
  assert.throws(() => setWeightScript([{ key: '-t 192.0.2.100:80', real: '192.0.2.3:80;reboot', weight: 0 }]), GuardError);
  assert.throws(() => activeScript([{ key: '-t $(reboot):80' }]), GuardError);
});

test('preflight: os-release parsing and the OS family check', () => {
  const deb = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n');
  assert.deepEqual(deb, { id: 'debian', versionId: '12', idLike: [] });
  const rocky = parseOsRelease('ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n');
  const centos7 = parseOsRelease('ID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="7"\n');
  const ubuntu = parseOsRelease('ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n');
  assert.equal(osMismatch('debian', deb), undefined);
  assert.equal(osMismatch('rhel9', rocky), undefined);
  assert.equal(osMismatch('rhel7', centos7), undefined);
  assert.match(english(osMismatch('rhel7', rocky)!), /rocky 9\.3/);
  assert.match(english(osMismatch('rhel7', deb)!), /not a RHEL family/);
  assert.equal(osMismatch('ubuntu', ubuntu), undefined);
  assert.match(english(osMismatch('debian', ubuntu)!), /ubuntu/);
  assert.equal(english(osMismatch('rhel7', deb)!), 'target os rhel7, but the host runs debian 12 (not a RHEL family system)');
  assert.equal(localize(osMismatch('rhel7', deb)!, 'zh-cn'), 'target os 为 rhel7，但主机运行的是 debian 12（不属于 RHEL 系列）');
});

test('progress lines', () => {
  assert.equal(formatEvent({ host: 'web1', step: 'upload', state: 'done', ms: 210, detail: '5 written' }, 12_345),
    '  12.3s web1       upload    done      0.21s  5 written');
  assert.equal(formatEvent({ step: 'probe', state: 'start' }, 0), '   0.0s *          probe     start');
});

test('backup helpers: parent directories, manifest, temp names', () => {
  assert.deepEqual(parentDirs(['/etc/sysconfig/network-scripts/ifcfg-lo:0', '/etc/sysctl.d/x.conf', '/opt/lvs/apply.sh']),
    ['/etc', '/opt', '/etc/sysconfig', '/etc/sysctl.d', '/opt/lvs', '/etc/sysconfig/network-scripts']);
  assert.deepEqual(parseBackup(['present /etc/x', 'absent /opt/lvs/apply.sh', 'junk'], [`${'a'.repeat(64)}  etc/x`]), [
    { path: '/etc/x', sha256: 'a'.repeat(64) }, { path: '/opt/lvs/apply.sh', sha256: null },
  ]);
  assert.equal(tempPath('/etc/sysctl.d/90-lvs-dr.conf', 'ID'), '/etc/sysctl.d/.90-lvs-dr.conf.lvsdr-ID.tmp');
});

test('every remote script is valid POSIX sh (sh -n) and refuses hostile values', () => {
  const id = '20250101T000000000Z-abcdef';
  const paths = ['/opt/lvs/apply.sh', '/etc/sysconfig/network-scripts/ifcfg-lo:0'];
  const scripts = [
    readScript(paths, true),
    acquireScript({ deployId: id, token: 'c'.repeat(32) }), breakScript({ id, token: 'c'.repeat(32) }), releaseScript(id, 'c'.repeat(32)), inspectScript(),
    backupScript(id, paths, '#!/bin/sh\necho rollback\n'),
    uploadScript(id, [{ path: paths[0], mode: 0o755, content: "#!/bin/sh\necho 'hi'\n", sha256: '0'.repeat(64) }], ['/etc/old.conf']),
    restoreScript(id, [{ path: paths[0], before: { sha256: '0'.repeat(64), mode: 0o755 } }, { path: paths[1], before: null }], true),
    discardBackupScript(id), pruneScript(5),
    sessionScript('/opt/lvs/apply.sh'), stopOrphanScript(),
    setWeightScript([{ key: '-t 192.0.2.100:80', real: '192.0.2.3:80', weight: 0 }]),
    activeScript([{ key: '-u 192.0.2.100:53' }]),
  ];
  for (const s of scripts) execFileSync('/bin/sh', ['-n'], { input: `${PRELUDE}\n${s}\n` });
  assert.throws(() => readScript(['/etc/$(reboot)'], false), GuardError);
  assert.throws(() => backupScript(id, ['/etc/../shadow'], ''), GuardError);
  assert.throws(() => uploadScript(id, [{ path: '/etc/a;b', mode: 0o644, content: '', sha256: '' }], []), GuardError);
  assert.throws(() => uploadScript('x;reboot', [], []), GuardError);
  assert.throws(() => restoreScript(id, [{ path: "/etc/a'b", before: null }], false), GuardError);
  assert.throws(() => sessionScript('/opt/lvs/`reboot`'), GuardError);
});

test('unlockAll releases every lock at once; only a host whose connection is gone keeps its lock recorded', async () => {
  const { Session } = await import('../../server/deploy/session');
  const s = new Session({ hosts: [] } as unknown as ConstructorParameters<typeof Session>[0], {}, 'test-run');
  let running = 0;
  let most = 0;
  const fake = (name: string, alive: boolean, released: boolean) => ({
    name, conn: { alive },
    run: async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
      return { code: 0, stdout: released ? 'LOCK=released\n' : 'LOCK=not-ours\n', stderr: '' };
    },
  });
  const names = Array.from({ length: 10 }, (_, i) => `rs${i}`);
  for (const n of names) s.remotes.set(n, fake(n, true, true) as never);
  s.remotes.set('gone', fake('gone', false, true) as never);
  s.remotes.set('other', fake('other', true, false) as never);
  for (const n of [...names, 'gone', 'other']) s.locked.add(n);
  await s.unlockAll();
  assert.equal(most, 11, 'all releases in flight together, not one after the other');
  assert.deepEqual([...s.locked].sort(), ['gone'], 'released and no-longer-ours locks are dropped; a dead connection keeps its entry');
});
