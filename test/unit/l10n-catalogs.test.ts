// The Chinese catalogs cover exactly what the English source says: package.nls.json against
// package.nls.zh-cn.json and the %key% references of package.json; l10n/bundle.l10n.zh-cn.json
// against the vscode.l10n.t messages of client/ and the designer's l10n.t messages of media/
// (found by parsing the source). A key added in one
// language only, a stale translation, or a title left literal fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LOG_MESSAGES, PROGRESS_MESSAGES, STEP_WORDS } from '../../client/deploy/progress-words';
import { l10nMessagesIn } from './l10n-sources';
import { check } from '../../server/protocol/check';
import { DesignerStrings } from '../../server/protocol/designer-strings';

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** Every string value anywhere in a JSON value, with its path. */
function stringsOf(value: unknown, path = '', out: { path: string; value: string }[] = []): { path: string; value: string }[] {
  if (typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringsOf(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringsOf(v, `${path}.${k}`, out);
  return out;
}

const nlsEn = readJson('package.nls.json') as Record<string, string>;
const nlsZh = readJson('package.nls.zh-cn.json') as Record<string, string>;
const pkg = readJson('package.json') as Record<string, unknown> & { contributes: Record<string, unknown> };

test('package.nls.json and package.nls.zh-cn.json have the same keys, each a translated non-empty string', () => {
  assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nlsEn).sort());
  for (const [k, v] of Object.entries(nlsZh)) {
    assert.ok(typeof v === 'string' && v.trim().length > 0, `${k} is empty in zh-cn`);
    // a name like "LVS" stays as it is; a sentence must not be left in English
    if (/\s/.test(nlsEn[k])) assert.notEqual(v, nlsEn[k], `${k} is not translated`);
  }
});

test('every %key% of package.json exists in package.nls.json, and every nls key is used', () => {
  const used = new Set<string>();
  for (const { path, value } of stringsOf(pkg)) {
    const m = /^%(.+)%$/.exec(value);
    if (!m) continue;
    assert.ok(m[1] in nlsEn, `${path}: %${m[1]}% is not in package.nls.json`);
    used.add(m[1]);
  }
  assert.deepEqual(Object.keys(nlsEn).filter((k) => !used.has(k)), [], 'keys of package.nls.json that package.json never uses');
  assert.equal(pkg.l10n, './l10n');
});

test('nothing a user reads in contributes is left literal', () => {
  // the fields VS Code shows: titles, names, descriptions; names of the product and of the
  // language ("LVS-DR Studio", "LVS", "lvs") are not translated
  const shown = /\.(title|displayName|name|description|markdownDescription|enumDescriptions\[\d+\]|label|category|contextualTitle)$/;
  const literal = stringsOf(pkg.contributes, 'contributes')
    .filter(({ path, value }) => shown.test(path) && !/^%.+%$/.test(value) && value !== 'LVS-DR Studio');
  assert.deepEqual(literal, []);
  assert.match(String((pkg.capabilities as { untrustedWorkspaces: { description: string } }).untrustedWorkspaces.description), /^%.+%$/);
});

/** The `{0}`-style placeholders of a message, sorted. */
const placeholders = (m: string): string[] => (m.match(/\{\d+\}/g) ?? []).sort();

test('every l10n.t message of client/ and of the designer (media/) has a zh-cn entry, none is stale, and each keeps its placeholders', () => {
  const bundle = readJson('l10n/bundle.l10n.zh-cn.json') as Record<string, string>;
  const client = l10nMessagesIn('client');
  // the designer's l10n.t (media/designer/l10n.ts) looks messages up in the same bundle, which the
  // extension puts into the page (server/protocol/designer-strings.ts)
  const designer = l10nMessagesIn('media');
  assert.deepEqual(designer.dynamic, [], 'designer messages that are not literals');
  assert.ok(designer.messages.size > 150, `only ${designer.messages.size} messages found in media/: is the scan broken?`);
  const messages = new Map([...client.messages, ...designer.messages]);
  const dynamic = client.dynamic;
  // the calls whose message is not a literal: progress and log lines in words, translated from
  // the tables of client/deploy/progress-words.ts (their strings are sources too)
  assert.deepEqual(dynamic.map((w) => w.replace(/:\d+$/, '')), ['client/deploy/deploy-flow.ts', 'client/live/run-action.ts']);
  const sources = new Set([...messages.keys(), ...Object.values(STEP_WORDS), ...Object.values(PROGRESS_MESSAGES), ...Object.values(LOG_MESSAGES)]);
  assert.ok(client.messages.size > 200, `only ${client.messages.size} messages found in client/: is the scan broken?`);
  const missing = [...sources].filter((m) => !(m in bundle)).map((m) => `${JSON.stringify(m)} (${messages.get(m)?.[0] ?? 'progress-words.ts'})`);
  assert.deepEqual(missing, [], 'messages without a zh-cn translation');
  assert.deepEqual(Object.keys(bundle).filter((k) => !sources.has(k)), [], 'zh-cn entries no message of client/ or media/ uses');
  for (const [en, zh] of Object.entries(bundle)) {
    assert.deepEqual(placeholders(zh), placeholders(en), `placeholders of ${JSON.stringify(en)}`);
    if (/[a-z]{3,} [a-z]{3,}/i.test(en)) assert.notEqual(zh, en, `${JSON.stringify(en)} is not translated`);
  }
});

test('the bundle is sorted by key, so that helpers adding keys merge by union', () => {
  const keys = Object.keys(readJson('l10n/bundle.l10n.zh-cn.json') as object);
  assert.deepEqual(keys, [...keys].sort());
});

test('the designer page carries the string table the webview checks against its schema', () => {
  // the extension side writes the bundle as a JSON block with this id; the webview reads that id
  const html = readFileSync('client/designer/html.ts', 'utf8');
  const webview = readFileSync('media/designer/l10n.ts', 'utf8');
  assert.match(html, /id="\$\{DESIGNER_STRINGS_ELEMENT_ID\}">\$\{stringsJson\(\)\}/);
  assert.match(webview, /getElementById\(DESIGNER_STRINGS_ELEMENT_ID\)/);
  const table = readJson('l10n/bundle.l10n.zh-cn.json');
  assert.ok(check(DesignerStrings, table).ok, 'the zh-cn bundle fits the designer strings schema');
  assert.equal(check(DesignerStrings, { Refresh: 1 }).ok, false);
});
