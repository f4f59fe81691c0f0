// Round trip: for random clusters the language expresses (random-cluster.ts), importing the
// generated keepalived.conf of every director, and separately the generated `ipvsadm -Sn`
// rules, gives back the same cluster. Both sides are parsed and projected onto what the input
// can carry (the comparison is stated in `projection` and `ipvsProjection`): the other values
// (gateway, real servers' interfaces, sysctls, target os, and a director's address under
// multicast VRRP) are in neither keepalived.conf nor the IPVS table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateFile } from '../../server/generate';
import { KEEPALIVED_CONF } from '../../server/generate/keepalived';
import { ipvsRules } from '../../server/generate/ipvsadm-rules';
import { specifyCluster } from '../../server/generate/spec';
import { importCluster } from '../../server/import';
import * as A from '../../server/language/ast';
import { validateText } from '../../server/validation/registry';
import { randomClassicClusterText } from './random-cluster';

const RUNS = Number(process.env.IMPORT_ROUND_TRIPS ?? 1000);

const sec = (ms: number | undefined, dflt: number) => (ms === undefined ? dflt : Math.max(1, Math.ceil(ms / 1000)));

function clusterOf(text: string): A.Cluster {
  const c = validateText(text).model.ast.clusters;
  assert.equal(c.length, 1);
  return c[0];
}

function vipAddress(c: A.Cluster, ref: string | undefined): string {
  const vip = ref === undefined ? c.vips[0] : c.vips.find((v) => v.name?.text === ref || v.address.value === ref);
  return vip?.address.value ?? String(ref);
}

/** Services as IPVS sees them: VIP, protocol, port, scheduler, persistence, real servers. */
function ipvsProjection(c: A.Cluster) {
  const servers = new Map(c.servers.map((s) => [s.name.text, s.address?.value]));
  return c.services.map((s) => ({
    vip: vipAddress(c, s.vip?.value), protocol: s.protocol?.value ?? 'tcp', port: s.port?.value, scheduler: s.scheduler?.value ?? 'wlc',
    persistence: s.persistence ? { timeout: sec(s.persistence.value.duration, 300), netmask: s.persistence.value.netmask?.value ?? '255.255.255.255' } : null,
    reals: s.reals.map((r) => ({ address: servers.get(r.name.text), port: r.port?.value ?? s.port?.value, weight: r.weight?.value ?? 1 })),
  }));
}

/**
 * VIPs held by VRRP with the label each ends up on: the `IF:N` the file asked for, else the next
 * free `DEV:N` of the director's interface (the generator's placement, docs/language.md).
 */
function placedVips(c: A.Cluster) {
  const dev = c.directors[0]?.iface?.value.split(':')[0];
  const used = new Set(c.vips.map((v) => v.iface?.value).filter((l) => l?.includes(':')));
  let n = 0;
  return c.vips.map((v) => {
    const asked = v.iface?.value;
    if (asked?.includes(':')) return { address: v.address.value, label: asked };
    const on = asked ?? dev;
    while (used.has(`${on}:${n}`)) n++;
    used.add(`${on}:${n}`);
    return { address: v.address.value, label: `${on}:${n}` };
  });
}

/** What keepalived.conf carries: the IPVS view plus checks and quiesce, VRRP and each director's part of it. */
function projection(c: A.Cluster) {
  const unicast = !!c.ha?.unicast;
  return {
    services: ipvsProjection(c).map((p, i) => {
      const s = c.services[i];
      const ch = s.checks[0];
      const type = ch?.type.value ?? 'none';
      return {
        ...p, quiesce: s.onFailure?.value === 'quiesce',
        check: type === 'none' ? { type } : {
          type, every: sec(ch?.every?.value, 5), timeout: sec(ch?.timeout?.value, 3), retry: ch?.retry?.value ?? 1,
          ...(type === 'http' || type === 'https' ? { path: ch?.path?.value ?? '/', expect: ch?.expect?.value ?? 200 } : {}),
        },
      };
    }),
    ha: c.ha ? { routerId: c.ha.routerId?.value, advert: sec(c.ha.advert?.value, 1), unicast, auth: !!c.ha.auth } : null,
    vips: c.ha ? placedVips(c) : null,
    directors: c.ha ? c.directors.map((d, i) => {
      const role = d.role?.value ?? (i === 0 ? 'master' : 'backup');
      // keepalived drops nopreempt on an initial MASTER (LVS102): the generated file leaves it out.
      return { iface: d.iface?.value.split(':')[0], role, priority: d.priority?.value, nopreempt: !!d.nopreempt && role !== 'master', address: unicast ? d.address?.value : null };
    }) : null,
  };
}

test(`round trip: ${RUNS} random clusters through their generated keepalived.conf files and ipvsadm rules`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvs-import-rt-'));
  let withHa = 0;
  try {
    fc.assert(fc.property(randomClassicClusterText, (text) => {
      const original = clusterOf(text);
      // The IPVS table of every cluster, as `ipvsadm -Sn` prints it.
      const model = validateText(text).model.clusters[0];
      const rulesFile = join(dir, 'rules');
      writeFileSync(rulesFile, ipvsRules(specifyCluster(model, 'rnd.lvs')).join('\n') + '\n');
      const fromRules = importCluster({ keepalived: [], ipvsadm: rulesFile, cluster: 'rt' });
      assert.equal(fromRules.lossy, false, 'nothing in generated rules is reported as not expressible');
      assert.deepEqual(ipvsProjection(clusterOf(fromRules.text)), ipvsProjection(original));
      if (!original.ha) return;
      withHa++;
      const files = generateFile(text, 'rnd.lvs', { preview: true }).clusters[0].files.filter((f) => f.path === KEEPALIVED_CONF);
      assert.equal(files.length, 2);
      const paths = files.map((f) => {
        const p = join(dir, `${f.host}.conf`);
        writeFileSync(p, f.content);
        return { path: p };
      });
      const fromKa = importCluster({ keepalived: paths, cluster: 'rt' });
      assert.deepEqual(fromKa.findings.filter((f) => f.kind === 'not-expressible'), [], 'nothing in generated keepalived.conf is reported as not expressible');
      assert.deepEqual(projection(clusterOf(fromKa.text)), projection(original));
    }), { numRuns: RUNS });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(withHa > RUNS / 4, `clusters with ha were compared through keepalived.conf (${withHa})`);
});
