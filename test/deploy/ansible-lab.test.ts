// The Ansible export run by real Ansible (Debian's ansible-playbook) against the lab of
// examples/seed.lvs, from the lab's client namespace (no default route), as the P4 bench runs it.
// One lab, in this order (each step starts from the state the previous one left):
//   1. on the fresh lab, `lvsdr deploy` (timed), then `ansible-playbook --check --diff` of the
//      export of the same file reports no change on any host: the two tools agree byte for byte;
//      verify.sh runs under --check and says OK;
//   2. every host reset to a fresh state, then ansible-playbook (timed): every host changed; 20
//      requests through the VIP answered by both real servers; verify.sh OK on every host; lvs1
//      (role master) holds the VIP, lvs2 not;
//   3. the same run again: changed=0 on every host; `lvsdr drift` reports the hosts in sync;
//   4. a sysctl changed by hand on web1: a run (--limit web1) repairs it with ansible.posix.sysctl;
//   5. web1's weight 1 → 2, exported again: the run changes only the directors' keepalived.conf
//      and runs apply.sh there, which reloads keepalived (same PID: no restart); IPVS shows the
//      new weight; the real servers report changed=0; drift in sync. Then the same kind of change
//      (weight 3) by `lvsdr deploy`, timed.
// Ansible in the lab is slow on the directors (user-mode Linux: every ssh session costs seconds),
// so the test makes four full runs and no more. Each run's JSON is kept in the lab's work dir.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateFile } from '../../server/generate';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { clientHost, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { labLog, labSuite, useTestStateDir, waitFor } from '../lab/helpers';
import { ansibleEnv, changedTasks, CLI, exportProject, missingTool, PlaybookRun, recap, runPlaybook } from './ansible-run';

const VIP = '192.168.147.100';
const SECRET = 'ansible1';
const HOSTS = ['lvs1', 'lvs2', 'web1', 'web2'];
const DIRECTORS = ['lvs1', 'lvs2'];
const SERVERS = ['web1', 'web2'];

const missing = missingTool(['ansible-playbook']);
if (missing && process.env.CI === 'true') {
  test('ansible export against the lab: prerequisites', () => assert.fail(`${missing} is not installed (scripts/install-system-deps.sh lab)`));
} else if (missing) {
  test('ansible export against the lab', { skip: `${missing} is not installed` }, () => undefined);
} else {
  labSuite('ansible export against the lab', () => {
    describe('ansible-playbook of `lvsdr export ansible` against the lab (examples/seed.lvs)', { timeout: 5_400_000 }, () => {
      let state: LabState;
      let work = '';
      let lvs = '';
      let project = '';
      let seedText = '';
      let env: Record<string, string> = {};
      let extraVars = '';
      const times: string[] = [];
      /** Set once a step has deployed the hosts (test 5 alone, --test-name-pattern, deploys first). */
      let deployed = false;

      before(async () => {
        await useTestStateDir('ansible');
        const t = Date.now();
        state = await labUp('examples/seed.lvs', { log: labLog });
        times.push(`lab up ${((Date.now() - t) / 1000).toFixed(1)} s`);
        work = join(state.dir, 'ansible-test-work');
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work, { recursive: true });
        lvs = join(work, 'seed.lvs');
        seedText = readFileSync('examples/seed.lvs', 'utf8');
        writeFileSync(lvs, seedText);
        project = join(work, 'ansible');
        exportProject(lvs, project);
        // The lab's key and known_hosts instead of the file's ~/.ssh ones; the lab hosts run
        // Debian while the seed targets rhel7 (lvsdr's lab target skips that check too).
        extraVars = join(work, 'lab-vars.json');
        writeFileSync(extraVars, JSON.stringify({
          lvs_check_os: false,
          ansible_ssh_private_key_file: state.keys.private,
          ansible_ssh_common_args: `-o UserKnownHostsFile=${state.keys.knownHosts}`,
          ansible_python_interpreter: '/usr/bin/python3',
        }));
        env = { ...ansibleEnv(project, join(work, 'ansible-home')), LVS_SECRET_VRRP_WEB: SECRET };
      });

      after(async () => {
        console.log(`# times: ${times.join('; ')}`);
        const s = readState() ?? state;
        if (s) await labDown(s);
        if (state) rmSync(state.dir, { recursive: true, force: true });
      });

      const inClient = () => ['ip', 'netns', 'exec', clientHost(state).ns];

      function playbook(args: string[] = []): Promise<PlaybookRun> {
        return runPlaybook(inClient(), project, ['-e', `@${extraVars}`, ...args], env);
      }

      /** `lvsdr ARGS` in the client namespace against the lab. */
      function lvsdr(args: string[]): Promise<{ code: number; out: string; seconds: number }> {
        return new Promise((res, rej) => {
          const t0 = Date.now();
          const child = spawn(inClient()[0], [...inClient().slice(1), process.execPath, resolve(CLI), ...args], {
            env: { ...process.env, LVSDR_LAB_DIR: state.dir, LVS_SECRET_VRRP_WEB: SECRET }, stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
          child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
          child.on('error', rej);
          child.on('close', (code) => res({ code: code ?? 1, out, seconds: (Date.now() - t0) / 1000 }));
        });
      }

      async function on(host: string, script: string): Promise<{ code: number; stdout: string; stderr: string }> {
        return execOnHost(state, host, ['sh', '-c', script], { timeoutMs: 120_000 });
      }

      async function vipHolders(): Promise<string[]> {
        const held: string[] = [];
        for (const d of DIRECTORS) {
          const r = await on(d, `ip -4 -o addr show | grep -qF ' ${VIP}/32 ' && echo yes || echo no`);
          if (r.stdout.trim() === 'yes') held.push(d);
        }
        return held;
      }

      async function keepalivedPids(): Promise<string[]> {
        return Promise.all(DIRECTORS.map(async (d) => (await on(d, 'cat /run/keepalived.pid 2>/dev/null || echo none')).stdout.trim()));
      }

      /** Undoes every deployment on a host (runtime and files), as in a fresh lab. */
      async function resetHost(host: string): Promise<void> {
        const paths = generateFile(seedText, 'seed.lvs', { secrets: () => SECRET }).clusters[0].files.filter((f) => f.host === host).map((f) => `'${f.path}'`);
        const r = await on(host, [
          'if [ -f /opt/lvs/rollback.sh ]; then sh /opt/lvs/rollback.sh >/dev/null 2>&1 || true; fi',
          'if [ -s /run/keepalived.pid ]; then kill "$(cat /run/keepalived.pid)" 2>/dev/null || true; sleep 2; fi',
          'if command -v ipvsadm >/dev/null 2>&1; then ipvsadm -C 2>/dev/null || true; fi',
          `for d in lo ens33; do ip addr del ${VIP}/32 dev $d 2>/dev/null || true; done`,
          `rm -rf /var/lib/lvs-dr /run/lvs-dr.lock ${paths.join(' ')}`,
          'rmdir /opt/lvs /etc/sysconfig/network-scripts /etc/sysconfig 2>/dev/null || true',
        ].join('; '));
        assert.equal(r.code, 0, `${host}: reset: ${r.stderr}`);
      }

      test('1. on the fresh lab, lvsdr deploy; then ansible-playbook --check --diff of the same file reports no change', async () => {
        const deploy = await lvsdr(['deploy', lvs, '--target', 'lab', '--yes', '--no-probe']);
        times.push(`lvsdr deploy fresh ${deploy.seconds.toFixed(1)} s`);
        assert.equal(deploy.code, 0, `lvsdr deploy: exit ${deploy.code}\n${deploy.out}`);
        deployed = true;
        const check = await playbook(['--check', '--diff']);
        writeFileSync(join(work, 'run-check.json'), check.raw);
        times.push(`ansible --check --diff ${check.seconds.toFixed(1)} s`);
        assert.equal(check.code, 0, `${recap(check)}\n${check.stderr}`);
        for (const h of HOSTS) assert.equal(check.stats[h]?.changed, 0, `${h} after lvsdr deploy: ${changedTasks(check, h).join(', ')} would change`);
        // verify.sh ran under --check (check_mode: false) and found every host OK.
        for (const h of HOSTS) assert.equal(check.tasks.get(h)!.find((t) => t.task === 'Run verify.sh')?.stdout?.trim(), 'OK', `${h}: verify.sh under --check`);
      });
      test('2. hosts reset to fresh: the playbook deploys, traffic is balanced over both real servers, verify.sh OK, lvs1 is master', async () => {
        await Promise.all(HOSTS.map(resetHost));
        const run = await playbook();
        writeFileSync(join(work, 'run-fresh.json'), run.raw);
        times.push(`ansible fresh ${run.seconds.toFixed(1)} s`);
        assert.equal(run.code, 0, `ansible-playbook exited ${run.code}: ${recap(run)}\n${run.stderr}`);
        for (const h of HOSTS) {
          assert.ok(run.stats[h]?.changed > 0 && run.stats[h].failures === 0, `${h} changed, none failed: ${recap(run)}`);
          const verify = run.tasks.get(h)!.find((t) => t.task === 'Run verify.sh')!;
          assert.ok(verify && !verify.skipped && !verify.failed && verify.stdout?.trim() === 'OK', `${h}: verify.sh in the run: ${JSON.stringify(verify)}`);
        }
        // Order: every real server's task before any director's (one play after the other).
        const order = run.raw.indexOf('"Backup directors"');
        assert.ok(order > 0 && run.raw.indexOf('"Real servers"') < order && order < run.raw.indexOf('"Master directors"'), 'plays in lvsdr deploy\'s order');
        await waitFor('the VIP on lvs1 only', async () => (await vipHolders()).join() === 'lvs1', 30_000, 500);
        for (const h of HOSTS) {
          const v = await on(h, '/opt/lvs/verify.sh');
          assert.equal(v.code, 0, `${h}: verify.sh after the run: ${v.stdout}${v.stderr}`);
          assert.equal(v.stdout.trim(), 'OK');
        }
        await waitFor('the VIP answers', async () => SERVERS.includes((await execOnHost(state, 'client', ['curl', '-s', '--max-time', '2', `http://${VIP}/`])).stdout.trim()), 60_000, 500);
        const r = await execOnHost(state, 'client', ['sh', '-c', `i=0; while [ $i -lt 20 ]; do curl -s --max-time 3 http://${VIP}/ || echo FAILED; echo; i=$((i+1)); done`]);
        const answers = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
        assert.equal(answers.length, 20, answers.join(' '));
        assert.ok(answers.every((a) => SERVERS.includes(a)), `every request answered by a real server: ${answers.join(' ')}`);
        for (const s of SERVERS) assert.ok(answers.filter((a) => a === s).length >= 5, `${s} answered a fair share (rr): ${answers.join(' ')}`);
      });

      test('3. the second run changes nothing: changed=0 on every host; lvsdr drift in sync', async () => {
        const run = await playbook();
        times.push(`ansible rerun ${run.seconds.toFixed(1)} s`);
        assert.equal(run.code, 0, `${recap(run)}\n${run.stderr}`);
        for (const h of HOSTS) assert.equal(run.stats[h]?.changed, 0, `${h}: ${changedTasks(run, h).join(', ')} (${recap(run)})`);
        const drift = await lvsdr(['drift', lvs, '--target', 'lab']);
        assert.equal(drift.code, 0, `lvsdr drift after the Ansible runs: exit ${drift.code}\n${drift.out}`);
      });

      test('4. a kernel value changed by hand is repaired by ansible.posix.sysctl (verify.sh found it)', async () => {
        assert.equal((await on('web1', 'sysctl -q -w net.ipv4.conf.all.arp_ignore=0')).code, 0);
        const run = await playbook(['--limit', 'web1']);
        assert.equal(run.code, 0, `${recap(run)}\n${run.stderr}`);
        assert.deepEqual(changedTasks(run, 'web1'), ['Repair the running kernel\'s sysctls from the generated file']);
        assert.equal((await on('web1', 'sysctl -n net.ipv4.conf.all.arp_ignore')).stdout.trim(), '1');
        assert.equal(run.tasks.get('web1')!.find((t) => t.task === 'Run verify.sh again after the repair')?.stdout?.trim(), 'OK');
      });

      test('5. a real server\'s weight changes: only the directors\' keepalived.conf changes, keepalived is reloaded; lvsdr drift in sync', async () => {
        if (!deployed) assert.equal((await lvsdr(['deploy', lvs, '--target', 'lab', '--yes', '--no-probe'])).code, 0, 'lvsdr deploy before the weight change');
        writeFileSync(lvs, seedText.replace('real web1 weight 1', 'real web1 weight 2'));
        exportProject(lvs, project);
        const pids = await keepalivedPids();
        const run = await playbook();
        writeFileSync(join(work, 'run-weight.json'), run.raw);
        times.push(`ansible weight change ${run.seconds.toFixed(1)} s`);
        assert.equal(run.code, 0, `${recap(run)}\n${run.stderr}`);
        for (const h of SERVERS) assert.equal(run.stats[h]?.changed, 0, `${h}: ${changedTasks(run, h).join(', ')}`);
        for (const d of DIRECTORS) {
          assert.deepEqual(changedTasks(run, d), ['Put keepalived.conf, checked by keepalived first', 'Run apply.sh (reloads keepalived, never restarts it)'], `${d}: changed tasks`);
          const items = run.tasks.get(d)!.find((t) => t.task.startsWith('Put keepalived.conf'))!.items!;
          assert.deepEqual(items.filter((i) => i.changed).map((i) => (i.item as { path: string }).path), ['/etc/keepalived/keepalived.conf']);
          assert.deepEqual(run.tasks.get(d)!.find((t) => t.task === 'Put the generated files')!.items!.filter((i) => i.changed), [], `${d}: no other file changed`);
          const apply = run.tasks.get(d)!.find((t) => t.task.startsWith('Run apply.sh'))!.stdout ?? '';
          assert.match(apply, /^reloaded: keepalived/m, `${d}: apply.sh output:\n${apply}`);
        }
        assert.deepEqual(await keepalivedPids(), pids, 'keepalived was reloaded, not restarted (same PIDs)');
        await waitFor('IPVS weight 2 for web1 on lvs1', async () => /192\.168\.147\.4:80\s+Route\s+2\b/.test((await on('lvs1', 'ipvsadm -Ln')).stdout), 20_000, 500);
        const drift = await lvsdr(['drift', lvs, '--target', 'lab']);
        assert.equal(drift.code, 0, `lvsdr drift after the weight change: exit ${drift.code}\n${drift.out}`);
        // The same kind of change by lvsdr deploy, for the times.
        writeFileSync(lvs, seedText.replace('real web1 weight 1', 'real web1 weight 3'));
        const deploy = await lvsdr(['deploy', lvs, '--target', 'lab', '--yes', '--no-probe']);
        times.push(`lvsdr deploy weight change ${deploy.seconds.toFixed(1)} s`);
        assert.equal(deploy.code, 0, deploy.out);
      });

    });
  });
}
