// The designer's layout against ELK's layered layout (elkjs), measured on the same diagram models
// (issue 12: "use elkjs or keep your own layout, but measure both"). Not part of `npm run bench`:
// elkjs is not a dependency. To run it:
//   npm install --no-save elkjs@0.12.1 && node scripts/bench.mjs --layout-vs-elk
// (or LVS_ELKJS=/path/to/node_modules/elkjs). Printed per model (22 and 1,000 real servers):
// the layout time (median of runs) and, for a narrow (500 px) and a wide (1,200 px) panel, the
// zoom at which the layout's width fits the panel and the node text size that zoom gives
// (12 px text; below about 9.5 px it is not readable), plus the height to scroll at that zoom.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildDiagram } from '../../server/diagram/model';
import { analyze } from '../../server/lsp/analysis';
import type { DiagramCluster } from '../../server/protocol/diagram-model';
import { layoutCluster, NODE_H, NODE_W } from '../../media/designer/layout';
import { bigTopology } from './topology';

const PANELS = [500, 1200];
const TEXT_PX = 12;
const RUNS = 7;

interface Elk { layout(graph: unknown): Promise<{ width?: number; height?: number }> }

function loadElk(): Elk | undefined {
  const req = createRequire(join(process.cwd(), 'package.json'));
  try {
    const ELK = req(process.env.LVS_ELKJS ?? 'elkjs') as new () => Elk;
    return new ELK();
  } catch {
    return undefined;
  }
}

function cluster(servers: number, services: number): DiagramCluster {
  const { lvs } = bigTopology(servers, services);
  return buildDiagram(analyze(TextDocument.create(`file:///elk-${servers}.lvs`, 'lvs', 1, lvs))).clusters[0];
}

/** The same nodes and edges for ELK: layered, top to bottom, the designer's node size. */
function elkGraph(c: DiagramCluster) {
  return {
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.spacing.nodeNode': '18', 'elk.layered.spacing.nodeNodeBetweenLayers': '34' },
    children: c.nodes.map((n) => ({ id: n.id, width: NODE_W, height: NODE_H })),
    edges: c.edges.filter((e) => e.kind === 'request').map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function readability(width: number, height: number, panel: number): string {
  const zoom = Math.min(1, panel / width);
  return `${panel} px: zoom ${zoom.toFixed(2)}, text ${(TEXT_PX * zoom).toFixed(1)} px, ${(height * zoom / 1000).toFixed(1)}k px tall`;
}

export async function run(): Promise<void> {
  const elk = loadElk();
  for (const [servers, services] of [[22, 2], [1000, 100]]) {
    const c = cluster(servers, services);
    const own: number[] = [];
    let ownLine = '';
    for (const panel of PANELS) {
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const l = layoutCluster(c, {}, new Set(), panel);
        own.push(performance.now() - t0);
        if (i === 0) ownLine += ` | ${readability(l.width, l.height, panel)}`;
      }
    }
    console.log(`layout ${servers} servers, own: ${median(own).toFixed(2)} ms${ownLine}`);
    if (!elk) {
      console.log('layout elkjs: skipped (npm install --no-save elkjs@0.12.1, or LVS_ELKJS=…)');
      continue;
    }
    const times: number[] = [];
    let size = { width: 0, height: 0 };
    for (let i = 0; i < (servers > 100 ? 3 : RUNS); i++) {
      const t0 = performance.now();
      const r = await elk.layout(elkGraph(c));
      times.push(performance.now() - t0);
      size = { width: r.width ?? 0, height: r.height ?? 0 };
    }
    console.log(`layout ${servers} servers, elkjs layered: ${median(times).toFixed(1)} ms, ${size.width.toFixed(0)} × ${size.height.toFixed(0)} px | ${PANELS.map((p) => readability(size.width, size.height, p)).join(' | ')}`);
  }
}
