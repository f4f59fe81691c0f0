// `npm run bench`: performance against the peers named in README's Benchmarks table. Not a timed test:
// it prints medians and ratios so regressions are visible run to run.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { getLanguageService, TextDocument as JsonTextDocument } from 'vscode-json-languageservice';
import { generateFile } from '../../server/generate';
import { parse } from '../../server/language/parse';
import { LspTestClient } from '../lsp/lsp-client';
import { run as p6 } from './cli-cold-start';
import { run as p4 } from './deploy-vs-ansible';
import { run as p8 } from './live-status';
import { run as importBench } from './import-keepalived';
import { run as extensionStart } from './extension-start';
import { run as p5 } from './designer-paint';
import { run as layoutVsElk } from './layout-vs-elk';
import { bigTopology, topologySchema } from './topology';

const SERVERS = 2000;
const SERVICES = 200;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fmt(ms: number): string {
  return `${ms.toFixed(2)} ms`;
}

async function p1(lvs: string, json: string) {
  // LVS: didChange (a weight edit) → publishDiagnostics, through the real server over stdio.
  const client = new LspTestClient();
  await client.initialize({ debounceMs: 0 });
  const uri = 'file:///bench/big.lvs';
  await client.open(uri, lvs, 1);
  await client.diagnostics(uri, 1, 60_000);
  const lvsTimes: number[] = [];
  let version = 1;
  for (let i = 0; i < 25; i++) {
    const text = lvs.replace('real rs0 weight 1', `real rs0 weight ${2 + (i % 3)}`);
    version++;
    const t0 = performance.now();
    await client.change(uri, version, [{ text }]);
    await client.diagnostics(uri, version, 60_000);
    lvsTimes.push(performance.now() - t0);
  }
  await client.shutdown();

  // JSON peer: vscode-json-languageservice parse + doValidation against the schema, in process.
  const ls = getLanguageService({ schemaRequestService: async () => JSON.stringify(topologySchema) });
  ls.configure({ validate: true, schemas: [{ uri: 'bench://schema.json', fileMatch: ['*.json'], schema: topologySchema }] });
  const jsonTimes: number[] = [];
  for (let i = 0; i < 25; i++) {
    const text = json.replace('"weight": 1', `"weight": ${2 + (i % 3)}`);
    const doc = JsonTextDocument.create('file:///bench/big.json', 'json', i + 1, text);
    const t0 = performance.now();
    const parsed = ls.parseJSONDocument(doc);
    await ls.doValidation(doc, parsed);
    jsonTimes.push(performance.now() - t0);
  }
  return { lvs: median(lvsTimes.slice(3)), json: median(jsonTimes.slice(3)) };
}

function p2(lvs: string, json: string) {
  const lvsTimes: number[] = [];
  const jsonTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    let t0 = performance.now();
    parse(lvs);
    lvsTimes.push(performance.now() - t0);
    t0 = performance.now();
    JSON.parse(json);
    jsonTimes.push(performance.now() - t0);
  }
  return { lvs: median(lvsTimes.slice(5)), json: median(jsonTimes.slice(5)) };
}

/** P3: every file of every host of a 998-server + 2-director cluster (validation included). */
function p3() {
  const { lvs } = bigTopology(998, 100);
  const times: number[] = [];
  let files = 0;
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    const out = generateFile(lvs, 'big.lvs', { preview: true });
    times.push(performance.now() - t0);
    files = out.clusters[0].files.length;
  }
  return { ms: median(times.slice(2)), hosts: 1000, files };
}

const P3_COLD = '--p3-cold';

/** One generate in this process, which has done nothing else: prints its milliseconds. */
function p3ColdChild(): void {
  const { lvs } = bigTopology(998, 100);
  const t0 = performance.now();
  generateFile(lvs, 'big.lvs', { preview: true });
  console.log(JSON.stringify(performance.now() - t0));
}

/**
 * P3 as a user's first `generate` meets it: in a fresh process, before V8 has optimised the
 * parser, rules and generators (the median of 5 processes, each timing its only run).
 */
function p3Cold(): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, P3_COLD], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`P3 cold run failed: ${r.stderr}`);
    times.push(JSON.parse(r.stdout) as number);
  }
  return median(times);
}

/**
 * A full collection before each phase, so that one phase does not pay for the garbage the
 * previous one left (P1's language services leave a lot); inside a phase both sides run as
 * they are, their own garbage included. (bench.mjs starts node with --expose-gc.)
 */
function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main() {
  const { lvs, json } = bigTopology(SERVERS, SERVICES);
  console.log(`topology: ${SERVERS} real servers, ${SERVICES} services; .lvs ${(lvs.length / 1024).toFixed(0)} KiB, JSON ${(json.length / 1024).toFixed(0)} KiB`);
  settle();
  const r1 = await p1(lvs, json);
  console.log(`P1 edit→diagnostics: lvs server ${fmt(r1.lvs)} | vscode-json-languageservice ${fmt(r1.json)} | ratio ${(r1.lvs / r1.json).toFixed(2)} (goal ≤ 1.0)`);
  settle();
  const r2 = p2(lvs, json);
  console.log(`P2 parse: lvs ${fmt(r2.lvs)} | JSON.parse ${fmt(r2.json)} | ratio ${(r2.lvs / r2.json).toFixed(2)} (goal ≤ 4)`);
  settle();
  const r3 = p3();
  console.log(`P3 generate for ${r3.hosts} hosts (${r3.files} files): ${fmt(r3.ms)} (goal ≤ 100 ms) | first run in a fresh process ${fmt(p3Cold())} (goal ≤ 100 ms)`);
  settle();
  const ri = importBench();
  console.log(`import keepalived.conf of ${ri.reals} real servers → .lvs, validated: ${fmt(ri.ms)} (goal ≤ 100 ms)`);
  p6();
  extensionStart();
  await p5();
  await p4();
  await p8();
  for (const extra of (process.env.LVS_BENCH_EXTRA ?? '').split(',').filter(Boolean)) {
    const mod = await import(extra);
    await mod.run?.();
  }
}

if (process.argv.includes(P3_COLD)) p3ColdChild();
else if (process.argv.includes('--live-status')) p8().catch((err) => { console.error(err); process.exit(1); });
else if (process.argv.includes('--deploy-vs-ansible')) p4().catch((err) => { console.error(err); process.exit(1); });
else if (process.argv.includes('--designer')) p5().catch((err) => { console.error(err); process.exit(1); });
else if (process.argv.includes('--layout-vs-elk')) layoutVsElk().catch((err) => { console.error(err); process.exit(1); });
else main().catch((err) => { console.error(err); process.exit(1); });
