// The deploy notification's progress in words (client/deploy/progress-words.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { english, logEventLine, logLine, ProgressWords } from '../../client/deploy/progress-words';

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

test('the deploy log reads in VS Code\'s language: step lines through the translator, log events in the CLI\'s localized text after a translated level word', () => {
  // the translations VS Code would apply (l10n/bundle.l10n.zh-cn.json)
  const zh = JSON.parse(readFileSync('l10n/bundle.l10n.zh-cn.json', 'utf8')) as Record<string, string>;
  const say = (m: string, ...args: Array<string | number>) => english(zh[m] ?? m, ...args);
  assert.equal(logLine({ host: 'web1', step: 'upload', state: 'done', ms: 210, detail: '3 written', detailLocalized: '写入 3 个' }, say), 'web1：正在上传文件：完成（0.21 秒） 写入 3 个');
  assert.equal(logLine({ step: 'probe', state: 'skipped' }, say), '集群：正在通过 VIP 探测：已跳过');
  assert.equal(logEventLine({ level: 'info', text: 'accepting the host key', textLocalized: '接受主机密钥' }, say), '接受主机密钥');
  assert.equal(logEventLine({ level: 'warning', text: 'unknown host key; refused', textLocalized: '未知主机密钥；已拒绝' }, say), '警告：未知主机密钥；已拒绝');
  assert.equal(logEventLine({ level: 'error', text: 'lock held\x1b[31m' }), 'error: lock held');
  assert.equal(logEventLine({ level: 'warning', text: 'unknown host key; refused' }), 'warning: unknown host key; refused');
});
