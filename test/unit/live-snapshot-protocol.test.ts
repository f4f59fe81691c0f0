// The live snapshot's contract (server/protocol/live-snapshot.ts): the example shape
// parses, malformed ones are rejected with a reason, and the health summary never calls a
// cluster with an unreachable host healthy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterHealth } from '../../server/protocol/live-health';
import { checkLiveSnapshot, LiveSnapshot } from '../../server/protocol/live-snapshot';

export function sampleSnapshot(): LiveSnapshot {
  return {
    v: 1, cluster: 'web', target: 'lab', at: '2026-12-06T06:00:00.000Z', ms: 120,
    directors: [
      { name: 'lvs1', address: '192.168.147.6', reachable: true, keepalived: true, vrrp: 'MASTER', priority: 100, vips: ['192.168.147.100'],
        ipvs: [{ vip: '192.168.147.100', port: 80, protocol: 'tcp', scheduler: 'rr', reals: [{ address: '192.168.147.4', port: 80, forward: 'route', weight: 1, active: 0, inactive: 3 }] }],
        timeouts: { tcp: 900, tcpFin: 120, udp: 300 } },
      { name: 'lvs2', address: '192.168.147.5', reachable: false, error: 'timed out', keepalived: null, vrrp: 'UNKNOWN', priority: null, vips: [], ipvs: null, timeouts: null },
    ],
    realServers: [{ name: 'web1', address: '192.168.147.4', reachable: true, loVips: [{ address: '192.168.147.100', prefix: 32 }],
      arp: { allIgnore: 1, allAnnounce: 2, loIgnore: 1, loAnnounce: 2 }, ports: [{ port: 80, protocol: 'tcp', answers: true }] }],
    services: [{ name: 'http', vip: '192.168.147.100', port: 80, protocol: 'tcp', from: 'lvs1', present: true,
      reals: [{ name: 'web1', address: '192.168.147.4', weight: 1, fileWeight: 1, active: 0, inactive: 3, inService: true, drained: false, connsPerSec: 0, packetsInPerSec: 0, bytesInPerSec: 0 }] }],
    overrides: [],
    findings: [{ code: 'LVS500', severity: 'error', message: 'lvs2 does not answer', host: 'lvs2' }],
  };
}

test('a well-formed snapshot parses', () => {
  const r = checkLiveSnapshot(JSON.parse(JSON.stringify(sampleSnapshot())));
  assert.equal(r.ok, true, r.ok ? '' : r.error);
});

test('malformed snapshots are rejected with where', () => {
  const bad = sampleSnapshot() as unknown as { directors: { vrrp: string }[] };
  bad.directors[0].vrrp = 'PRIMARY';
  const r = checkLiveSnapshot(bad);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.error, /directors\.0\.vrrp/);
  const code = sampleSnapshot();
  code.findings[0].code = 'rm -rf';
  assert.equal(checkLiveSnapshot(code).ok, false);
});

test('health: unreachable is never ok; split brain wins; out of service counts', () => {
  assert.deepEqual(clusterHealth(sampleSnapshot()), { kind: 'unreachable', hosts: ['lvs2'] });
  const s = sampleSnapshot();
  s.directors[1].reachable = true;
  assert.deepEqual(clusterHealth(s), { kind: 'ok', inService: 1 });
  s.services[0].reals[0].inService = false;
  assert.deepEqual(clusterHealth(s), { kind: 'degraded', out: 1, total: 1 });
  s.findings.push({ code: 'LVS501', severity: 'error', message: 'split' });
  assert.equal(clusterHealth(s).kind, 'split-brain');
});
