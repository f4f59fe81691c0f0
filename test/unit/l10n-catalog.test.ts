// The server's message catalog (issue 16): every English source marked with `t` in server/ has
// a Chinese translation in l10n/server.l10n.zh-cn.json, the bundle has no key the source lost,
// translations keep their placeholders, and the CLI and locale rules pick the language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localeFromEnv, localeFromTag } from '../../server/shared/l10n/locale';
import { localize } from '../../server/shared/l10n/localize';
import { validateText } from '../../server/validation/registry';
import { allRules } from '../../server/validation/rules';

const BUNDLE = 'l10n/server.l10n.zh-cn.json';
const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort();

function sourceKeys(): string[] {
  // The keys read from the TypeScript source (scripts/l10n-keys.mjs, TypeScript's parser).
  const r = spawnSync(process.execPath, ['scripts/l10n-keys.mjs'], { encoding: 'utf8' });
  assert.equal(r.stderr, '', 'every t() takes literal text');
  return JSON.parse(r.stdout) as string[];
}

test('the Chinese bundle has exactly the keys of the source, with the same placeholders', () => {
  const keys = sourceKeys();
  const bundle = JSON.parse(readFileSync(BUNDLE, 'utf8')) as Record<string, string>;
  assert.ok(keys.length > 250, `${keys.length} keys`);
  const missing = keys.filter((k) => !(k in bundle));
  const stale = Object.keys(bundle).filter((k) => !keys.includes(k));
  assert.deepEqual(missing, [], 'English messages without a Chinese translation');
  assert.deepEqual(stale, [], 'Chinese translations whose English source is gone');
  for (const k of keys) {
    assert.deepEqual(placeholders(bundle[k]), placeholders(k), `placeholders of ${k}`);
    assert.notEqual(bundle[k].trim(), '', k);
  }
  assert.deepEqual(Object.keys(bundle), [...Object.keys(bundle)].sort(), 'the bundle is sorted');
});

test('every rule module reports through t: each code has messages in the catalog', () => {
  const keysByFile = execFileSync(process.execPath, ['-e', `
    import('./scripts/l10n-keys.mjs').then(({ extractKeys }) => {
      const { keys } = extractKeys(process.cwd());
      const files = new Set([...keys.values()].flat());
      process.stdout.write(JSON.stringify([...files]));
    });`], { encoding: 'utf8' });
  const files = JSON.parse(keysByFile) as string[];
  for (const rule of allRules) {
    const file = `server/validation/rules/${rule.code.toLowerCase()}.ts`;
    assert.ok(files.includes(file), `${rule.code}: ${file} has no t\`…\` message`);
  }
});

test('findings render in Chinese with the code and span of the English ones', () => {
  const text = readFileSync('examples/seed.lvs', 'utf8')
    .replace(/vip-on lo:0/, '')
    .replace('scheduler rr', 'scheduler rrr')
    .replace('priority 90', 'priority 100');
  const { findings } = validateText(text);
  assert.ok(findings.length >= 3, findings.map((f) => f.code).join(' '));
  for (const f of findings) {
    const zh = localize(f.msg, 'zh-cn');
    assert.match(zh, /[\u4e00-\u9fff]/, `${f.code}: ${zh}`);
    assert.equal(localize(f.msg, 'en'), f.message);
    for (const fix of f.fixes) assert.match(localize(fix.title, 'zh-cn'), /[\u4e00-\u9fff]|^[^A-Za-z]*$/, f.code);
  }
});

test('locale tags and POSIX variables pick the language (LC_ALL, then LC_MESSAGES, then LANG)', () => {
  for (const tag of ['zh-cn', 'zh-CN', 'zh', 'zh_CN.UTF-8', 'zh-Hans']) assert.equal(localeFromTag(tag), 'zh-cn', tag);
  for (const tag of ['en', 'en-US', 'de', 'zh-TW', 'C', 'POSIX', '', undefined]) assert.equal(localeFromTag(tag), 'en', String(tag));
  assert.equal(localeFromEnv({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
  assert.equal(localeFromEnv({ LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'C' }), 'en');
  assert.equal(localeFromEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }), 'zh-cn');
  assert.equal(localeFromEnv({ LC_ALL: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }), 'en');
  assert.equal(localeFromEnv({ LC_ALL: '', LANG: 'zh_CN.UTF-8' }), 'zh-cn');
});

test('lvsdr check: LANG=zh_CN.UTF-8 prints Chinese; --format json keeps English message plus messageLocalized', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvs-l10n-'));
  try {
    const file = join(dir, 'c.lvs');
    writeFileSync(file, readFileSync('examples/seed.lvs', 'utf8').replace(/vip-on lo:0/, ''));
    const env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };
    const text = spawnSync(process.execPath, ['dist/server/cli.js', 'check', file], { encoding: 'utf8', env });
    assert.equal(text.status, 1, text.stderr);
    assert.match(text.stdout, /LVS030 真实服务器 web1 承载服务/);
    const json = spawnSync(process.execPath, ['dist/server/cli.js', 'check', file, '--format', 'json'], { encoding: 'utf8', env });
    const diags = JSON.parse(json.stdout) as Array<{ code: string; message: string; messageLocalized?: string }>;
    const d = diags.find((x) => x.code === 'LVS030')!;
    assert.match(d.message, /^Real server web1 serves/);
    assert.match(d.messageLocalized!, /^真实服务器 web1/);
    const enJson = spawnSync(process.execPath, ['dist/server/cli.js', 'check', file, '--format', 'json'], { encoding: 'utf8', env: { ...env, LANG: 'C.UTF-8' } });
    const enDiags = JSON.parse(enJson.stdout) as Array<{ message: string; messageLocalized?: string }>;
    assert.ok(enDiags.every((x) => x.messageLocalized === undefined));
    assert.deepEqual(enDiags.map((x) => x.message), diags.map((x) => x.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docs/zh-CN/rules.md explains every rule of the registry and every code of docs/rules.md', () => {
  const zh = readFileSync('docs/zh-CN/rules.md', 'utf8');
  const en = readFileSync('docs/rules.md', 'utf8');
  const zhCodes = new Set([...zh.matchAll(/^### (LVS\d+) — /gm)].map((m) => m[1]));
  const codes = new Set([...allRules.map((r) => r.code), 'LVS001', ...[...en.matchAll(/^## (LVS\d+) — /gm)].map((m) => m[1])]);
  assert.deepEqual([...codes].filter((c) => !zhCodes.has(c)), []);
  for (const c of codes) assert.match(zh, new RegExp(`<a id="${c.toLowerCase()}"></a>`), c);
  assert.match(en, /\(zh-CN\/rules\.md\)/, 'docs/rules.md links the Chinese page');
});
