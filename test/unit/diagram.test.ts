// The designer's server side: the diagram model of a document (nodes, tiers, edges, node
// diagnostics, last good model) and the intents that edit the text with minimal TextEdits.
// Every intent is checked the same way: apply its edits, re-parse, compare the diagram with the
// old one plus exactly the intended change, check that only the intended lines changed (so
// comments and formatting elsewhere are byte-identical) and that no new error appeared.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { validateText } from '../../server/validation/registry';
import { buildDiagram, LastGoodModels, NO_MODEL_VERSION } from '../../server/diagram/model';
import { applyIntent } from '../../server/diagram/intents';
import { DiagramSource } from '../../server/diagram/source';
import { DesignerIntent } from '../../server/protocol/designer-intent';
import { IntentResult, TextEditData } from '../../server/protocol/designer-requests';
import { DiagramCluster, DiagramModel } from '../../server/protocol/diagram-model';

const seed = readFileSync('examples/seed.lvs', 'utf8');

/** A fresh source (not the language server's per-uri cache: tests reuse uris and versions). */
function analysis(text: string, version = 1, uri = 'file:///test/diagram.lvs'): DiagramSource {
  return { ...validateText(text), doc: TextDocument.create(uri, 'lvs', version, text) };
}

function applyEdits(text: string, edits: TextEditData[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.lvs', 'lvs', 1, text), edits);
}

function errorCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of validateText(text).findings) if (f.severity === 'error') counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return counts;
}

/** Lines removed from `a` and added in `b` (longest-common-subsequence line diff). */
function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  let s = 0;
  while (s < x.length - p && s < y.length - p && x[x.length - 1 - s] === y[y.length - 1 - s]) s++;
  const xm = x.slice(p, x.length - s);
  const ym = y.slice(p, y.length - s);
  const lcs: number[][] = Array.from({ length: xm.length + 1 }, () => new Array<number>(ym.length + 1).fill(0));
  for (let i = xm.length - 1; i >= 0; i--) {
    for (let j = ym.length - 1; j >= 0; j--) lcs[i][j] = xm[i] === ym[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < xm.length || j < ym.length) {
    if (i < xm.length && j < ym.length && xm[i] === ym[j]) { i++; j++; }
    else if (j < ym.length && (i === xm.length || lcs[i][j + 1] >= lcs[i + 1][j])) added.push(ym[j++]);
    else removed.push(xm[i++]);
  }
  return { removed, added };
}

/** Line diffs compared as sets of lines: equal lines (blank ones, `}`) can align either way. */
function sameDiff(actual: { removed: string[]; added: string[] }, expected: { removed: string[]; added: string[] }) {
  assert.deepEqual({ removed: [...actual.removed].sort(), added: [...actual.added].sort() }, { removed: [...expected.removed].sort(), added: [...expected.added].sort() });
}

interface NormEdge { from: string; to: string; kind: string; weight: number | undefined }
interface NormNode { id: string; kind: string; label: string; tier: number; props: Record<string, string | number | boolean> }
interface NormCluster { name: string; network?: string; gateway?: string; nodes: NormNode[]; edges: NormEdge[] }

const edgeKey = (e: NormEdge) => `${e.from}>${e.to}>${e.kind}`;

/** The diagram without ranges and diagnostics, edges sorted: what an intent is meant to change. */
function norm(m: DiagramModel): NormCluster[] {
  return m.clusters.map((c: DiagramCluster) => ({
    name: c.name, network: c.network, gateway: c.gateway,
    nodes: c.nodes.map((n) => ({ id: n.id, kind: n.kind, label: n.label, tier: n.tier, props: { ...n.props } })),
    edges: c.edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind, weight: e.weight })).sort((p, q) => edgeKey(p).localeCompare(edgeKey(q))),
  }));
}

function sortEdges(c: NormCluster) {
  c.edges.sort((p, q) => edgeKey(p).localeCompare(edgeKey(q)));
}

const edge = (from: string, to: string, kind: 'request' | 'reply' = 'request', weight?: number): NormEdge => ({ from, to, kind, weight });

interface Run {
  after: string;
  edits: TextEditData[];
  diff: { removed: string[]; added: string[] };
  before: NormCluster[];
  now: NormCluster[];
  model: DiagramModel;
}

/** Applies an intent that must succeed; checks the result parses and brings no new error. */
function run(text: string, intent: DesignerIntent, allowedNewErrors: string[] = []): Run {
  const a = analysis(text);
  const r = applyIntent(a, intent);
  assert.ok(r.ok, `intent refused: ${JSON.stringify(r)}`);
  const after = applyEdits(text, r.edits);
  const b = analysis(after, 2);
  assert.deepEqual(b.findings.filter((f) => f.code === 'LVS001').map((f) => f.message), [], `syntax errors after the edit:\n${after}`);
  const was = errorCounts(text);
  for (const [code, n] of errorCounts(after)) {
    if (!allowedNewErrors.includes(code)) assert.ok(n <= (was.get(code) ?? 0), `new error ${code} after the edit:\n${after}`);
  }
  const model = buildDiagram(b);
  return { after, edits: r.edits, diff: lineDiff(text, after), before: norm(buildDiagram(a)), now: norm(model), model };
}

function refused(text: string, intent: unknown, reason: string, message: RegExp) {
  const r: IntentResult = applyIntent(analysis(text), intent as DesignerIntent);
  assert.equal(r.ok, false, `expected a refusal, got edits ${JSON.stringify(r)}`);
  if (r.ok) return;
  assert.equal(r.reason, reason, r.message);
  assert.match(r.message, message);
}

function nodeOf(c: NormCluster, id: string): NormNode {
  const n = c.nodes.find((x) => x.id === id);
  assert.ok(n, `no node ${id}`);
  return n;
}

const SEED_SERVER_WEB1 = '  server web1 { address 192.168.147.4  interface ens33  vip-on lo:0 }';
const SEED_SERVER_WEB2 = '  server web2 { address 192.168.147.3  interface ens33  vip-on lo:0 }';

// The docs' two-cluster example: one-line blocks.
const twoClusters = `cluster web {
  network 10.1.0.0/24
  gateway 10.1.0.1
  vip 10.1.0.100
  director lb1 { address 10.1.0.11 interface eth0 }
  server app1 { address 10.1.0.21 interface eth0 vip-on lo:0 }
  service http { protocol tcp port 80 scheduler wlc real app1 }
}

cluster mail {
  network 10.2.0.0/24
  gateway 10.2.0.1
  vip 10.2.0.25
  director mx-lb { address 10.2.0.10 interface ens3 }
  server mx1 { address 10.2.0.11 interface ens3 vip-on lo:0 }
  service smtp { protocol tcp port 25 scheduler rr real mx1 }
}
`;

// One property per line, no scheduler/weights/roles written.
const multiLine = `# lab cluster, one property per line
cluster lab {
  network 10.9.0.0/24
  gateway 10.9.0.1
  vip 10.9.0.100

  director d1 {
    address 10.9.0.5
    interface eth1
  }
  director d2 {
    address 10.9.0.6
    interface eth1
  }

  service dns {
    protocol udp   # DNS
    port 53
    real s1
  }

  server s1 {
    address 10.9.0.11
    interface eth1
    vip-on lo:0
  }
}
`;

// ============================================================================== diagram model

describe('diagram model', () => {
  test('the seed: client, VIP, two directors, service http, web1 and web2 in five tiers', () => {
    const m = buildDiagram(analysis(seed));
    assert.equal(m.parsedOk, true);
    assert.equal(m.version, 1);
    assert.equal(m.modelVersion, 1);
    assert.deepEqual(m.syntaxErrors, []);
    assert.equal(m.clusters.length, 1);
    const c = m.clusters[0];
    assert.equal(c.name, 'web');
    assert.equal(c.network, '192.168.147.0/24');
    assert.equal(c.gateway, '192.168.147.2');
    assert.deepEqual(c.nodes.map((n) => [n.id, n.kind, n.tier, n.label]), [
      ['web/client/clients', 'client', 0, 'Clients'],
      ['web/vip/192.168.147.100', 'vip', 1, '192.168.147.100'],
      ['web/director/lvs1', 'director', 2, 'lvs1'],
      ['web/director/lvs2', 'director', 2, 'lvs2'],
      ['web/service/http', 'service', 3, 'http'],
      ['web/server/web1', 'server', 4, 'web1'],
      ['web/server/web2', 'server', 4, 'web2'],
    ]);
    const byId = new Map(c.nodes.map((n) => [n.id, n]));
    assert.deepEqual(byId.get('web/vip/192.168.147.100')!.props, { name: '', address: '192.168.147.100', iface: '' });
    assert.deepEqual(byId.get('web/director/lvs1')!.props, { address: '192.168.147.6', interface: 'ens33', role: 'master', priority: 100, vrrpState: 'unknown' });
    assert.deepEqual(byId.get('web/director/lvs2')!.props, { address: '192.168.147.5', interface: 'ens33', role: 'backup', priority: 90, vrrpState: 'unknown' });
    assert.deepEqual(byId.get('web/service/http')!.props, { protocol: 'tcp', port: 80, scheduler: 'rr', persistence: '', check: 'http', vip: '192.168.147.100', fwmark: '', quorum: '', sorry: '' });
    assert.deepEqual(byId.get('web/server/web1')!.props, { address: '192.168.147.4', interface: 'ens33', gateway: '192.168.147.2', vipOn: 'lo:0', vipOnOk: true, used: true });
    assert.deepEqual(c.edges, [
      { from: 'web/client/clients', to: 'web/vip/192.168.147.100', kind: 'request' },
      { from: 'web/vip/192.168.147.100', to: 'web/director/lvs1', kind: 'request' },
      { from: 'web/vip/192.168.147.100', to: 'web/director/lvs2', kind: 'request' },
      { from: 'web/director/lvs1', to: 'web/service/http', kind: 'request' },
      { from: 'web/director/lvs2', to: 'web/service/http', kind: 'request' },
      { from: 'web/service/http', to: 'web/server/web1', kind: 'request', weight: 1 },
      { from: 'web/service/http', to: 'web/server/web2', kind: 'request', weight: 1 },
      { from: 'web/server/web1', to: 'web/client/clients', kind: 'reply' },
      { from: 'web/server/web2', to: 'web/client/clients', kind: 'reply' },
    ]);
    // Ranges are LSP line/character of the declarations; the seed has no findings at all.
    assert.deepEqual(byId.get('web/server/web1')!.range, { start: { line: 18, character: 2 }, end: { line: 18, character: 69 } });
    assert.deepEqual(byId.get('web/service/http')!.range, { start: { line: 11, character: 2 }, end: { line: 16, character: 3 } });
    assert.equal(byId.get('web/client/clients')!.range, undefined);
    for (const n of c.nodes) assert.deepEqual(n.diagnostics, []);
    assert.deepEqual(c.diagnostics, []);
    // Plain data: it survives JSON (JSON-RPC, postMessage) unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
  });

  test('servers no service uses are shown, unused, without a reply edge', () => {
    const text = seed.replace(SEED_SERVER_WEB2, `${SEED_SERVER_WEB2}\n  server spare { address 192.168.147.9  interface ens33  vip-on lo:0 }`);
    const c = buildDiagram(analysis(text)).clusters[0];
    const spare = c.nodes.find((n) => n.id === 'web/server/spare')!;
    assert.equal(spare.tier, 4);
    assert.equal(spare.props.used, false);
    assert.deepEqual(spare.diagnostics.map((d) => d.code), ['LVS104']);
    assert.equal(c.edges.filter((e) => e.from === 'web/server/spare' || e.to === 'web/server/spare').length, 0);
  });

  test('several clusters, named VIPs, services on their VIP, clients line, defaults', () => {
    const text = `cluster shop {
  network 10.20.0.0/24
  gateway 10.20.0.1
  vip www 10.20.0.100
  vip dns 10.20.0.53 interface eth0:1
  clients 203.0.113.0/24 198.51.100.7
  director lb1 { address 10.20.0.11  interface eth0  role master  priority 150 }
  director lb2 { address 10.20.0.12  interface eth0  role backup  priority 100 }
  ha { router-id 60  advert 1s  auth secret:vrrp-shop }
  service http { vip www  protocol tcp  port 80  scheduler wrr  real app1 weight 3  real app2 }
  service dns { vip dns  protocol udp  port 53  persistence 5m  real app2 weight 2 }
  server app1 { address 10.20.0.21  interface eth0  vip-on lo:0 }
  server app2 { address 10.20.0.22  interface eth0  gateway 10.20.0.254  vip-on lo:0  vip-on lo:1 vip dns }
}
${twoClusters}`;
    const m = buildDiagram(analysis(text));
    assert.deepEqual(m.clusters.map((c) => c.name), ['shop', 'web', 'mail']);
    const shop = m.clusters[0];
    const byId = new Map(shop.nodes.map((n) => [n.id, n]));
    assert.deepEqual(byId.get('shop/client/clients')!.props, { clients: '203.0.113.0/24 198.51.100.7' });
    assert.ok(byId.get('shop/client/clients')!.range);
    assert.deepEqual(byId.get('shop/vip/dns')!.props, { name: 'dns', address: '10.20.0.53', iface: 'eth0:1' });
    assert.equal(byId.get('shop/vip/www')!.label, '10.20.0.100');
    assert.deepEqual(byId.get('shop/service/dns')!.props, { protocol: 'udp', port: 53, scheduler: 'wlc', persistence: '5m', check: '', vip: '10.20.0.53', fwmark: '', quorum: '', sorry: '' });
    assert.equal(byId.get('shop/server/app2')!.props.gateway, '10.20.0.254');
    assert.equal(byId.get('shop/server/app2')!.props.vipOn, 'lo:0 lo:1');
    assert.equal(byId.get('shop/server/app1')!.props.gateway, '10.20.0.1');
    const weights = shop.edges.filter((e) => e.from.startsWith('shop/service/')).map((e) => `${e.from}>${e.to}:${e.weight}`);
    assert.deepEqual(weights, ['shop/service/http>shop/server/app1:3', 'shop/service/http>shop/server/app2:1', 'shop/service/dns>shop/server/app2:2']);
    // Every VIP reaches every director; each director reaches each service on a VIP.
    assert.equal(shop.edges.filter((e) => e.from.startsWith('shop/vip/')).length, 4);
    assert.equal(shop.edges.filter((e) => e.from.startsWith('shop/director/')).length, 4);
    assert.equal(shop.edges.filter((e) => e.kind === 'reply').length, 2);
    // Ids are scoped by cluster.
    assert.ok(m.clusters[2].nodes.some((n) => n.id === 'mail/server/mx1'));
  });

  test('ids and edges are stable when unrelated text changes', () => {
    const ids = (text: string) => {
      const c = buildDiagram(analysis(text)).clusters[0];
      return { nodes: c.nodes.map((n) => n.id), edges: c.edges.map((e) => `${e.from}>${e.to}>${e.kind}`) };
    };
    const base = ids(seed);
    const edited = seed
      .replace('# LVS-DR cluster', '# a new comment\n\n# LVS-DR cluster')
      .replace('router-id 51', 'router-id 52')
      .replace('192.168.147.4', '192.168.147.44')
      .replace('scheduler rr', 'scheduler wlc')
      .replace('real web2 weight 1', 'real web2 weight 7   # heavier')
      .replace('target os rhel7', 'target os rhel9');
    assert.deepEqual(ids(edited), base);
  });

  test('node diagnostics: a server without vip-on carries LVS030 and vipOnOk=false', () => {
    const text = seed.replace(SEED_SERVER_WEB2, '  server web2 { address 192.168.147.3  interface ens33 }');
    const c = buildDiagram(analysis(text)).clusters[0];
    const web2 = c.nodes.find((n) => n.id === 'web/server/web2')!;
    assert.deepEqual(web2.diagnostics.map((d) => [d.code, d.severity]), [['LVS030', 'error']]);
    assert.match(web2.diagnostics[0].message, /vip-on/);
    assert.equal(web2.diagnostics[0].range!.start.line, 19);
    assert.equal(web2.props.vipOnOk, false);
    assert.equal(web2.props.vipOn, '');
    for (const n of c.nodes.filter((x) => x.id !== 'web/server/web2')) assert.deepEqual(n.diagnostics, [], n.id);
  });

  test('node diagnostics: a finding on a real line goes to the service and its edge; cluster-level ones to the cluster', () => {
    const text = seed.replace('real web2 weight 1', 'real web2 weight 70000').replace('gateway 192.168.147.2 ', 'gateway 192.168.147.255');
    const c = buildDiagram(analysis(text)).clusters[0];
    const http = c.nodes.find((n) => n.id === 'web/service/http')!;
    assert.deepEqual(http.diagnostics.map((d) => d.code), ['LVS060']);
    const e = c.edges.find((x) => x.to === 'web/server/web2' && x.kind === 'request')!;
    assert.deepEqual(e.diagnostics!.map((d) => d.code), ['LVS060']);
    assert.equal(c.edges.find((x) => x.to === 'web/server/web1' && x.kind === 'request')!.diagnostics, undefined);
    assert.ok(c.diagnostics!.some((d) => d.code === 'LVS021'), JSON.stringify(c.diagnostics));
    assert.deepEqual(c.nodes.find((n) => n.id === 'web/server/web2')!.diagnostics, []);
  });

  test('a director finding stays on the director; duplicate names get distinct ids', () => {
    const text = seed.replace('priority 90', 'priority 255').replace(SEED_SERVER_WEB2, `${SEED_SERVER_WEB2}\n  server web2 { address 192.168.147.8  interface ens33  vip-on lo:0 }`);
    const c = buildDiagram(analysis(text)).clusters[0];
    assert.deepEqual(c.nodes.find((n) => n.id === 'web/director/lvs2')!.diagnostics.map((d) => d.code), ['LVS070']);
    const ids = c.nodes.map((n) => n.id);
    assert.ok(ids.includes('web/server/web2') && ids.includes('web/server/web2#2'));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(c.nodes.find((n) => n.id === 'web/server/web2#2')!.diagnostics.some((d) => d.code === 'LVS051'));
  });

  test('syntax errors: the last good model is returned with parsedOk=false and the current version', () => {
    const store = new LastGoodModels();
    const good = buildDiagram(analysis(seed, 1), store);
    assert.equal(good.parsedOk, true);
    const broken = seed.replace('priority 100', 'priorty 100');
    const m = buildDiagram(analysis(broken, 2), store);
    assert.equal(m.parsedOk, false);
    assert.equal(m.version, 2);
    assert.equal(m.modelVersion, 1);
    assert.equal(m.syntaxErrors.length, 1);
    assert.equal(m.syntaxErrors[0].line, 7);
    assert.match(m.syntaxErrors[0].message, /Did you mean 'priority'/);
    assert.deepEqual(m.clusters, good.clusters);
    // Another broken version still answers the same last good model.
    const m3 = buildDiagram(analysis(broken + '\n}', 3), store);
    assert.equal(m3.modelVersion, 1);
    assert.equal(m3.version, 3);
    // Fixed again: a fresh model, remembered.
    const fixed = seed.replace('scheduler rr', 'scheduler wlc');
    const m4 = buildDiagram(analysis(fixed, 4), store);
    assert.equal(m4.parsedOk, true);
    assert.equal(m4.modelVersion, 4);
    assert.equal(buildDiagram(analysis(broken, 5), store).clusters[0].nodes.find((n) => n.kind === 'service')!.props.scheduler, 'wlc');
    // The store is per uri; forgotten on close.
    assert.deepEqual(buildDiagram(analysis(broken, 1, 'file:///other.lvs'), store).clusters, []);
    store.forget('file:///test/diagram.lvs');
    assert.deepEqual(buildDiagram(analysis(broken, 6), store).clusters, []);
  });

  test('syntax errors with no good model ever seen: empty clusters, parsedOk=false', () => {
    const m = buildDiagram(analysis('cluster web {\n  network 10.0.0.0/24\n  vip ;\n}\n', 3), new LastGoodModels());
    assert.equal(m.parsedOk, false);
    assert.equal(m.version, 3);
    assert.equal(m.modelVersion, NO_MODEL_VERSION);
    assert.deepEqual(m.clusters, []);
    assert.ok(m.syntaxErrors.length >= 1 && m.syntaxErrors[0].line === 3 && /^Unexpected character ';'/.test(m.syntaxErrors[0].message), JSON.stringify(m.syntaxErrors));
    assert.ok(m.syntaxErrors.every((s) => Number.isInteger(s.line) && s.line >= 1 && !/^Line /.test(s.message)));
    // Without a store at all, the same.
    assert.deepEqual(buildDiagram(analysis('cluster {')).clusters, []);
  });
});

// ============================================================================== intents

describe('addRealServer', () => {
  test('new server: a real line after the last real, a server block after the last server', () => {
    const r = run(seed, { type: 'addRealServer', cluster: 'web', service: 'http', name: 'web3', address: '192.168.147.7', weight: 2 });
    assert.deepEqual(r.diff, { removed: [], added: ['    real web3 weight 2', '  server web3 { address 192.168.147.7  interface ens33  vip-on lo:0 }'] });
    assert.equal(r.edits.length, 2);
    for (const e of r.edits) assert.deepEqual(e.range.start, e.range.end, 'pure insertions');
    const expected = r.before;
    expected[0].nodes.push({ id: 'web/server/web3', kind: 'server', label: 'web3', tier: 4, props: { address: '192.168.147.7', interface: 'ens33', gateway: '192.168.147.2', vipOn: 'lo:0', vipOnOk: true, used: true } });
    expected[0].edges.push(edge('web/service/http', 'web/server/web3', 'request', 2), edge('web/server/web3', 'web/client/clients', 'reply'));
    sortEdges(expected[0]);
    assert.deepEqual(r.now, expected);
  });

  test('existing unused server: only the real line; it becomes used and loses its LVS104 warning', () => {
    const text = seed.replace(SEED_SERVER_WEB2, `${SEED_SERVER_WEB2}\n  server spare { address 192.168.147.9  interface ens33  vip-on lo:0 }`);
    const r = run(text, { type: 'addRealServer', cluster: 'web', service: 'http', name: 'spare', address: '192.168.147.9', weight: 0 });
    assert.deepEqual(r.diff, { removed: [], added: ['    real spare weight 0'] });
    const expected = r.before;
    nodeOf(expected[0], 'web/server/spare').props.used = true;
    expected[0].edges.push(edge('web/service/http', 'web/server/spare', 'request', 0), edge('web/server/spare', 'web/client/clients', 'reply'));
    sortEdges(expected[0]);
    assert.deepEqual(r.now, expected);
    assert.deepEqual(r.model.clusters[0].nodes.find((n) => n.id === 'web/server/spare')!.diagnostics, []);
    // The same with an empty address (the server's own is kept).
    assert.ok(applyIntent(analysis(text), { type: 'addRealServer', cluster: 'web', service: 'http', name: 'spare', address: '', weight: 1 }).ok);
  });

  test('one-line service in the second cluster: inline real, interface taken from that cluster', () => {
    const r = run(twoClusters, { type: 'addRealServer', cluster: 'mail', service: 'smtp', name: 'mx2', address: '10.2.0.12', weight: 1 });
    assert.deepEqual(r.diff, {
      removed: ['  service smtp { protocol tcp port 25 scheduler rr real mx1 }'],
      added: ['  server mx2 { address 10.2.0.12  interface ens3  vip-on lo:0 }', '  service smtp { protocol tcp port 25 scheduler rr real mx1 real mx2 weight 1 }'],
    });
    const expected = r.before;
    const mail = expected[1];
    mail.nodes.push({ id: 'mail/server/mx2', kind: 'server', label: 'mx2', tier: 4, props: { address: '10.2.0.12', interface: 'ens3', gateway: '10.2.0.1', vipOn: 'lo:0', vipOnOk: true, used: true } });
    mail.edges.push(edge('mail/service/smtp', 'mail/server/mx2', 'request', 1), edge('mail/server/mx2', 'mail/client/clients', 'reply'));
    sortEdges(mail);
    assert.deepEqual(r.now, expected);
  });

  test('servers written one property per line: the new block is written the same way; explicit interface', () => {
    const r = run(multiLine, { type: 'addRealServer', cluster: 'lab', service: 'dns', name: 's2', address: '10.9.0.12', weight: 5, iface: 'eth2' });
    sameDiff(r.diff, { removed: [], added: ['    real s2 weight 5', '  server s2 {', '    address 10.9.0.12', '    interface eth2', '    vip-on lo:0', '  }'] });
    assert.ok(r.after.endsWith('    vip-on lo:0\n  }\n  server s2 {\n    address 10.9.0.12\n    interface eth2\n    vip-on lo:0\n  }\n}\n'), r.after);
    assert.ok(r.after.includes('    real s1\n    real s2 weight 5\n  }'));
  });

  test('a service without reals and a cluster without servers: the block goes after the last service', () => {
    const text = 'cluster c {\n  network 10.3.0.0/24\n  gateway 10.3.0.1\n  vip 10.3.0.100\n  director d { address 10.3.0.5  interface eth0 }\n\n  service web {\n    protocol tcp  port 80\n  }\n}\n';
    const r = run(text, { type: 'addRealServer', cluster: 'c', service: 'web', name: 'w1', address: '10.3.0.21', weight: 1 });
    assert.equal(r.after, 'cluster c {\n  network 10.3.0.0/24\n  gateway 10.3.0.1\n  vip 10.3.0.100\n  director d { address 10.3.0.5  interface eth0 }\n\n  service web {\n    protocol tcp  port 80\n    real w1 weight 1\n  }\n\n  server w1 { address 10.3.0.21  interface eth0  vip-on lo:0 }\n}\n');
    assert.equal(r.now[0].nodes.find((n) => n.id === 'c/server/w1')!.props.used, true);
  });

  test('CRLF files get CRLF lines', () => {
    const crlf = seed.replace(/\n/g, '\r\n');
    const r = run(crlf, { type: 'addRealServer', cluster: 'web', service: 'http', name: 'web3', address: '192.168.147.7', weight: 1 });
    assert.ok(!/[^\r]\n/.test(r.after), 'every newline is CRLF');
    assert.deepEqual(r.diff, { removed: [], added: ['    real web3 weight 1\r', '  server web3 { address 192.168.147.7  interface ens33  vip-on lo:0 }\r'] });
    const removed = run(crlf, { type: 'removeNode', cluster: 'web', nodeId: 'web/service/http' });
    assert.equal(removed.after, crlf.replace(/\r\n  service http \{\r\n[^}]*\}\r\n/, ''));
    assert.ok(!/[^\r]\n/.test(removed.after) && !/\r\n\r\n\r\n/.test(removed.after));
  });

  test('tab-indented files get tabs', () => {
    const tabs = multiLine.replace(/^( +)/gm, (m) => '\t'.repeat(m.length / 2));
    const r = run(tabs, { type: 'addRealServer', cluster: 'lab', service: 'dns', name: 's2', address: '10.9.0.12', weight: 1 });
    assert.ok(r.after.includes('\t\treal s1\n\t\treal s2 weight 1\n\t}'));
    assert.ok(r.after.includes('\t}\n\tserver s2 {\n\t\taddress 10.9.0.12\n\t\tinterface eth1\n\t\tvip-on lo:0\n\t}\n}'), r.after);
  });

  test('invalid fields are refused with a message', () => {
    const add = (over: Record<string, unknown>) => ({ type: 'addRealServer', cluster: 'web', service: 'http', name: 'web3', address: '192.168.147.7', weight: 1, ...over });
    refused(seed, add({ name: '3web' }), 'invalid', /not a valid name/);
    refused(seed, add({ name: 'web;rm' }), 'invalid', /not a valid name/);
    refused(seed, add({ name: 'server' }), 'invalid', /keyword/);
    refused(seed, add({ address: '10.0.0.7' }), 'invalid', /outside the cluster network 192\.168\.147\.0\/24/);
    refused(seed, add({ address: '192.168.147.0' }), 'invalid', /network address/);
    refused(seed, add({ address: '192.168.147.255' }), 'invalid', /broadcast address/);
    refused(seed, add({ address: '192.168.147.6' }), 'invalid', /already used by director lvs1/);
    refused(seed, add({ address: '192.168.147.100' }), 'invalid', /already used by the VIP/);
    refused(seed, add({ address: '192.168.147.2' }), 'invalid', /already used by the cluster gateway/);
    refused(seed, add({ address: '192.168.147.300' }), 'invalid', /not an IPv4 address/);
    refused(seed, add({ address: '192.168.147.7/24' }), 'invalid', /not an IPv4 address/);
    refused(seed, add({ weight: 65536 }), 'invalid', /Weight must be a whole number from 0 to 65535/);
    refused(seed, add({ weight: -1 }), 'invalid', /Weight/);
    refused(seed, add({ weight: 1.5 }), 'invalid', /Weight/);
    refused(seed, add({ iface: 'eth0; reboot' }), 'invalid', /not a valid interface name/);
    refused(seed, add({ iface: 'averyveryverylongname0' }), 'invalid', /interface/);
    refused(seed, add({ service: 'https' }), 'invalid', /no service 'https'/);
    refused(seed, add({ cluster: 'mail' }), 'invalid', /no cluster 'mail'/);
    refused(seed, add({ name: 'web1', address: '192.168.147.4' }), 'invalid', /already a real server of service http/);
    refused(seed, add({ name: 'lvs1', address: '' }), 'invalid', /is a director/);
    const withSpare = seed.replace(SEED_SERVER_WEB2, `${SEED_SERVER_WEB2}\n  server spare { address 192.168.147.9  interface ens33  vip-on lo:0 }`);
    refused(withSpare, add({ name: 'spare', address: '192.168.147.10' }), 'invalid', /already exists with address 192\.168\.147\.9/);
  });
});

describe('removeNode', () => {
  test('server: its block and every real line naming it, whole lines', () => {
    const r = run(seed, { type: 'removeNode', cluster: 'web', nodeId: 'web/server/web1' });
    assert.deepEqual(r.diff, { removed: ['    real web1 weight 1', SEED_SERVER_WEB1], added: [] });
    const expected = r.before;
    expected[0].nodes = expected[0].nodes.filter((n) => n.id !== 'web/server/web1');
    expected[0].edges = expected[0].edges.filter((e) => e.from !== 'web/server/web1' && e.to !== 'web/server/web1');
    assert.deepEqual(r.now, expected);
  });

  test('server referenced inline in one-line services: only its tokens go from the shared line', () => {
    const text = twoClusters.replace('real app1 }', 'real app1 weight 2  real app9 }').replace(
      '  server app1 { address 10.1.0.21 interface eth0 vip-on lo:0 }',
      '  server app1 { address 10.1.0.21 interface eth0 vip-on lo:0 }\n  server app9 { address 10.1.0.29 interface eth0 vip-on lo:0 }',
    );
    const r = run(text, { type: 'removeNode', cluster: 'web', nodeId: 'web/server/app1' });
    assert.deepEqual(r.diff, {
      removed: ['  server app1 { address 10.1.0.21 interface eth0 vip-on lo:0 }', '  service http { protocol tcp port 80 scheduler wlc real app1 weight 2  real app9 }'],
      added: ['  service http { protocol tcp port 80 scheduler wlc real app9 }'],
    });
    const r2 = run(text, { type: 'removeNode', cluster: 'web', nodeId: 'web/server/app9' });
    assert.ok(r2.after.includes('  service http { protocol tcp port 80 scheduler wlc real app1 weight 2 }\n'), r2.after);
  });

  test('director: its line only; the pair becomes a single director (a warning, no error)', () => {
    const r = run(seed, { type: 'removeNode', cluster: 'web', nodeId: 'web/director/lvs2' });
    assert.deepEqual(r.diff, { removed: ['  director lvs2 { address 192.168.147.5  interface ens33  role backup  priority 90 }'], added: [] });
    const expected = r.before;
    expected[0].nodes = expected[0].nodes.filter((n) => n.id !== 'web/director/lvs2');
    expected[0].edges = expected[0].edges.filter((e) => e.from !== 'web/director/lvs2' && e.to !== 'web/director/lvs2');
    assert.deepEqual(r.now, expected);
  });

  test('service: its block and the blank line that would be left doubled; its servers become unused', () => {
    const r = run(seed, { type: 'removeNode', cluster: 'web', nodeId: 'web/service/http' });
    sameDiff(r.diff, {
      removed: ['', '  service http {', '    protocol tcp  port 80  scheduler rr', '    check http path "/" expect 200 every 5s timeout 3s', '    real web1 weight 1', '    real web2 weight 1', '  }'],
      added: [],
    });
    assert.ok(!/\n\s*\n\s*\n/.test(r.after), 'no doubled blank line');
    const expected = r.before;
    expected[0].nodes = expected[0].nodes.filter((n) => n.id !== 'web/service/http');
    for (const n of expected[0].nodes) if (n.kind === 'server') n.props.used = false;
    expected[0].edges = expected[0].edges.filter((e) => e.from !== 'web/service/http' && e.to !== 'web/service/http' && e.kind !== 'reply');
    assert.deepEqual(r.now, expected);
  });

  test('last block before the closing brace: no blank line left before it', () => {
    const r = run(multiLine, { type: 'removeNode', cluster: 'lab', nodeId: 'lab/server/s1' });
    sameDiff(r.diff, { removed: ['    real s1', '', '  server s1 {', '    address 10.9.0.11', '    interface eth1', '    vip-on lo:0', '  }'], added: [] });
    assert.ok(r.after.endsWith('    port 53\n  }\n}\n'), r.after);
  });

  test('VIP: refused while a service uses it; an unused VIP goes with the vip-on aliases made for it', () => {
    refused(seed, { type: 'removeNode', cluster: 'web', nodeId: 'web/vip/192.168.147.100' }, 'invalid', /carries service http/);
    const text = seed.replace('  vip 192.168.147.100\n', '  vip 192.168.147.100\n  vip api 192.168.147.101   # not used yet\n')
      .replace(SEED_SERVER_WEB1, '  server web1 { address 192.168.147.4  interface ens33  vip-on lo:0  vip-on lo:1 vip api }');
    const r = run(text, { type: 'removeNode', cluster: 'web', nodeId: 'web/vip/api' });
    assert.deepEqual(r.diff, {
      removed: ['  vip api 192.168.147.101   # not used yet', '  server web1 { address 192.168.147.4  interface ens33  vip-on lo:0  vip-on lo:1 vip api }'],
      added: [SEED_SERVER_WEB1],
    });
    const expected = r.before;
    expected[0].nodes = expected[0].nodes.filter((n) => n.id !== 'web/vip/api');
    expected[0].edges = expected[0].edges.filter((e) => e.from !== 'web/vip/api' && e.to !== 'web/vip/api');
    nodeOf(expected[0], 'web/server/web1').props.vipOn = 'lo:0';
    assert.deepEqual(r.now, expected);
  });

  test('invalid node ids are refused', () => {
    refused(seed, { type: 'removeNode', cluster: 'web', nodeId: 'web/client/clients' }, 'invalid', /cannot be removed/);
    refused(seed, { type: 'removeNode', cluster: 'web', nodeId: 'web/server/web9' }, 'invalid', /no node web\/server\/web9/);
    refused(seed, { type: 'removeNode', cluster: 'web', nodeId: 'mail/server/web1' }, 'invalid', /not in cluster web/);
    refused(seed, { type: 'removeNode', cluster: 'web', nodeId: 'web1' }, 'invalid', /not a node id/);
    refused(seed, { type: 'removeNode', cluster: 'web', nodeId: 'web/ha/x' }, 'invalid', /not a node id/);
  });
});

describe('setWeight', () => {
  test('edits only the weight number', () => {
    const r = run(seed, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web2', weight: 5 });
    assert.equal(r.edits.length, 1);
    assert.equal(r.edits[0].newText, '5');
    assert.equal(r.edits[0].range.end.character - r.edits[0].range.start.character, 1);
    assert.deepEqual(r.diff, { removed: ['    real web2 weight 1'], added: ['    real web2 weight 5'] });
    const expected = r.before;
    expected[0].edges.find((e) => e.to === 'web/server/web2' && e.kind === 'request')!.weight = 5;
    assert.deepEqual(r.now, expected);
  });

  test('inserts " weight W" after the name when there is none (keeping a trailing comment)', () => {
    const text = multiLine.replace('    real s1\n', '    real s1   # primary\n');
    const r = run(text, { type: 'setWeight', cluster: 'lab', service: 'dns', server: 's1', weight: 3 });
    assert.deepEqual(r.diff, { removed: ['    real s1   # primary'], added: ['    real s1 weight 3   # primary'] });
    const expected = r.before;
    expected[0].edges.find((e) => e.to === 'lab/server/s1' && e.kind === 'request')!.weight = 3;
    assert.deepEqual(r.now, expected);
  });

  test('same weight: no edits; invalid ones refused', () => {
    const same = applyIntent(analysis(seed), { type: 'setWeight', cluster: 'web', service: 'http', server: 'web2', weight: 1 });
    assert.deepEqual(same, { ok: true, edits: [] });
    refused(seed, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web9', weight: 1 }, 'invalid', /no real server 'web9'/);
    refused(seed, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web1', weight: 70000 }, 'invalid', /0 to 65535/);
    refused(seed, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web1', weight: Number.NaN }, 'invalid', /Weight/);
    refused(seed, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web1', weight: '5' }, 'invalid', /must be a number/);
  });
});

describe('setScheduler', () => {
  test('edits the value in place', () => {
    const r = run(seed, { type: 'setScheduler', cluster: 'web', service: 'http', scheduler: 'wlc' });
    assert.deepEqual(r.diff, { removed: ['    protocol tcp  port 80  scheduler rr'], added: ['    protocol tcp  port 80  scheduler wlc'] });
    const expected = r.before;
    nodeOf(expected[0], 'web/service/http').props.scheduler = 'wlc';
    assert.deepEqual(r.now, expected);
  });

  test('inserts a scheduler property after port: on the same line, or on its own line', () => {
    const inline = seed.replace('  scheduler rr', '');
    const r = run(inline, { type: 'setScheduler', cluster: 'web', service: 'http', scheduler: 'sh' });
    assert.deepEqual(r.diff, { removed: ['    protocol tcp  port 80'], added: ['    protocol tcp  port 80  scheduler sh'] });
    const expected = r.before;
    nodeOf(expected[0], 'web/service/http').props.scheduler = 'sh';
    assert.deepEqual(r.now, expected);
    const own = run(multiLine, { type: 'setScheduler', cluster: 'lab', service: 'dns', scheduler: 'rr' });
    assert.deepEqual(own.diff, { removed: [], added: ['    scheduler rr'] });
    assert.ok(own.after.includes('    port 53\n    scheduler rr\n    real s1\n'));
  });

  test('unknown schedulers are refused', () => {
    refused(seed, { type: 'setScheduler', cluster: 'web', service: 'http', scheduler: 'roundrobin' }, 'invalid', /Unknown scheduler 'roundrobin'.*wlc/);
    refused(seed, { type: 'setScheduler', cluster: 'web', service: 'ftp', scheduler: 'rr' }, 'invalid', /no service 'ftp'/);
  });
});

describe('setRole', () => {
  test('making the backup master demotes the master and swaps the priorities', () => {
    const r = run(seed, { type: 'setRole', cluster: 'web', director: 'lvs2', role: 'master' });
    assert.deepEqual(r.diff, {
      removed: ['  director lvs1 { address 192.168.147.6  interface ens33  role master  priority 100 }', '  director lvs2 { address 192.168.147.5  interface ens33  role backup  priority 90 }'],
      added: ['  director lvs1 { address 192.168.147.6  interface ens33  role backup  priority 90 }', '  director lvs2 { address 192.168.147.5  interface ens33  role master  priority 100 }'],
    });
    for (const e of r.edits) assert.ok(e.newText.length <= 6, 'value-only edits');
    const expected = r.before;
    Object.assign(nodeOf(expected[0], 'web/director/lvs1').props, { role: 'backup', priority: 90 });
    Object.assign(nodeOf(expected[0], 'web/director/lvs2').props, { role: 'master', priority: 100 });
    assert.deepEqual(r.now, expected);
  });

  test('demoting the master with a priority promotes the peer and keeps the given priority', () => {
    const r = run(seed, { type: 'setRole', cluster: 'web', director: 'lvs1', role: 'backup', priority: 50 });
    const expected = r.before;
    Object.assign(nodeOf(expected[0], 'web/director/lvs1').props, { role: 'backup', priority: 50 });
    Object.assign(nodeOf(expected[0], 'web/director/lvs2').props, { role: 'master', priority: 90 });
    assert.deepEqual(r.now, expected);
  });

  test('priority only, in place', () => {
    const r = run(seed, { type: 'setRole', cluster: 'web', director: 'lvs1', role: 'master', priority: 120 });
    assert.deepEqual(r.edits.map((e) => e.newText), ['120']);
    const expected = r.before;
    nodeOf(expected[0], 'web/director/lvs1').props.priority = 120;
    assert.deepEqual(r.now, expected);
  });

  test('directors without role or priority get them written as properties', () => {
    const r = run(multiLine, { type: 'setRole', cluster: 'lab', director: 'd2', role: 'master', priority: 150 });
    assert.deepEqual(r.diff, { removed: [], added: ['    role backup', '    role master  priority 150'] });
    assert.ok(r.after.includes('  director d2 {\n    address 10.9.0.6\n    interface eth1\n    role master  priority 150\n  }'));
    const expected = r.before;
    Object.assign(nodeOf(expected[0], 'lab/director/d1').props, { role: 'backup', priority: 90 });
    Object.assign(nodeOf(expected[0], 'lab/director/d2').props, { role: 'master', priority: 150 });
    assert.deepEqual(r.now, expected);
  });

  test('invalid roles and priorities are refused', () => {
    refused(seed, { type: 'setRole', cluster: 'web', director: 'lvs1', role: 'primary' }, 'invalid', /master or backup/);
    refused(seed, { type: 'setRole', cluster: 'web', director: 'lvs1', role: 'master', priority: 255 }, 'invalid', /Priority must be a whole number from 1 to 254/);
    refused(seed, { type: 'setRole', cluster: 'web', director: 'lvs1', role: 'master', priority: 0 }, 'invalid', /Priority/);
    refused(seed, { type: 'setRole', cluster: 'web', director: 'lvs3', role: 'master' }, 'invalid', /no director 'lvs3'/);
  });
});

describe('setProtocolPort', () => {
  test('port in place', () => {
    const r = run(seed, { type: 'setProtocolPort', cluster: 'web', service: 'http', port: 8080 });
    assert.deepEqual(r.diff, { removed: ['    protocol tcp  port 80  scheduler rr'], added: ['    protocol tcp  port 8080  scheduler rr'] });
    const expected = r.before;
    nodeOf(expected[0], 'web/service/http').props.port = 8080;
    assert.deepEqual(r.now, expected);
  });

  test('protocol and port together; the comment on the protocol line stays', () => {
    const r = run(multiLine, { type: 'setProtocolPort', cluster: 'lab', service: 'dns', protocol: 'tcp', port: 5353 });
    assert.deepEqual(r.diff, { removed: ['    protocol udp   # DNS', '    port 53'], added: ['    protocol tcp   # DNS', '    port 5353'] });
    const expected = r.before;
    Object.assign(nodeOf(expected[0], 'lab/service/dns').props, { protocol: 'tcp', port: 5353 });
    assert.deepEqual(r.now, expected);
  });

  test('missing protocol and port are inserted before the first item', () => {
    const text = multiLine.replace('    protocol udp   # DNS\n    port 53\n', '');
    const r = run(text, { type: 'setProtocolPort', cluster: 'lab', service: 'dns', protocol: 'udp', port: 53 });
    assert.deepEqual(r.diff, { removed: [], added: ['    protocol udp  port 53'] });
    assert.ok(r.after.includes('  service dns {\n    protocol udp  port 53\n    real s1\n'));
  });

  test('changes that would bring an error are refused with the rule message', () => {
    refused(seed, { type: 'setProtocolPort', cluster: 'web', service: 'http', protocol: 'udp' }, 'invalid', /LVS081/);
    refused(seed, { type: 'setProtocolPort', cluster: 'web', service: 'http', port: 0 }, 'invalid', /LVS041/);
    refused(seed, { type: 'setProtocolPort', cluster: 'web', service: 'http', port: 65536 }, 'invalid', /Port must be a whole number from 0 to 65535/);
    refused(seed, { type: 'setProtocolPort', cluster: 'web', service: 'http', protocol: 'sctp' }, 'invalid', /tcp or udp/);
    refused(seed, { type: 'setProtocolPort', cluster: 'web', service: 'http' }, 'invalid', /needs a protocol, a port or both/);
  });
});

describe('toggleVipOn', () => {
  test('enabling adds " vip-on lo:0" and clears LVS030', () => {
    const text = seed.replace(SEED_SERVER_WEB2, '  server web2 { address 192.168.147.3  interface ens33 }');
    const r = run(text, { type: 'toggleVipOn', cluster: 'web', server: 'web2', enabled: true });
    assert.deepEqual(r.edits.map((e) => e.newText), [' vip-on lo:0']);
    assert.deepEqual(r.diff, { removed: ['  server web2 { address 192.168.147.3  interface ens33 }'], added: ['  server web2 { address 192.168.147.3  interface ens33 vip-on lo:0 }'] });
    const expected = r.before;
    Object.assign(nodeOf(expected[0], 'web/server/web2').props, { vipOn: 'lo:0', vipOnOk: true });
    assert.deepEqual(r.now, expected);
    assert.ok(!validateText(r.after).findings.some((f) => f.code === 'LVS030'));
  });

  test('enabling in a multi-line block adds its own line; already enabled: no edits', () => {
    const text = multiLine.replace('    vip-on lo:0\n', '');
    const r = run(text, { type: 'toggleVipOn', cluster: 'lab', server: 's1', enabled: true });
    assert.deepEqual(r.diff, { removed: [], added: ['    vip-on lo:0'] });
    assert.deepEqual(applyIntent(analysis(seed), { type: 'toggleVipOn', cluster: 'web', server: 'web1', enabled: true }), { ok: true, edits: [] });
  });

  test('disabling removes the vip-on property (whole line, or the tokens on a shared line)', () => {
    const own = run(multiLine.replace('    real s1\n', ''), { type: 'toggleVipOn', cluster: 'lab', server: 's1', enabled: false });
    assert.deepEqual(own.diff, { removed: ['    vip-on lo:0'], added: [] });
    const expected = own.before;
    Object.assign(nodeOf(expected[0], 'lab/server/s1').props, { vipOn: '', vipOnOk: false });
    assert.deepEqual(own.now, expected);
    // A used server: allowed, and the diagram shows the LVS030 it brings.
    const used = run(seed, { type: 'toggleVipOn', cluster: 'web', server: 'web1', enabled: false }, ['LVS030']);
    assert.deepEqual(used.diff, { removed: [SEED_SERVER_WEB1], added: ['  server web1 { address 192.168.147.4  interface ens33 }'] });
    assert.deepEqual(used.model.clusters[0].nodes.find((n) => n.id === 'web/server/web1')!.diagnostics.map((d) => d.code), ['LVS030']);
  });

  test('unknown server refused', () => {
    refused(seed, { type: 'toggleVipOn', cluster: 'web', server: 'lvs1', enabled: true }, 'invalid', /no server 'lvs1'/);
  });
});

describe('intent validation', () => {
  test('malformed intents are refused before anything else', () => {
    refused(seed, null, 'invalid', /must be an object/);
    refused(seed, [], 'invalid', /must be an object/);
    refused(seed, { type: 'dropTable' }, 'invalid', /Unknown intent type "dropTable"/);
    refused(seed, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web1' }, 'invalid', /'weight' .* is missing/);
    refused(seed, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web1', weight: 2, extra: 1 }, 'invalid', /Unexpected field 'extra'/);
    refused(seed, { type: 'toggleVipOn', cluster: 'web', server: 'web1', enabled: 'yes' }, 'invalid', /must be a boolean/);
    refused(seed, { type: 'setScheduler', cluster: 'web', service: 'x'.repeat(300), scheduler: 'rr' }, 'invalid', /too long/);
  });

  test('a document with syntax errors refuses every intent with reason "syntax"', () => {
    const broken = seed.replace('priority 100', 'priorty 100');
    refused(broken, { type: 'setWeight', cluster: 'web', service: 'http', server: 'web2', weight: 5 }, 'syntax', /1 syntax error \(line 7: /);
  });
});

// ============================================================================== scale

describe('1,000 real servers', () => {
  const n = 1000;
  const lines = ['# generated: one service, 1000 real servers', 'cluster big {', '  network 10.0.0.0/16', '  gateway 10.0.0.1', '  vip 10.0.0.100', '',
    '  director lb1 { address 10.0.0.5  interface eth0  role master  priority 100 }', '  director lb2 { address 10.0.0.6  interface eth0  role backup  priority 90 }',
    '  ha { router-id 51  advert 1s  auth secret:vrrp-big }', '', '  service http {', '    protocol tcp  port 80  scheduler wlc'];
  const addr = (i: number) => `10.0.${1 + Math.floor(i / 200)}.${10 + (i % 200)}`;
  for (let i = 0; i < n; i++) lines.push(`    real s${i} weight ${1 + (i % 5)}`);
  lines.push('  }', '');
  for (let i = 0; i < n; i++) lines.push(`  server s${i} { address ${addr(i)}  interface eth0  vip-on lo:0 }`);
  lines.push('}', '');
  const big = lines.join('\n');

  // Timing is the benchmarks' job (npm run bench, P5); here only the shape and the edit size.
  test('buildDiagram at 1,000 servers; addRealServer answers two small insertions', () => {
    const a = analysis(big);
    assert.deepEqual(a.findings.filter((f) => f.severity === 'error'), []);
    buildDiagram(analysis(seed)); // warm up the code paths
    const t0 = performance.now();
    const m = buildDiagram(a);
    const ms = performance.now() - t0;
    assert.equal(m.clusters[0].nodes.length, 1 + 1 + 2 + 1 + n);
    assert.equal(m.clusters[0].edges.length, 1 + 2 + 2 + n + n);
    const t1 = performance.now();
    const r = applyIntent(a, { type: 'addRealServer', cluster: 'big', service: 'http', name: 'extra', address: '10.0.9.9', weight: 1 });
    const intentMs = performance.now() - t1;
    assert.ok(r.ok, JSON.stringify(r));
    if (!r.ok) return;
    assert.equal(r.edits.length, 2);
    for (const e of r.edits) {
      assert.deepEqual(e.range.start, e.range.end);
      assert.ok(e.newText.length < 100, e.newText);
    }
    const after = applyEdits(big, r.edits);
    assert.deepEqual(lineDiff(big, after), { removed: [], added: ['    real extra weight 1', '  server extra { address 10.0.9.9  interface eth0  vip-on lo:0 }'] });
    console.log(`# 1000 servers: buildDiagram ${ms.toFixed(1)} ms, addRealServer (with re-validation) ${intentMs.toFixed(1)} ms, edit text ${r.edits.reduce((s, e) => s + e.newText.length, 0)} chars`);
  });
});

describe('setHostAddress', () => {
  test('a server address and interface: only the two values change', () => {
    const r = run(seed, { type: 'setHostAddress', cluster: 'web', host: 'web2', kind: 'server', address: '192.168.147.9', iface: 'ens34' });
    assert.equal(r.edits.length, 2);
    assert.deepEqual(r.diff, { removed: [SEED_SERVER_WEB2], added: [SEED_SERVER_WEB2.replace('192.168.147.3', '192.168.147.9').replace('ens33', 'ens34')] });
    assert.equal(r.model.clusters[0].nodes.find((n) => n.id === 'web/server/web2')!.props.address, '192.168.147.9');
  });

  test('a director interface alone; a missing interface is added after the address', () => {
    const r = run(seed, { type: 'setHostAddress', cluster: 'web', host: 'lvs2', kind: 'director', iface: 'eth1' });
    assert.equal(r.edits.length, 1);
    assert.equal(r.edits[0].newText, 'eth1');
    const text = seed.replace(SEED_SERVER_WEB1, '  server web1 { address 192.168.147.4  vip-on lo:0 }');
    const added = run(text, { type: 'setHostAddress', cluster: 'web', host: 'web1', kind: 'server', iface: 'ens35' });
    assert.match(added.after, /server web1 \{ address 192\.168\.147\.4 {1,2}interface ens35 {1,2}vip-on lo:0 \}/);
  });

  test('same values: no edits; a taken, off-segment or malformed address is refused', () => {
    assert.deepEqual(applyIntent(analysis(seed), { type: 'setHostAddress', cluster: 'web', host: 'web1', kind: 'server', address: '192.168.147.4' }), { ok: true, edits: [] });
    refused(seed, { type: 'setHostAddress', cluster: 'web', host: 'web1', kind: 'server', address: '192.168.147.3' }, 'invalid', /already used by server web2/);
    refused(seed, { type: 'setHostAddress', cluster: 'web', host: 'web1', kind: 'server', address: '10.0.0.4' }, 'invalid', /outside the cluster network/);
    refused(seed, { type: 'setHostAddress', cluster: 'web', host: 'web1', kind: 'server', address: '192.168.147.300' }, 'invalid', /not an IPv4 address/);
    refused(seed, { type: 'setHostAddress', cluster: 'web', host: 'web1', kind: 'server', iface: 'eth0;reboot' }, 'invalid', /not a valid interface name/);
    refused(seed, { type: 'setHostAddress', cluster: 'web', host: 'web1', kind: 'server' }, 'invalid', /needs an address, an interface or both/);
    refused(seed, { type: 'setHostAddress', cluster: 'web', host: 'lvs9', kind: 'director', iface: 'eth0' }, 'invalid', /no director 'lvs9'/);
  });
});

test('the designer shows a multi-port service with its firewall mark, quorum and sorry server (examples/shop.lvs)', () => {
  const m = buildDiagram(analysis(readFileSync('examples/shop.lvs', 'utf8')));
  const web = m.clusters[0].nodes.find((n) => n.id === 'shop/service/web')!;
  assert.equal(web.props.port, '80 443');
  assert.match(String(web.props.fwmark), /^\d+$/);
  assert.equal(web.props.quorum, '2 ± 1');
  assert.equal(web.props.sorry, 'maint');
  const app = m.clusters[0].nodes.find((n) => n.id === 'shop/service/app')!;
  assert.deepEqual([app.props.port, app.props.fwmark, app.props.check], [9000, '', 'script']);
});
