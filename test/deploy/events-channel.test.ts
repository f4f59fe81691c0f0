// `lvsdr plan --events jsonl` against real sshd: four sshd (one per host of examples/seed.lvs,
// each with its own host key) listen on the seed's addresses, on the loopback of a network
// namespace this test creates; the CLI runs in that namespace and talks to them over SSH. The
// test is the front end: it reads every stdout line through the channel's schema and answers the host-key
// questions on stdin. Two hosts are known, two are not: exactly two questions, the second only
// after the first is answered, each naming one host and one key. Plan only reads (this machine's files, through the sshd).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshdArgs } from '../../server/lab/sshd';
import { answerLine, ChannelEvent, parseEvent } from '../../server/protocol/events';
import { cliInvocation, runAsCliIfAsked } from './cli-mode';

const HOSTS = { lvs1: '192.168.147.6', lvs2: '192.168.147.5', web1: '192.168.147.4', web2: '192.168.147.3' } as const;
type Host = keyof typeof HOSTS;

function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (network namespace)';
  for (const bin of ['/usr/sbin/sshd', 'ssh-keygen', 'ip']) {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    } catch {
      return `needs ${bin}`;
    }
  }
  return undefined;
}

/** A running `lvsdr` with its events parsed as they come and a way to answer. */
class Run {
  readonly events: ChannelEvent[] = [];
  readonly bad: string[] = [];
  stderr = '';
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        const r = parseEvent(l);
        if (r.ok) this.events.push(r.value);
        else this.bad.push(`${r.error}: ${l.slice(0, 200)}`);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    child.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString('utf8'); });
    this.exited = new Promise((res) => child.on('close', (code) => {
      for (const w of this.waiters.splice(0)) w();
      res(code);
    }));
  }

  questions() {
    return this.events.flatMap((e) => (e.type === 'question' ? [e] : []));
  }

  /** Resolves when `n` questions have arrived; rejects after `ms`. */
  async nthQuestion(n: number, ms = 60_000) {
    const deadline = Date.now() + ms;
    while (this.questions().length < n) {
      if (this.child.exitCode !== null) throw new Error(`lvsdr exited before question ${n}: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no question ${n} within ${ms} ms: ${this.stderr}`);
      await new Promise<void>((res) => {
        this.waiters.push(res);
        setTimeout(res, 200);
      });
    }
    return this.questions()[n - 1];
  }

  answer(line: string): void {
    this.child.stdin!.write(line);
  }
}

if (!runAsCliIfAsked()) {
  const reason = unavailable();
  if (reason && process.env.CI !== 'true') {
    test('the event channel against real sshd', { skip: reason }, () => undefined);
  } else {
    describe('lvsdr plan --events jsonl against real sshd', () => {
      const ns = `lvsdr-evt-${randomBytes(3).toString('hex')}`;
      const dir = mkdtempSync(join(tmpdir(), 'lvsdr-events-'));
      const sshds: ChildProcess[] = [];
      const fp: Record<string, string> = {};
      const pub: Record<string, string> = {};
      const clientKey = join(dir, 'id_ed25519');
      const file = join(dir, 'seed.lvs');
      const invocation = cliInvocation(__filename);

      before(async () => {
        assert.equal(reason, undefined, reason);
        execFileSync('ip', ['netns', 'add', ns]);
        execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
        for (const [host, address] of Object.entries(HOSTS)) {
          execFileSync('ip', ['-n', ns, 'addr', 'add', `${address}/32`, 'dev', 'lo']);
          const key = join(dir, `host_${host}`);
          execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
          pub[host] = readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
          fp[host] = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], { encoding: 'utf8' }).split(/\s+/)[1];
          // sshd wants its privilege separation directory: a private /run in this mount namespace.
          const child = spawn('ip', ['netns', 'exec', ns, 'sh', '-c', 'mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd && exec "$@"', 'sh',
            ...sshdArgs(address, key, `${clientKey}.pub`)], { stdio: ['ignore', 'ignore', 'pipe'] });
          sshds.push(child);
          await new Promise<void>((res, rej) => {
            let err = '';
            const t = setTimeout(() => rej(new Error(`sshd of ${host} did not start: ${err}`)), 10_000);
            child.stderr!.on('data', (d: Buffer) => {
              err += d.toString();
              if (err.includes('Server listening')) { clearTimeout(t); res(); }
            });
            child.on('exit', () => { clearTimeout(t); rej(new Error(`sshd of ${host} exited: ${err}`)); });
          });
        }
        writeFileSync(file, readFileSync('examples/seed.lvs', 'utf8'));
      });

      after(() => {
        for (const s of sshds) s.kill('SIGTERM');
        try {
          execFileSync('ip', ['netns', 'del', ns]);
        } catch { /* already gone */ }
        rmSync(dir, { recursive: true, force: true });
      });

      function plan(knownHosts: string, secret: string | null = 'labpass1', lvsFile = file): Run {
        const env: Record<string, string | undefined> = { ...process.env, ...invocation.env, LVS_SECRET_VRRP_WEB: secret ?? undefined };
        if (secret === null) delete env.LVS_SECRET_VRRP_WEB;
        const child = spawn('ip', ['netns', 'exec', ns, process.execPath, ...invocation.argv,
          'plan', lvsFile, '--target', 'hosts', '--events', 'jsonl', '--skip-os-check', '--identity', clientKey, '--known-hosts', knownHosts], {
          env, stdio: ['pipe', 'pipe', 'pipe'],
        });
        return new Run(child);
      }

      const knownLine = (host: Host) => `${HOSTS[host]} ${pub[host]}`;

      test('two unknown hosts: two questions, one at a time, each answered on stdin', async () => {
        const kh = join(dir, 'known_hosts');
        // lvs1 and lvs2 are known; web1 and web2 are not.
        writeFileSync(kh, `${knownLine('lvs1')}\n${knownLine('lvs2')}\n`);

        const run = plan(kh);
        const q1 = await run.nthQuestion(1);
        assert.equal(q1.kind, 'host-key');
        if (q1.kind !== 'host-key') return;
        assert.ok(q1.host === 'web1' || q1.host === 'web2', q1.host);
        // Both connections are waiting on a key, yet the second question is not out.
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(run.questions().length, 1, 'the second question waits for the first answer');
        assert.equal(q1.address, HOSTS[q1.host as Host]);
        assert.equal(q1.port, 22);
        assert.equal(q1.keyType, 'ssh-ed25519');
        assert.equal(q1.fingerprint, fp[q1.host]);
        assert.equal(q1.knownHosts, kh);
        assert.deepEqual(q1.known, [], 'known_hosts holds no key for it');
        run.answer(answerLine({ v: 1, id: q1.id, kind: 'host-key', accept: true }));

        const q2 = await run.nthQuestion(2);
        assert.equal(q2.kind, 'host-key');
        if (q2.kind !== 'host-key') return;
        assert.notEqual(q2.host, q1.host);
        assert.ok(q2.id > q1.id);
        assert.equal(q2.fingerprint, fp[q2.host]);
        assert.deepEqual(q2.known, []);
        run.answer(answerLine({ v: 1, id: q2.id, kind: 'host-key', accept: true }));

        const code = await run.exited;
        assert.deepEqual(run.bad, [], 'every stdout line is an event of the schema');
        const result = run.events[run.events.length - 1];
        assert.equal(result.type, 'result', run.stderr);
        if (result.type !== 'result') return;
        assert.equal(result.exitCode, code);
        assert.ok(result.outcome === 'changes' || result.outcome === 'no-change', `${result.outcome}: ${result.error?.message}`);
        assert.ok(result.plan, 'the result carries the plan');
        assert.deepEqual(result.plan.hosts.map((h) => h.name).sort(), Object.keys(HOSTS).sort());
        assert.equal(run.questions().length, 2, 'no other question');
        const begin = run.events.find((e) => e.type === 'begin');
        assert.ok(begin && begin.type === 'begin' && begin.hosts.length === 4);
        assert.ok(run.events.some((e) => e.type === 'progress' && e.host === 'web2' && e.step === 'connect' && e.state === 'done'));
        // Exactly the two answered keys were recorded.
        const recorded = readFileSync(kh, 'utf8');
        assert.ok(recorded.includes(knownLine('web1')) && recorded.includes(knownLine('web2')), recorded);
        assert.equal(recorded.trim().split('\n').length, 4);

        // Known now: no question on the next run.
        const again = plan(kh);
        assert.equal(await again.exited, code);
        assert.equal(again.questions().length, 0);
        assert.equal(again.events[again.events.length - 1].type, 'result');
      });

      test('a refused key fails the run with that host named, and records nothing', async () => {
        const kh = join(dir, 'known_hosts_refuse');
        writeFileSync(kh, `${knownLine('lvs1')}\n${knownLine('lvs2')}\n${knownLine('web1')}\n`);
        const run = plan(kh);
        const q = await run.nthQuestion(1);
        assert.ok(q.kind === 'host-key' && q.host === 'web2');
        run.answer(answerLine({ v: 1, id: q.id, kind: 'host-key', accept: false }));
        assert.equal(await run.exited, 1);
        assert.deepEqual(run.bad, []);
        const result = run.events[run.events.length - 1];
        assert.ok(result.type === 'result' && result.outcome === 'failed', JSON.stringify(result));
        if (result.type !== 'result') return;
        assert.match(result.error?.message ?? '', /web2/);
        assert.equal(readFileSync(kh, 'utf8').trim().split('\n').length, 3, 'nothing recorded');
      });

      test('a secret the environment lacks is asked on the channel, and masked in the plan', async () => {
        const kh = join(dir, 'known_hosts_secret');
        writeFileSync(kh, (Object.keys(HOSTS) as Host[]).map(knownLine).join('\n') + '\n');
        const run = plan(kh, null);
        const q = await run.nthQuestion(1);
        assert.deepEqual({ kind: q.kind, source: q.kind === 'secret' ? q.source : '', name: q.kind === 'secret' ? q.name : '' }, { kind: 'secret', source: 'secret', name: 'vrrp-web' });
        run.answer(answerLine({ v: 1, id: q.id, kind: 'secret', value: 'channel-secret-42' }));
        const code = await run.exited;
        assert.deepEqual(run.bad, []);
        const result = run.events[run.events.length - 1];
        assert.ok(result.type === 'result' && result.plan, run.stderr);
        assert.equal(result.exitCode, code);
        assert.equal(run.questions().length, 1);
        const text = JSON.stringify(result.plan);
        assert.ok(!text.includes('channel-secret-42'), 'the secret is masked in the plan');
        assert.ok(result.plan.hosts.some((h) => h.files.some((f) => f.path.includes('keepalived'))), 'the directors got keepalived files');
      });

      test('file: for VRRP auth is never read by lvsdr on the channel: it is asked, and a refusal stops the plan', async () => {
        const kh = join(dir, 'known_hosts_file_ref');
        writeFileSync(kh, (Object.keys(HOSTS) as Host[]).map(knownLine).join('\n') + '\n');
        const passFile = join(dir, 'vrrp-pass');
        writeFileSync(passFile, 'from-the-file-7\n');
        const viaFile = join(dir, 'file-ref.lvs');
        writeFileSync(viaFile, readFileSync('examples/seed.lvs', 'utf8').replace('auth secret:vrrp-web', `auth file:${passFile}`));
        const run = plan(kh, null, viaFile);
        const q = await run.nthQuestion(1);
        assert.deepEqual({ kind: q.kind, source: q.kind === 'secret' ? q.source : '', name: q.kind === 'secret' ? q.name : '' }, { kind: 'secret', source: 'file', name: passFile },
          'the front end decides (VS Code reads it only once the user approved it)');
        run.answer(answerLine({ v: 1, id: q.id, kind: 'secret', value: null }));
        assert.equal(await run.exited, 1);
        const result = run.events[run.events.length - 1];
        assert.ok(result.type === 'result' && result.outcome === 'failed');
        assert.ok(!JSON.stringify(run.events).includes('from-the-file-7'), 'the file was not read');
      });

      test('stdin closed: the open question counts as refused', async () => {
        const kh = join(dir, 'known_hosts_closed');
        writeFileSync(kh, `${knownLine('lvs1')}\n${knownLine('lvs2')}\n${knownLine('web2')}\n`);
        const run = plan(kh);
        const q = await run.nthQuestion(1);
        assert.ok(q.kind === 'host-key' && q.host === 'web1');
        run.child.stdin!.end();
        assert.equal(await run.exited, 1);
        const result = run.events[run.events.length - 1];
        assert.ok(result.type === 'result' && result.outcome === 'failed');
      });
    });
  }
}
