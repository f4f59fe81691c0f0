// P6: the wall time of `lvsdr check examples/seed.lvs` against a bare `node -e 0`, the floor any
// node program starts from. The two alternate run by run so that a busy machine slows both alike.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const RUNS = 21;
const GOAL = 1.3;
const CLI = 'dist/server/cli.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall milliseconds of one process from spawn to exit; throws when it fails. */
function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`P6: node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export interface CliColdStart {
  node: number;
  check: number;
  ratio: number;
}

export function measure(): CliColdStart {
  const node: number[] = [];
  const check: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    node.push(wall(['-e', '0']));
    check.push(wall([CLI, 'check', 'examples/seed.lvs']));
  }
  const r = { node: median(node), check: median(check), ratio: 0 };
  r.ratio = r.check / r.node;
  return r;
}

export function run(): void {
  if (!existsSync(CLI)) {
    console.log(`P6 CLI cold start: skipped (${CLI} is missing: npm run build)`);
    return;
  }
  const r = measure();
  console.log(`P6 CLI cold start (lvsdr check examples/seed.lvs, median of ${RUNS}): ${r.check.toFixed(1)} ms | node -e 0 ${r.node.toFixed(1)} ms | ratio ${r.ratio.toFixed(2)} (goal ≤ ${GOAL})`);
}
