// Adopting a hand-configured cluster, proven in the lab (issue 13). Each case starts from a fresh
// lab of examples/seed.lvs with nothing of this tool on it, configures the cluster by hand through
// `lab exec` (never with the generators), then from the lab's client namespace, as a user would:
//   `lvsdr import --ssh` the directors (the real servers are found from their IPVS tables), with
//   the lab's key and known_hosts; `lvsdr check` of the result; `lvsdr deploy --target lab` of it.
// The runtime of every host is read before and after the deploy — IPv4 addresses with labels,
// routes, the sysctls the import reads, `ipvsadm -Sn` on the directors — and must be identical;
// 20 requests through the VIP are balanced the same way before and after; verify.sh passes on
// every host; a request loop runs through the deploy and counts the requests that failed.
//   A. the classic guide: dr.sh on lvs1 (ifconfig ens33:0 /32, route -host, ipvsadm -A/-a -g,
//      forwarding on), real servers with ifconfig lo:0 /32 and the ARP sysctls on all and ens33;
//   B. keepalived by hand on lvs1/lvs2: a hand-written keepalived.conf (vrrp_instance VI_1 with
//      PASS auth and a labelled VIP, virtual_server with TCP_CHECK), keepalived started by hand;
//      real servers as the classic realserver script does (lo:0, ARP sysctls on lo and all).
// Measured numbers are printed as `# proof: …` lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { binary, labEnv } from '../../server/lab/run';
import { clientHost, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import type { Journal } from '../../server/deploy/journal';
import { VERIFY_SH } from '../../server/deploy/remote';
import { cliInvocation, runAsCliIfAsked } from '../deploy/cli-mode';
import { labLog, labSuite, settledStats, tally, useTestStateDir, waitFor } from './helpers';

const LAB_FILE = 'examples/seed.lvs';
const VIP = '192.168.147.100';
const SVC = `${VIP}:80`;
const GATEWAY = '192.168.147.2';
const ADDR: Record<string, string> = { lvs1: '192.168.147.6', lvs2: '192.168.147.5', web1: '192.168.147.4', web2: '192.168.147.3' };
const HOSTS = ['lvs1', 'lvs2', 'web1', 'web2'];
const SECRET = 'labpass1';
const HTTP_CLIENT = resolve('test/lab/fixtures/http-requests.py');

const proof = (line: string) => console.log(`# proof: ${line}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The classic guide's director script (LVS-HOWTO, LVS-DR), with the lab's addresses. */
const DR_SH = `#!/bin/sh
# dr.sh: LVS-DR director, by hand
VIP=${VIP}
RIP1=${ADDR.web1}
RIP2=${ADDR.web2}
ip route add default via ${GATEWAY}
echo 1 > /proc/sys/net/ipv4/ip_forward
/sbin/ifconfig ens33:0 $VIP broadcast $VIP netmask 255.255.255.255 up
/sbin/route add -host $VIP dev ens33:0
/sbin/ipvsadm -C
/sbin/ipvsadm -A -t $VIP:80 -s rr
/sbin/ipvsadm -a -t $VIP:80 -r $RIP1:80 -g -w 1
/sbin/ipvsadm -a -t $VIP:80 -r $RIP2:80 -g -w 1
`;

/** The real server's script: the VIP on lo:0 as a /32, and ARP answered/announced only for the NIC's own address. */
function realServerScript(arpOn: string[]): string {
  return [
    '#!/bin/sh',
    `VIP=${VIP}`,
    `ip route add default via ${GATEWAY}`,
    '/sbin/ifconfig lo:0 $VIP broadcast $VIP netmask 255.255.255.255 up',
    '/sbin/route add -host $VIP dev lo:0',
    ...arpOn.flatMap((i) => [`echo 1 > /proc/sys/net/ipv4/conf/${i}/arp_ignore`, `echo 2 > /proc/sys/net/ipv4/conf/${i}/arp_announce`]),
    '',
  ].join('\n');
}

/** A keepalived.conf as an administrator writes it for one director of the pair. */
function keepalivedConf(name: string, state: 'MASTER' | 'BACKUP', priority: number): string {
  const real = (a: string) => `    real_server ${a} 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 3
        }
    }`;
  return `! Configuration File for keepalived, written by hand
global_defs {
   router_id ${name}
}

vrrp_instance VI_1 {
    state ${state}
    interface ens33
    virtual_router_id 51
    priority ${priority}
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass ${SECRET}
    }
    virtual_ipaddress {
        ${VIP}/32 dev ens33 label ens33:0
    }
}

virtual_server ${VIP} 80 {
    delay_loop 6
    lb_algo rr
    lb_kind DR
    protocol TCP

${real(ADDR.web1)}
${real(ADDR.web2)}
}
`;
}

/** What a host runs, as the import reads it and a deploy could change it (IPVS: on a director only). */
const RUNTIME_SH = (director: boolean) => [
  'echo "== addresses"; ip -o -4 addr show',
  'echo "== routes"; ip -4 route show table main',
  'echo "== sysctl"; echo "ip_forward = $(cat /proc/sys/net/ipv4/ip_forward)"',
  'for d in /proc/sys/net/ipv4/conf/*; do for l in arp_ignore arp_announce send_redirects; do echo "${d##*/}.$l = $(cat $d/$l)"; done; done',
  ...(director ? ['echo "== ipvsadm -Sn"; ipvsadm -Sn'] : []),
].join('\n');

interface CliResult { code: number; stdout: string; stderr: string; ms: number }

if (!runAsCliIfAsked()) {
  labSuite('adopting a hand-configured cluster (lab)', () => {
    let stateDirReady: Promise<string> | undefined;

    /** One case: a fresh lab, configured by `configure`, imported from `importFrom`, deployed. */
    function adoptCase(title: string, o: {
      tag: string;
      configure: (on: On) => Promise<void>;
      importFrom: string[];
      /** The directors that run IPVS (their tables are compared) and the one holding the VIP. */
      directors: string[];
      vipHolder: string;
    }): void {
      describe(title, { timeout: 900_000 }, () => {
        let state: LabState | undefined;
        let work = '';
        let t0 = 0;

        before(async () => {
          t0 = Date.now();
          stateDirReady ??= useTestStateDir('import-adopt');
          await stateDirReady;
          const t = Date.now();
          state = await labUp(LAB_FILE, { log: labLog });
          console.log(`# lab up ${secs(Date.now() - t)}`);
          work = join(state.dir, `import-adopt-${o.tag}`);
          rmSync(work, { recursive: true, force: true });
          mkdirSync(work, { recursive: true });
        });

        after(async () => {
          const s = readState() ?? state;
          if (s) await labDown(s);
          if (work) rmSync(work, { recursive: true, force: true });
          console.log(`# import-adopt ${o.tag}: ${secs(Date.now() - t0)} in all`);
        });

        const on: On = async (host, script, input) => {
          const r = await execOnHost(state!, host, ['sh', '-c', script], { input, timeoutMs: 180_000 });
          assert.equal(r.code, 0, `${host}: ${script.slice(0, 200)}: exit ${r.code}: ${r.stdout}${r.stderr}`);
          return r.stdout;
        };

        /** `lvsdr ARGS` in the lab's client namespace (no default route), as a user runs it. */
        function cli(args: string[]): Promise<CliResult> {
          const inv = cliInvocation(join(__dirname, 'import-adopt.test.js'));
          const t = Date.now();
          return new Promise((res, rej) => {
            const child = spawn(binary('ip'), ['netns', 'exec', clientHost(state!).ns, process.execPath, ...inv.argv, ...args], {
              env: { ...process.env, ...inv.env, LVSDR_LAB_DIR: state!.dir, LVS_SECRET_VRRP_WEB: SECRET },
              stdio: ['ignore', 'pipe', 'pipe'],
            });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
            child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
            child.on('error', rej);
            child.on('close', (code, signal) => res({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - t }));
          });
        }

        async function runtime(): Promise<Record<string, string>> {
          const out: Record<string, string> = {};
          await Promise.all(HOSTS.map(async (h) => { out[h] = await on(h, RUNTIME_SH(h.startsWith('lvs'))); }));
          return out;
        }

        // Each measurement from source ports of its own, below the ephemeral range the request loop
        // during the deploy uses: a port reused while its old connection is still in the director's
        // table would follow that connection to the same real server, not round robin.
        let sourcePort = 20_000;
        async function requests(n: number): Promise<string[]> {
          const from = sourcePort;
          sourcePort += n;
          const r = await execOnHost(state!, 'client', ['/usr/bin/python3', HTTP_CLIENT, VIP, '80', String(n), '/', '5', String(from)], { timeoutMs: 120_000 });
          assert.equal(r.code, 0, r.stderr);
          return r.stdout.trim().split('\n');
        }

        /**
         * 20 requests: the answers, checked to alternate between both real servers (rr, weight 1
         * each). A second round is taken when the first does not alternate: a connection the test
         * did not send (seen once in CI: two doubled answers in 20, cause not found) takes a turn of
         * round robin; a table that really differs fails both rounds.
         */
        async function balanced(label: string): Promise<Record<string, number>> {
          const alternates = (a: string[]) => a.every((x, i) => i === 0 || x !== a[i - 1]);
          let answers = await requests(20);
          if (!alternates(answers)) {
            proof(`${o.tag} ${label}: the first 20 requests did not alternate (${answers.join(' ')}); a second round`);
            answers = await requests(20);
          }
          const dist = tally(answers);
          proof(`${o.tag} ${label}: 20 requests through ${VIP}: ${JSON.stringify(dist)} (${answers.join(' ')})`);
          assert.deepEqual(Object.keys(dist).sort(), ['web1', 'web2'], `both real servers answer: ${answers.join(' ')}`);
          assert.ok(alternates(answers), `round robin alternates: ${answers.join(' ')}`);
          const { stats, raw } = await settledStats(async () => (await execOnHost(state!, o.vipHolder, ['ipvsadm', '-Ln', '--stats'])).stdout, 'tcp', SVC, 20);
          assert.ok(stats, raw);
          proof(`${o.tag} ${label}: ${o.vipHolder} ipvsadm --stats TCP ${SVC}: Conns ${stats.conns} InPkts ${stats.inPkts} OutPkts ${stats.outPkts}`);
          assert.equal(stats.outPkts, 0, 'Direct Routing: the replies bypass the director');
          return dist;
        }

        let runtimeBefore: Record<string, string> = {};
        let distBefore: Record<string, number> = {};
        let lvs = '';

        test('configured by hand, traffic through the VIP balanced over both real servers', async () => {
          await o.configure(on);
          await waitFor(`${o.vipHolder} to hold the VIP and both real servers in every director's table`, async () => {
            const addrs = await execOnHost(state!, o.vipHolder, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'ens33']);
            if (!addrs.stdout.includes(`inet ${VIP}/32`)) return false;
            for (const d of o.directors) {
              const t = (await execOnHost(state!, d, ['ipvsadm', '-Sn'])).stdout;
              if (!t.includes(`-r ${ADDR.web1}:80`) || !t.includes(`-r ${ADDR.web2}:80`)) return false;
            }
            return true;
          }, 60_000);
          runtimeBefore = await runtime();
          for (const d of o.directors) proof(`${o.tag} by hand: ${d} ipvsadm -Sn:\n${runtimeBefore[d].split('== ipvsadm -Sn\n')[1].trimEnd().replace(/^/gm, '#     ')}`);
          distBefore = await balanced('by hand');
        });

        test('lvsdr import --ssh reads the hosts; lvsdr check passes on the result', async () => {
          lvs = join(work, 'imported.lvs');
          const s = state!;
          const r = await cli(['import', ...o.importFrom.flatMap((h) => ['--ssh', `root@${ADDR[h]}`]),
            '--key', s.keys.private, '--known-hosts', s.keys.knownHosts, '--cluster', s.cluster, '--out', lvs]);
          proof(`${o.tag} lvsdr import --ssh ${o.importFrom.map((h) => ADDR[h]).join(' ')}: exit ${r.code} in ${secs(r.ms)}; findings:\n${r.stderr.trimEnd().replace(/^/gm, '#     ')}`);
          assert.equal(r.code, 0, `everything was imported:\n${r.stderr}`);
          const text = readFileSync(lvs, 'utf8');
          console.log(`# ${o.tag} imported .lvs:\n${text.trimEnd().replace(/^/gm, '#   ')}`);
          for (const d of o.directors) assert.match(text, new RegExp(`director ${d} \\{`), `director ${d} is imported`);
          for (const w of ['web1', 'web2']) assert.match(text, new RegExp(`server ${w} \\{\\s+address ${ADDR[w].replace(/\./g, '\\.')}`), `real server ${w} is imported`);
          const c = await cli(['check', lvs]);
          proof(`${o.tag} lvsdr check: exit ${c.code}; ${(c.stdout + c.stderr).trim() || 'no findings'}`);
          assert.equal(c.code, 0, c.stdout + c.stderr);
        });

        test('lvsdr deploy of the import: runtime identical, traffic balanced the same way, verify.sh passes', async () => {
          assert.ok(lvs, 'the import ran');
          const plan = await cli(['plan', lvs, '--target', 'lab']);
          console.log(`# ${o.tag} lvsdr plan: exit ${plan.code}\n${withoutDiffs(plan.stdout).replace(/^/gm, '#   ')}`);
          assert.ok(plan.code === 0 || plan.code === 3, plan.stderr);
          const loop = startRequestLoop(clientHost(state!).ns);
          let d: CliResult;
          try {
            await loop.until((rs) => rs.length >= 5, 30_000);
            d = await cli(['deploy', lvs, '--target', 'lab', '--yes', '--no-probe']);
            await new Promise((r) => setTimeout(r, 3000));
          } finally {
            await loop.stop();
          }
          const during = loop.results;
          console.log(`# ${o.tag} lvsdr deploy: exit ${d.code} in ${secs(d.ms)}\n${(withoutDiffs(d.stdout) + '\n' + d.stderr).trimEnd().replace(/^/gm, '#   ')}`);
          assert.equal(d.code, 0, d.stderr);
          const journal = lastJournal(work);
          assert.equal(journal.outcome, 'success');
          const deployed = journal.hosts.filter((h) => h.outcome === 'deployed').map((h) => h.name).sort();
          for (const h of journal.hosts) {
            const applyStep = h.steps.find((st) => st.step === 'apply');
            console.log(`# ${o.tag} ${h.name}: ${h.outcome}; files ${h.files.map((f) => `${f.action} ${f.path}`).join(', ')}${applyStep?.detail ? `\n${applyStep.detail.trimEnd().replace(/^/gm, '#     ')}` : ''}`);
            if (h.outcome === 'deployed') assert.equal(h.steps.find((st) => st.step === 'verify')?.outcome, 'ok', `${h.name}: verify.sh passed in the deploy`);
          }
          const failed = during.filter((x) => !x.ok);
          proof(`${o.tag} during the deploy (${secs(d.ms)}, ${deployed.join(', ')} deployed): ${during.length} requests through the VIP, ${failed.length} failed ` +
            `${JSON.stringify(tally(during.map((x) => x.body)))}${failed.length ? `; failures from ${secs(failed[0].t - during[0].t)} to ${secs(failed[failed.length - 1].t - during[0].t)} after the loop started` : ''}`);

          const now = await runtime();
          for (const h of HOSTS) {
            if (now[h] !== runtimeBefore[h]) console.log(`# ${o.tag} ${h} runtime before:\n${runtimeBefore[h].replace(/^/gm, '#   ')}\n# after:\n${now[h].replace(/^/gm, '#   ')}`);
          }
          for (const h of HOSTS) assert.equal(now[h], runtimeBefore[h], `${h}: addresses, routes, sysctls and IPVS table as before the deploy`);
          for (const dd of o.directors) proof(`${o.tag} after the deploy: ${dd} ipvsadm -Sn identical to before (${runtimeBefore[dd].split('== ipvsadm -Sn\n')[1].trim().split('\n').length} lines)`);
          // The deploy ends by reloading keepalived (settle, release). Its checkers' first round after
          // a reload, within delay_loop (6 s), may edit a real server in IPVS, which moves round
          // robin's pointer: once seen as two doubled answers in 20. Balance is measured after it.
          await new Promise((r) => setTimeout(r, 7000));
          const distAfter = await balanced('after the deploy');
          assert.deepEqual(distAfter, distBefore, 'balanced the same way as before');
          for (const h of deployed) {
            const v = await execOnHost(state!, h, ['sh', VERIFY_SH], { timeoutMs: 120_000 });
            assert.equal(v.code, 0, `${h}: verify.sh: ${v.stdout}${v.stderr}`);
          }
          proof(`${o.tag} verify.sh passes on ${deployed.join(', ')}`);
          assert.deepEqual(failed, [], 'no request failed during the deploy');
        });
      });
    }

    adoptCase('A. the classic guide by hand (dr.sh, lo:0, ARP sysctls), imported over SSH, deployed', {
      tag: 'dr-sh',
      directors: ['lvs1'],
      vipHolder: 'lvs1',
      importFrom: ['lvs1'],
      configure: async (on) => {
        await on('lvs1', 'cat > /root/dr.sh && sh -e /root/dr.sh', DR_SH);
        for (const w of ['web1', 'web2']) await on(w, 'cat > /root/realserver.sh && sh -e /root/realserver.sh', realServerScript(['all', 'ens33']));
      },
    });

    adoptCase('B. keepalived by hand on the director pair, imported over SSH, deployed', {
      tag: 'keepalived',
      directors: ['lvs1', 'lvs2'],
      vipHolder: 'lvs1',
      importFrom: ['lvs1', 'lvs2'],
      configure: async (on) => {
        for (const w of ['web1', 'web2']) await on(w, 'cat > /root/realserver.sh && sh -e /root/realserver.sh', realServerScript(['lo', 'all']));
        const conf = { lvs1: keepalivedConf('lvs1', 'MASTER', 100), lvs2: keepalivedConf('lvs2', 'BACKUP', 90) };
        await Promise.all((['lvs1', 'lvs2'] as const).map((d) => on(d, [
          `ip route add default via ${GATEWAY}`,
          'mkdir -p /etc/keepalived',
          'cat > /etc/keepalived/keepalived.conf',
          'chmod 600 /etc/keepalived/keepalived.conf',
          'keepalived -f /etc/keepalived/keepalived.conf',
        ].join(' && '), conf[d])));
      },
    });
  });
}

type On = (host: string, script: string, input?: string) => Promise<string>;

/** A plan or deploy report without the files' diffs (the summary, the steps, the journal). */
function withoutDiffs(text: string): string {
  return text.split('\n').filter((l) => !/^([-+@ ]|new file )/.test(l) || /^ {2}\S/.test(l)).join('\n').trimEnd();
}

function lastJournal(dir: string): Journal {
  const jdir = join(dir, '.lvs-deploy');
  const names = readdirSync(jdir).filter((n) => n.endsWith('.json')).sort();
  return JSON.parse(readFileSync(join(jdir, names[names.length - 1]), 'utf8')) as Journal;
}

type LoopResult = Array<{ t: number; ok: boolean; body: string }>;

/** Requests through the VIP from the client, one every 100 ms with a 1 s timeout, until stopped. */
function startRequestLoop(ns: string) {
  const script = [
    'import http.client, sys, time',
    'while True:',
    '    t = time.time()',
    '    try:',
    `        c = http.client.HTTPConnection("${VIP}", 80, timeout=1)`,
    '        c.request("GET", "/", headers={"Connection": "close"})',
    '        r = c.getresponse()',
    '        body = r.read().decode("utf-8", "replace").strip()',
    '        c.close()',
    '        out = body if r.status == 200 else "STATUS-%d" % r.status',
    '    except Exception as e:',
    '        out = "ERROR-" + type(e).__name__',
    '    print("%.3f %s" % (t, out), flush=True)',
    '    time.sleep(max(0, 0.1 - (time.time() - t)))',
  ].join('\n');
  const child = spawn(binary('ip'), ['netns', 'exec', ns, '/usr/bin/python3', '-c', script], { env: labEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const results: LoopResult = [];
  let partial = '';
  let stderr = '';
  let closed = false;
  const done = new Promise<void>((r) => child.on('close', () => { closed = true; r(); }));
  child.stdout.on('data', (d: Buffer) => {
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      const m = /^(\d+\.\d+) (.*)$/.exec(l);
      if (m) results.push({ t: Number(m[1]) * 1000, ok: !/^(ERROR|STATUS)-/.test(m[2]), body: m[2] });
    }
  });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return {
    async until(pred: (r: LoopResult) => boolean, timeoutMs: number): Promise<void> {
      const t = Date.now();
      while (!pred(results)) {
        if (closed) throw new Error(`the request loop ended: ${stderr}`);
        if (Date.now() - t > timeoutMs) throw new Error(`the request loop made ${results.length} requests in ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    results,
    async stop(): Promise<void> {
      if (!closed) child.kill('SIGTERM');
      await done;
    },
  };
}
