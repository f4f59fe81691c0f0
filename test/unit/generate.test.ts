// Generators: golden files, determinism, shellcheck, keepalived invariants, secrets and preview,
// refusal of files with errors, the CLI tree with MANIFEST.json, keepalived's own config test,
// and (as root with unshare) the runtime scripts run for real inside a network namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateCommand, writeCluster } from '../../server/cli/generate';
import { GeneratedFile, generateCluster, generateFile, GenerateRefusedError, sha256 } from '../../server/generate';
import { parse } from '../../server/language/parse';
import { buildModel } from '../../server/model/topology';
import { validateText } from '../../server/validation/registry';

const EXAMPLES = ['examples/seed.lvs', 'examples/large.lvs', 'examples/lab-wrr.lvs', 'examples/ipv6.lvs'];
const GOLDEN = 'test/golden';
const read = (p: string) => readFileSync(p, 'utf8');
const seed = read('examples/seed.lvs');
const isCi = process.env.CI === 'true';

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `lvsdr-${prefix}-`));
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Every file under dir, relative path → bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function gen(file: string, opts: Parameters<typeof generateFile>[2] = { preview: true }) {
  return generateFile(read(file), file.split('/').pop()!, opts).clusters;
}

/** Cluster model straight from text, without validation (to test generator guarantees alone). */
function modelOf(text: string) {
  return buildModel(parse(text).ast).clusters[0];
}

function files(list: GeneratedFile[], host: string, path?: string): GeneratedFile[] {
  return list.filter((f) => f.host === host && (path === undefined || f.path === path));
}

function one(list: GeneratedFile[], host: string, path: string): GeneratedFile {
  const found = files(list, host, path);
  assert.equal(found.length, 1, `${host}:${path} generated once`);
  return found[0];
}

function virtualServers(conf: string): string {
  return conf.slice(conf.indexOf('\nvirtual_server '));
}

/** Seed variants: every target OS, with and without ha. */
function variants(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const os of ['rhel7', 'rhel9', 'debian', 'ubuntu']) {
    const text = seed.replace('target os rhel7', `target os ${os}`);
    out.push({ name: `seed-${os}-ha`, text });
    out.push({ name: `seed-${os}-noha`, text: text.replace(/\n\s*ha \{[^}]*\}[^\n]*/, '').replace(/\n\s*director lvs2[^\n]*/, '') });
  }
  return out;
}

test('golden files: every generated file of the examples, byte for byte (UPDATE_GOLDEN=1 rewrites)', () => {
  for (const file of EXAMPLES) {
    for (const c of gen(file)) {
      const fresh = tmp('golden');
      writeCluster(fresh, c.name, file.split('/').pop()!, c.files);
      const got = readTree(join(fresh, c.name));
      const goldenDir = join(GOLDEN, c.name);
      if (process.env.UPDATE_GOLDEN === '1') {
        rmSync(goldenDir, { recursive: true, force: true });
        for (const [rel, bytes] of got) {
          mkdirSync(join(goldenDir, rel, '..'), { recursive: true });
          writeFileSync(join(goldenDir, rel), bytes);
        }
      }
      const want = readTree(goldenDir);
      assert.ok(want.size > 0, `golden files for cluster ${c.name} exist (run with UPDATE_GOLDEN=1 once)`);
      assert.deepEqual([...got.keys()], [...want.keys()], `cluster ${c.name}: the same files`);
      for (const [rel, bytes] of got) {
        assert.equal(bytes.toString('utf8'), want.get(rel)!.toString('utf8'), `${c.name}/${rel} matches its golden file`);
      }
      rmSync(fresh, { recursive: true, force: true });
    }
  }
});

test('files per host: directors and real servers get what their OS and ha call for', () => {
  const [web] = gen('examples/seed.lvs');
  assert.deepEqual(files(web.files, 'lvs1').map((f) => f.path), [
    '/etc/keepalived/keepalived.conf', '/etc/sysctl.d/90-lvs-dr.conf', '/opt/lvs/apply.sh', '/opt/lvs/rollback.sh', '/opt/lvs/verify.sh',
  ]);
  assert.deepEqual(files(web.files, 'web1').map((f) => f.path), [
    '/etc/sysconfig/network-scripts/ifcfg-lo:0', '/etc/sysctl.d/90-lvs-dr-rs.conf', '/opt/lvs/apply.sh', '/opt/lvs/rollback.sh', '/opt/lvs/rs.sh', '/opt/lvs/verify.sh',
  ]);
  // With keepalived the director gets no VIP alias (keepalived owns the VIP) and no ipvsadm rules.
  assert.equal(web.files.some((f) => /ifcfg-ens33|ipvsadm|dr\.sh/.test(f.path)), false);

  const [lab] = gen('examples/lab-wrr.lvs');
  assert.deepEqual(files(lab.files, 'lvs1').map((f) => f.path), [
    '/etc/NetworkManager/system-connections/lvs-dr-eth0.nmconnection', '/etc/sysconfig/ipvsadm', '/etc/sysctl.d/90-lvs-dr.conf',
    '/opt/lvs/apply.sh', '/opt/lvs/dr.sh', '/opt/lvs/rollback.sh', '/opt/lvs/verify.sh',
  ]);
  assert.ok(one(lab.files, 'r2', '/etc/systemd/system/lvs-dr-lo.service'));
  assert.ok(one(lab.files, 'r3', '/etc/network/interfaces.d/lvs-dr-lo'));

  for (const c of [web, lab, ...gen('examples/large.lvs')]) {
    for (const f of c.files) {
      const want = f.path.endsWith('.sh') ? 0o755 : f.path.endsWith('.nmconnection') || f.path.endsWith('keepalived.conf') ? 0o600 : 0o644;
      assert.equal(f.mode, want, `${f.host}:${f.path} mode`);
      if (f.path.endsWith('.sh')) {
        assert.ok(f.content.startsWith('#!/bin/sh\n'), `${f.path} starts with #!/bin/sh`);
        assert.match(f.content, /\nset -eu\n/);
        assert.match(f.content, new RegExp(`from \\S+\\.lvs\\n# cluster ${c.name}, host ${f.host} `), `${f.host}:${f.path} header names source, cluster, host`);
      }
    }
  }
});

test('director without ha: alias persistence per OS, ipvsadm-save format, rules path per OS', () => {
  const byOs = new Map(variants().filter((v) => v.name.endsWith('noha')).map((v) => [v.name.split('-')[1], generateCluster(modelOf(v.text), { sourceName: 'seed.lvs', preview: true })]));
  const alias = one(byOs.get('rhel7')!, 'lvs1', '/etc/sysconfig/network-scripts/ifcfg-ens33:0').content;
  for (const line of ['DEVICE=ens33:0', 'BOOTPROTO=none', 'IPADDR=192.168.147.100', 'NETMASK=255.255.255.255', 'ONPARENT=yes', 'ARPCHECK=no']) {
    assert.ok(alias.split('\n').includes(line), `ifcfg-ens33:0 has ${line}`);
  }
  assert.doesNotMatch(alias, /^ONBOOT/m);
  assert.equal(one(byOs.get('rhel7')!, 'lvs1', '/etc/sysconfig/ipvsadm').content,
    '-A -t 192.168.147.100:80 -s rr\n-a -t 192.168.147.100:80 -r 192.168.147.4:80 -g -w 1\n-a -t 192.168.147.100:80 -r 192.168.147.3:80 -g -w 1\n');
  assert.ok(one(byOs.get('debian')!, 'lvs1', '/etc/ipvsadm.rules'));
  assert.ok(one(byOs.get('ubuntu')!, 'lvs1', '/etc/ipvsadm.rules'));
  assert.match(one(byOs.get('rhel9')!, 'lvs1', '/etc/NetworkManager/system-connections/lvs-dr-ens33.nmconnection').content, /\naddress2=192\.168\.147\.100\/32\n/);
  assert.match(one(byOs.get('debian')!, 'lvs1', '/etc/network/interfaces.d/lvs-dr-vip').content, /iface ens33:0 inet static\n {4}address 192\.168\.147\.100\n {4}netmask 255\.255\.255\.255/);
  const unit = one(byOs.get('ubuntu')!, 'lvs1', '/etc/systemd/system/lvs-dr-vip.service').content;
  assert.match(unit, /ExecStart=\/sbin\/ip addr replace 192\.168\.147\.100\/32 dev ens33 label ens33:0/);
  const dr = one(byOs.get('rhel7')!, 'lvs1', '/opt/lvs/dr.sh').content;
  assert.match(dr, /ip addr add '192\.168\.147\.100\/32' dev 'ens33' label 'ens33:0'/);
  assert.match(dr, /ipvsadm -C\n {2}ipvsadm -A -t '192\.168\.147\.100:80' -s 'rr'\n {2}ipvsadm -a -t '192\.168\.147\.100:80' -r '192\.168\.147\.4:80' -g -w '1'/);
});

test('sysctl snippets: ip_forward first, then send_redirects all/default/NIC, then overrides', () => {
  const [shop] = gen('examples/large.lvs');
  const keys = (text: string) => text.split('\n').filter((l) => /^[a-z]/.test(l)).map((l) => l.split(' = ')[0]);
  assert.deepEqual(keys(one(shop.files, 'lb1', '/etc/sysctl.d/90-lvs-dr.conf').content), [
    'net.ipv4.ip_forward', 'net.ipv4.conf.all.send_redirects', 'net.ipv4.conf.default.send_redirects', 'net.ipv4.conf.eth0.send_redirects',
    'net.ipv4.vs.expire_quiescent_template',
  ]);
  assert.deepEqual(keys(one(shop.files, 'app3', '/etc/sysctl.d/90-lvs-dr-rs.conf').content), [
    'net.ipv4.conf.lo.arp_ignore', 'net.ipv4.conf.lo.arp_announce', 'net.ipv4.conf.all.arp_ignore', 'net.ipv4.conf.all.arp_announce', 'net.ipv4.conf.eth0.arp_ignore',
  ]);
});

test('real servers: the lo alias has NETMASK=255.255.255.255, every served VIP gets its own lo:N', () => {
  for (const v of variants()) {
    for (const f of generateCluster(modelOf(v.text), { sourceName: 'seed.lvs', preview: true })) {
      if (/ifcfg-lo:/.test(f.path)) {
        assert.match(f.content, /^NETMASK=255\.255\.255\.255$/m, `${v.name} ${f.path}`);
        assert.match(f.content, /^ONPARENT=yes$/m);
      }
      if (f.path.includes('interfaces.d/lvs-dr-lo')) assert.match(f.content, /netmask 255\.255\.255\.255/);
      if (f.path.endsWith('lvs-dr-lo.nmconnection')) assert.match(f.content, /type=loopback[\s\S]*address2=192\.168\.147\.100\/32/);
    }
  }
  const [shop] = gen('examples/large.lvs');
  for (const host of ['app1', 'app2', 'app3']) {
    const text = one(shop.files, host, '/etc/network/interfaces.d/lvs-dr-lo').content;
    assert.match(text, /iface lo:0 inet static\n {4}address 10\.20\.0\.100\n/, host);
    assert.match(text, /iface lo:1 inet static\n {4}address 10\.20\.0\.53\n/, host);
  }
  const apply = one(shop.files, 'app1', '/opt/lvs/apply.sh').content;
  assert.ok(apply.indexOf("set_sysctl 'net.ipv4.conf.all.arp_announce'") < apply.indexOf("ensure_addr 'lo'"), 'ARP settings come before the VIP');
});

test('keepalived.conf: identical virtual_server blocks, lvs_method DR and protocol always, never vrrp_strict', () => {
  const strictText = seed.replace('auth secret:vrrp-web', 'auth secret:vrrp-web strict no-accept');
  const clusters = [...gen('examples/seed.lvs'), ...gen('examples/large.lvs'), { name: 'strict', files: generateCluster(modelOf(strictText), { sourceName: 's.lvs', preview: true }) }];
  for (const c of clusters) {
    const confs = c.files.filter((f) => f.path === '/etc/keepalived/keepalived.conf');
    assert.equal(confs.length, 2, `${c.name}: one keepalived.conf per director`);
    assert.equal(virtualServers(confs[0].content), virtualServers(confs[1].content), `${c.name}: virtual_server blocks are byte-identical`);
    for (const f of confs) {
      const blocks = (f.content.match(/^virtual_server /gm) ?? []).length;
      assert.ok(blocks > 0);
      assert.equal((f.content.match(/^ {4}lvs_method DR$/gm) ?? []).length, blocks, 'lvs_method DR in every virtual_server');
      assert.equal((f.content.match(/^ {4}protocol (TCP|UDP)$/gm) ?? []).length, blocks, 'protocol in every virtual_server');
      assert.doesNotMatch(f.content, /vrrp_strict|strict_mode|no_accept/);
      assert.match(f.content, new RegExp(`router_id ${f.host}\\n`));
    }
    for (const f of c.files) assert.doesNotMatch(f.content, /vrrp_strict/);
  }
  const [shop] = gen('examples/large.lvs');
  const lb1 = one(shop.files, 'lb1', '/etc/keepalived/keepalived.conf').content;
  assert.match(lb1, /virtual_server 10\.20\.0\.53 53 \{\n {4}# service dns\n {4}delay_loop 10\n {4}lvs_sched wrr\n {4}lvs_method DR\n {4}protocol UDP\n/);
  assert.match(lb1, /persistence_timeout 1800\n {4}persistence_granularity 255\.255\.255\.0\n/);
  assert.match(lb1, /weight 3\n {8}inhibit_on_failure\n {8}TCP_CHECK \{\n {12}connect_timeout 2\n/);
  assert.match(lb1, /state MASTER\n {4}interface eth0\n {4}virtual_router_id 60\n {4}priority 150\n {4}advert_int 1\n/);
  assert.match(lb1, /10\.20\.0\.100\/32 dev eth0 label eth0:0\n {8}10\.20\.0\.53\/32 dev eth0 label eth0:1\n/);
  assert.match(one(shop.files, 'lb2', '/etc/keepalived/keepalived.conf').content, /state BACKUP\n/);
});

test('secrets: preview never writes the value; a real run writes it in keepalived.conf only, cut to 8', () => {
  const saved = process.env.LVS_SECRET_VRRP_WEB;
  try {
    process.env.LVS_SECRET_VRRP_WEB = 's3cret!x';
    const preview = generateFile(seed, 'seed.lvs', { preview: true }).clusters[0];
    for (const f of preview.files) assert.ok(!f.content.includes('s3cret'), `preview ${f.host}:${f.path} has no secret`);
    assert.match(one(preview.files, 'lvs1', '/etc/keepalived/keepalived.conf').content, /auth_pass @@secret:vrrp-web@@\n/);

    const real = generateFile(seed, 'seed.lvs').clusters[0];
    for (const f of real.files) {
      const isConf = f.path === '/etc/keepalived/keepalived.conf';
      assert.equal(f.content.includes('s3cret!x'), isConf, `${f.host}:${f.path}`);
      if (isConf) assert.match(f.content, /auth_pass "s3cret!x"\n/, 'quoted: keepalived starts a comment at !');
    }
    assert.deepEqual(real.warnings, []);

    process.env.LVS_SECRET_VRRP_WEB = 's3cret!xTAIL';
    const cut = generateFile(seed, 'seed.lvs').clusters[0];
    const conf = one(cut.files, 'lvs1', '/etc/keepalived/keepalived.conf').content;
    assert.match(conf, /auth_pass "s3cret!x"\n/);
    assert.ok(!conf.includes('TAIL'));

    delete process.env.LVS_SECRET_VRRP_WEB;
    const missing = generateFile(seed, 'seed.lvs').clusters[0];
    assert.match(one(missing.files, 'lvs1', '/etc/keepalived/keepalived.conf').content, /# WARNING: secret:vrrp-web could not be resolved \(set LVS_SECRET_VRRP_WEB\)[^\n]*\n {8}auth_pass @@secret:vrrp-web@@\n/);
    assert.equal(missing.warnings.length, 2);

    const custom = generateCluster(modelOf(seed), { sourceName: 'seed.lvs', secrets: (ref) => (ref.source === 'secret' && ref.name === 'vrrp-web' ? 'abc' : undefined) });
    assert.match(one(custom, 'lvs2', '/etc/keepalived/keepalived.conf').content, /auth_pass abc\n/);
  } finally {
    if (saved === undefined) delete process.env.LVS_SECRET_VRRP_WEB;
    else process.env.LVS_SECRET_VRRP_WEB = saved;
  }
});

test('keepalived start marker: apply.sh sets it when it starts keepalived and never drops it; rollback.sh stops keepalived only when it is there', () => {
  const genSeed = (text: string) => generateCluster(modelOf(text), { sourceName: 'seed.lvs', preview: true });
  const files = genSeed(seed);
  const apply = one(files, 'lvs1', '/opt/lvs/apply.sh').content;
  assert.match(apply, /systemctl start keepalived\n {2}else\n {4}keepalived -f "\$KEEPALIVED_CONF"\n {2}fi\n {2}: >"\$STATE_DIR\/keepalived\.started"\n/, 'the marker is set right after keepalived is started');
  assert.equal(apply.split('keepalived.started').length - 1, 2, 'set once (plus its comment), never removed by apply.sh');
  for (const host of ['lvs1', 'lvs2']) {
    assert.ok(one(files, host, '/opt/lvs/rollback.sh').content.includes('if [ -f "$STATE_DIR/keepalived.started" ]; then\n  if [ "$running" = systemd ]; then\n    systemctl stop keepalived'), `${host}: rollback.sh stops keepalived when the marker is there`);
  }
  // No version in the scripts: a change of one server leaves the directors' scripts as they are.
  const changed = genSeed(seed.replace('real web1 weight 1', 'real web1 weight 2'));
  for (const host of ['lvs1', 'lvs2']) {
    for (const path of ['/opt/lvs/apply.sh', '/opt/lvs/rollback.sh']) assert.equal(one(changed, host, path).content, one(files, host, path).content, `${host}:${path}`);
  }
});

test('determinism: the same input gives the same bytes', () => {
  for (const file of EXAMPLES) assert.deepEqual(gen(file), gen(file));
  for (const v of variants()) {
    const a = generateCluster(modelOf(v.text), { sourceName: 'x.lvs', preview: true });
    const b = generateCluster(modelOf(v.text), { sourceName: 'x.lvs', preview: true });
    assert.deepEqual(a, b);
  }
});

test('a file with errors is refused with its error findings', () => {
  const broken = seed.replace('priority 100', 'priorty 100');
  assert.throws(() => generateFile(broken, 'broken.lvs'), (err: unknown) => {
    assert.ok(err instanceof GenerateRefusedError);
    assert.ok(err.errors.length >= 1);
    assert.equal(err.errors[0].code, 'LVS001');
    assert.equal(err.errors[0].line, 7);
    assert.match(err.message, /broken\.lvs:7:\d+ LVS001/);
    return true;
  });
});

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const errs: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (errs.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await generateCommand(args);
    return { code, stdout: out.join(''), stderr: errs.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
  }
}

test('CLI: writes DIR/<cluster>/<host>/<path> with modes and a MANIFEST.json with sha256', async () => {
  const dir = tmp('cli');
  try {
    const r = await runCli(['examples/large.lvs', '--out', dir, '--preview']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cluster shop: 28 files for 5 hosts/);
    for (const host of ['lb1', 'lb2', 'app1', 'app2', 'app3']) {
      const hostDir = join(dir, 'shop', host);
      const manifest = JSON.parse(read(join(hostDir, 'MANIFEST.json'))) as { cluster: string; host: string; files: { path: string; mode: string; sha256: string }[] };
      assert.equal(manifest.cluster, 'shop');
      assert.equal(manifest.host, host);
      const onDisk = [...readTree(hostDir).keys()].filter((k) => k !== 'MANIFEST.json').map((k) => `/${k}`).sort();
      assert.deepEqual(manifest.files.map((f) => f.path), onDisk);
      for (const f of manifest.files) {
        const p = join(hostDir, f.path);
        assert.equal(sha256(read(p)), f.sha256, `${host}:${f.path} sha256`);
        assert.equal((statSync(p).mode & 0o777).toString(8).padStart(4, '0'), f.mode, `${host}:${f.path} mode`);
      }
    }
    assert.ok(existsSync(join(dir, 'shop', 'app1', 'etc', 'network', 'interfaces.d', 'lvs-dr-lo')));

    const seedDir = tmp('cli-seed');
    const s = await runCli(['examples/seed.lvs', '--out', seedDir, '--cluster', 'web', '--preview']);
    assert.equal(s.code, 0, s.stderr);
    assert.ok(existsSync(join(seedDir, 'web', 'web1', 'etc', 'sysconfig', 'network-scripts', 'ifcfg-lo:0')));
    rmSync(seedDir, { recursive: true, force: true });

    const bad = join(dir, 'bad.lvs');
    writeFileSync(bad, seed.replace('real web2 weight 1', 'real web2 weght 1'));
    const refused = await runCli([bad, '--out', join(dir, 'never')]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ error LVS001`));
    assert.equal(existsSync(join(dir, 'never')), false, 'nothing written for a refused file');

    assert.equal((await runCli([join(dir, 'missing.lvs'), '--out', dir])).code, 2);
    assert.equal((await runCli(['examples/seed.lvs'])).code, 2);
    assert.equal((await runCli(['examples/seed.lvs', '--out', dir, '--cluster', 'nope'])).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shellcheck -s sh reports nothing on any generated script (every OS, with and without ha)', (t) => {
  if (!has('shellcheck')) {
    if (isCi) assert.fail('shellcheck is not installed (apt-get install shellcheck)');
    t.skip('shellcheck is not installed');
    return;
  }
  const dir = tmp('shellcheck');
  try {
    const all: { name: string; files: GeneratedFile[] }[] = [
      ...EXAMPLES.flatMap((f) => gen(f)),
      ...variants().map((v) => ({ name: v.name, files: generateCluster(modelOf(v.text), { sourceName: 'seed.lvs', preview: true }) })),
    ];
    const scripts: string[] = [];
    for (const c of all) {
      for (const f of c.files.filter((x) => x.path.endsWith('.sh'))) {
        const p = join(dir, `${c.name}__${f.host}__${f.path.split('/').pop()}`);
        writeFileSync(p, f.content);
        scripts.push(p);
      }
    }
    assert.ok(scripts.length > 50);
    const r = spawnSync('shellcheck', ['-s', 'sh', ...scripts], { encoding: 'utf8' });
    assert.equal(r.stdout + r.stderr, '', 'shellcheck output');
    assert.equal(r.status, 0);
    for (const p of scripts) assert.equal(spawnSync('sh', ['-n', p]).status, 0, `sh -n ${p}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keepalived -t accepts every generated keepalived.conf of every example (when keepalived is installed)', (t) => {
  if (!has('keepalived')) {
    if (isCi) assert.fail('keepalived is not installed (scripts/install-system-deps.sh generate)');
    t.skip('keepalived is not installed');
    return;
  }
  // keepalived checks that the VRRP interface exists: use one this machine has.
  const iface = readdirSync('/sys/class/net').filter((n) => n !== 'lo').sort()[0];
  if (!iface) {
    t.skip('no network interface besides lo');
    return;
  }
  const dir = tmp('keepalived');
  try {
    // Every example that validates without errors (an example still being written is left out).
    const examples = readdirSync('examples').filter((f) => f.endsWith('.lvs')).map((f) => read(join('examples', f)))
      .filter((text) => !validateText(text).findings.some((f) => f.severity === 'error'));
    assert.ok(examples.length >= 4, `${examples.length} examples`);
    const texts = [...examples, ...variants().filter((v) => v.name.endsWith('-ha')).map((v) => v.text)];
    let checked = 0;
    const seen = new Set<string>();
    for (const text of texts) {
      for (const model of buildModel(parse(text).ast).clusters) {
        // Every interface a director names (VRRP, sync daemon, tracked) becomes the real one.
        const ifaces = new Set([
          ...model.cluster.directors.map((d) => d.iface!.value.split(':')[0]),
          ...(model.cluster.ha?.syncDaemon ? [model.cluster.ha.syncDaemon.value] : []),
          ...(model.cluster.ha?.trackInterfaces.map((x) => x.value) ?? []),
        ]);
        for (const f of generateCluster(model, { sourceName: 'x.lvs', secrets: () => 'pw-1234' })) {
          if (f.path !== '/etc/keepalived/keepalived.conf') continue;
          let content = f.content;
          for (const i of ifaces) content = content.replace(new RegExp(`(?<![\\w.-])${i.replace(/[.-]/g, '\\$&')}(?![\\w.-])`, 'g'), iface);
          let p = join(dir, `${model.cluster.name.text}-${f.host}.conf`);
          for (let n = 1; seen.has(p); n++) p = join(dir, `${model.cluster.name.text}-${f.host}-${n}.conf`);
          seen.add(p);
          writeFileSync(p, content);
          chmodSync(p, 0o644);
          const r = spawnSync('keepalived', ['-t', '-f', p], { encoding: 'utf8' });
          assert.equal(r.status, 0, `keepalived -t ${model.cluster.name.text}/${f.host}: ${r.stdout}${r.stderr}\n${content}`);
          checked++;
        }
      }
    }
    // seed, large, lab-wrr and shop (two directors each) at least, and the ha variants.
    assert.ok(checked >= 10, `${checked} files checked`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A stand-in for ipvsadm over a text file in `ipvsadm -S -n` format (the kernel's IPVS is not
// available everywhere the tests run). It supports exactly the forms the scripts use.
const FAKE_IPVSADM = `#!/bin/sh
set -eu
T=$FAKE_IPVS_TABLE
[ -f "$T" ] || : >"$T"
drop() { grep -vF -- "$1" "$T" >"$T.new" || true; mv "$T.new" "$T"; }
op=$1; shift
case "$op" in
  -S) cat "$T" ;;
  -C) : >"$T" ;;
  -A|-E)
    key="-A $1 $2 "; line="-A $*"
    if grep -qF -- "$key" "$T"; then [ "$op" = -E ] || { echo 'Service already exists' >&2; exit 1; }; drop "$key"
    elif [ "$op" = -E ]; then echo 'No such service' >&2; exit 1; fi
    echo "$line" >>"$T" ;;
  -a|-e)
    key="-a $1 $2 -r $4 "; line="-a $*"
    if grep -qF -- "$key" "$T"; then [ "$op" = -e ] || { echo 'Destination already exists' >&2; exit 1; }; drop "$key"
    elif [ "$op" = -e ]; then echo 'No such destination' >&2; exit 1; fi
    echo "$line" >>"$T" ;;
  -d) drop "-a $1 $2 -r $4 " ;;
  -D) drop " $1 $2 " ;;
  -L) grep -qF -- "-A $2 $3 " "$T" ;;
  *) echo "fake ipvsadm: unsupported $op" >&2; exit 2 ;;
esac
`;

function canUseNamespaces(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !has('unshare') || !has('ip')) return false;
  return spawnSync('unshare', ['-m', '-n', 'true']).status === 0;
}

/** Runs `steps` (sh) in fresh mount+network namespaces with a private /var/lib and eth0. */
function inNamespace(dir: string, steps: string): string {
  const driver = join(dir, 'driver.sh');
  writeFileSync(driver, [
    'set -u',
    'mount -t tmpfs tmpfs /var/lib',
    'ip link set lo up',
    'ip link add eth0 type veth peer name eth0p',
    'ip link set eth0 up',
    `PATH=${dir}/bin:$PATH; export PATH`,
    `FAKE_IPVS_TABLE=${dir}/ipvs.table; export FAKE_IPVS_TABLE`,
    'step() { name=$1; shift; echo "=== $name"; "$@" 2>&1; echo "=== rc=$?"; }',
    steps,
  ].join('\n'));
  const r = spawnSync('unshare', ['-m', '-n', 'sh', driver], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** `=== name` … `=== rc=N` sections of the driver's output. */
function sections(output: string): Map<string, { out: string; rc: number }> {
  const map = new Map<string, { out: string; rc: number }>();
  for (const m of output.matchAll(/=== (\S+)\n([\s\S]*?)=== rc=(\d+)\n/g)) map.set(m[1], { out: m[2], rc: Number(m[3]) });
  return map;
}

test('runtime: real-server apply/verify/rollback in a network namespace (root only)', (t) => {
  if (!canUseNamespaces()) {
    t.skip('needs root, unshare and ip');
    return;
  }
  const dir = tmp('ns-rs');
  try {
    const [lab] = gen('examples/lab-wrr.lvs');
    for (const f of files(lab.files, 'r3')) writeFileSync(join(dir, f.path.split('/').pop()!), f.content);
    const s = sections(inNamespace(dir, [
      `step before sysctl -n net.ipv4.conf.all.arp_ignore`,
      `step apply1 sh ${dir}/apply.sh`,
      `step apply2 sh ${dir}/apply.sh`,
      `step verify1 sh ${dir}/verify.sh`,
      `step lo ip -4 -o addr show dev lo`,
      `step rollback sh ${dir}/rollback.sh`,
      `step after sysctl -n net.ipv4.conf.all.arp_ignore`,
      `step verify2 sh ${dir}/verify.sh`,
      `step rollback2 sh ${dir}/rollback.sh`,
      `step rsstart sh ${dir}/rs.sh start`,
      `step verify3 sh ${dir}/verify.sh`,
      `step rsstop sh ${dir}/rs.sh stop`,
    ].join('\n')));
    assert.equal(s.get('apply1')!.rc, 0, s.get('apply1')!.out);
    assert.match(s.get('apply1')!.out, /changed: sysctl net\.ipv4\.conf\.all\.arp_ignore = 1 \(was 0\)/);
    assert.match(s.get('apply1')!.out, /added: 10\.77\.0\.100\/32 on lo:0/);
    assert.equal(s.get('apply2')!.rc, 0);
    assert.doesNotMatch(s.get('apply2')!.out, /^(changed|added):/m, 'the second apply changes nothing');
    assert.deepEqual(s.get('verify1'), { out: 'OK\n', rc: 0 });
    assert.match(s.get('lo')!.out, /inet 10\.77\.0\.100\/32 scope global lo:0/);
    assert.equal(s.get('rollback')!.rc, 0, s.get('rollback')!.out);
    assert.equal(s.get('after')!.out.trim(), s.get('before')!.out.trim(), 'rollback restores the saved value');
    assert.equal(s.get('verify2')!.rc, 1);
    assert.match(s.get('verify2')!.out, /FAIL: VIP 10\.77\.0\.100\/32 is not on lo\n/);
    assert.match(s.get('verify2')!.out, /FAIL: sysctl net\.ipv4\.conf\.all\.arp_ignore is 0, wanted 1\n/);
    assert.equal(s.get('rollback2')!.rc, 0, 'rollback is idempotent');
    assert.equal(s.get('verify3')!.rc, 0, s.get('verify3')!.out);
    assert.equal(s.get('rsstop')!.rc, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runtime: director without ha keeps the IPVS table in sync without flushing it (root only)', (t) => {
  if (!canUseNamespaces()) {
    t.skip('needs root, unshare and ip');
    return;
  }
  const dir = tmp('ns-dr');
  try {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'ipvsadm'), FAKE_IPVSADM, { mode: 0o755 });
    // rhel7 keeps the run free of nmcli and systemctl.
    const text = read('examples/lab-wrr.lvs').replace('target os rhel9', 'target os rhel7');
    const lab = generateFile(text, 'lab-wrr.lvs', { preview: true }).clusters[0];
    for (const f of files(lab.files, 'lvs1')) writeFileSync(join(dir, f.path.split('/').pop()!), f.content);
    const table = join(dir, 'ipvs.table');
    const s = sections(inNamespace(dir, [
      `step apply1 sh ${dir}/apply.sh`,
      `step apply2 sh ${dir}/apply.sh`,
      `step verify1 sh ${dir}/verify.sh`,
      // Drift: a weight changed by hand and a stray real server.
      `ipvsadm -e -t 10.77.0.100:80 -r 10.77.0.12:80 -g -w 9`,
      `ipvsadm -a -t 10.77.0.100:80 -r 10.77.0.99:80 -g -w 1`,
      `step verify2 sh ${dir}/verify.sh`,
      `step apply3 sh ${dir}/apply.sh`,
      `step verify3 sh ${dir}/verify.sh`,
      `step rollback sh ${dir}/rollback.sh`,
      `step table cat ${table}`,
      `step verify4 sh ${dir}/verify.sh`,
      `step drstart sh ${dir}/dr.sh start`,
      `step verify5 sh ${dir}/verify.sh`,
      `step drstop sh ${dir}/dr.sh stop`,
    ].join('\n')));
    assert.equal(s.get('apply1')!.rc, 0, s.get('apply1')!.out);
    assert.match(s.get('apply1')!.out, /added: IPVS service -t 10\.77\.0\.100:80\n/);
    assert.match(s.get('apply1')!.out, /added: 10\.77\.0\.100\/32 on eth0:0\n/);
    assert.match(s.get('apply2')!.out, /unchanged: IPVS rules\n/);
    assert.doesNotMatch(s.get('apply2')!.out, /^(changed|added|removed):/m);
    assert.deepEqual(s.get('verify1'), { out: 'OK\n', rc: 0 });
    assert.equal(s.get('verify2')!.rc, 1);
    assert.match(s.get('verify2')!.out, /FAIL: missing IPVS rule: -a -t 10\.77\.0\.100:80 -r 10\.77\.0\.12:80 -g -w 2\n/);
    assert.match(s.get('verify2')!.out, /FAIL: unexpected IPVS rule: -a -t 10\.77\.0\.100:80 -r 10\.77\.0\.99:80 -g -w 1\n/);
    assert.match(s.get('apply3')!.out, /changed: real server 10\.77\.0\.12:80 of -t 10\.77\.0\.100:80\n/);
    assert.match(s.get('apply3')!.out, /removed: real server 10\.77\.0\.99:80 from -t 10\.77\.0\.100:80\n/);
    assert.doesNotMatch(s.get('apply3')!.out, /added: IPVS service/, 'the service is edited, not re-created');
    assert.deepEqual(s.get('verify3'), { out: 'OK\n', rc: 0 });
    assert.equal(s.get('rollback')!.rc, 0, s.get('rollback')!.out);
    assert.equal(s.get('table')!.out, '');
    assert.equal(s.get('verify4')!.rc, 1);
    assert.match(s.get('verify4')!.out, /FAIL: VIP 10\.77\.0\.100\/32 is not on eth0\n/);
    assert.equal(s.get('drstart')!.rc, 0, s.get('drstart')!.out);
    assert.deepEqual(s.get('verify5'), { out: 'OK\n', rc: 0 });
    assert.equal(s.get('drstop')!.rc, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runtime: what the file no longer has is removed from the host, only what apply owns; a VIP added by a director without ha is announced (root only)', (t) => {
  if (!canUseNamespaces()) {
    t.skip('needs root, unshare and ip');
    return;
  }
  const dir = tmp('ns-owned');
  try {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'ipvsadm'), FAKE_IPVSADM, { mode: 0o755 });
    // arping records how it was called (the namespace's veth has no neighbour to tell).
    writeFileSync(join(dir, 'bin', 'arping'), `#!/bin/sh\necho "$*" >>${dir}/arping.log\n`, { mode: 0o755 });
    // A: VIP .100 and one more sysctl on the director; B: the VIP moved to .101, the sysctl gone.
    const a = read('examples/lab-wrr.lvs').replace('target os rhel9', 'target os rhel7')
      .replace('interface eth0 }', 'interface eth0  sysctl net.ipv4.tcp_fin_timeout = 31 }');
    const b = read('examples/lab-wrr.lvs').replace('target os rhel9', 'target os rhel7').replace('vip 10.77.0.100', 'vip 10.77.0.101');
    for (const [name, text] of [['a', a], ['b', b]]) {
      const cluster = generateFile(text, 'lab-wrr.lvs', { preview: true }).clusters[0];
      for (const host of ['lvs1', 'r3']) {
        mkdirSync(join(dir, name, host), { recursive: true });
        for (const f of files(cluster.files, host)) writeFileSync(join(dir, name, host, f.path.split('/').pop()!), f.content);
      }
    }
    const director = sections(inNamespace(dir, [
      'ip addr add 10.77.0.50/32 dev eth0',
      'step before sysctl -n net.ipv4.tcp_fin_timeout',
      `step applyA sh ${dir}/a/lvs1/apply.sh`,
      `step applyA2 sh ${dir}/a/lvs1/apply.sh`,
      `step applyB sh ${dir}/b/lvs1/apply.sh`,
      'step addrs ip -4 -o addr show dev eth0',
      'step after sysctl -n net.ipv4.tcp_fin_timeout',
      `step table cat ${dir}/ipvs.table`,
      `step verifyB sh ${dir}/b/lvs1/verify.sh`,
      `step arping cat ${dir}/arping.log`,
      `step rollbackB sh ${dir}/b/lvs1/rollback.sh`,
      'step addrs2 ip -4 -o addr show dev eth0',
    ].join('\n')));
    assert.equal(director.get('applyA')!.rc, 0, director.get('applyA')!.out);
    assert.match(director.get('applyA')!.out, /added: 10\.77\.0\.100\/32 on eth0:0\nannounced: 10\.77\.0\.100 on eth0 \(gratuitous ARP\)\n/);
    assert.doesNotMatch(director.get('applyA2')!.out, /^(changed|added|removed|restored|announced):/m, 'the second apply changes nothing');
    const applyB = director.get('applyB')!;
    assert.equal(applyB.rc, 0, applyB.out);
    assert.match(applyB.out, /added: 10\.77\.0\.101\/32 on eth0:0\nannounced: 10\.77\.0\.101 on eth0/);
    assert.match(applyB.out, /removed: 10\.77\.0\.100\/32 from eth0\n/);
    assert.match(applyB.out, /removed: IPVS service -t 10\.77\.0\.100:80\n/);
    assert.match(applyB.out, new RegExp(`restored: sysctl net\\.ipv4\\.tcp_fin_timeout = ${director.get('before')!.out.trim()}\n`));
    assert.doesNotMatch(director.get('addrs')!.out, / 10\.77\.0\.100\//, 'the old VIP is gone');
    assert.match(director.get('addrs')!.out, / 10\.77\.0\.101\/32 /);
    assert.match(director.get('addrs')!.out, / 10\.77\.0\.50\/32 /, 'an address apply did not add is kept');
    assert.equal(director.get('after')!.out, director.get('before')!.out, 'the sysctl the file dropped is back to its value before');
    assert.doesNotMatch(director.get('table')!.out, /10\.77\.0\.100/);
    assert.deepEqual(director.get('verifyB'), { out: 'OK\n', rc: 0 });
    assert.equal(director.get('arping')!.out, '-U -c 2 -I eth0 10.77.0.100\n-U -c 2 -I eth0 10.77.0.101\n');
    assert.equal(director.get('rollbackB')!.rc, 0, director.get('rollbackB')!.out);
    assert.doesNotMatch(director.get('addrs2')!.out, / 10\.77\.0\.10[01]\//);
    assert.match(director.get('addrs2')!.out, / 10\.77\.0\.50\/32 /, 'rollback keeps it too');

    const server = sections(inNamespace(dir, [
      'ip addr add 10.77.0.100/32 dev lo label lo:9',
      `step applyA sh ${dir}/a/r3/apply.sh`,
      `step applyB sh ${dir}/b/r3/apply.sh`,
      'step lo ip -4 -o addr show dev lo',
      `step applyA3 sh ${dir}/a/r3/apply.sh`,
      `step applyB3 sh ${dir}/b/r3/apply.sh`,
      'step lo2 ip -4 -o addr show dev lo',
    ].join('\n')));
    assert.equal(server.get('applyB')!.rc, 0, server.get('applyB')!.out);
    assert.match(server.get('applyA')!.out, /unchanged: 10\.77\.0\.100\/32 on lo\n/);
    assert.doesNotMatch(server.get('applyB')!.out, /removed: 10\.77\.0\.100/, 'an address that was there before the first apply is not owned');
    assert.match(server.get('lo')!.out, / 10\.77\.0\.101\/32 /);
    assert.doesNotMatch(server.get('applyB')!.out + server.get('applyA')!.out, /announced:/, 'a real server never announces the VIP');
    // What apply added goes when the file drops it (A again) and comes back with B.
    assert.match(server.get('applyA3')!.out, /removed: 10\.77\.0\.101\/32 from lo\n/);
    assert.match(server.get('applyB3')!.out, /added: 10\.77\.0\.101\/32 on lo:0\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('edge cases: explicit VIP labels, inline secrets, a server without interface, missing values refused', () => {
  const text = seed
    .replace('vip 192.168.147.100', 'vip front 192.168.147.100 interface ens33:7')
    .replace('auth secret:vrrp-web', 'auth "pa ss#1"')
    .replace('server web2 { address 192.168.147.3  interface ens33  vip-on lo:0 }', 'server web2 { address 192.168.147.3  vip-on lo:3 }');
  const out = generateCluster(modelOf(text), { sourceName: 'e.lvs' });
  const conf = one(out, 'lvs1', '/etc/keepalived/keepalived.conf').content;
  assert.match(conf, /192\.168\.147\.100\/32 dev ens33 label ens33:7\n/);
  assert.match(conf, /auth_pass "pa ss#1"\n/, 'quoted: keepalived splits on spaces and starts comments at #');
  const preview = generateCluster(modelOf(text), { sourceName: 'e.lvs', preview: true });
  assert.match(one(preview, 'lvs1', '/etc/keepalived/keepalived.conf').content, /auth_pass @@inline@@\n/);
  assert.match(one(out, 'web2', '/etc/sysconfig/network-scripts/ifcfg-lo:3').content, /^DEVICE=lo:3$/m);
  assert.doesNotMatch(one(out, 'web2', '/opt/lvs/verify.sh').content, /would answer ARP/);

  const noPort = seed.replace('protocol tcp  port 80  scheduler rr', 'protocol tcp  scheduler rr');
  assert.throws(() => generateCluster(modelOf(noPort), { sourceName: 'x.lvs' }), /service http: no port/);
  const wideLo = seed.replace('vip-on lo:0 }\n  server web2', 'vip-on lo:0 prefix 24 }\n  server web2');
  assert.throws(() => generateCluster(modelOf(wideLo), { sourceName: 'x.lvs' }), /must be \/32/);
  assert.throws(() => generateFile(seed, 'seed.lvs', { secrets: () => 'a"b' }), /double quote/);
});
