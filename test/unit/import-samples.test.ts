// Every keepalived.conf sample of Debian's keepalived package imports without an exception;
// what was imported (the .lvs text) and what was reported (findings with file:line, the
// validator's findings) are kept as one golden file per sample (UPDATE_GOLDEN=1 rewrites them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { findingText, importCluster } from '../../server/import';

const SAMPLES = '/usr/share/doc/keepalived/samples';
const GOLDEN = 'test/golden/import';

const samples = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((n) => n.startsWith('keepalived.conf')).sort() : [];

test('the keepalived package\'s samples are installed (scripts/install-system-deps.sh generate)', () => {
  assert.ok(samples.length >= 20, `${SAMPLES} holds the keepalived.conf samples`);
});

function snapshot(path: string): string {
  const r = importCluster({ keepalived: [{ path }], cluster: 'imported' });
  const findings = r.findings.map((f) => findingText({ ...f, file: basename(f.file) }));
  const validation = r.validation.map((v) => `lvs:${v.line}: ${v.severity} ${v.code}: ${v.message}`);
  return [`# ${basename(path)}: ${r.lossy ? 'something not expressible' : 'everything imported'}`, '## imported', r.text.trimEnd(), '## reported', ...findings, '## validator', ...validation, ''].join('\n');
}

for (const name of samples) {
  test(`sample ${name}: imports without an exception; imported and reported match the golden file`, () => {
    const got = snapshot(join(SAMPLES, name));
    const golden = join(GOLDEN, `${name}.txt`);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(golden, got);
    }
    assert.ok(existsSync(golden), `golden file ${golden} exists (run with UPDATE_GOLDEN=1 once)`);
    assert.equal(got, readFileSync(golden, 'utf8'));
  });
}
