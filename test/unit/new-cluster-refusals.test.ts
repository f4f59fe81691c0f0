// lvs/newCluster's refusals are one text each: the messages the server answers with
// (server/lsp/new-cluster-refusals.ts) read in English exactly as the contract's checks word them
// (server/protocol/new-cluster.ts), and a refused answer gets its own message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { NEW_CLUSTER_REFUSALS, NewClusterParams } from '../../server/protocol/new-cluster';
import { NEW_CLUSTER_REFUSAL_WORDS, newClusterRefusal } from '../../server/lsp/new-cluster-refusals';
import { english } from '../../server/shared/l10n/message';

const GOOD = { name: 'web', network: '192.168.147.0/24', vip: '192.168.147.100', directors: 2, servers: 2, os: 'rhel9' };

const refusal = (answers: unknown): string => {
  const parsed = v.safeParse(NewClusterParams, answers);
  assert.equal(parsed.success, false);
  return english(newClusterRefusal(parsed.success ? { message: '' } : parsed.issues[0]));
};

test('each refusal message reads in English as the contract words it', () => {
  assert.deepEqual(Object.keys(NEW_CLUSTER_REFUSAL_WORDS).sort(), Object.keys(NEW_CLUSTER_REFUSALS).sort());
  for (const [key, words] of Object.entries(NEW_CLUSTER_REFUSAL_WORDS)) assert.equal(english(words), NEW_CLUSTER_REFUSALS[key as keyof typeof NEW_CLUSTER_REFUSALS]);
});

test('a refused answer gets the message of its check, or names the answer', () => {
  assert.equal(v.safeParse(NewClusterParams, GOOD).success, true);
  assert.equal(refusal({ ...GOOD, name: '1web' }), NEW_CLUSTER_REFUSALS.name);
  assert.equal(refusal({ ...GOOD, network: '192.168.147.0/30' }), NEW_CLUSTER_REFUSALS.network);
  assert.equal(refusal({ ...GOOD, vip: '192.168.147.1' }), NEW_CLUSTER_REFUSALS.vip);
  assert.equal(refusal({ ...GOOD, network: '192.168.147.0/29', vip: '192.168.147.6', servers: 3 }), NEW_CLUSTER_REFUSALS.room);
  assert.equal(refusal({ ...GOOD, servers: 99 }), 'The answer for servers is not accepted.');
  assert.equal(refusal('web'), NEW_CLUSTER_REFUSALS.shape);
});
