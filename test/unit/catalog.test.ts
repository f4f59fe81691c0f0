// The catalog as a whole: every registered rule is documented, has a broken example that
// triggers it, and the seed stays clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { allRules } from '../../server/validation/rules';
import { codes } from './helpers';

const docs = readFileSync('docs/rules.md', 'utf8');

test('rule codes are unique and well-formed', () => {
  const list = allRules.map((r) => r.code);
  assert.equal(new Set(list).size, list.length);
  for (const c of list) assert.match(c, /^LVS\d{3}$/);
});

test('every rule (and LVS001) has a section in docs/rules.md', () => {
  for (const code of ['LVS001', ...allRules.map((r) => r.code)]) {
    assert.ok(docs.includes(`<a id="${code.toLowerCase()}"></a>`), `${code} anchor`);
    assert.ok(docs.includes(`## ${code} — `), `${code} heading`);
  }
});

test('every rule has examples/broken/CODE.lvs and that file yields the code', () => {
  for (const rule of allRules) {
    const file = `examples/broken/${rule.code}.lvs`;
    assert.ok(existsSync(file), `${file} missing`);
    assert.ok(codes(readFileSync(file, 'utf8')).includes(rule.code), `${file} does not yield ${rule.code}`);
  }
  for (const f of readdirSync('examples/broken')) assert.match(f, /^LVS\d{3}\.lvs$/);
});

test('LVS001 has a broken example too', () => {
  assert.ok(codes(readFileSync('examples/broken/LVS001.lvs', 'utf8')).includes('LVS001'));
});

test('the seed yields no findings at all', () => {
  assert.deepEqual(codes(readFileSync('examples/seed.lvs', 'utf8')), []);
});
