// `lvsdr import --ssh` against a real sshd (test/deploy/sandbox-sshd.ts: this machine, in a
// private mount namespace). keepalived.conf is written into a tmpfs over /etc/keepalived inside
// that namespace, with an include that only the host's own files resolve; the real server it
// names (127.0.0.2, the same sshd) is found and read without being given. The hosts' runtime
// state is this machine's, which the test neither reads nor changes beyond what the import
// itself reads (and the import writes nothing: checked on the namespace's tmpfs mounts).
// Needs root; skipped otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerLine, EVENTS_VERSION, parseEvent, Question, ResultEvent } from '../../server/protocol/events';
import { lookupName } from '../../server/deploy/known-hosts';
import { sandboxUnavailable, SandboxSshd, startSandboxSshd } from './sandbox-sshd';

const KEEPALIVED = `global_defs {
  router_id lvs1
}
vrrp_instance VI_1 {
  state MASTER
  interface lo
  virtual_router_id 51
  priority 100
  advert_int 1
  virtual_ipaddress {
    10.9.9.100/32 dev lo label lo:9
  }
}
include conf.d/*.conf
`;
const SERVICE = `virtual_server 10.9.9.100 80 {
  lb_algo wrr
  lb_kind DR
  protocol TCP
  real_server 127.0.0.2 80 {
    weight 3
  }
}
`;

/** Runs lvsdr with the event channel, answering every host-key question with `accept`. */
function eventRun(args: string[], env: NodeJS.ProcessEnv, accept: boolean): Promise<{ questions: Question[]; result?: ResultEvent }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
    const questions: Question[] = [];
    let result: ResultEvent | undefined;
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const e = parseEvent(line);
        assert.ok(e.ok, `${line}: ${e.ok ? '' : e.error}`);
        if (e.value.type === 'question') {
          questions.push(e.value);
          child.stdin.write(answerLine({ v: EVENTS_VERSION, id: e.value.id, kind: 'host-key', accept }));
        } else if (e.value.type === 'result') result = e.value;
      }
    });
    child.on('close', () => res({ questions, result }));
  });
}

/** keepalived.conf and its included service file, on a tmpfs over /etc/keepalived inside the sshd's namespace. */
function putKeepalived(sshd: SandboxSshd): void {
  const put = sshd.inside([
    'mount -t tmpfs tmpfs /etc/keepalived && mkdir /etc/keepalived/conf.d',
    `printf '%s' '${KEEPALIVED}' >/etc/keepalived/keepalived.conf`,
    `printf '%s' '${SERVICE}' >/etc/keepalived/conf.d/web.conf`,
  ].join(' && '));
  assert.equal(put.code, 0, put.stderr);
}

const reason = sandboxUnavailable() ?? (spawnSync('test', ['-d', '/etc/keepalived']).status !== 0 ? 'needs /etc/keepalived to mount over' : undefined);

test('lvsdr import --ssh: keepalived.conf with its include read on the host, the named real server found and read, nothing written', { skip: reason }, async () => {
  const sshd = await startSandboxSshd(['ed25519'], ['127.0.0.2']);
  const home = mkdtempSync(join(tmpdir(), 'lvsdr-import-home-'));
  try {
    putKeepalived(sshd);
    // The port comes from ~/.ssh/config, as for a deploy (HOME is the test's own folder).
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'config'), `Host 127.0.0.*\n  Port ${sshd.port}\n  User root\n`);
    const before = sshd.inside('find /opt /var/lib /run -mindepth 1 | sort').stdout;
    const args = ['dist/server/cli.js', 'import', '--ssh', 'root@127.0.0.1', '--key', sshd.clientKey, '--known-hosts', join(sshd.dir, 'known_hosts'), '--cluster', 'web'];
    const env = { ...process.env, HOME: home, SSH_AUTH_SOCK: '' };

    const refused = spawnSync(process.execPath, args, { encoding: 'utf8', env });
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /unknown host key of 127\.0\.0\.1: ssh-ed25519 SHA256:\S+; refused \(check it, then run again with --accept-new\)/);
    assert.match(refused.stderr, /no host could be read/);

    // On the event channel the unknown key is a question, answered like VS Code answers it; the
    // .lvs comes in the result event. Refused there, nothing is read.
    const channel = await eventRun([...args, '--events', 'jsonl'], env, false);
    assert.equal(channel.questions.length, 1);
    assert.equal(channel.questions[0].kind === 'host-key' && channel.questions[0].address, '127.0.0.1');
    assert.equal(channel.result?.outcome, 'failed');
    const accepted = await eventRun([...args, '--events', 'jsonl'], env, true);
    assert.equal(accepted.questions.length, 2, 'one question per unknown key: the director, then the real server found');
    assert.equal(accepted.result?.command, 'import');
    assert.match(accepted.result?.imported?.text ?? '', /^cluster web \{/);
    rmSync(join(sshd.dir, 'known_hosts'), { force: true });

    const r = spawnSync(process.execPath, [...args, '--accept-new'], { encoding: 'utf8', env });
    assert.ok(r.status === 0 || r.status === 4, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, /reading the real servers the directors name: 127\.0\.0\.2/);
    const lvs = r.stdout;
    assert.match(lvs, /^cluster web \{/m);
    assert.match(lvs, /^\s+vip vip1 10\.9\.9\.100\s+interface lo:9$/m, 'the VIP and its label from keepalived.conf');
    assert.match(lvs, /^\s+director lvs1 \{[^}]*address 127\.0\.0\.1\s+interface lo\s+role master\s+priority 100/m, 'the director: router_id, its address, VRRP state');
    assert.equal(lvs.match(/^\s+director /gm)?.length, 1, 'the real server is not taken for a director');
    assert.match(lvs, /service s1-tcp-80 \{\s+vip vip1\s+protocol tcp\s+port 80\s+scheduler wrr/, 'the service from the included file');
    assert.match(lvs, /real \S+ weight 3/, 'its real server');
    assert.match(lvs, /^\s+server \S+ \{[^}]*address 127\.0\.0\.2/m, 'the real server, found in keepalived.conf and read');
    assert.doesNotMatch(lvs.slice(lvs.indexOf('  server ')), /send_redirects/, 'a real server is compared with what a real server gets');
    const os = spawnSync('sh', ['-c', '. /etc/os-release; echo "$ID"'], { encoding: 'utf8' }).stdout.trim();
    if (os === 'debian' || os === 'ubuntu') assert.match(lvs, new RegExp(`^\\s+target os ${os}\\s+# read: /etc/os-release$`, 'm'));
    // The import parses as a .lvs file: the findings it reports are the validator's on its text.
    writeFileSync(join(home, 'web.lvs'), lvs);
    const check = spawnSync(process.execPath, ['dist/server/cli.js', 'check', join(home, 'web.lvs'), '--format', 'json'], { encoding: 'utf8' });
    const found = (JSON.parse(check.stdout) as Array<{ code: string; line: number }>).map((d) => d.code);
    assert.ok(!found.some((c) => /^LVS00\d$/.test(c)), `no syntax error: ${found.join(', ')}`);
    // What keeps this sandbox import from checking clean is what a loopback-only host lacks.
    for (const c of found) assert.match(r.stderr, new RegExp(`${c}:`), `${c} is among the findings the import reported`);
    assert.equal(sshd.inside('find /opt /var/lib /run -mindepth 1 | sort').stdout, before, 'the import wrote nothing on the host');
    assert.equal(sshd.inside('cat /etc/keepalived/conf.d/web.conf').stdout, SERVICE);
  } finally {
    sshd.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('lvsdr import --ssh ALIAS: HostName, User, Port, IdentityFile and UserKnownHostsFile come from ~/.ssh/config, host keys checked strictly', { skip: reason }, async () => {
  const sshd = await startSandboxSshd(['ed25519'], ['127.0.0.2']);
  const home = mkdtempSync(join(tmpdir(), 'lvsdr-import-home-'));
  try {
    putKeepalived(sshd);
    // Nothing on the command line but the alias: no --key, --known-hosts or --accept-new, no
    // agent, no default key in ~/.ssh. The key and known_hosts live outside ~/.ssh, so only the
    // config can point at them; the known_hosts already holds both addresses' key.
    const knownHosts = join(sshd.dir, 'config_known_hosts');
    const key = sshd.hostKeys['ssh-ed25519'];
    const known = `${lookupName('127.0.0.1', sshd.port)} ${key}\n${lookupName('127.0.0.2', sshd.port)} ${key}\n`;
    writeFileSync(knownHosts, known);
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'config'), [
      'Host lvs-director', '  HostName 127.0.0.1', `  Port ${sshd.port}`, '  User root', `  IdentityFile ${sshd.clientKey}`, `  UserKnownHostsFile ${knownHosts}`,
      // The real server the director names is read by its address: its own entry says how.
      'Host 127.0.0.2', `  Port ${sshd.port}`, `  IdentityFile ${sshd.clientKey}`, `  UserKnownHostsFile ${knownHosts}`, '',
    ].join('\n'));
    const env = { ...process.env, HOME: home, SSH_AUTH_SOCK: '' };
    const r = spawnSync(process.execPath, ['dist/server/cli.js', 'import', '--ssh', 'lvs-director', '--cluster', 'web'], { encoding: 'utf8', env });
    assert.ok(r.status === 0 || r.status === 4, `exit ${r.status}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /host key/, 'both keys were known from the config\'s UserKnownHostsFile');
    assert.match(r.stderr, /reading the real servers the directors name: 127\.0\.0\.2/);
    const lvs = r.stdout;
    assert.match(lvs, /^\s+director lvs1 \{[^}]*address 127\.0\.0\.1\s+interface lo\s+role master/m, 'the director under the address its HostName gives, not the alias');
    assert.match(lvs, /^\s+server \S+ \{[^}]*address 127\.0\.0\.2/m, 'the real server it names, read too');
    assert.doesNotMatch(lvs, /lvs-director/, 'the alias is how to reach the host, not a name in the cluster');
    assert.equal(readFileSync(knownHosts, 'utf8'), known, 'nothing recorded: the keys were already known');

    // The same alias without its UserKnownHostsFile: the host key is unknown in ~/.ssh/known_hosts
    // and refused, as ssh would refuse it.
    writeFileSync(join(home, '.ssh', 'config'), ['Host lvs-director', '  HostName 127.0.0.1', `  Port ${sshd.port}`, `  IdentityFile ${sshd.clientKey}`, ''].join('\n'));
    const refused = spawnSync(process.execPath, ['dist/server/cli.js', 'import', '--ssh', 'root@lvs-director', '--cluster', 'web'], { encoding: 'utf8', env });
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /unknown host key of 127\.0\.0\.1: ssh-ed25519 SHA256:\S+; refused/);
    // An alias without an IPv4 HostName cannot be put into the .lvs: said so, nothing read.
    const noAddress = spawnSync(process.execPath, ['dist/server/cli.js', 'import', '--ssh', 'nowhere', '--cluster', 'web'], { encoding: 'utf8', env });
    assert.equal(noAddress.status, 1, noAddress.stderr);
    assert.match(noAddress.stderr, /nowhere: not an IPv4 address, and no HostName for it in ~\/\.ssh\/config/);
  } finally {
    sshd.stop();
    rmSync(home, { recursive: true, force: true });
  }
});
