// Files shared by hosts of the same shape (server/generate/shared-body.ts): sharing never
// changes a byte, hosts of one shape are rendered once, a renderer never sees a host's name or
// address, and hosts that differ in anything else get their own rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { generateFile } from '../../server/generate';
import { specifyCluster } from '../../server/generate/spec';
import { HostShape, SharedBodies, sharedFile } from '../../server/generate/shared-body';
import { Lines } from '../../server/generate/text';
import { validateText } from '../../server/validation/registry';
import { bigTopology } from '../bench/topology';
import { randomClusterText } from './random-cluster';

test('sharing bodies gives the same bytes as rendering every host anew (random clusters, previews and resolved secrets)', () => {
  const secrets = () => 's3cret-value-1234';
  fc.assert(fc.property(randomClusterText, fc.boolean(), (text, preview) => {
    const shared = generateFile(text, 'rnd.lvs', { preview, secrets });
    const apart = generateFile(text, 'rnd.lvs', { preview, secrets, shareBodies: false });
    assert.deepEqual(shared, apart);
    assert.ok(shared.clusters[0].files.length > 0);
  }), { numRuns: 300 });
});

function planOf(text: string) {
  const result = validateText(text);
  assert.deepEqual(result.findings.filter((f) => f.severity === 'error'), []);
  return specifyCluster(result.model.clusters[0], 'x.lvs');
}

test('hosts of one shape are rendered once; the renderer sees neither name nor address', () => {
  const plan = planOf(bigTopology(40, 4).lvs);
  const seen: HostShape[] = [];
  const render = sharedFile('/opt/test', 0o644, { purpose: ['test'] }, (_plan, host) => {
    seen.push(host);
    return new Lines().add(`os ${host.os}`);
  });
  const bodies = new SharedBodies(plan);
  const files = [...plan.directors, ...plan.servers].map((host) => {
    const shaped = bodies.shape(host);
    return bodies.files({ host, shaped }, render)[0];
  });
  // Two directors (master and backup differ in role and priority) and one server shape.
  assert.equal(seen.length, 3);
  for (const shape of seen) {
    assert.ok(!('name' in shape) && !('address' in shape), `a renderer was given ${JSON.stringify(shape)}`);
  }
  // Each copy still names its own host, and only that line differs.
  const rs7 = files.find((f) => f.host === 'rs7')!;
  const rs8 = files.find((f) => f.host === 'rs8')!;
  assert.match(rs7.content, /host rs7 \(server, target os rhel7\)/);
  assert.match(rs8.content, /host rs8 \(server, target os rhel7\)/);
  assert.equal(rs7.content.replace('host rs7 ', 'host rs8 '), rs8.content);
});

test('a host that differs in os, sysctls or VIP placement gets its own rendering', () => {
  const base = bigTopology(6, 1).lvs;
  const text = base
    .replace('server rs1 { address 10.0.1.1  interface ens33  vip-on lo:0 }', 'server rs1 { address 10.0.1.1  interface ens33  vip-on lo:0  target os ubuntu }')
    .replace('server rs2 { address 10.0.1.2  interface ens33  vip-on lo:0 }', 'server rs2 { address 10.0.1.2  interface ens33  vip-on lo:0  sysctl net.core.somaxconn = 1024 }')
    .replace('server rs3 { address 10.0.1.3  interface ens33  vip-on lo:0 }', 'server rs3 { address 10.0.1.3  interface ens33  vip-on lo:1 }');
  assert.notEqual(text, base);
  const files = generateFile(text, 'x.lvs', { preview: true }).clusters[0].files;
  const apply = (host: string) => files.find((f) => f.host === host && f.path === '/opt/lvs/apply.sh')!.content;
  const body = (host: string) => apply(host).split('\n').filter((l) => !l.startsWith('# cluster ')).join('\n');
  assert.equal(body('rs0'), body('rs4'));
  for (const host of ['rs1', 'rs2', 'rs3']) assert.notEqual(body(host), body('rs0'), host);
  assert.match(apply('rs2'), /set_sysctl 'net\.core\.somaxconn' '1024'/);
  assert.match(apply('rs3'), /ensure_addr 'lo' '10\.0\.0\.100\/32' 'lo:1'/);
});
