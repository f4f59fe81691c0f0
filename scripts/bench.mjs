// Builds and runs the benchmarks (test/bench/main.ts). Requires `npm run build` for the server.
import * as esbuild from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { existsSync } from 'node:fs';

// P4 (deploy vs Ansible on the lab) needs the lab's packages and Debian's ansible: install them
// when we can (root on Linux); otherwise P4 prints why it is skipped.
if (process.platform === 'linux' && process.getuid?.() === 0) {
  const d = spawnSync('bash', ['scripts/install-system-deps.sh', 'bench'], { stdio: 'inherit' });
  if (d.status !== 0) console.error('bench: the packages of P4 could not be installed; P4 will say why it is skipped');
}
if (!existsSync('dist/server/server.js')) {
  const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
await esbuild.build({
  entryPoints: ['test/bench/main.ts'], outfile: 'out/bench/main.js', bundle: true, platform: 'node',
  // ssh2's optional native parts, as in build.mjs: where npm built them, esbuild has no loader for .node.
  target: 'node20', format: 'cjs', logLevel: 'warning', external: ['vscode-json-languageservice', 'cpu-features', '*.node'],
});
// Signals are passed on (e.g. `timeout 600 npm run bench`): P4 then tears its lab down before exiting.
const child = spawn(process.execPath, ['--max-semi-space-size=32', '--expose-gc', 'out/bench/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
