// P5 (README, Benchmarks): the topology designer's first paint and its re-render after an edit, for a
// cluster of 1,000 real servers, measured in Chromium (Debian chromium + playwright-core).
//
// The webview bundle that ships (dist/media/designer.js + designer.css + codicons) is loaded by a
// small harness page served from 127.0.0.1, with a stub acquireVsCodeApi that records what the
// webview posts. The models are computed by the real server code (analyze + buildDiagram) from
// bigTopology(1000 servers, 100 services), so no server group is collapsed: every real server
// is a node of the layout (the diagram virtualises the DOM to the viewport).
//
// Measured inside the page with performance.now():
// - first paint: a freshly loaded webview (it has posted `ready`), from posting the model to
//   the webview's `rendered` message, the nodes in the DOM, and the next frame
//   (requestAnimationFrame + a task, i.e. after the frame was produced);
// - re-render after an edit: the same, posting the model of the next document version where one
//   real server's weight changed (the webview must show the new weight). What is posted is what
//   the extension posts (server/protocol/model-patch.ts ModelPoster): the first model whole, the
//   next ones as patches of the previous one.
// - live overlay update: a live snapshot of all 1,000 real servers (both directors, every service)
//   (the whole `lvsdr status --json` snapshot: both IPVS tables, every real server) posted to the
//   webview as the extension posts it (`live` message, server/protocol/designer-live.ts),
//   until the node in view shows its new state and the next frame; each update changes every
//   real server's connection counts and one server's health (issue 12: ≤ 50 ms).
// Median of several page loads (after one warm-up load); several edits per load.
//
// Needs `npm run build` (dist/media) and /usr/bin/chromium (LVS_CHROMIUM to override; LVS_P5_MEDIA
// to measure another build of dist/media, LVS_P5_PROFILE=file.cpuprofile to write a CPU profile, LVS_P5_TRACE=file.json a Chromium trace
// of the last load).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { buildDiagram } from '../../server/diagram/model';
import { ModelMessage, ModelPoster } from '../../server/protocol/model-patch';
import type { DiagramModel } from '../../server/protocol/diagram-model';
import type { LiveView } from '../../server/protocol/designer-live';
import { analyze } from '../../server/lsp/analysis';
import { bigTopology } from './topology';

const SERVERS = 1000;
const SERVICES = 100;
const LOADS = 7;
const EDITS_PER_LOAD = 3;
const VIEWPORT = { width: 1200, height: 800 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const GOAL_FIRST_MS = 300;
const GOAL_RERENDER_MS = 50;
const GOAL_LIVE_MS = 50;
const LIVE_UPDATES = 3;

export interface P5Result {
  firstPaintMs: number;
  rerenderMs: number;
  /** Node elements in the DOM after the first paint (the diagram is virtualised). */
  domNodes: number;
  modelKiB: number;
  firstPaintRuns: number[];
  rerenderRuns: number[];
  liveMs: number;
  liveRuns: number[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"lvs-dr-studio"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const up = resolve(dir, '..');
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** playwright-core, resolved at run time from the repository (not bundled into the bench). */
function loadChromium(root: string): typeof import('playwright-core').chromium {
  const req = createRequire(join(root, 'package.json'));
  try {
    return (req('playwright-core') as typeof import('playwright-core')).chromium;
  } catch (err) {
    throw new Error(`P5 needs playwright-core (devDependency): ${(err as Error).message}`);
  }
}

/** A live view of the benchmark cluster: update `round` gives every real server new counts and rs0 another health. */
function liveView(first: DiagramModel, round: number): LiveView {
  const c = first.clusters[0];
  const byId = new Map(c.nodes.map((n) => [n.id, n]));
  const services = c.nodes.filter((n) => n.kind === 'service').map((svc) => ({
    name: svc.label, vip: '10.0.0.100', port: Number(svc.props.port), protocol: 'tcp' as const, from: round % 2 ? 'lvs2' : 'lvs1', present: true,
    reals: c.edges.filter((e) => e.from === svc.id && e.kind === 'request').map((e, i) => {
      const server = byId.get(e.to)!;
      const out = server.label === 'rs0' && round % 2 === 1;
      return {
        name: server.label, address: String(server.props.address), weight: out ? null : e.weight ?? 1, fileWeight: e.weight ?? 1, active: (round + i) % 7, inactive: round * 3 + i,
        inService: !out, drained: false, connsPerSec: round, packetsInPerSec: 10 * round, bytesInPerSec: 1000 * round,
      };
    }),
  }));
  // Each director's IPVS table as the engine reads it (the whole table: the largest message).
  const ipvs = services.map((svc) => ({
    vip: svc.vip, port: svc.port, protocol: svc.protocol, scheduler: 'wrr',
    reals: svc.reals.filter((r) => r.weight !== null).map((r) => ({ address: r.address, port: svc.port, forward: 'route' as const, weight: r.weight ?? 0, active: r.active, inactive: r.inactive })),
  }));
  const director = (name: string, address: string, master: boolean) => ({
    name, address, reachable: true, keepalived: true, vrrp: master ? 'MASTER' as const : 'BACKUP' as const, priority: master ? 100 : 90,
    vips: master ? ['10.0.0.100'] : [], ipvs, timeouts: { tcp: 900, tcpFin: 120, udp: 300 },
  });
  return {
    status: 'live', target: 'lab',
    clusters: [{
      v: 1, cluster: c.name, target: 'lab', at: `round-${round}`, ms: 120, findings: [], overrides: [],
      directors: [director('lvs1', '10.0.0.6', round % 2 === 0), director('lvs2', '10.0.0.5', round % 2 === 1)],
      realServers: c.nodes.filter((n) => n.kind === 'server').map((n) => ({
        name: n.label, address: String(n.props.address), reachable: true, loVips: [{ address: '10.0.0.100', prefix: 32 }],
        arp: { allIgnore: 1, allAnnounce: 2, loIgnore: 1, loAnnounce: 2 }, ports: [],
      })),
      services,
    }],
  };
}

/** The model of version 1 and of versions 2… where real server rs0's weight changed each time. */
function models(): { first: DiagramModel; edits: DiagramModel[]; serverId: string; weights: number[] } {
  const { lvs } = bigTopology(SERVERS, SERVICES);
  const uri = 'file:///bench/designer-paint.lvs';
  const line = 'real rs0 weight 1';
  if (!lvs.includes(line)) throw new Error(`the benchmark topology has no "${line}" line`);
  const model = (text: string, version: number) => {
    const m = buildDiagram(analyze(TextDocument.create(uri, 'lvs', version, text)));
    if (!m.parsedOk) throw new Error(`the benchmark topology does not parse: ${m.syntaxErrors.map((e) => `${e.line}: ${e.message}`).join('; ')}`);
    return m;
  };
  const first = model(lvs, 1);
  const servers = first.clusters[0].nodes.filter((n) => n.kind === 'server').length;
  if (servers !== SERVERS) throw new Error(`expected ${SERVERS} real servers in the model, got ${servers}`);
  const weights = Array.from({ length: EDITS_PER_LOAD }, (_, i) => 2 + i);
  const edits = weights.map((w, i) => model(lvs.replace(line, `real rs0 weight ${w}`), 2 + i));
  return { first, edits, serverId: `${first.clusters[0].name}/server/rs0`, weights };
}

const HARNESS = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<link rel="stylesheet" href="/media/codicons/codicon.css" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="/media/designer.css">
<style>
  html { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-background: #ffffff;
    --vscode-foreground: #3b3b3b; --vscode-panel-border: #e5e5e5; --vscode-focusBorder: #005fb8; }
  body { margin: 0; height: 100vh; }
</style>
<title>P5 designer paint</title>
</head>
<body class="vscode-light" data-vscode-theme-kind="vscode-light">
<div id="app" class="app" aria-busy="true"><p class="loading">Loading the topology…</p></div>
<script>
  // Stub of the webview API: records what the designer posts; the bench waits on it.
  window.__bench = { posted: [], waiters: [] };
  window.acquireVsCodeApi = () => ({
    postMessage(m) {
      window.__bench.posted.push(m);
      for (const w of window.__bench.waiters.splice(0)) w(m);
    },
    getState() { return undefined; },
    setState() {},
  });
  window.__bench.next = (pred) => new Promise((resolve) => {
    const found = window.__bench.posted.find(pred);
    if (found) return resolve(found);
    const wait = (m) => (pred(m) ? resolve(m) : window.__bench.waiters.push(wait));
    window.__bench.waiters.push(wait);
  });
  window.__bench.measure = async (message, version, check) => {
    const b = window.__bench;
    b.posted.length = 0;
    performance.mark('p5-post-' + version);
    const t0 = performance.now();
    window.postMessage(message, '*');
    const rendered = await b.next((m) => m && m.type === 'rendered' && m.version === version);
    const tRendered = performance.now();
    const el = document.querySelector('[data-node-id="' + check.id + '"]');
    if (!el) throw new Error('node ' + check.id + ' is not in the DOM after the render');
    if (check.text && !el.textContent.includes(check.text)) throw new Error('node ' + check.id + ' does not show "' + check.text + '": ' + el.textContent);
    // The next frame: rAF runs before it is produced, the task after it.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const t1 = performance.now();
    performance.measure('p5-render-' + version, 'p5-post-' + version);
    // What the message itself costs (postMessage clones it), for the detail line.
    const c0 = performance.now();
    structuredClone(message);
    const cloneMs = performance.now() - c0;
    return { ms: t1 - t0, toRendered: tRendered - t0, handlerMs: rendered.ms, cloneMs, domNodes: document.querySelectorAll('.node[data-node-id]').length };
  };
</script>
<script>
  window.__bench.live = async (message, check) => {
    // The update is seen when the handler sets data-live-at: the observer runs in the microtask
    // checkpoint right after the handler, in the same task. (Polling with setTimeout ran after the
    // compositor task that painted the update, so the rAF below waited for one more frame.)
    const at = String(message.view.clusters[0].at);
    const seen = new Promise((r) => {
      const obs = new MutationObserver(() => { if (document.body.dataset.liveAt === at) { obs.disconnect(); r(); } });
      obs.observe(document.body, { attributes: true, attributeFilter: ['data-live-at'] });
    });
    const t0 = performance.now();
    window.postMessage(message, '*');
    await seen;
    const el = document.querySelector('[data-node-id="' + check.id + '"]');
    if (!el || !el.textContent.includes(check.text)) throw new Error('node ' + check.id + ' does not show "' + check.text + '": ' + (el ? el.textContent : 'not in the DOM'));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { ms: performance.now() - t0, handlerMs: Number(document.body.dataset.liveMs), redrawn: Number(document.body.dataset.liveRedrawn) };
  };
</script>
<script src="/media/designer.js"></script>
</body>
</html>`;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.ttf': 'font/ttf', '.json': 'application/json',
  '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml',
};

function serve(mediaDir: string, json: Map<string, string>): Promise<{ server: Server; base: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/') return send(200, TYPES['.html'], HARNESS);
    const model = json.get(url.pathname);
    if (model) return send(200, TYPES['.json'], model);
    if (url.pathname.startsWith('/media/')) {
      const file = normalize(join(mediaDir, decodeURIComponent(url.pathname.slice('/media/'.length))));
      if (file.startsWith(mediaDir + sep) && existsSync(file) && statSync(file).isFile()) {
        return send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
      }
    }
    send(404, 'text/plain', 'not found');
  });
  return new Promise((res, rej) => {
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => res({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

function checkMedia(root: string): string {
  // LVS_P5_MEDIA: another build of dist/media (e.g. unminified, for a profile).
  const media = resolve(process.env.LVS_P5_MEDIA || join(root, 'dist', 'media'));
  const bundle = join(media, 'designer.js');
  if (!existsSync(bundle)) throw new Error(`P5 needs ${bundle}: run \`npm run build\` first`);
  const built = statSync(bundle).mtimeMs;
  const src = join(root, 'media', 'designer');
  const newer = existsSync(src) ? readdirSync(src).filter((f) => statSync(join(src, f)).mtimeMs > built + 1000) : [];
  if (newer.length) console.warn(`P5 warning: media/designer/${newer.join(', ')} newer than dist/media/designer.js; run \`npm run build\` to measure the current code`);
  return media;
}

type Measure = { ms: number; toRendered: number; handlerMs: number; cloneMs: number; domNodes: number };

async function loadFresh(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.evaluate(() => (window as unknown as { __bench: { next(p: (m: { type?: string }) => boolean): Promise<unknown> } }).__bench.next((m) => m?.type === 'ready'));
}

/** Runs P5 and prints its line; returns the numbers (for callers that compare). */
export async function measureDesignerPaint(): Promise<P5Result> {
  const root = repoRoot();
  const mediaDir = checkMedia(root);
  const executablePath = process.env.LVS_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`P5 needs ${executablePath} (apt-get install -y chromium, or set LVS_CHROMIUM)`);
  const chromium = loadChromium(root);

  const { first, edits, serverId, weights } = models();
  // The messages the extension posts for these models, in this order, to a fresh webview.
  const poster = new ModelPoster();
  const message = (m: DiagramModel): ModelMessage => {
    const msg = poster.message(m);
    if (!msg) throw new Error(`model version ${m.version} equals the previous one`);
    return msg;
  };
  const json = new Map<string, string>([[`/model/1.json`, JSON.stringify(message(first))]]);
  edits.forEach((m) => json.set(`/model/${m.version}.json`, JSON.stringify(message(m))));
  const modelKiB = JSON.stringify(first).length / 1024;
  const editKiB = json.get(`/model/${edits[0].version}.json`)!.length / 1024;

  const lives = Array.from({ length: LIVE_UPDATES }, (_, i) => liveView(first, i + 1));
  lives.forEach((view, n) => json.set(`/live/${n}.json`, JSON.stringify(view)));
  const { server, base } = await serve(mediaDir, json);
  let browser: Browser | undefined;
  const firstRuns: Measure[] = [];
  const rerenderRuns: Measure[] = [];
  const liveRuns: { ms: number; handlerMs: number; redrawn: number }[] = [];
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: VIEWPORT });
    const profile = process.env.LVS_P5_PROFILE;
    const cdp = profile ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (let load = 0; load <= LOADS; load++) {
      await loadFresh(page, base);
      // Messages are fetched and parsed before the clock starts (in VS Code they arrive as messages).
      const versions = [1, ...edits.map((m) => m.version)];
      // So are the live messages: passed as an argument of the page.evaluate that starts the clock
      // (932 KB of DevTools protocol), the renderer's main thread kept handling that protocol command
      // for ~300 ms after the clock started and before the posted message could run (Chromium trace:
      // the Runtime.callFunctionOn task outlasted the postMessage by 340 ms, the page idle meanwhile).
      await page.evaluate(async ([vs, lv]) => {
        const w = window as unknown as { __models: Record<number, unknown>; __lives: unknown[] };
        w.__models = {};
        for (const v of vs) w.__models[v] = await (await fetch(`/model/${v}.json`)).json();
        w.__lives = [];
        for (let n = 0; n < lv; n++) w.__lives.push({ type: 'live', view: await (await fetch(`/live/${n}.json`)).json() });
      }, [versions, lives.length] as const);
      const run = (version: number, check: { id: string; text?: string }) => page.evaluate(([v, c]) => {
        const w = window as unknown as { __models: Record<number, unknown>; __bench: { measure(m: unknown, v: number, c: unknown): Promise<Measure> } };
        return w.__bench.measure(w.__models[v as number], v as number, c);
      }, [version, check] as const);
      const trace = process.env.LVS_P5_TRACE && load === LOADS ? process.env.LVS_P5_TRACE : undefined;
      if (trace) await browser.startTracing(page, { path: trace, categories: ['devtools.timeline', 'blink', 'v8.execute'] });
      const f = await run(1, { id: serverId, text: 'weight 1' });
      if (load > 0) firstRuns.push(f);
      for (const [i, m] of edits.entries()) {
        const r = await run(m.version, { id: serverId, text: `weight ${weights[i]}` });
        if (load > 0) rerenderRuns.push(r);
      }
      for (const [i] of lives.entries()) {
        const l = await page.evaluate(([n, c]) => {
          const w = window as unknown as { __lives: unknown[]; __bench: { live(m: unknown, c: unknown): Promise<{ ms: number; handlerMs: number; redrawn: number }> } };
          return w.__bench.live(w.__lives[n as number], c);
        }, [i, { id: serverId, text: (i + 1) % 2 ? 'health check failed' : `${(i + 1) % 7} active` }] as const);
        if (load > 0) liveRuns.push(l);
      }
      if (trace) {
        await browser.stopTracing();
        console.log(`P5 trace of the last load: ${trace}`);
      }
      if (errors.length) throw new Error(`the designer threw in the page: ${errors.join('; ')}`);
    }
    if (cdp && profile) {
      const { profile: data } = await cdp.send('Profiler.stop');
      writeFileSync(profile, JSON.stringify(data));
      console.log(`P5 CPU profile: ${profile}`);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await new Promise<void>((r) => server.close(() => r()));
  }

  const result: P5Result = {
    firstPaintMs: median(firstRuns.map((r) => r.ms)),
    rerenderMs: median(rerenderRuns.map((r) => r.ms)),
    domNodes: firstRuns[0]?.domNodes ?? 0,
    modelKiB,
    firstPaintRuns: firstRuns.map((r) => r.ms),
    rerenderRuns: rerenderRuns.map((r) => r.ms),
    liveMs: median(liveRuns.map((r) => r.ms)),
    liveRuns: liveRuns.map((r) => r.ms),
  };
  const handler = median(firstRuns.map((r) => r.handlerMs));
  const handlerEdit = median(rerenderRuns.map((r) => r.handlerMs));
  const cloneFirst = median(firstRuns.map((r) => r.cloneMs));
  const cloneEdit = median(rerenderRuns.map((r) => r.cloneMs));
  console.log(`P5 topology: ${SERVERS} real servers, ${SERVICES} services, model ${modelKiB.toFixed(0)} KiB, edit message ${editKiB.toFixed(1)} KiB (message clone ${cloneFirst.toFixed(1)} ms first / ${cloneEdit.toFixed(1)} ms edit); `
    + `${result.domNodes} node elements in the DOM (virtualised); webview model handler ${handler.toFixed(1)} ms first / ${handlerEdit.toFixed(1)} ms edit; `
    + `medians of ${firstRuns.length} page loads × ${EDITS_PER_LOAD} edits`);
  console.log(`P5 designer first paint: ${result.firstPaintMs.toFixed(1)} ms (goal ≤ ${GOAL_FIRST_MS} ms) | re-render after edit: ${result.rerenderMs.toFixed(1)} ms (goal ≤ ${GOAL_RERENDER_MS} ms)`);
  const liveHandler = median(liveRuns.map((r) => r.handlerMs));
  console.log(`P5 live overlay update, ${SERVERS} real servers: ${result.liveMs.toFixed(1)} ms to the next frame (goal ≤ ${GOAL_LIVE_MS} ms); webview handler ${liveHandler.toFixed(1)} ms, `
    + `${median(liveRuns.map((r) => r.redrawn))} nodes in view redrawn; median of ${liveRuns.length} updates`);
  return result;
}

/** The bench entry (test/bench/main.ts): prints the P5 lines. */
export async function run(): Promise<void> {
  await measureDesignerPaint();
}
