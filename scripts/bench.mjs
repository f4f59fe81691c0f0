// Builds and runs the benchmarks (test/bench/main.ts). Requires `npm run build` for the server.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
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
  target: 'node20', format: 'cjs', logLevel: 'warning', external: ['vscode-json-languageservice'],
});
const r = spawnSync(process.execPath, ['--max-semi-space-size=32', 'out/bench/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
