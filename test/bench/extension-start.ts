// The extension's start-up in a real VS Code: packages the VSIX (its size is printed too), runs
// the real-VS-Code tier's start-up test alone (test/vscode/suite/startup.test.ts) and prints the
// timings the extension recorded: activate() and the language server's start.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GOAL_ACTIVATE_MS = 50;
const VSIX = 'dist/lvs-dr-studio.vsix';
const CLIENT_DIR = 'dist/client';

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

/** The extension's bundles: the entry point, the activation bundle, the language client's and the parts loaded on first use. */
function clientBundles(): string {
  const files = readdirSync(CLIENT_DIR).filter((f) => f.endsWith('.js'));
  return files.map((f) => `${f} ${kib(statSync(join(CLIENT_DIR, f)).size)}`).join(', ');
}

/** The last lines of a failed tool's output, for the line that says why a figure is missing. */
function tail(text: string): string {
  return text.trim().split('\n').slice(-3).join(' / ');
}

export function run(): void {
  const pack = spawnSync('bash', ['scripts/package-vsix.sh'], { encoding: 'utf8' });
  if (pack.status !== 0) {
    console.log(`extension start-up: skipped (packaging the VSIX failed: ${tail(pack.stderr || pack.stdout)})`);
    return;
  }
  const sizes = `VSIX ${kib(statSync(VSIX).size)} | ${CLIENT_DIR}: ${clientBundles()}`;
  const dir = mkdtempSync(join(tmpdir(), 'lvs-bench-startup-'));
  try {
    const file = join(dir, 'timings.json');
    const tier = spawnSync(process.execPath, ['scripts/run-vscode-tests.mjs'], {
      encoding: 'utf8',
      env: { ...process.env, LVS_VSCODE_GREP: 'start-up timings', LVS_STARTUP_TIMINGS_FILE: file },
    });
    if (tier.status !== 0) {
      console.log(`extension start-up: ${sizes} | timings skipped (the real-VS-Code tier failed: ${tail(tier.stdout + tier.stderr)})`);
      return;
    }
    const t = JSON.parse(readFileSync(file, 'utf8')) as { activateMs: number; serverReadyMs: number; phases: Record<string, number>; vscode: string };
    const parts = Object.entries(t.phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
    console.log(`extension start-up (VS Code ${t.vscode}): activate() ${t.activateMs.toFixed(1)} ms (goal ≤ ${GOAL_ACTIVATE_MS} ms; ${parts}) | language server ready ${t.serverReadyMs.toFixed(1)} ms | ${sizes}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
