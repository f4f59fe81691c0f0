// Proof by real traffic, on the seed cluster (examples/seed.lvs: two directors with keepalived,
// two real servers, rr). The generated files are written into every lab host and applied with
// their own apply.sh, then, with real packets from the client namespace:
//   1. 20 requests to the VIP alternate web1/web2 (rr); the master's IPVS counts packets in and
//      none out (Direct Routing: the replies bypass the director);
//   2. verify.sh passes everywhere; a second apply.sh changes nothing (addresses, sysctls, IPVS
//      table, keepalived PID, and its own report);
//   4. health check (the seed with `every 1s timeout 1s`, applied as a keepalived reload): the
//      responder of web1 killed → keepalived removes web1, web2 serves everything; restarted →
//      web1 returns;
//   3. HA: the master director is killed (every process of its linux.uml) during a request loop,
//      right after one of its VRRP advertisements (the worst case); the backup answers ARP for
//      the VIP within 4 s and serves the requests (fixtures/failover-monitor.py measures it).
// (3 runs last: it destroys the master.) Measured numbers are printed as `# proof: …` lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateFile, GeneratedFile } from '../../server/generate';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { namespacePids } from '../../server/lab/netns';
import { binary, labEnv } from '../../server/lab/run';
import { clientHost, hostByName, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { applyChanges, ipvsReals, labLog, labSuite, serviceStats, settledStats, tally, useTestStateDir, waitFor, writeFilesScript } from './helpers';

const VIP = '192.168.147.100';
const SVC = `${VIP}:80`;
const RIPS: Record<string, string> = { web1: '192.168.147.4', web2: '192.168.147.3' };
const HTTP_CLIENT = resolve('test/lab/fixtures/http-requests.py');
const MONITOR = resolve('test/lab/fixtures/failover-monitor.py');
const secrets = { secrets: (ref: { name: string }) => (ref.name === 'vrrp-web' ? 'labpass1' : undefined) };

function generated(path: string): GeneratedFile[] {
  // The same source name for both files, so only what the .lvs text changes differs.
  const gen = generateFile(readFileSync(path, 'utf8'), 'seed.lvs', secrets);
  assert.deepEqual(gen.clusters[0].warnings, []);
  return gen.clusters[0].files;
}

function proof(line: string): void {
  console.log(`# proof: ${line}`);
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

labSuite('proof by real traffic: seed cluster', () => {
  describe('proof by real traffic: seed cluster (examples/seed.lvs)', { timeout: 600_000 }, () => {
    let state: LabState | undefined;
    const seedFiles = generated('examples/seed.lvs');
    const fastFiles = generated('test/lab/fixtures/seed-fastcheck.lvs');
    const t0 = Date.now();

    before(async () => {
      await useTestStateDir('proof-seed');
      state = await labUp('examples/seed.lvs', { log: labLog });
    });

    after(async () => {
      const s = readState() ?? state;
      if (s) await labDown(s);
      console.log(`# proof-seed total ${s1(Date.now() - t0)}`);
    });

    const on = (host: string, argv: string[], input?: string) => execOnHost(state!, host, argv, { input, timeoutMs: 180_000 });

    async function sh(host: string, script: string): Promise<string> {
      const r = await on(host, ['sh', '-c', script]);
      assert.equal(r.code, 0, `${host}: ${script}: exit ${r.code}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    }

    async function requests(addr: string, n: number): Promise<string[]> {
      const r = await on('client', ['/usr/bin/python3', HTTP_CLIENT, addr, '80', String(n)]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim().split('\n');
    }

    async function reals(host: string): Promise<string[]> {
      const r = await on(host, ['ipvsadm', '-Ln', '-t', SVC]);
      return r.code === 0 ? ipvsReals(r.stdout, 'tcp', SVC).map((x) => x.address).sort() : [];
    }

    /**
     * Starts a loop on a director that reads /proc/net/ip_vs until RIP:80 is listed under the VIP
     * (`present`) or no longer listed; `done` resolves when it ends, with the time the exec
     * returned. Returns once the loop has been seen running (before the change is caused).
     */
    async function watchIpvs(host: string, rip: string, present: boolean): Promise<{ done: Promise<{ at: number; loops: number; loopMs: number }> }> {
      const hex = (ip: string, port: number) => ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('').toUpperCase() + ':' + port.toString(16).padStart(4, '0').toUpperCase();
      const flag = `/run/proof-watch-${Date.now()}`;
      // One Python process polling every 20 ms (a shell loop forks `sleep`: ~0.6 s a turn in UML).
      const script = [
        'import os, sys, time',
        'svc, dest, present, flag = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]',
        'def listed():',
        '    inside = False',
        '    for line in open("/proc/net/ip_vs").read().splitlines():',
        '        f = line.split()',
        '        if f and f[0] in ("TCP", "UDP", "SCTP", "FWM"):',
        '            inside = f[:2] == svc.split()',
        '        elif inside and f[:2] == dest.split():',
        '            return True',
        '    return False',
        'open(flag, "w").close()',
        'n, t0 = 0, time.time()',
        'while listed() != present:',
        '    n += 1',
        '    if n > 6000: sys.exit(3)',
        '    time.sleep(0.02)',
        'os.unlink(flag)',
        'print(n, round((time.time() - t0) * 1000))',
      ].join('\n');
      const run = on(host, ['/usr/bin/python3', '-c', script, `TCP ${hex(VIP, 80)}`, `-> ${hex(rip, 80)}`, present ? '1' : '0', flag]).then((r) => {
        const at = Date.now();
        assert.equal(r.code, 0, `watcher on ${host}: ${r.stdout}${r.stderr}`);
        const [loops, ms] = r.stdout.trim().split(' ').map(Number);
        return { at, loops, loopMs: Math.round(ms / Math.max(loops, 1)) };
      });
      run.catch(() => undefined);
      await waitFor(`the watcher on ${host} to run`, async () => (await on(host, ['test', '-e', flag])).code === 0, 30_000, 100);
      return { done: run };
    }

    async function hasVip(host: string): Promise<boolean> {
      const h = hostByName(state!, host)!;
      const r = await on(host, ['ip', '-4', '-o', 'addr', 'show', 'dev', h.iface]);
      return r.stdout.includes(`inet ${VIP}/32`);
    }

    const both = [`${RIPS.web2}:80`, `${RIPS.web1}:80`].sort();

    async function deploy(files: GeneratedFile[], host: string): Promise<string> {
      const w = await on(host, ['sh', '-s'], writeFilesScript(files.filter((f) => f.host === host)));
      assert.equal(w.code, 0, `${host}: writing files: ${w.stderr}`);
      const r = await on(host, ['sh', '/opt/lvs/apply.sh']);
      const out = (r.stdout + r.stderr).trim();
      assert.equal(r.code, 0, `${host} apply.sh failed:\n${out}`);
      return out;
    }

    test('the generated files are applied on every host (real servers first)', async () => {
      const t = Date.now();
      for (const host of ['web1', 'web2', 'lvs1', 'lvs2']) {
        const out = await deploy(seedFiles, host);
        console.log(`# ${host} apply.sh:\n${out.replace(/^/gm, '#   ')}`);
      }
      await waitFor('lvs1 (VRRP master) to own the VIP', () => hasVip('lvs1'), 60_000);
      await waitFor('both real servers in the IPVS tables of lvs1 and lvs2', async () =>
        JSON.stringify(await reals('lvs1')) === JSON.stringify(both) && JSON.stringify(await reals('lvs2')) === JSON.stringify(both), 60_000);
      assert.equal(await hasVip('lvs2'), false, 'the backup does not hold the VIP');
      proof(`deploy + apply on 4 hosts, VIP up, both reals in IPVS: ${s1(Date.now() - t)}`);
    });

    test('1. rr alternates web1/web2 over 20 requests; DR: packets in > 0, packets out = 0 on the master', async () => {
      const stats = async (host: string) => serviceStats((await on(host, ['ipvsadm', '-Ln', '--stats'])).stdout, 'tcp', SVC);
      const before = await stats('lvs1');
      const answers = await requests(VIP, 20);
      proof(`20 requests to ${VIP}: ${answers.join(' ')} → ${JSON.stringify(tally(answers))}`);
      assert.equal(answers.length, 20);
      assert.deepEqual([...new Set(answers)].sort(), ['web1', 'web2']);
      for (let i = 1; i < answers.length; i++) assert.notEqual(answers[i], answers[i - 1], `rr alternates (request ${i})`);
      // IPVS folds its per-CPU counters into what ipvsadm shows every 2 s (the estimator timer).
      let st = await stats('lvs1');
      const waited = await waitFor('lvs1\'s IPVS counters to include the 20 connections', async () =>
        ((st = await stats('lvs1'))?.conns ?? 0) - (before?.conns ?? 0) >= 20, 10_000);
      assert.ok(st);
      proof(`lvs1 ipvsadm -Ln --stats TCP ${SVC}: Conns ${st.conns} InPkts ${st.inPkts} OutPkts ${st.outPkts} (before: ${JSON.stringify(before)}; counters caught up after ${s1(waited)})`);
      assert.equal(st.conns - (before?.conns ?? 0), 20, 'every request went through the master');
      assert.ok(st.inPkts > 0);
      assert.equal(st.outPkts, 0, 'DR: the replies bypass the director');
      assert.equal((await stats('lvs2'))?.conns, 0, 'the backup saw no connection');
    });

    test('2. verify.sh passes on every host; a second apply.sh changes nothing', async () => {
      await Promise.all(['web1', 'web2', 'lvs1', 'lvs2'].map(async (host) => {
        const r = await on(host, ['sh', '/opt/lvs/verify.sh']);
        assert.equal(r.code, 0, `${host} verify.sh: ${r.stdout}${r.stderr}`);
        assert.equal(r.stdout.trim(), 'OK');
      }));
      proof('verify.sh: OK on web1, web2, lvs1, lvs2');
      // Hosts in parallel (independent; UML process start-up is slow).
      await Promise.all(['web1', 'web2', 'lvs1', 'lvs2'].map(async (host) => {
        const sysctlFile = seedFiles.find((f) => f.host === host && f.path.startsWith('/etc/sysctl.d/'))!;
        const keys = sysctlFile.content.split('\n').map((l) => l.match(/^\s*([a-z0-9_.]+)\s*=/)?.[1]).filter((k): k is string => !!k);
        assert.ok(keys.length >= 4, `${host}: sysctl keys ${keys.join(' ')}`);
        const director = host.startsWith('lvs');
        const snapshot = () => sh(host, [
          'echo "== ip -4 addr"; ip -4 -o addr show',
          `echo "== sysctl"; for k in ${keys.join(' ')}; do echo "$k = $(sysctl -n "$k")"; done`,
          ...(director ? ['echo "== ipvsadm -Sn"; ipvsadm -Sn', 'echo "== keepalived pid"; cat /run/keepalived.pid'] : []),
        ].join('\n'));
        const before = await snapshot();
        const r = await on(host, ['sh', '/opt/lvs/apply.sh']);
        const out = (r.stdout + r.stderr).trim();
        assert.equal(r.code, 0, `${host} second apply.sh:\n${out}`);
        const after = await snapshot();
        const unchanged = out.split('\n').filter((l) => l.startsWith('unchanged:')).length;
        proof(`${host} second apply.sh: ${unchanged} 'unchanged' lines, actions: ${JSON.stringify(applyChanges(out))}; ` +
          `state compared before/after: ip -4 addr, ${keys.length} sysctls${director ? ', ipvsadm -Sn, keepalived pid ' + (before.match(/== keepalived pid\n(\d+)/)?.[1] ?? '?') : ''}`);
        assert.deepEqual(applyChanges(out), [], `${host}: the second apply.sh reports no action:\n${out}`);
        assert.ok(unchanged >= keys.length, `${host}: apply.sh reports its checks as unchanged:\n${out}`);
        assert.equal(after, before, `${host}: the second apply.sh changed the running state`);
        if (director) assert.match(before, /== keepalived pid\n\d+/);
      }));
    });

    test('4. health check: a dead responder leaves the IPVS table within the check interval and returns when restarted', async () => {
      // The seed with `check http … every 1s timeout 1s`: only keepalived.conf differs; apply.sh reloads keepalived.
      const differing = fastFiles.filter((f) => seedFiles.find((o) => o.host === f.host && o.path === f.path)?.content !== f.content);
      assert.deepEqual(differing.map((f) => `${f.host}:${f.path}`), ['lvs1:/etc/keepalived/keepalived.conf', 'lvs2:/etc/keepalived/keepalived.conf']);
      await Promise.all(['lvs1', 'lvs2'].map(async (host) => {
        const pid = (await sh(host, 'cat /run/keepalived.pid')).trim();
        const out = await deploy(fastFiles, host);
        assert.deepEqual(applyChanges(out), ['reloaded: keepalived (SIGHUP)'], out);
        assert.equal((await sh(host, 'cat /run/keepalived.pid')).trim(), pid, 'reloaded, not restarted');
      }));
      assert.ok(await hasVip('lvs1'), 'the reload kept the VIP on the master');
      await waitFor('both reals in lvs1 after the reload', async () => JSON.stringify(await reals('lvs1')) === JSON.stringify(both), 30_000);
      // keepalived HTTP_GET: delay_loop 1, connect_timeout 1, retry 1, delay_before_retry 3.
      const ka = fastFiles.find((f) => f.host === 'lvs1' && f.path.endsWith('keepalived.conf'))!.content;
      const num = (k: string) => Number(ka.match(new RegExp(`${k} (\\d+)`))![1]);
      const every = num('delay_loop');
      const timeout = num('connect_timeout');
      const retry = num('retry');
      const delayBeforeRetry = num('delay_before_retry');
      const removalBound = every + timeout + retry * (delayBeforeRetry + timeout);
      // While a real is down keepalived checks it again after delay_before_retry (retries) or delay_loop.
      const returnBound = Math.max(every, delayBeforeRetry) + timeout;

      // The responder answers /healthz too (examples/large.lvs checks that path): any path is 200.
      const hz = await requests(`${RIPS.web1}`, 1);
      assert.deepEqual(hz, ['web1']);

      // Kill web1's responder (its own PID namespace: only that host's processes are seen).
      const pgrep = await on('web1', ['pgrep', '-f', '^/usr/bin/python3 .*responder\\.py']);
      const pid = pgrep.stdout.trim();
      assert.match(pid, /^\d+$/, `one responder on web1: ${pgrep.stdout}${pgrep.stderr}`);
      const cmdline = (await on('web1', ['cat', `/proc/${pid}/cmdline`])).stdout.split('\0').slice(0, -1);
      assert.ok(cmdline.length >= 3, `responder argv: ${JSON.stringify(cmdline)}`);
      const gone = await watchIpvs('lvs1', RIPS.web1, false);
      assert.equal((await on('web1', ['kill', '-9', pid])).code, 0);
      const tKill = Date.now();
      assert.match((await requests(RIPS.web1, 1))[0], /^ERROR-/, 'port 80 of web1 is closed');
      const removed = await gone.done;
      const removal = removed.at - tKill;
      assert.deepEqual(await reals('lvs1'), [`${RIPS.web2}:80`]);
      await waitFor('keepalived on lvs2 to remove web1 too', async () => !(await reals('lvs2')).includes(`${RIPS.web1}:80`), 30_000);
      const only = await requests(VIP, 10);
      proof(`health check: web1 responder killed → gone from lvs1's IPVS table ${s1(removal)} after the kill ` +
        `(watcher on lvs1 reading /proc/net/ip_vs, ${removed.loops} loops of ~${removed.loopMs} ms; keepalived bound: delay_loop ${every} + connect_timeout ${timeout} + ` +
        `retry ${retry} × (delay_before_retry ${delayBeforeRetry} + connect_timeout ${timeout}) = ${removalBound} s); 10 requests to the VIP: ${JSON.stringify(tally(only))}`);
      assert.deepEqual(only, Array(10).fill('web2'), 'every request is served by web2');
      assert.ok(removal <= (removalBound + 2) * 1000, `removed within the check bound ${removalBound} s (+2 s for UML): ${s1(removal)}`);

      // Start it again (same argv), detached, inside web1's namespaces.
      const back = await watchIpvs('lvs1', RIPS.web1, true);
      const st = await on('web1', ['sh', '-c', 'setsid "$@" </dev/null >/dev/null 2>&1 &', 'sh', ...cmdline]);
      assert.equal(st.code, 0, st.stderr);
      const tStart = Date.now();
      const upMs = await waitFor('web1 responder to answer again', async () => (await requests(RIPS.web1, 1))[0] === 'web1', 20_000, 50);
      const returned = await back.done;
      const ret = returned.at - tStart;
      await waitFor('keepalived on lvs2 to add web1 back', async () => (await reals('lvs2')).includes(`${RIPS.web1}:80`), 30_000);
      const again = await requests(VIP, 10);
      proof(`health check: web1 responder restarted → answering after ${s1(upMs)}, back in lvs1's IPVS table ${s1(ret)} after the restart ` +
        `(${returned.loops} loops of ~${returned.loopMs} ms; keepalived bound: a check every max(delay_loop ${every}, delay_before_retry ${delayBeforeRetry}) s while down + connect_timeout ${timeout} = ${returnBound} s); ` +
        `10 requests to the VIP: ${JSON.stringify(tally(again))}`);
      assert.deepEqual([...new Set(again)].sort(), ['web1', 'web2']);
      assert.ok(ret <= (returnBound + 2) * 1000, `returned within ${returnBound} s (+2 s for UML): ${s1(ret)}`);
    });

    test('3. HA: the master director is killed during a request loop; the backup owns the VIP within 4 s', async () => {
      const s = state!;
      const lvs1 = hostByName(s, 'lvs1')!;
      const mac1 = (await sh('lvs1', `cat /sys/class/net/${lvs1.iface}/address`)).trim();
      const mac2 = (await sh('lvs2', `cat /sys/class/net/${hostByName(s, 'lvs2')!.iface}/address`)).trim();
      assert.notEqual(mac1, mac2);
      await waitFor('both reals in the backup\'s IPVS table', async () => JSON.stringify(await reals('lvs2')) === JSON.stringify(both), 30_000);
      const stats2Before = serviceStats((await on('lvs2', ['ipvsadm', '-Ln', '--stats'])).stdout, 'tcp', SVC);

      const client = clientHost(s);
      const mon = startMonitor(client.ns, client.iface);
      try {
        // Baseline, then the worst moment to die: just after an advertisement of lvs1, so the backup
        // waits its whole master_down_interval (the kill lands at a random phase otherwise).
        await mon.until('the monitor to see lvs1 answer ARP, 5 requests succeed, and a fresh VRRP advert of lvs1', (ev) => {
          const adverts = ev.filter((e) => e.k === 'vrrp' && e.src === lvs1.address);
          return ev.filter((e) => e.k === 'http' && e.ok).length >= 5 && ev.some((e) => e.k === 'arp' && e.op === 2 && e.mac === mac1) &&
            adverts.length >= 2 && Date.now() - adverts[adverts.length - 1].t < 150;
        }, 20_000);
        const pids = await namespacePids(lvs1.ns);
        assert.ok(pids.length > 0, 'lvs1 has processes');
        const tKill = Date.now();
        for (const pid of pids) {
          try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
        }
        await waitFor('every linux.uml process of lvs1 to end', async () => (await namespacePids(lvs1.ns)).length === 0, 10_000, 50);
        const deadMs = Date.now() - tKill;
        const after = (e: MonEvent) => e.t > tKill;
        // The switch: lvs2 answers ARP for the VIP and the client's own ARP entry points to it.
        const switchTime = (ev: MonEvent[]) => {
          const owner = ev.find((e) => after(e) && e.k === 'arp' && e.op === 2 && e.mac === mac2);
          const neigh = ev.find((e) => after(e) && e.k === 'neigh' && e.mac === mac2);
          return owner && neigh ? Math.max(owner.t, neigh.t) : undefined;
        };
        await mon.until('lvs2 to own the VIP and 10 requests after that to complete', (ev) => {
          const at = switchTime(ev);
          return at !== undefined && ev.filter((e) => e.k === 'http' && e.start! > at).length >= 10;
        }, 30_000);
        await mon.stop();
        const ev = mon.events;
        const beforeKill = ev.filter((e) => !after(e));
        const baseMacs = [...new Set(beforeKill.filter((e) => e.k === 'arp' && e.op === 2).map((e) => e.mac))];
        assert.deepEqual(baseMacs, [mac1], 'before: only lvs1 answers ARP for the VIP');
        const owner = ev.find((e) => after(e) && e.k === 'arp' && e.op === 2 && e.mac === mac2)!;
        const garp = ev.find((e) => after(e) && e.k === 'arp' && e.mac === mac2 && e.tpa === VIP);
        const neigh = ev.find((e) => after(e) && e.k === 'neigh' && e.mac === mac2);
        const http = ev.filter((e) => e.k === 'http').sort((a, b) => a.start! - b.start!);
        const firstFail = http.find((e) => e.start! >= tKill && !e.ok);
        const firstOk = firstFail && http.find((e) => e.start! > firstFail.start! && e.ok);
        const failsAfter = http.filter((e) => e.start! >= tKill && !e.ok);
        const lastFail = failsAfter[failsAfter.length - 1];
        const switchAt = switchTime(ev)!;
        const afterSwitch = http.filter((e) => e.start! > switchAt);
        const arpAfter = [...new Set(ev.filter((e) => e.t > owner.t && e.k === 'arp' && e.op === 2).map((e) => e.mac))];
        // VRRP: the backup declares the master dead master_down_interval = 3 × advert_int + (256 − priority) / 256 s
        // after the master's last advertisement (3.65 s for advert 1 s, priority 90).
        const lastAdvert1 = beforeKill.filter((e) => e.k === 'vrrp' && e.src === lvs1.address).pop();
        const firstAdvert2 = ev.find((e) => after(e) && e.k === 'vrrp' && e.src === hostByName(s, 'lvs2')!.address);
        assert.ok(lastAdvert1 && firstAdvert2, 'VRRP advertisements of lvs1 (before) and lvs2 (after) seen');
        assert.deepEqual(ev.filter((e) => after(e) && e.k === 'vrrp' && e.src === lvs1.address), [], 'no advertisement from the dead master');
        proof(`HA: lvs1 killed (all ${pids.length} linux.uml processes; gone after ${s1(deadMs)}); ` +
          `ARP owner of ${VIP} changed to lvs2 (${mac2}) after ${s1(owner.t - tKill)}; ` +
          `lvs2's gratuitous ARP after ${garp ? s1(garp.t - tKill) : 'none seen'}; client's ARP entry → lvs2 after ${neigh ? s1(neigh.t - tKill) : 'n/a'}; ` +
          `lvs1's last VRRP advert ${s1(tKill - lastAdvert1.t)} before the kill, lvs2's first advert (prio ${firstAdvert2.prio}) ${s1(firstAdvert2.t - tKill)} after it ` +
          `(ARP owner change ${s1(owner.t - lastAdvert1.t)} after lvs1's last advert; VRRP master_down_interval 3 × 1 + (256 − 90)/256 = 3.65 s); ` +
          `first failed request started ${firstFail ? s1(firstFail.start! - tKill) : 'n/a'}, first success after the outage completed ${firstOk ? s1(firstOk.t - tKill) : 'n/a'} after the kill ` +
          `(served by ${firstOk?.body}); ${failsAfter.length} failed requests (last started ${lastFail ? s1(lastFail.start! - tKill) : 'n/a'}); ` +
          `${afterSwitch.length} requests after the switch: ${afterSwitch.filter((e) => e.ok).length} ok ${JSON.stringify(tally(afterSwitch.map((e) => e.body ?? e.err ?? '?')))}`);
        assert.ok(owner.t - tKill <= 4000, `the backup owns the VIP within 4 s (ARP answer from lvs2 after ${s1(owner.t - tKill)})`);
        assert.deepEqual(arpAfter, [mac2], 'after the switch only lvs2 answers ARP for the VIP');
        assert.ok(firstOk, 'requests succeed again');
        assert.ok(afterSwitch.length >= 10);
        assert.deepEqual(afterSwitch.filter((e) => !e.ok), [], 'every request after the client\'s ARP entry moved to lvs2 succeeds');
        assert.deepEqual([...new Set(afterSwitch.map((e) => e.body))].sort(), ['web1', 'web2']);
      } finally {
        await mon.stop();
      }
      assert.ok(await hasVip('lvs2'), 'lvs2 holds the VIP');
      const { stats: st } = await settledStats(async () => (await on('lvs2', ['ipvsadm', '-Ln', '--stats'])).stdout, 'tcp', SVC, (stats2Before?.conns ?? 0) + 1);
      assert.ok(st, 'lvs2 has the virtual service');
      proof(`lvs2 ipvsadm --stats TCP ${SVC}: Conns ${st.conns} (before ${stats2Before?.conns}) InPkts ${st.inPkts} OutPkts ${st.outPkts}`);
      assert.ok(st.conns > (stats2Before?.conns ?? 0) && st.inPkts > 0);
      assert.equal(st.outPkts, 0, 'DR through the new master too');
    });
  });
});

interface MonEvent {
  k: 'ready' | 'arp' | 'neigh' | 'http' | 'vrrp' | 'error' | 'end';
  t: number;
  op?: number;
  mac?: string | null;
  tpa?: string;
  start?: number;
  ok?: boolean;
  body?: string;
  err?: string;
  src?: string;
  prio?: number;
}

/** Runs fixtures/failover-monitor.py in the client namespace; its events accumulate in `events`. */
function startMonitor(ns: string, iface: string) {
  const child = spawn(binary('ip'), ['netns', 'exec', ns, '/usr/bin/python3', MONITOR, iface, VIP, '80', '90'], { env: labEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const events: MonEvent[] = [];
  let partial = '';
  let stderr = '';
  let closed = false;
  const done = new Promise<void>((r) => child.on('close', () => { closed = true; r(); }));
  child.stdout.on('data', (d: Buffer) => {
    partial += d.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const l of lines) if (l.trim()) events.push(JSON.parse(l) as MonEvent);
  });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
  child.stdin.on('error', () => undefined);
  return {
    events,
    async until(what: string, pred: (ev: MonEvent[]) => boolean, timeoutMs: number): Promise<void> {
      const t = Date.now();
      while (!pred(events)) {
        if (closed) throw new Error(`failover monitor ended while waiting for ${what}: ${stderr}`);
        if (Date.now() - t > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last events: ${JSON.stringify(events.slice(-8))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(): Promise<void> {
      if (closed) return;
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(killer);
    },
  };
}
