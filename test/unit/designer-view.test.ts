// The designer webview's pure parts: the network layout (media/designer/layout.ts) and the live
// marks (media/designer/live.ts), on the seed's real diagram model and on a snapshot shaped as
// `lvsdr status --json` prints it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildDiagram } from '../../server/diagram/model';
import { analyze } from '../../server/lsp/analysis';
import type { LiveView } from '../../server/protocol/designer-live';
import { checkLiveSnapshot } from '../../server/protocol/live-snapshot';
import type { DiagramCluster } from '../../server/protocol/diagram-model';
import { columnsFor, layoutCluster, MIN_WIDTH, NODE_W, RAIL, TRUNK } from '../../media/designer/layout';
import { liveMarks, liveSummary } from '../../media/designer/live';
import { titleOf } from '../../media/designer/nodeinfo';
import { syntaxErrorText } from '../../media/designer/syntax-error-text';
import { bigTopology } from '../bench/topology';

const seedText = readFileSync('examples/seed.lvs', 'utf8');
const clusterOf = (text: string, uri: string): DiagramCluster => buildDiagram(analyze(TextDocument.create(uri, 'lvs', 1, text))).clusters[0];
const seed = clusterOf(seedText, 'file:///test/view-seed.lvs');

describe('network layout', () => {
  test('the seed as an admin draws it: clients above the router, then the segment, the pair, the service, the servers', () => {
    const l = layoutCluster(seed, {}, new Set(), 900);
    const y = (id: string) => l.byId.get(id)!.y;
    assert.ok(l.byId.has('web/router/gateway'), 'a router node');
    assert.equal(l.byId.get('web/router/gateway')!.router?.address, '192.168.147.2');
    assert.ok(y('web/client/clients') < y('web/router/gateway'));
    assert.ok(y('web/router/gateway') < y('web/vip/192.168.147.100'));
    assert.ok(y('web/vip/192.168.147.100') < y('web/director/lvs1'));
    assert.equal(y('web/director/lvs1'), y('web/director/lvs2'), 'the VRRP pair side by side');
    assert.ok(y('web/director/lvs1') < y('web/service/http') && y('web/service/http') < y('web/server/web1'));
    assert.deepEqual(l.decor.frames.map((f) => f.kind), ['segment', 'pair']);
    assert.match(l.decor.frames[0].caption, /L2 segment 192\.168\.147\.0\/24/);
    assert.match(l.decor.frames[1].caption, /VRRP pair: lvs1 \+ lvs2/);
    const pair = l.decor.frames[1];
    for (const id of ['web/director/lvs1', 'web/director/lvs2', 'web/vip/192.168.147.100']) {
      const it = l.byId.get(id)!;
      assert.ok(it.y >= pair.y && it.y + it.h <= pair.y + pair.h, `${id} inside the pair's frame`);
    }
    // DR replies: every used real server to the rail, the rail up to the router; none via a director.
    const replies = l.edges.filter((e) => e.kind === 'reply');
    assert.deepEqual(replies.filter((e) => e.to === RAIL).map((e) => e.from).sort(), ['web/server/web1', 'web/server/web2']);
    assert.ok(replies.every((e) => !e.from.includes('/director/') && !e.to.includes('/director/')));
    assert.ok(l.decor.rail && l.decor.rail.routerY === l.byId.get('web/router/gateway')!.y + l.byId.get('web/router/gateway')!.h / 2);
    // the clients' requests come in through the router; directors feed the services through the trunk
    assert.ok(l.edges.some((e) => e.from === 'web/router/gateway' && e.to === 'web/vip/192.168.147.100'));
    assert.ok(l.edges.some((e) => e.from === TRUNK && e.to === 'web/service/http' && e.count === 2));
  });

  test('wraps to the width it has: nothing right of it, one column at the narrowest', () => {
    const c = clusterOf(bigTopology(22, 2).lvs, 'file:///test/view-22.lvs');
    for (const width of [MIN_WIDTH, 500, 900, 1600]) {
      const l = layoutCluster(c, {}, new Set(), width);
      assert.ok(l.width <= Math.max(width, MIN_WIDTH), `layout ${l.width} px wide for ${width} px`);
      for (const it of l.items) assert.ok(it.x + it.w <= l.width, `${it.id} ends at ${it.x + it.w} > ${l.width}`);
      assert.equal(l.columns, columnsFor(width));
    }
    assert.equal(columnsFor(MIN_WIDTH), 1);
    assert.ok(layoutCluster(c, {}, new Set(), 1600).height < layoutCluster(c, {}, new Set(), 500).height, 'wider is shorter');
    // no two nodes overlap
    const l = layoutCluster(c, {}, new Set(), 700);
    for (const a of l.items) for (const b of l.items) {
      if (a === b) continue;
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      assert.ok(apart, `${a.id} overlaps ${b.id}`);
    }
    assert.equal(NODE_W, l.byId.get('big/server/rs0')!.w);
  });
});

/** A snapshot as `lvsdr status --json` prints it (fields the designer does not draw included). */
function snapshot(over: Partial<Record<string, unknown>> = {}) {
  return {
    v: 1, cluster: 'web', target: 'lab', at: '2026-12-06T06:30:00.000Z', ms: 120,
    directors: [
      { name: 'lvs1', address: '192.168.147.6', reachable: true, keepalived: true, vrrp: 'MASTER', priority: 100, vips: ['192.168.147.100'], ipvs: [], timeouts: null },
      { name: 'lvs2', address: '192.168.147.5', reachable: true, keepalived: true, vrrp: 'BACKUP', priority: 90, vips: [], ipvs: [], timeouts: null },
    ],
    realServers: [
      { name: 'web1', address: '192.168.147.4', reachable: true, loVips: [{ address: '192.168.147.100', prefix: 32 }], arp: null, ports: [] },
      { name: 'web2', address: '192.168.147.3', reachable: true, loVips: [], arp: null, ports: [] },
    ],
    services: [{
      name: 'http', vip: '192.168.147.100', port: 80, protocol: 'tcp', from: 'lvs1', present: true,
      reals: [
        { name: 'web1', address: '192.168.147.4', weight: 1, fileWeight: 1, active: 2, inactive: 5, inService: true, drained: false, connsPerSec: 3, packetsInPerSec: 9, bytesInPerSec: 900 },
        { name: 'web2', address: '192.168.147.3', weight: null, fileWeight: 1, active: 0, inactive: 0, inService: false, drained: false, connsPerSec: 0, packetsInPerSec: 0, bytesInPerSec: 0, outSince: '2026-12-06T06:29:50.000Z' },
      ],
    }],
    overrides: [],
    findings: [{ code: 'LVS506', severity: 'error', message: 'web2 has no 192.168.147.100/32 on lo', host: 'web2' }],
    ...over,
  };
}

/** A director as the snapshot has it. */
function director(name: string, vrrp: string, vips: string[], more: Record<string, unknown> = {}) {
  return { name, address: name === 'lvs1' ? '192.168.147.6' : '192.168.147.5', reachable: true, keepalived: true, vrrp, priority: null, vips, ipvs: null, timeouts: null, ...more };
}

function view(...clusters: unknown[]): LiveView {
  const checked = clusters.map((c) => {
    const r = checkLiveSnapshot(c);
    assert.ok(r.ok, r.ok ? '' : r.error);
    return r.value;
  });
  return { status: 'live', target: 'lab', clusters: checked };
}

describe('live marks', () => {
  test('a status snapshot checks against LiveCluster as it is; MASTER/BACKUP, who holds the VIP, out of service with its finding', () => {
    const marks = liveMarks(view(snapshot()));
    assert.equal(marks.get('web/director/lvs1')!.badge, 'MASTER');
    assert.equal(marks.get('web/director/lvs1')!.line, 'holds 192.168.147.100');
    assert.equal(marks.get('web/director/lvs2')!.badge, 'BACKUP');
    assert.equal(marks.get('web/vip/192.168.147.100')!.line, 'held by lvs1');
    assert.equal(marks.get('web/server/web1')!.cls, 'live-in');
    assert.match(marks.get('web/server/web1')!.line, /^2 active, 5 inactive · 3\/s$/);
    const web2 = marks.get('web/server/web2')!;
    assert.equal(web2.badge, 'OUT');
    assert.match(web2.line, /health check failed/);
    assert.deepEqual(web2.findings.map((f) => f.code), ['LVS506']);
    assert.equal(liveSummary(view(snapshot())), 'live: lab · 1 out of service · 1 finding');
  });

  test('failover, split brain, keepalived stopped, a drained server, an unreachable host', () => {
    const failover = snapshot({
      directors: [
        director('lvs1', 'STOPPED', [], { keepalived: false }),
        director('lvs2', 'MASTER', ['192.168.147.100']),
      ],
    });
    let marks = liveMarks(view(failover));
    assert.equal(marks.get('web/director/lvs1')!.badge, 'STOPPED');
    assert.equal(marks.get('web/director/lvs2')!.badge, 'MASTER');
    assert.equal(marks.get('web/vip/192.168.147.100')!.line, 'held by lvs2');
    marks = liveMarks(view(snapshot({
      directors: [
        director('lvs1', 'MASTER', ['192.168.147.100']),
        director('lvs2', 'MASTER', ['192.168.147.100']),
      ],
    })));
    assert.equal(marks.get('web/vip/192.168.147.100')!.badge, 'SPLIT BRAIN');
    const drained = snapshot();
    (drained.services as { reals: { drained: boolean; weight: number | null }[] }[])[0].reals[0].drained = true;
    (drained.realServers as { reachable: boolean }[])[1].reachable = false;
    marks = liveMarks(view(drained));
    assert.equal(marks.get('web/server/web1')!.badge, 'DRAINED');
    assert.equal(marks.get('web/server/web2')!.badge, 'UNREACHABLE');
    marks = liveMarks(view(snapshot({ directors: [director('lvs1', 'UNKNOWN', [], { reachable: false, keepalived: null })] })));
    assert.equal(marks.get('web/director/lvs1')!.badge, 'UNREACHABLE', 'unreachable is never shown as healthy');
    assert.equal(liveMarks({ status: 'off', clusters: [] }).size, 0);
  });
});

test('without a string table (English): the clients\' node is titled Clients, a syntax error reads Line N: …', () => {
  assert.equal(titleOf(seed.nodes.find((n) => n.kind === 'client')!), 'Clients');
  assert.equal(syntaxErrorText({ line: 7, message: "Unknown keyword 'priorty'" }), "Line 7: Unknown keyword 'priorty'");
});
