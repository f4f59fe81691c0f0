// Shared pieces of the "real VS Code in a real browser" harnesses (scripts/run-ui-tests.mjs; the
// same steps as scripts/run-vscode-tests.mjs): code-server 4.100.3 (= VS Code 1.100.3) installed
// into a cache by scripts/install-code-server.sh, the packaged VSIX installed into a fresh
// extensions dir, code-server started in its own process group on a free 127.0.0.1 port, and
// Debian chromium driven by playwright-core. docs/decisions.md records why (code-server instead of a downloaded VS Code build).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTENSION_ID = 'lvs-dr-studio.lvs-dr-studio';
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export const secs = (ms) => (ms / 1000).toFixed(1) + ' s';

/** `[tag +12.3 s] message` logger with named phases (start/done with their duration). */
export function makeLogger(tag) {
  const t0 = Date.now();
  let phaseStart = t0;
  const log = (msg) => console.log(`[${tag} +${secs(Date.now() - t0)}] ${msg}`);
  return {
    t0,
    log,
    elapsed: () => Date.now() - t0,
    phase(name) {
      phaseStart = Date.now();
      log(`phase ${name} ...`);
    },
    phaseDone(name, extra = '') {
      log(`phase ${name} done in ${secs(Date.now() - phaseStart)}${extra ? ' - ' + extra : ''}`);
    },
  };
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return r;
}

/** Signals a whole process group (code-server, its extension host, the language server). */
export function killGroup(pid, sig) {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    try { process.kill(pid, sig); } catch { /* gone */ }
  }
}

/** Fails early with the command to run when the build or the VSIX is missing; warns when stale. */
export function checkBuild(vsix, log) {
  if (!existsSync(vsix)) throw new Error(`${vsix} not found: run \`npm run build && bash scripts/package-vsix.sh\` first`);
  const vsixAge = statSync(vsix).mtimeMs;
  for (const f of ['dist/client/extension.js', 'dist/server/server.js', 'dist/media/designer.js']) {
    const p = join(ROOT, f);
    if (existsSync(p) && statSync(p).mtimeMs > vsixAge + 1000) log(`warning: ${f} is newer than the VSIX; re-run scripts/package-vsix.sh to test the current build`);
  }
}

export async function loadChromium(executable) {
  if (!existsSync(executable)) throw new Error(`${executable} not found: apt-get install -y chromium (or set LVS_CHROMIUM)`);
  try {
    const { chromium } = await import('playwright-core');
    return chromium;
  } catch (err) {
    throw new Error(`playwright-core is not installed (devDependency): ${err.message}`);
  }
}

export function launchChromium(chromium, executable, headless = true) {
  return chromium.launch({ executablePath: executable, headless, args: CHROMIUM_ARGS });
}

/** Runs scripts/install-code-server.sh (cached) and returns the code-server binary and its version. */
export function installCodeServer() {
  const inst = run('bash', [join(ROOT, 'scripts/install-code-server.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (inst.status !== 0) throw new Error(`scripts/install-code-server.sh failed (exit ${inst.status})`);
  const bin = inst.stdout.trim().split('\n').pop();
  if (!bin || !existsSync(bin)) throw new Error(`install-code-server.sh printed no usable binary path: ${JSON.stringify(inst.stdout)}`);
  const version = run(bin, ['--version']).stdout.trim().split('\n').pop();
  return { bin, version };
}

/**
 * A fresh temp tree: user data (with `settings` written as User/settings.json), extensions dir,
 * a copy of `workspaceSource` as the workspace, and a private HOME/XDG dirs for code-server.
 */
export function makeSandbox(prefix, { workspaceSource = join(ROOT, 'examples'), settings } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const userData = join(tmp, 'user-data');
  const extDir = join(tmp, 'extensions');
  const ws = join(tmp, 'workspace');
  const home = join(tmp, 'home');
  for (const d of [userData, extDir, home]) mkdirSync(d, { recursive: true });
  cpSync(workspaceSource, ws, { recursive: true });
  const settingsPath = join(userData, 'User', 'settings.json');
  if (settings) {
    mkdirSync(dirname(settingsPath), { recursive: true });
    writeFileSync(settingsPath, JSON.stringify(settings, null, 2) + '\n');
  }
  // keep code-server's own config/data out of the real $HOME
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  const common = ['--user-data-dir', userData, '--extensions-dir', extDir, '--config', join(tmp, 'config.yaml')];
  return { tmp, userData, extDir, ws, home, env, common, settingsPath };
}

/** Installs the VSIX with `code-server --install-extension` and returns the installed folder. */
export function installVsix(bin, vsix, sandbox) {
  const { common, env, extDir } = sandbox;
  const ie = run(bin, ['--install-extension', vsix, ...common], { env });
  if (ie.status !== 0) throw new Error(`--install-extension failed (exit ${ie.status}):\n${ie.stdout}\n${ie.stderr}`);
  const le = run(bin, ['--list-extensions', '--show-versions', ...common], { env });
  const listed = le.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const mine = listed.find((l) => l.toLowerCase().startsWith(EXTENSION_ID + '@'));
  if (!mine) throw new Error(`${EXTENSION_ID} is not listed by --list-extensions after installing the VSIX; listed: ${listed.join(', ') || '(nothing)'}\n${ie.stdout}\n${ie.stderr}`);
  const version = mine.split('@')[1];
  const name = readdirSync(extDir).find((n) => n.toLowerCase() === `${EXTENSION_ID}-${version}`.toLowerCase());
  if (!name) throw new Error(`installed extension folder ${EXTENSION_ID}-${version} not found in ${extDir}: ${readdirSync(extDir).join(', ')}`);
  const installed = join(extDir, name);
  for (const f of ['package.json', 'dist/client/extension.js', 'dist/server/server.js']) {
    if (!existsSync(join(installed, f))) throw new Error(`the installed extension lacks ${f} (check .vscodeignore)`);
  }
  return { id: mine, dir: installed };
}

/**
 * Starts code-server (detached: own process group, so killGroup reaches the extension host and
 * the language server) and waits for /healthz. `onExit(reason)` is called if it dies.
 */
export async function startCodeServer(bin, sandbox, { logPath, onExit, folder = sandbox.ws, timeoutMs = 60_000, untrusted = false, locale } = {}) {
  const port = await freePort();
  const out = createWriteStream(logPath);
  // `untrusted`: workspace trust stays on, and a fresh folder is not trusted (Restricted Mode).
  // `locale`: code-server's --locale flag, VS Code's display language (vscode.env.language, the
  // package.nls.<locale>.json and l10n/bundle.l10n.<locale>.json an extension gets); without a
  // language pack the workbench's own strings stay English.
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']), ...(locale ? ['--locale', locale] : []), '--disable-getting-started-override', ...sandbox.common, folder];
  const child = spawn(bin, args, { env: sandbox.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  let exited;
  child.on('exit', (code, sig) => {
    exited = `code-server exited (code ${code}, signal ${sig})`;
    onExit?.(exited);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${base} within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
  return { child, port, base };
}

/** Stops code-server: SIGTERM to the group, SIGKILL after 5 s, and SIGKILL to leftovers. */
export async function stopCodeServer(child) {
  if (!child) return;
  if (child.exitCode === null && child.signalCode === null) {
    killGroup(child.pid, 'SIGTERM');
    const exited = await Promise.race([new Promise((r) => child.once('exit', () => r(true))), sleep(5000).then(() => false)]);
    if (!exited) killGroup(child.pid, 'SIGKILL');
  }
  killGroup(child.pid, 'SIGKILL');
}
