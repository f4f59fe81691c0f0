// The one shell quoting (server/shared/shell-quote.ts) round-trips hostile strings through a
// real POSIX sh, and refuses what no shell word can carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { sq, sqList } from '../../server/shared/shell-quote';

const NASTY = [
  "it's", '"double"', '$(id)', '`id`', '; rm -rf /', '&& reboot', '| cat /etc/shadow', 'a\nb', 'tab\there', '\\', '$HOME',
  '${IFS}', "'; touch /tmp/pwned; '", '*', '~root', '-n', '', ' ', '#comment', '!', 'émoji ✓', "''", "a'b'c",
];

test('sq() round-trips every hostile string through a real POSIX sh', () => {
  for (const v of NASTY) {
    const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${sq(v)}`], { encoding: 'utf8' });
    assert.equal(out, v, JSON.stringify(v));
  }
  assert.equal(execFileSync('/bin/sh', ['-c', `printf '%s' ${sq(8080)}`], { encoding: 'utf8' }), '8080');
});

test('sqList() gives one shell word per value, empty values included', () => {
  const out = execFileSync('/bin/sh', ['-c', `for a in ${sqList(NASTY)}; do printf '[%s]' "$a"; done`], { encoding: 'utf8' });
  assert.equal(out, NASTY.map((v) => `[${v}]`).join(''));
  assert.equal(sqList([]), '');
});

test('sq() refuses a NUL byte', () => {
  assert.throws(() => sq('a\0b'), /NUL/);
});
