// The deploy notification's progress in words (client/deploy/progress-words.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logLine, ProgressWords } from '../../client/deploy/progress-words';

test('progress reads "step k of n: host, step" and the count never exceeds the total', () => {
  const w = new ProgressWords('plan');
  w.begin(2);
  assert.equal(w.message({ host: 'web1', step: 'connect', state: 'start' }), 'step 1 of 8: web1, connecting');
  assert.equal(w.message({ host: 'web1', step: 'connect', state: 'done', ms: 30 }), 'step 1 of 8: web1, connecting done');
  assert.equal(w.message({ host: 'web2', step: 'upload', state: 'failed' }), 'step 2 of 8: web2, uploading files failed');
  assert.equal(w.message({ host: 'web2', step: 'read', state: 'info', detail: 'x' }), undefined);
  for (const step of ['preflight', 'read', 'plan', 'lock', 'unlock', 'backup', 'apply'] as const) w.message({ host: 'web1', step, state: 'done' });
  assert.equal(w.message({ step: 'probe', state: 'skipped' }), 'step 10 of 10: cluster, probing through the VIPs (skipped)');
  assert.equal(logLine({ host: 'web1', step: 'upload', state: 'done', ms: 210, detail: '3 written' }), 'web1: uploading files: done (0.21 s) 3 written');
  assert.equal(logLine({ host: 'web1', step: 'apply', state: 'failed', detail: '\x1b[31mexit 1\x1b[0m\x1b]0;pwn\x07' }), 'web1: applying the configuration: failed exit 1');
});
