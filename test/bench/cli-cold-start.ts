// P6: the wall time of `lvsdr check examples/seed.lvs` against a bare `node -e 0`, the floor any
// node program starts from. The machine is shared, and its load moves both figures several-fold
// within a minute, so the two are measured as pairs run back to back (their order alternating,
// after two discarded warm-up pairs that fill the page cache), and the figure judged against the
// goal is the median of the pairs' own ratios: a load change between pairs cancels out in each.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const PAIRS = 31;
const WARM_UP = 2;
const GOAL = 1.3;
const CLI = 'dist/server/cli.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
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
  /** Medians of each command's wall times. */
  node: number;
  check: number;
  /** Median of the pairs' ratios check / node (the figure held against the goal). */
  ratio: number;
  pairs: number;
}

export function measure(pairs = PAIRS): CliColdStart {
  const NODE = ['-e', '0'];
  const CHECK = [CLI, 'check', 'examples/seed.lvs'];
  const node: number[] = [];
  const check: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < WARM_UP + pairs; i++) {
    let n: number;
    let c: number;
    if (i % 2 === 0) {
      n = wall(NODE);
      c = wall(CHECK);
    } else {
      c = wall(CHECK);
      n = wall(NODE);
    }
    if (i < WARM_UP) continue;
    node.push(n);
    check.push(c);
    ratios.push(c / n);
  }
  return { node: median(node), check: median(check), ratio: median(ratios), pairs };
}

export function run(): void {
  if (!existsSync(CLI)) {
    console.log(`P6 CLI cold start: skipped (${CLI} is missing: npm run build)`);
    return;
  }
  const load = loadavg()[0].toFixed(1);
  const r = measure();
  console.log(`P6 CLI cold start (lvsdr check examples/seed.lvs against node -e 0, ${r.pairs} interleaved pairs, load ${load}): `
    + `medians ${r.check.toFixed(1)} ms | ${r.node.toFixed(1)} ms; median of the pairs' ratios ${r.ratio.toFixed(2)} (goal ≤ ${GOAL}${r.ratio <= GOAL ? ', met' : ', missed'})`);
}
