// `lvsdr` command-line conventions, on the built CLI (dist/server/cli.js): every command answers
// --help with exit 0, the top-level help lists every command, unknown options and missing values
// exit 2 with the command's usage, and `lvsdr check` runs without initialising the SSH library,
// the deploy engine or the lab (V8's coverage of the bundle says which module bodies ran).
// Usage errors and the help's headers follow LC_ALL/LC_MESSAGES/LANG (Chinese for zh_CN); the
// other tests pin LANG=C so the machine's locale cannot change what they read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMMANDS, LAB_COMMANDS } from '../../server/cli/commands';

const CLI = resolve('dist/server/cli.js');

const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'C' };
const CHINESE = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };

function lvsdr(args: string[], env: Record<string, string> = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...ENGLISH, ...env }, timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const ALL = [...COMMANDS, ...LAB_COMMANDS];

test('every command answers --help and -h with its options, exit 0', () => {
  assert.ok(ALL.length >= 11);
  for (const c of ALL) {
    for (const flag of ['--help', '-h']) {
      const r = lvsdr([...c.name.split(' '), flag]);
      assert.equal(r.code, 0, `lvsdr ${c.name} ${flag}: ${r.err}`);
      assert.ok(r.out.startsWith(`usage: lvsdr ${c.name}`), `lvsdr ${c.name} ${flag}: ${r.out}`);
      for (const o of Object.keys(c.options)) assert.ok(r.out.includes(`--${o}`), `${c.name} --help names --${o}`);
    }
  }
});

test('the top-level help lists every command; lvsdr help CMD is CMD --help', () => {
  const r = lvsdr(['--help']);
  assert.equal(r.code, 0);
  for (const c of ALL) assert.match(r.out, new RegExp(`^  ${c.name} `, 'm'), c.name);
  assert.equal(lvsdr(['help', 'deploy']).out, lvsdr(['deploy', '--help']).out);
  const none = lvsdr([]);
  assert.equal(none.code, 2);
  assert.match(none.err, /commands:/);
});

test('unknown options, missing values and unknown commands exit 2 with a clear message', () => {
  const cases: Array<[string[], RegExp]> = [
    [['plan', 'a.lvs', '--bogus'], /lvsdr plan: unknown option '--bogus'\nusage: lvsdr plan FILE/],
    [['deploy', 'a.lvs', '-q'], /lvsdr deploy: unknown option '-q'/],
    [['rollback', 'a.lvs', '--yes'], /lvsdr rollback: unknown option '--yes'/],
    [['drift', 'a.lvs', '--target'], /lvsdr drift: --target needs a value/],
    [['deploy', 'a.lvs', '--yes=1'], /lvsdr deploy: --yes takes no value/],
    [['check', '--format'], /lvsdr check: --format needs a value/],
    [['check', 'x.lvs', '--fromat', 'json'], /lvsdr check: unknown option '--fromat'/],
    [['generate', 'x.lvs', '--out=', 'd'], /lvsdr generate: --out needs a value/],
    [['lab', 'up', 'x.lvs', '--clutser', 'a'], /lvsdr lab up: unknown option '--clutser'/],
    [['lab', 'status', '--verbose'], /lvsdr lab status: unknown option '--verbose'/],
    [['plan', 'a.lvs', '--accept-key', 'MD5:aa'], /--accept-key takes a fingerprint/],
    [['frobnicate'], /lvsdr: unknown command 'frobnicate'/],
  ];
  for (const [args, message] of cases) {
    const r = lvsdr(args);
    assert.equal(r.code, 2, `lvsdr ${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message, args.join(' '));
    assert.equal(r.out, '', 'nothing on stdout');
  }
});

test('usage errors in the reader\'s language: LANG=zh_CN.UTF-8 Chinese, LANG=C English, the same exit status', () => {
  const cases: Array<{ args: string[]; zh: RegExp; en: RegExp }> = [
    { args: ['plan', 'a.lvs', '--bogus'],
      zh: /^lvsdr plan: 未知选项 '--bogus'\n用法：lvsdr plan FILE\|DIR \[选项\]\n（lvsdr plan --help 会列出所有选项）\n$/,
      en: /^lvsdr plan: unknown option '--bogus'\nusage: lvsdr plan FILE\|DIR \[options\]\n\(lvsdr plan --help lists the options\)\n$/ },
    { args: ['drift', 'a.lvs', '--target'], zh: /^lvsdr drift: --target 需要一个值\n/, en: /^lvsdr drift: --target needs a value\n/ },
    { args: ['deploy', 'a.lvs', '--yes=1'], zh: /^lvsdr deploy: --yes 不接受值\n/, en: /^lvsdr deploy: --yes takes no value\n/ },
    { args: ['generate', 'x.lvs', '--out=', 'd'], zh: /^lvsdr generate: --out 需要一个值\n用法：/, en: /^lvsdr generate: --out needs a value\nusage: / },
    { args: ['check'], zh: /^lvsdr check: 没有输入文件\n用法：lvsdr check FILE\|DIR\.\.\. \[选项\]\n$/, en: /^lvsdr check: no input files\nusage: lvsdr check FILE\|DIR\.\.\. \[options\]\n$/ },
    { args: ['deploy', 'a.lvs', '--concurrency', '0'], zh: /^lvsdr deploy: --concurrency 是 1 到 64 之间的整数\n用法：lvsdr deploy/, en: /^lvsdr deploy: --concurrency is a whole number from 1 to 64\nusage: lvsdr deploy/ },
    { args: ['status'], zh: /^lvsdr status: 只能给出一个 FILE\n用法：lvsdr status FILE \[选项\]\n$/, en: /^lvsdr status: exactly one FILE\nusage: lvsdr status FILE \[options\]\n$/ },
    { args: ['lab', 'down', 'x'], zh: /^lvsdr lab down: 不接受操作数\n用法：lvsdr lab down\n$/, en: /^lvsdr lab down: takes no operands\nusage: lvsdr lab down\n$/ },
    { args: ['export', 'yaml'], zh: /^lvsdr export: 未知格式 'yaml'（可用格式：ansible）\n用法：lvsdr export ansible/, en: /^lvsdr export: unknown format 'yaml' \(formats: ansible\)\nusage: lvsdr export ansible/ },
    { args: ['frobnicate'], zh: /^lvsdr: 未知命令 'frobnicate'\n用法：lvsdr <command> \[选项\]\n\n命令：\n/, en: /^lvsdr: unknown command 'frobnicate'\nusage: lvsdr <command> \[options\]\n\ncommands:\n/ },
    { args: ['help', 'frobnicate'], zh: /^lvsdr help: 没有 'frobnicate' 这个命令\n/, en: /^lvsdr help: no command 'frobnicate'\n/ },
  ];
  for (const { args, zh, en } of cases) {
    const z = lvsdr(args, CHINESE);
    const e = lvsdr(args, ENGLISH);
    assert.equal(z.code, 2, `zh lvsdr ${args.join(' ')}: ${z.err}`);
    assert.equal(e.code, 2, `en lvsdr ${args.join(' ')}: ${e.err}`);
    assert.match(z.err, zh, `zh lvsdr ${args.join(' ')}`);
    assert.match(e.err, en, `en lvsdr ${args.join(' ')}`);
  }
  // POSIX precedence: LC_ALL over LC_MESSAGES over LANG.
  assert.match(lvsdr(['check'], { ...CHINESE, LC_ALL: 'C' }).err, /no input files/);
  assert.match(lvsdr(['check'], { ...ENGLISH, LC_MESSAGES: 'zh_CN.UTF-8' }).err, /没有输入文件/);
});

test('the help\'s headers in the reader\'s language; commands and options stay as typed', () => {
  const z = lvsdr(['plan', '--help'], CHINESE);
  assert.equal(z.code, 0);
  assert.match(z.out, /^用法：lvsdr plan FILE\|DIR \[选项\]\n\n.+\n\n选项：\n/);
  assert.match(z.out, /^ {2}-h, --help +显示此帮助$/m);
  assert.match(z.out, /^ {2}--accept-key SHA256:FP +.+（可重复）$/m);
  const e = lvsdr(['plan', '--help'], ENGLISH);
  assert.match(e.out, /^usage: lvsdr plan FILE\|DIR \[options\]\n\n.+\n\noptions:\n/);
  assert.match(e.out, /^ {2}-h, --help +show this help$/m);
  assert.match(e.out, /^ {2}--accept-key SHA256:FP +.+ \(repeatable\)$/m);
  const top = lvsdr(['--help'], CHINESE);
  assert.equal(top.code, 0);
  assert.match(top.out, /^用法：lvsdr <command> \[选项\]\n\n命令：\n/);
  assert.match(top.out, /`lvsdr <command> --help`（或 `lvsdr help <command>`）显示某个命令的选项。\n$/);
});

const HAN = /[\u4e00-\u9fff]/;

test('the whole help in Chinese for zh_CN: every command\'s summary, option lines and notes; the top-level and lab lists', () => {
  for (const c of ALL) {
    const z = lvsdr([...c.name.split(' '), '--help'], CHINESE);
    assert.equal(z.code, 0, c.name);
    const [usage, , summary, , header, ...rest] = z.out.split('\n');
    assert.match(usage, /^用法：lvsdr /, c.name);
    assert.match(summary, HAN, `lvsdr ${c.name}: summary ${summary}`);
    assert.equal(header, '选项：', c.name);
    const options = rest.slice(0, rest.indexOf(''));
    assert.equal(options.length, Object.keys(c.options).length + 1, `${c.name}: one line per option and --help`);
    for (const line of options) assert.match(line.replace(/^ {2}\S+(, \S+)?( \S+)? +/, ''), HAN, `lvsdr ${c.name}: ${line}`);
    const notes = rest.slice(rest.indexOf('') + 1).filter((l) => l !== '');
    if (c.notes) assert.ok(notes.length > 0 && notes.every((l) => HAN.test(l)), `lvsdr ${c.name} notes: ${notes.join(' | ')}`);
    // The same help in English has none of it.
    assert.doesNotMatch(lvsdr([...c.name.split(' '), '--help'], ENGLISH).out, HAN, c.name);
  }
  const top = lvsdr(['--help'], CHINESE).out;
  for (const c of ALL) assert.match(top, new RegExp(`^  ${c.name} .*[\\u4e00-\\u9fff]`, 'm'), `top-level ${c.name}`);
  const lab = lvsdr(['lab', '--help'], CHINESE);
  assert.equal(lab.code, 0);
  assert.match(lab.out, /^用法：lvsdr lab <command> \[选项\]\n\n {2}up FILE +在本机搭建 FILE 中的集群/);
  assert.match(lab.out, /状态目录：\$LVSDR_LAB_DIR/);
});

/**
 * What ran in `lvsdr ARGS`: the CLI's files (dist/server/cli*.js: the launcher, cli-main.js and the
 * bundle of the command's group) and the bundled module bodies (esbuild's lazy wrappers) in them.
 */
function modulesRun(args: string[]): { files: Set<string>; ran: Set<string>; bundled: Set<string>; code: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-cov-'));
  try {
    const r = lvsdr(args, { NODE_V8_COVERAGE: dir });
    const files = new Set<string>();
    const ran = new Set<string>();
    const bundled = new Set<string>();
    for (const f of readdirSync(dir)) {
      const cov = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { result: Array<{ url: string; functions: Array<{ functionName: string; ranges: Array<{ count: number }> }> }> };
      for (const script of cov.result) {
        if (!script.url.includes('/dist/')) continue;
        files.add(script.url.replace(/.*\//, ''));
        for (const fn of script.functions) {
          if (!/^(server|node_modules)\//.test(fn.functionName)) continue;
          bundled.add(fn.functionName);
          if (fn.ranges[0].count > 0) ran.add(fn.functionName);
        }
      }
    }
    return { files, ran, bundled, code: r.code };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEAVY = /^node_modules\/ssh2\/|^server\/(deploy|lab)\//;

test('lvsdr check loads neither ssh2 nor the deploy engine nor the lab; plan does', () => {
  const check = modulesRun(['check', 'examples/seed.lvs']);
  assert.equal(check.code, 0);
  assert.deepEqual([...check.files].sort(), ['cli-check.js', 'cli-main.js', 'cli.js'], 'the files check loaded');
  assert.deepEqual([...check.bundled].filter((m) => HEAVY.test(m)), [], 'heavy modules in what check loaded');
  // The control: a deploy command loads them (the file does not exist: nothing is contacted).
  const plan = modulesRun(['plan', join(tmpdir(), 'no-such-file.lvs'), '--target', 'hosts']);
  assert.equal(plan.code, 1);
  assert.ok(plan.files.has('cli-deploy.js'), 'plan loads the deploy bundle');
  assert.ok(plan.ran.has('node_modules/ssh2/lib/index.js'), 'plan initialises ssh2');
});
