import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from '../../server/language/parse';
import { FOLLOWS_PHASE, LvsParser } from '../../server/language/parser';

const seed = readFileSync('examples/seed.lvs', 'utf8');

test("the grammar passes chevrotain's validations (the shared parser skips them at start-up)", () => {
  // performSelfAnalysis throws on an ambiguous alternation, left recursion or a duplicate rule.
  assert.doesNotThrow(() => new LvsParser({ checkGrammar: true }));
});

test('the follow sets error recovery reads are computed on their first read, and equal what chevrotain computes at construction', () => {
  type Follows = Record<string, Array<{ name: string }>>;
  const deferred = new LvsParser() as unknown as { resyncFollows: Follows };
  // Fails if chevrotain renamed the phase: the sets would be computed at construction again.
  assert.equal(typeof Object.getOwnPropertyDescriptor(deferred, 'resyncFollows')?.get, 'function', `phase ${FOLLOWS_PHASE} not deferred`);
  class EagerParser extends LvsParser {
    protected override TRACE_INIT<R>(phase: string, impl: () => R): R {
      return phase === FOLLOWS_PHASE ? impl() : super.TRACE_INIT(phase, impl);
    }
  }
  const eager = new EagerParser() as unknown as { resyncFollows: Follows };
  assert.equal(Object.getOwnPropertyDescriptor(eager, 'resyncFollows')?.get, undefined);
  const names = (f: Follows) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.map((t) => t.name)]));
  const computed = names(deferred.resyncFollows);
  assert.ok(Object.keys(computed).length > 20, `${Object.keys(computed).length} follow sets`);
  assert.deepEqual(computed, names(eager.resyncFollows));
  assert.equal(typeof Object.getOwnPropertyDescriptor(deferred, 'resyncFollows')?.get, 'undefined', 'computed once, then a plain value');
});

test('the seed parses without issues', () => {
  const r = parse(seed);
  assert.deepEqual(r.issues, []);
  const c = r.ast.clusters[0];
  assert.equal(c.name.text, 'web');
  assert.deepEqual(c.directors.map((d) => d.name.text), ['lvs1', 'lvs2']);
  assert.deepEqual(c.servers.map((s) => s.name.text), ['web1', 'web2']);
  assert.equal(c.services[0].reals.length, 2);
  assert.equal(c.ha?.advert?.value, 1000);
  assert.equal(c.ha?.auth?.value.kind, 'reference');
});

test('one typo does not hide the rest of the file', () => {
  const broken = seed.replace('priority 100', 'priorty 100').replace('real web2 weight 1', 'real web2 weght 1');
  const r = parse(broken);
  assert.equal(r.issues.length, 2);
  assert.match(r.issues[0].message, /Did you mean 'priority'\?/);
  const c = r.ast.clusters[0];
  assert.deepEqual(c.servers.map((s) => s.name.text), ['web1', 'web2']);
  assert.equal(c.ssh?.user?.value, 'root');
  assert.equal(c.targetOs?.value, 'rhel7');
});
