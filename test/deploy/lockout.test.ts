// Never lock yourself out (issue 11, item 20; LAB-NOTES §5), in a lab of one director and one
// real server (test/lab/fixtures/lockout.lvs). The deploy runs in the lab's client namespace,
// whose address is the network's highest free one (192.168.150.254). The change: the VIP moves
// onto that address.
//   1. `lvsdr plan` and `lvsdr deploy` refuse it before any host is touched: the error names
//      the host and the address; every host's snapshot (files with sha256, mode and mtime,
//      addresses, IPVS table) is unchanged, and no lock is left.
//   2. The same deploy with the check skipped (an engine option only tests set) reproduces the
//      incident: web1 puts the address on lo after its apply.sh, its replies to the deploy go
//      into lo and the session dies. web1's dead man's switch restores its previous files and
//      runtime state by itself within --confirm-timeout + a few seconds (measured through the
//      lab's own channel, not SSH), and the deploy reports it.
// Engine mode: this file re-runs itself in the client namespace (LVSDR_LOCKOUT_ENGINE=1) to
// call deploy() with options the command line does not offer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deploy, resolveTarget } from '../../server/deploy';
import { generateFile } from '../../server/generate';
import { labDown } from '../../server/lab/down';
import { execOnHost } from '../../server/lab/exec';
import { sleep } from '../../server/lab/run';
import { clientHost, LabState, readState } from '../../server/lab/state';
import { labUp } from '../../server/lab/up';
import { labLog, labSuite, useTestStateDir } from '../lab/helpers';
import { parseSnapshot, Snapshot, snapshotScript } from '../lab/host-snapshot';
import { cliInvocation, runAsCliIfAsked } from './cli-mode';

const FIXTURE = resolve('test/lab/fixtures/lockout.lvs');
const HOSTS = ['lvs1', 'web1'];
const CLIENT = '192.168.150.254';
const OLD_VIP = '192.168.150.100';
const CONFIRM_S = 10;

/** Engine mode: deploy FILE with the self-address check skipped; progress lines on stderr, the result on stdout. */
async function engineMode(): Promise<void> {
  const [file, journalDir] = process.argv.slice(2);
  const target = await resolveTarget({ file, target: 'lab' });
  const r = await deploy(target, {
    skipSelfAddressCheck: true, confirmTimeoutS: CONFIRM_S, journalDir, probe: false,
    commandTimeoutMs: 20_000, reconnectTimeoutMs: 20_000, connectTimeoutMs: 30_000,
    ui: { progress: (e) => process.stderr.write(`${Date.now()} ${e.host ?? '-'} ${e.step} ${e.state}${e.detail ? ` ${e.detail}` : ''}\n`) },
  });
  process.stdout.write(JSON.stringify({ journal: r.journal, error: r.error ? { message: r.error.message } : undefined }));
}

interface Run { code: number; stdout: string; stderr: string }

if (process.env.LVSDR_LOCKOUT_ENGINE === '1') {
  engineMode().catch((e) => { process.stderr.write(String(e?.stack ?? e)); process.exitCode = 2; });
} else if (!runAsCliIfAsked()) {
  labSuite('never lock yourself out', () => {
    describe('never lock yourself out (one director, one real server)', { timeout: 900_000 }, () => {
      let state: LabState;
      let work = '';
      let lvs = '';
      const base = readFileSync(FIXTURE, 'utf8');
      const moved = base.replace(`vip ${OLD_VIP}`, `vip ${CLIENT}`);
      const paths = new Map<string, string[]>();
      let deployed: Snapshot;

      before(async () => {
        await useTestStateDir('lockout');
        const t = Date.now();
        state = await labUp(FIXTURE, { log: labLog });
        console.log(`# lab up ${((Date.now() - t) / 1000).toFixed(1)} s`);
        assert.equal(clientHost(state).address, CLIENT, 'the client has the highest free address');
        work = join(state.dir, 'lockout-work');
        mkdirSync(work, { recursive: true });
        lvs = join(work, 'lockout.lvs');
        for (const text of [base, moved]) {
          for (const f of generateFile(text, 'lockout.lvs').clusters[0].files) {
            const list = paths.get(f.host) ?? [];
            if (!list.includes(f.path)) list.push(f.path);
            paths.set(f.host, list);
          }
        }
      });

      after(async () => {
        const s = readState() ?? state;
        if (s) await labDown(s);
        if (state) rmSync(state.dir, { recursive: true, force: true });
      });

      async function sh(host: string, script: string): Promise<string> {
        const r = await execOnHost(state, host, ['sh', '-c', script], { timeoutMs: 120_000 });
        assert.equal(r.code, 0, `${host}: ${script}: ${r.stderr}`);
        return r.stdout;
      }

      async function snapshot(): Promise<Snapshot> {
        const s: Snapshot = {};
        await Promise.all(HOSTS.map(async (h) => {
          s[h] = parseSnapshot(await sh(h, snapshotScript(paths.get(h)!, [
            'ip -4 -o addr show | awk \'{print $2, $4}\' | sort',
            h === 'lvs1' ? 'ipvsadm -S -n | sort' : ':',
            '[ -e /run/lvs-dr.lock ] && echo "lock left" || true',
          ])));
        }));
        return s;
      }

      function inClient(argv: string[], env: Record<string, string>): Promise<Run> {
        return new Promise((res, rej) => {
          const child = spawn('ip', ['netns', 'exec', clientHost(state).ns, process.execPath, ...argv], {
            env: { ...process.env, LVSDR_LAB_DIR: state.dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stdout = '';
          let stderr = '';
          child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
          child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
          child.on('error', rej);
          child.on('close', (code) => res({ code: code ?? 1, stdout, stderr }));
        });
      }

      function cli(args: string[]): Promise<Run> {
        const inv = cliInvocation(join(__dirname, 'lockout.test.js'));
        return inClient([...inv.argv, ...args], inv.env);
      }

      test('the file as built deploys (the state both proofs must find again)', async () => {
        writeFileSync(lvs, base);
        const r = await cli(['deploy', lvs, '--target', 'lab', '--yes', '--no-probe', '--journal-dir', join(work, 'journal')]);
        assert.equal(r.code, 0, r.stderr);
        deployed = await snapshot();
        assert.match(deployed.web1.runtime, new RegExp(`lo ${OLD_VIP.replace(/\./g, '\\.')}/32`));
      });

      test('a VIP on the address the deploy comes from is refused by plan and deploy, before any host is touched', async () => {
        writeFileSync(lvs, moved);
        const p = await cli(['plan', lvs, '--target', 'lab']);
        assert.equal(p.code, 1, p.stderr);
        const d = await cli(['deploy', lvs, '--target', 'lab', '--yes', '--no-probe', '--journal-dir', join(work, 'journal')]);
        assert.equal(d.code, 1, d.stderr);
        for (const r of [p, d]) {
          assert.match(r.stderr, /(lvs1|web1): preflight failed: refused: the plan puts 192\.168\.150\.254 on (lvs1|web1), but \1 sees this deploy coming from 192\.168\.150\.254/, r.stderr);
          assert.doesNotMatch(r.stderr, /\b(lock|backup|upload|apply)\s+(start|done)/);
        }
        assert.deepEqual(await snapshot(), deployed, 'every host exactly as before (files, addresses, IPVS, no lock)');
      });

      test('with the check skipped the incident happens, and web1 restores itself within the confirm timeout', async () => {
        writeFileSync(lvs, moved);
        const journalDir = join(work, 'journal-skip');
        const run = inClient([join(__dirname, 'lockout.test.js'), lvs, journalDir], { LVSDR_LOCKOUT_ENGINE: '1' });
        // Watch web1 through the lab's channel (nsenter), not SSH: when the moved VIP lands on
        // lo (apply.sh ran), and when the host is back to the old one on its own.
        let cutAt = 0;
        let restoredAt = 0;
        let fired = '';
        const t0 = Date.now();
        while (Date.now() - t0 < 300_000) {
          const out = await sh('web1', `ip -4 -o addr show dev lo; for f in /var/lib/lvs-dr/backup/*/deadman.fired; do [ -f "$f" ] && echo "fired $(cat "$f")"; done; true`);
          const hasNew = out.includes(`${CLIENT}/32`);
          if (!cutAt && hasNew) cutAt = Date.now();
          const m = /^fired (\S+) (\d+)/m.exec(out);
          if (m) fired = m[0];
          if (cutAt && !hasNew && out.includes(`${OLD_VIP}/32`) && m) { restoredAt = Date.now(); break; }
          await sleep(200);
        }
        assert.ok(cutAt, 'apply.sh put the client\'s address on web1\'s lo');
        assert.ok(restoredAt, 'web1 put its old VIP back and dropped the new one by itself');
        assert.match(fired, /^fired 0 /, 'the switch\'s restore succeeded');
        const restoreS = (restoredAt - cutAt) / 1000;
        console.log(`# proof: web1 cut off at apply; restored by its dead man's switch ${restoreS.toFixed(1)} s later (confirm timeout ${CONFIRM_S} s)`);
        assert.ok(restoreS <= CONFIRM_S + 5, `restored within the timeout + 5 s (${restoreS.toFixed(1)} s)`);

        const r = await run;
        assert.equal(r.code, 0, r.stderr);
        for (const l of r.stderr.split('\n').filter((x) => /switch|cannot reach|failed/.test(x))) console.log(`# engine: ${l}`);
        const res = JSON.parse(r.stdout) as { journal: { outcome: string; hosts: Array<{ name: string; outcome: string }> }; error?: { message: string } };
        console.log(`# deploy took ${((Date.now() - t0) / 1000).toFixed(1)} s in all; error: ${res.error?.message}`);
        assert.equal(res.journal.outcome, 'failed');
        assert.match(res.error!.message, /^web1: /);
        assert.equal(res.journal.hosts.find((h) => h.name === 'web1')?.outcome, 'rolled-back');
        assert.match(r.stderr, /web1 (rollback info|restore done) .*(restored its backup by itself|restored by the host itself)/, r.stderr);
        // Files (sha256, mode, mtime) and runtime state as before; the director was never changed.
        const now = await snapshot();
        assert.deepEqual(now, deployed, 'every host as before the deploy');
        assert.equal(await sh('web1', 'ls /var/lib/lvs-dr/backup/*/deadman.fired 2>/dev/null || true'), '', 'the fired switch\'s backup was removed once reported');
      });
    });
  });
}
