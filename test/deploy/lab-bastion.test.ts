// Deploying through a bastion, as an operator reaches production: the lab of examples/seed.lvs
// gets a bastion namespace (a plain sshd, ip_forward off) that is the only thing on the lab
// segment the deploying process can reach. `lvsdr` runs in a "deployer" namespace whose only
// link goes to the bastion (no route to 192.168.147.0/24, no default route), with a temporary
// HOME whose ~/.ssh/config says `ProxyJump bastion` for the lab's addresses. Both hops are
// checked strictly: the bastion's key against its own known_hosts, the hosts' keys against the
// lab's; a changed bastion key and an unknown host key are both refused. Then deploy and drift
// go through the bastion, real traffic from the lab's client proves the deploy took, and
// `lvsdr status` reads the running cluster through the bastion too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { addAddress, addNamespace, addVethToBridge, setLinkUp } from '../../server/lab/netns';
import { sshdArgs } from '../../server/lab/sshd';
import { clientHost, LabState, readState, writeState } from '../../server/lab/state';
import { labUp, nsName } from '../../server/lab/up';
import { sq, sqList } from '../../server/shared/shell-quote';
import { labLog, labSuite, tally, useTestStateDir, waitFor } from '../lab/helpers';
import { cliInvocation, runAsCliIfAsked } from './cli-mode';

const VIP = '192.168.147.100';
const SECRET = 'labpass1';
const BASTION_LAB = '192.168.147.201';
const BASTION_OUT = '10.213.0.1';
const DEPLOYER = '10.213.0.2';

interface RunResult { code: number; stdout: string; stderr: string; ms: number }

if (!runAsCliIfAsked()) {
  labSuite('deploy through a bastion', () => {
    describe('lvsdr through a bastion (ProxyJump from ~/.ssh/config), strict host keys on both hops', { timeout: 600_000 }, () => {
      let state: LabState;
      let work = '';
      let home = '';
      let bastionNs = '';
      let deployerNs = '';
      let lvs = '';
      let repo = '';
      const timings: string[] = [];

      before(async () => {
        await useTestStateDir('bastion');
        let t = Date.now();
        state = await labUp('examples/seed.lvs', { log: labLog });
        timings.push(`lab up ${((Date.now() - t) / 1000).toFixed(1)} s`);
        t = Date.now();
        work = join(state.dir, 'bastion-test');
        rmSync(work, { recursive: true, force: true });
        home = join(work, 'home');
        mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
        bastionNs = nsName(state.id, 'bastion');
        deployerNs = nsName(state.id, 'deployer');
        // Recorded in the lab's state first: `lab down` (and the reaper of abandoned test labs)
        // kills whatever runs in them and deletes them, also when this process dies.
        state.namespaces.push(bastionNs, deployerNs);
        writeState(state);
        await addNamespace(bastionNs);
        await addNamespace(deployerNs);
        // Bastion: one leg on the lab's bridge, one towards the deployer; it forwards no packets.
        await addVethToBridge(state.labNs, state.bridge, 'pbastion', bastionNs, 'eth0');
        await addAddress(bastionNs, 'eth0', `${BASTION_LAB}/24`);
        await setLinkUp(bastionNs, 'eth0');
        execFileSync('ip', ['-n', bastionNs, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', deployerNs]);
        await addAddress(bastionNs, 'eth1', `${BASTION_OUT}/30`);
        await setLinkUp(bastionNs, 'eth1');
        await addAddress(deployerNs, 'eth0', `${DEPLOYER}/30`);
        await setLinkUp(deployerNs, 'eth0');
        execFileSync('ip', ['netns', 'exec', bastionNs, 'sysctl', '-qw', 'net.ipv4.ip_forward=0']);
        // The bastion's sshd: its own host key and authorized key, its /run private.
        const b = join(work, 'bastion');
        mkdirSync(b, { recursive: true });
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(b, 'host_key')]);
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh', 'bastion_id')]);
        writeFileSync(join(b, 'authorized_keys'), readFileSync(join(home, '.ssh', 'bastion_id.pub')));
        const sshd = spawn('ip', ['netns', 'exec', bastionNs, 'unshare', '-m', '--propagation', 'private', 'sh', '-c',
          `mount -t tmpfs tmpfs /run && mkdir -p /run/sshd && exec ${sqList(sshdArgs(BASTION_OUT, join(b, 'host_key'), join(b, 'authorized_keys')))}`],
        { stdio: ['ignore', 'ignore', 'pipe'] });
        let log = '';
        sshd.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
        await waitFor('the bastion\'s sshd', async () => /Server listening/.test(log), 10_000, 100);
        const hostKey = readFileSync(join(b, 'host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
        writeFileSync(join(home, '.ssh', 'known_hosts.bastion'), `${BASTION_OUT} ${hostKey}\n`);
        writeFileSync(join(home, '.ssh', 'config'), [
          'Host bastion',
          `  HostName ${BASTION_OUT}`,
          '  User root',
          '  IdentityFile ~/.ssh/bastion_id',
          '  UserKnownHostsFile ~/.ssh/known_hosts.bastion',
          '',
          'Host 192.168.147.* lvs? web?',
          '  ProxyJump bastion',
          `  IdentityFile ${state.keys.private}`,
          `  UserKnownHostsFile ${state.keys.knownHosts}`,
          '',
        ].join('\n'));
        // A repository of clusters: the seed (its .lvs names no key and no known_hosts: those
        // come from the ssh config), and broken files where `drift DIR` must not look.
        repo = join(work, 'repo');
        for (const d of ['clusters', 'node_modules/pkg', '.git']) mkdirSync(join(repo, d), { recursive: true });
        lvs = join(repo, 'clusters', 'seed.lvs');
        // `target os debian`: the lab's hosts run this machine's Debian, and the hosts target checks the OS.
        writeFileSync(lvs, readFileSync('examples/seed.lvs', 'utf8').replace(/ssh \{[^}]*\}/, 'ssh { user root }').replace('target os rhel7', 'target os debian'));
        writeFileSync(join(repo, 'node_modules', 'pkg', 'broken.lvs'), 'cluster {');
        writeFileSync(join(repo, '.git', 'broken.lvs'), 'cluster {');
        timings.push(`bastion set up ${((Date.now() - t) / 1000).toFixed(1)} s`);
      });

      after(async () => {
        console.log(`# timings: ${timings.join('; ')}`);
        const s = readState() ?? state;
        if (s) await labDown(s);
        if (state) rmSync(state.dir, { recursive: true, force: true });
      });

      /** `lvsdr ARGS` in the deployer namespace, HOME the test's, no agent. */
      function cli(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
        const inv = cliInvocation(join(__dirname, 'lab-bastion.test.js'));
        const t0 = Date.now();
        return new Promise((resolve, reject) => {
          const child = spawn('ip', ['netns', 'exec', deployerNs, process.execPath, ...inv.argv, ...args], {
            env: { ...process.env, ...inv.env, HOME: home, SSH_AUTH_SOCK: '', LVS_SECRET_VRRP_WEB: SECRET, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
          child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
          child.on('error', reject);
          child.on('close', (code) => resolve({ code: code ?? 1, stdout: out, stderr: err, ms: Date.now() - t0 }));
        });
      }

      test('the deployer has no route to the lab, only to the bastion', () => {
        const routes = execFileSync('ip', ['-n', deployerNs, '-4', 'route'], { encoding: 'utf8' });
        assert.doesNotMatch(routes, /default|192\.168\.147/);
        const direct = execFileSync('ip', ['netns', 'exec', deployerNs, 'sh', '-c', `ip route get 192.168.147.6 2>&1 || true`], { encoding: 'utf8' });
        assert.match(direct, /unreachable/i);
        assert.equal(execFileSync('ip', ['netns', 'exec', bastionNs, 'sysctl', '-n', 'net.ipv4.ip_forward'], { encoding: 'utf8' }).trim(), '0');
      });

      test('--explain-ssh shows the route through the bastion and where each value came from', async () => {
        const r = await cli(['deploy', lvs, '--explain-ssh', 'lvs1']);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /proxyjump {5}bastion {4}from ~\/\.ssh\/config line 8 \(Host 192\.168\.147\.\* lvs\? web\?\)/);
        assert.match(r.stdout, /route: this machine -> root@10\.213\.0\.1:22 -> root@192\.168\.147\.6:22/);
      });

      test('a changed bastion host key is refused before anything reaches a host', async () => {
        const kh = join(home, '.ssh', 'known_hosts.bastion');
        const good = readFileSync(kh, 'utf8');
        const other = join(work, 'other_key');
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
        writeFileSync(kh, `${BASTION_OUT} ${readFileSync(`${other}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')}\n`);
        try {
          const r = await cli(['plan', lvs, '--target', 'hosts']);
          assert.equal(r.code, 1, r.stderr);
          assert.match(r.stderr, /jump host bastion: HOST KEY CHANGED for bastion \(10\.213\.0\.1:22\)/);
        } finally {
          writeFileSync(kh, good);
        }
      });

      test('an unknown key of a host behind the bastion is refused (no --accept-new)', async () => {
        const empty = join(work, 'known_hosts.empty');
        writeFileSync(empty, '');
        const r = await cli(['plan', lvs, '--target', 'hosts', '--known-hosts', empty]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /the host key of (lvs1|lvs2|web1|web2) \(192\.168\.147\.\d+:22\) is not in .*known_hosts\.empty.*refused/);
        assert.equal(readFileSync(empty, 'utf8'), '', 'nothing was recorded');
      });

      test('a VIP on the address the bastion sees the deploy from is refused before any host is touched', async () => {
        // The hosts see the bastion (192.168.147.201); only the bastion's own SSH_CONNECTION
        // shows the deployer's address.
        const variant = join(work, 'vip-on-deployer.lvs');
        writeFileSync(variant, readFileSync(lvs, 'utf8').replaceAll(VIP, DEPLOYER));
        const r = await cli(['deploy', variant, '--target', 'hosts', '--yes', '--no-probe']);
        assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
        assert.match(r.stdout + r.stderr, new RegExp(`jump host bastion sees this deploy coming from ${DEPLOYER.replace(/\./g, '\\.')}`));
        for (const h of ['lvs1', 'web1']) {
          const files = await execOnHost(state, h, ['sh', '-c', 'ls /opt/lvs /var/lib/lvs-dr 2>/dev/null | wc -l'], { timeoutMs: 30_000 });
          assert.equal(files.stdout.trim(), '0', `${h} untouched`);
        }
      });

      test('deploy, status and drift through the bastion; the cluster balances real traffic', async () => {
        const d = await cli(['deploy', lvs, '--target', 'hosts', '--yes', '--no-probe']);
        timings.push(`deploy through the bastion ${(d.ms / 1000).toFixed(1)} s`);
        assert.equal(d.code, 0, `${d.stdout}\n${d.stderr}`);
        assert.match(d.stdout, /: success\b/);
        // The hosts' sshd saw the bastion, never the deployer (it has no way there).
        const peers = await execOnHost(state, 'web1', ['sh', '-c', 'ss -tnH state established "( sport = :22 )"'], { timeoutMs: 30_000 });
        assert.doesNotMatch(peers.stdout, new RegExp(DEPLOYER.replace(/\./g, '\\.')));
        // Real traffic from the lab's client through the VIP, answered by both real servers.
        const client = clientHost(state).ns;
        await waitFor('the VIP to answer', async () => {
          try {
            execFileSync('ip', ['netns', 'exec', client, 'curl', '-s', '-m', '2', `http://${VIP}/`]);
            return true;
          } catch {
            return false;
          }
        }, 30_000, 500);
        const answers: string[] = [];
        for (let i = 0; i < 6; i++) {
          answers.push(execFileSync('ip', ['netns', 'exec', client, 'sh', '-c', `curl -s -m 3 ${sq(`http://${VIP}/`)}`], { encoding: 'utf8' }).trim());
        }
        const t = tally(answers.map((a) => (/web1/.test(a) ? 'web1' : /web2/.test(a) ? 'web2' : a)));
        assert.deepEqual(Object.keys(t).sort(), ['web1', 'web2'], `answers: ${answers.join(', ')}`);
        // The live status through the bastion: every host reached, lvs1 the VRRP master.
        const st = await cli(['status', lvs, '--target', 'hosts']);
        timings.push(`status through the bastion ${(st.ms / 1000).toFixed(1)} s`);
        assert.equal(st.code, 0, `${st.stdout}\n${st.stderr}`);
        assert.doesNotMatch(st.stdout, /UNREACHABLE/);
        assert.match(st.stdout, /lvs1 +192\.168\.147\.6 +master/i);
        // Drift of the whole repository (node_modules and .git skipped) through the bastion.
        const drift = await cli(['drift', repo, '--target', 'hosts']);
        timings.push(`drift of the repository through the bastion ${(drift.ms / 1000).toFixed(1)} s`);
        assert.equal(drift.code, 0, `${drift.stdout}\n${drift.stderr}`);
        assert.match(drift.stdout, /drift of 1 cluster in 1 file under .*repo:\n {2}.*clusters\/seed\.lvs web: in sync\n/);
        // Drift is found through the bastion too: a changed file on web2 is reported.
        await execOnHost(state, 'web2', ['sh', '-c', 'echo "# hand edit" >> /opt/lvs/apply.sh'], { timeoutMs: 30_000 });
        const drifted = await cli(['drift', repo, '--target', 'hosts']);
        assert.equal(drifted.code, 3, `${drifted.stdout}\n${drifted.stderr}`);
        assert.match(drifted.stdout, /web2 .*1 of \d+ files differ/);
        assert.match(drifted.stdout, /clusters\/seed\.lvs web: DRIFT/);
      });
    });
  });
}
