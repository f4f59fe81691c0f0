// The designer's contracts (server/protocol): one schema per message and intent, checked at the
// extension's boundary with the webview (checkFromWebview) and used by the webview's forms.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { SCHEDULERS } from '../../server/language/vocabulary';
import { check } from '../../server/protocol/check';
import { DesignerIntent, INTENT_TYPES } from '../../server/protocol/designer-intent';
import { checkFromWebview } from '../../server/protocol/designer-messages';
import { IntentResult } from '../../server/protocol/designer-requests';

const setWeight = { type: 'setWeight', cluster: 'web', service: 'http', server: 'web1', weight: 3 };
const intentMessage = (intent: object) => ({ type: 'intent', requestId: 7, version: 2, intent });

/** Why the schema refuses `intent` ('' when it accepts it). */
function intentError(intent: object): string {
  const r = check(DesignerIntent, intent);
  return r.ok ? '' : r.error;
}

describe('messages from the webview', () => {
  test('a well-formed intent message passes and keeps its fields', () => {
    const r = checkFromWebview(intentMessage(setWeight));
    assert.deepEqual(r, { ok: true, value: intentMessage(setWeight) });
  });

  test("a name with ':' or '.' is refused with the field and the rule", () => {
    const colon = checkFromWebview(intentMessage({ ...setWeight, server: 'web:1' }));
    assert.equal(colon.ok, false);
    assert.equal(!colon.ok && colon.ignored, undefined, 'a malformed known message is reported, not ignored');
    assert.equal(!colon.ok && colon.error, "intent: Server name 'web:1' is not a valid name: use a letter or '_' followed by letters, digits, '_' or '-'. (at intent.server)");
    const dot = checkFromWebview(intentMessage({ ...setWeight, cluster: 'web.prod' }));
    assert.match(!dot.ok ? dot.error : '', /Cluster name 'web\.prod' is not a valid name.*\(at intent\.cluster\)/);
  });

  test('a weight out of range, a fraction or a string is refused', () => {
    for (const [weight, message] of [[65536, /whole number from 0 to 65535 \(got 65536\)/], [-1, /got -1/], [1.5, /got 1\.5/], ['5', /Weight must be a number/]] as const) {
      const r = checkFromWebview(intentMessage({ ...setWeight, weight }));
      assert.match(!r.ok ? r.error : 'accepted', message, String(weight));
      assert.match(!r.ok ? r.error : '', /\(at intent\.weight\)/);
    }
  });

  test('unknown and extra fields, unknown intent types and a missing field are refused', () => {
    const extra = checkFromWebview(intentMessage({ ...setWeight, shell: 'x' }));
    assert.match(!extra.ok ? extra.error : '', /Unexpected field 'shell' in a setWeight intent/);
    const rm = checkFromWebview(intentMessage({ type: 'rm -rf', cluster: 'web' }));
    assert.match(!rm.ok ? rm.error : '', /Unknown intent type "rm -rf"; expected one of addRealServer, /);
    assert.match(intentError({ type: 'setRole', cluster: 'web', role: 'master' }), /Field 'director' of a setRole intent is missing/);
    assert.match(intentError({ type: 'setProtocolPort', cluster: 'web', service: 'http' }), /needs a protocol, a port or both/);
  });

  test('an unknown message type is ignored; a malformed known one is not', () => {
    assert.deepEqual(checkFromWebview({ type: 'evil', payload: '<img>' }), { ok: false, error: 'unknown message type "evil"', ignored: true });
    assert.equal(checkFromWebview('not even an object').ok, false);
    const reveal = checkFromWebview({ type: 'reveal', range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } } });
    assert.equal(reveal.ok, false);
    assert.equal(!reveal.ok && reveal.ignored, undefined);
    const log = checkFromWebview({ type: 'log', level: 'error', message: 'x'.repeat(10_000) });
    assert.equal(log.ok && log.value.type === 'log' && log.value.message.length, 4000, 'a long log line is cut');
  });
});

describe('the intent schema', () => {
  test('every intent type has a schema, and the scheduler choice is the language\'s list', () => {
    assert.deepEqual([...INTENT_TYPES].sort(), ['addRealServer', 'removeNode', 'setHostAddress', 'setProtocolPort', 'setRole', 'setScheduler', 'setWeight', 'toggleVipOn']);
    for (const scheduler of SCHEDULERS) assert.ok(v.is(DesignerIntent, { type: 'setScheduler', cluster: 'web', service: 'http', scheduler }), scheduler);
    assert.equal(v.is(DesignerIntent, { type: 'setScheduler', cluster: 'web', service: 'http', scheduler: 'roundrobin' }), false);
  });

  test("an addRealServer's address is an IPv4 address or '' (the server exists), its interface a Linux name", () => {
    const add = { type: 'addRealServer', cluster: 'web', service: 'http', name: 'web3', address: '192.168.147.7', weight: 1 };
    assert.ok(v.is(DesignerIntent, add));
    assert.ok(v.is(DesignerIntent, { ...add, address: '' }));
    assert.ok(v.is(DesignerIntent, { ...add, iface: 'eth0.100' }));
    assert.match(intentError({ ...add, address: '192.168.147.300' }), /'192\.168\.147\.300' is not an IPv4 address/);
    assert.match(intentError({ ...add, iface: 'eth0;reboot' }), /not a valid interface name/);
    assert.match(intentError({ ...add, iface: 'a234567890123456' }), /at most 15 characters/);
  });

  test("the language server's answers are checked too", () => {
    assert.ok(v.is(IntentResult, { ok: true, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, newText: '4' }] }));
    assert.equal(v.is(IntentResult, { ok: false, reason: 'because', message: 'x' }), false);
  });
});
