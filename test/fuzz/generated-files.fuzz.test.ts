// Fuzz what reaches the shell and keepalived: random valid clusters (test/unit/random-cluster.ts,
// with resolved secrets of odd characters) → every generated script passes `sh -n` and
// shellcheck, every keepalived.conf passes `keepalived --config-test`.
//
// 1,000 clusters give about 35,000 scripts; most differ from another only inside single-quoted
// literals (host names, addresses, labels: every value goes through sq()) and in comment lines.
// The shell never interprets the inside of a single-quoted literal, so scripts equal after
// emptying those literals and comment lines parse and lint alike: one real script of each
// such class is checked. A value that escaped its quotes would change the emptied text too and
// form a class of its own, so it is still checked. Every keepalived.conf is checked.
//
// keepalived -t exits 0 only when the configuration has no error (man keepalived, Exit status:
// 3 cannot be run, 4 errors it would work around, 5 scripts without script security); it
// also refuses interfaces that do not exist. As root the check runs in a fresh network
// namespace holding veth interfaces of exactly the names the files use (the files are checked
// byte for byte); otherwise the interface names are replaced by one this machine has.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateFile, GenerateError } from '../../server/generate';
import { validateText } from '../../server/validation/registry';
import { randomClusterText, randomSecret } from '../unit/random-cluster';

const CLUSTERS = Number(process.env.FUZZ_CLUSTERS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
/** Parallel external checks: the CI machine has 2 cores. */
const JOBS = Number(process.env.FUZZ_JOBS ?? 2);
const isCi = process.env.CI === 'true';

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Runs a command, resolving with its exit code and output (never rejects). */
function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.stderr.on('data', (c: Buffer) => chunks.push(c));
    p.on('close', (code) => resolve({ code, out: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** `list` in `n` nearly equal parts. */
function split<T>(list: T[], n: number): T[][] {
  const parts: T[][] = Array.from({ length: Math.max(1, Math.min(n, list.length)) }, () => []);
  list.forEach((x, i) => parts[i % parts.length].push(x));
  return parts;
}

/** The script with every single-quoted literal emptied and every comment line cut to `#`. */
export function scriptClass(content: string): string {
  return content.replace(/'[^']*'/g, "''").replace(/^([ \t]*)#.*$/gm, '$1#');
}

let dir = '';
const scripts = new Map<string, string>(); // class → path of its first real script
const confs: string[] = [];
let scriptCount = 0;
let hostCount = 0;
const timings: string[] = [];

before(() => {
  const started = performance.now();
  dir = mkdtempSync(join(tmpdir(), 'lvs-fuzz-gen-'));
  const texts = fc.sample(randomClusterText, { numRuns: CLUSTERS, seed: SEED });
  const secrets = fc.sample(randomSecret, { numRuns: CLUSTERS, seed: SEED + 1 });
  const keep = (i: number | string, clusters: ReturnType<typeof generateFile>['clusters']) => {
    for (const c of clusters) {
      hostCount += new Set(c.files.map((f) => f.host)).size;
      for (const f of c.files) {
        const base = `${i}-${f.host}-${f.path.split('/').pop()}`;
        if (f.path.endsWith('.sh') || (f.mode & 0o111) !== 0) {
          scriptCount++;
          const key = scriptClass(f.content);
          if (scripts.has(key)) continue;
          const p = join(dir, base);
          writeFileSync(p, f.content);
          scripts.set(key, p);
        } else if (f.path === '/etc/keepalived/keepalived.conf') {
          const p = join(dir, `${base}`);
          writeFileSync(p, f.content, { mode: 0o600 });
          confs.push(p);
        }
      }
    }
  };
  texts.forEach((text, i) => {
    const errors = validateText(text).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((e) => `${e.code} ${e.message}`), [], `random cluster ${i} (seed ${SEED}) is valid:\n${text}`);
    keep(i, generateFile(text, `fuzz-${i}.lvs`, { secrets: () => secrets[i] }).clusters);
  });
  // Every example file too (IPv6 and dual stack among them), for each target OS.
  for (const name of readdirSync('examples').filter((n) => n.endsWith('.lvs'))) {
    for (const os of ['rhel7', 'rhel9', 'debian', 'ubuntu']) {
      const text = readFileSync(`examples/${name}`, 'utf8').replace(/target os \w+/g, `target os ${os}`);
      keep(`${name}-${os}`, generateFile(text, name, { secrets: () => 'fuzzpass' }).clusters);
    }
  }
  timings.push(`generated ${CLUSTERS} clusters (${hostCount} hosts, ${scriptCount} scripts in ${scripts.size} classes, ${confs.length} keepalived.conf) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const t of timings) process.stdout.write(`# fuzz: ${t}\n`);
});

test(`every generated script of ${CLUSTERS} random clusters passes sh -n and shellcheck`, async (t) => {
  if (!has('shellcheck')) {
    if (isCi) assert.fail('shellcheck is not installed (scripts/install-system-deps.sh fuzz)');
    t.skip('shellcheck is not installed');
    return;
  }
  const started = performance.now();
  const files = [...scripts.values()];
  assert.ok(files.length > 50, `${files.length} script classes`);
  // sh -n: one shell per part loops over its files (a process per file, but no Node round trip).
  const parse = await Promise.all(split(files, JOBS).map((part) =>
    run('sh', ['-c', 'for f; do sh -n "$f" 2>&1 || echo "sh -n failed: $f"; done', 'sh', ...part])));
  assert.deepEqual(parse.map((r) => r.out).filter((o) => o !== ''), [], 'sh -n output');
  const lint = await Promise.all(split(files, JOBS).map((part) => run('shellcheck', ['-s', 'sh', '-f', 'gcc', ...part])));
  for (const r of lint) {
    assert.equal(r.out, '', 'shellcheck output');
    assert.equal(r.code, 0);
  }
  timings.push(`sh -n and shellcheck on ${files.length} scripts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

/** Interface names a keepalived.conf uses (`interface X`, `dev X`). */
function interfacesOf(conf: string): string[] {
  return [...conf.matchAll(/\b(?:interface|dev) ([A-Za-z0-9_.-]+)/g)].map((m) => m[1]);
}

test(`every keepalived.conf of ${CLUSTERS} random clusters passes keepalived --config-test`, async (t) => {
  if (!has('keepalived')) {
    if (isCi) assert.fail('keepalived is not installed (scripts/install-system-deps.sh fuzz)');
    t.skip('keepalived is not installed');
    return;
  }
  const started = performance.now();
  assert.ok(confs.length >= CLUSTERS / 4, `${confs.length} keepalived.conf files`);
  const names = [...new Set(confs.flatMap((p) => interfacesOf(readFileSync(p, 'utf8'))))].sort();
  const root = process.getuid?.() === 0 && has('unshare') && has('ip');
  let files = confs;
  if (!root) {
    const real = readdirSync('/sys/class/net').filter((n) => n !== 'lo').sort()[0];
    if (!real) {
      t.skip('not root and no network interface besides lo');
      return;
    }
    files = confs.map((p) => {
      let text = readFileSync(p, 'utf8');
      for (const n of names) text = text.replace(new RegExp(`(?<=\\b(?:interface|dev) )${n.replace(/[.-]/g, '\\$&')}\\b`, 'g'), real);
      const q = `${p}.local`;
      writeFileSync(q, text, { mode: 0o600 });
      return q;
    });
  }
  // One shell (in its own network namespace as root) creates the interfaces, then runs the
  // checks JOBS at a time and prints `EXIT PATH` per file; the output goes to PATH.out.
  const driver = join(dir, 'keepalived-check.sh');
  writeFileSync(driver, [
    'set -u',
    'n=0',
    'for i in $IFACES; do',
    '  n=$((n + 1))',
    '  ip link add "$i" type veth peer name "lvsfzpeer$n" && ip link set "$i" up || exit 90',
    'done',
    `printf '%s\\n' "$@" | xargs -P ${JOBS} -I{} sh -c 'keepalived --config-test -f "$1" >"$1.out" 2>&1; echo "$? $1"' sh {}`,
  ].join('\n') + '\n');
  const command = root ? ['unshare', '-n', 'env', `IFACES=${names.join(' ')}`] : ['env', 'IFACES='];
  const r = await run(command[0], [...command.slice(1), 'sh', driver, ...files]);
  assert.notEqual(r.code, 90, `creating the interfaces ${names.join(' ')} failed: ${r.out}`);
  const results = new Map(r.out.trim().split('\n').filter((l) => /^\d+ /.test(l)).map((l) => [l.slice(l.indexOf(' ') + 1), Number(l.slice(0, l.indexOf(' ')))]));
  assert.equal(results.size, files.length, `a result per file:\n${r.out.slice(0, 2000)}`);
  const failures = files
    .map((p) => ({ p, code: results.get(p), out: readFileSync(`${p}.out`, 'utf8') }))
    .filter((x) => x.code !== 0 || x.out !== '');
  const kinds = new Map<string, number>();
  for (const f of failures) for (const l of f.out.split('\n').filter(Boolean)) {
    const k = `exit ${f.code}: ${l.replace(/\/tmp\/\S+/g, 'FILE').replace(/\d+/g, 'N')}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  assert.deepEqual([...kinds].map(([k, n]) => `${n}× ${k}`), [], `kinds of messages`);
  assert.deepEqual(failures.slice(0, 5).map((x) => `exit ${x.code} ${x.p}:\n${x.out}\n${readFileSync(x.p, 'utf8')}`), [],
    `${failures.length} of ${files.length} keepalived.conf fail keepalived --config-test (seed ${SEED})`);
  timings.push(`keepalived --config-test on ${files.length} files (${root ? 'network namespace, veth interfaces' : 'interfaces renamed'}, ${JOBS} at a time) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

test('a resolved secret keepalived.conf cannot carry (quote, backslash, $name, newline) is refused, never written', () => {
  const text = fc.sample(randomClusterText.filter((t) => /auth secret:/.test(t)), { numRuns: 1, seed: SEED })[0];
  for (const bad of ['ab\\', 'a"b', 'x$HOME', 'a\nb', 'a\\"b']) {
    assert.throws(() => generateFile(text, 'bad.lvs', { secrets: () => bad }), GenerateError, JSON.stringify(bad));
  }
});
