#!/usr/bin/env node
// Runs the VS Code integration suite (out/test/vscode/suite) inside a REAL VS Code extension host:
// code-server 4.100.3 (= VS Code 1.100.3) + headless Debian chromium driven by playwright-core.
//
//   npm run build && bash scripts/package-vsix.sh && node scripts/run-vscode-tests.mjs
//
// What it does: installs code-server into a cache (scripts/install-code-server.sh), installs the
// packaged VSIX into a fresh extensions dir, starts code-server on a free 127.0.0.1 port with a
// temp copy of examples/ as the workspace, opens the workbench in chromium with the test payload
// (extensionDevelopmentPath = the INSTALLED extension folder, so the VSIX content is what runs;
// extensionTestsPath = the mocha suite) and exits with the code the workbench passes to
// window.codeAutomationExit. The extension host's console (mocha's spec output) is forwarded.
//
// Environment:
//   LVS_VSCODE_SUITE     suite directory holding index.js (default out/test/vscode/suite)
//   LVS_VSCODE_TIMEOUT   hard timeout in seconds for the whole run (default 240)
//   LVS_VSCODE_GREP      mocha --grep passed to the suite
//   LVS_VSCODE_VSIX      VSIX to install (default dist/lvs-dr-studio.vsix)
//   LVS_VSCODE_KEEP=1    keep the temp directory (user data, logs) after the run
//   LVS_VSCODE_VERBOSE=1 forward every browser console message (default filters workbench noise)
//   LVS_CHROMIUM         browser executable (default /usr/bin/chromium)
//   LVS_CACHE_DIR        cache root for code-server (see scripts/install-code-server.sh)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, createWriteStream, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION_ID = 'lvs-dr-studio.lvs-dr-studio';
const TIMEOUT_S = Number(process.env.LVS_VSCODE_TIMEOUT || 240);
const SUITE_DIR = resolve(ROOT, process.env.LVS_VSCODE_SUITE || 'out/test/vscode/suite');
const VSIX = resolve(ROOT, process.env.LVS_VSCODE_VSIX || 'dist/lvs-dr-studio.vsix');
const CHROMIUM = process.env.LVS_CHROMIUM || '/usr/bin/chromium';
const KEEP = process.env.LVS_VSCODE_KEEP === '1';
const VERBOSE = process.env.LVS_VSCODE_VERBOSE === '1';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const t0 = Date.now();
let phaseStart = Date.now();
const secs = (ms) => (ms / 1000).toFixed(1) + ' s';
function log(msg) {
  console.log(`[vscode-tests +${secs(Date.now() - t0)}] ${msg}`);
}
function phase(name) {
  phaseStart = Date.now();
  log(`phase ${name} ...`);
}
function phaseDone(name, extra = '') {
  log(`phase ${name} done in ${secs(Date.now() - phaseStart)}${extra ? ' - ' + extra : ''}`);
}

// ---------------------------------------------------------------------------------------------
// cleanup (always; also on signals and on the hard timeout)

let tmp;
let server; // code-server child (own process group)
let serverLogPath;
let browser;
let page;
let cleaning;
let failed = false;

async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    if (failed && page) {
      try {
        const dir = join(ROOT, 'test-artifacts');
        mkdirSync(dir, { recursive: true });
        await Promise.race([page.screenshot({ path: join(dir, 'vscode-tests-failure.png') }), sleep(5000)]);
        log(`failure screenshot: ${join(dir, 'vscode-tests-failure.png')}`);
      } catch { /* the page may be gone */ }
    }
    if (browser) {
      await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
      browser = undefined;
    }
    if (server && server.exitCode === null && server.signalCode === null) {
      killGroup(server.pid, 'SIGTERM');
      const exited = await Promise.race([new Promise((r) => server.once('exit', () => r(true))), sleep(5000).then(() => false)]);
      if (!exited) killGroup(server.pid, 'SIGKILL');
    }
    // the group may still hold the extension host / language server: make sure it is gone
    if (server) killGroup(server.pid, 'SIGKILL');
    if (failed && serverLogPath && existsSync(serverLogPath)) {
      const lines = readFileSync(serverLogPath, 'utf8').trimEnd().split('\n');
      console.log(`---- code-server log (last ${Math.min(40, lines.length)} lines of ${serverLogPath}) ----`);
      console.log(lines.slice(-40).join('\n'));
      console.log('---- end of code-server log ----');
    }
    if (tmp && !KEEP) rmSync(tmp, { recursive: true, force: true });
    else if (tmp) log(`kept temp directory ${tmp}`);
  })();
  return cleaning;
}

function killGroup(pid, sig) {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    try { process.kill(pid, sig); } catch { /* gone */ }
  }
}

async function finish(code, why) {
  if (code !== 0) failed = true;
  if (why) log(why);
  await cleanup();
  log(`${code === 0 ? 'PASS' : 'FAIL'} (exit ${code}) total ${secs(Date.now() - t0)}`);
  process.exit(code);
}

for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => void finish(code, `received ${sig}`));
}
process.on('uncaughtException', (err) => void finish(1, `uncaught: ${err && err.stack ? err.stack : err}`));
process.on('unhandledRejection', (err) => void finish(1, `unhandled rejection: ${err && err.stack ? err.stack : err}`));
const hardTimer = setTimeout(() => void finish(1, `hard timeout: no result after ${TIMEOUT_S} s`), TIMEOUT_S * 1000);

// ---------------------------------------------------------------------------------------------

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function freePort() {
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

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return r;
}

function fail(msg) {
  throw new Error(msg);
}

async function main() {
  // --- preconditions -------------------------------------------------------------------------
  const suiteIndex = join(SUITE_DIR, 'index.js');
  if (!existsSync(suiteIndex)) fail(`suite ${suiteIndex} not found: run \`npm run build\` first`);
  if (!existsSync(VSIX)) fail(`${VSIX} not found: run \`npm run build && bash scripts/package-vsix.sh\` first`);
  if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} not found: apt-get install -y chromium (or set LVS_CHROMIUM)`);
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    fail(`playwright-core is not installed (devDependency): ${err.message}`);
  }
  const vsixAge = statSync(VSIX).mtimeMs;
  for (const f of ['dist/client/extension.js', 'dist/server/server.js']) {
    const p = join(ROOT, f);
    if (existsSync(p) && statSync(p).mtimeMs > vsixAge + 1000) log(`warning: ${f} is newer than the VSIX; re-run scripts/package-vsix.sh to test the current build`);
  }

  // --- install code-server -------------------------------------------------------------------
  phase('install-code-server');
  const inst = run('bash', [join(ROOT, 'scripts/install-code-server.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
  if (inst.status !== 0) fail(`scripts/install-code-server.sh failed (exit ${inst.status})`);
  const codeServer = inst.stdout.trim().split('\n').pop();
  if (!codeServer || !existsSync(codeServer)) fail(`install-code-server.sh printed no usable binary path: ${JSON.stringify(inst.stdout)}`);
  const ver = run(codeServer, ['--version']).stdout.trim().split('\n').pop();
  phaseDone('install-code-server', `${codeServer} (${ver})`);

  // --- temp dirs + workspace -----------------------------------------------------------------
  tmp = mkdtempSync(join(tmpdir(), 'lvs-vscode-tests-'));
  const userData = join(tmp, 'user-data');
  const extDir = join(tmp, 'extensions');
  const ws = join(tmp, 'workspace');
  const home = join(tmp, 'home');
  for (const d of [userData, extDir, home]) mkdirSync(d, { recursive: true });
  cpSync(join(ROOT, 'examples'), ws, { recursive: true });
  // keep code-server's own config/data out of the real $HOME
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    LVS_VSCODE_GREP: process.env.LVS_VSCODE_GREP || '',
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  const common = ['--user-data-dir', userData, '--extensions-dir', extDir, '--config', join(tmp, 'config.yaml')];

  // --- install the VSIX ----------------------------------------------------------------------
  phase('install-vsix');
  const ie = run(codeServer, ['--install-extension', VSIX, ...common], { env });
  if (ie.status !== 0) fail(`--install-extension failed (exit ${ie.status}):\n${ie.stdout}\n${ie.stderr}`);
  const le = run(codeServer, ['--list-extensions', '--show-versions', ...common], { env });
  const listed = le.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const mine = listed.find((l) => l.toLowerCase().startsWith(EXTENSION_ID + '@'));
  if (!mine) fail(`${EXTENSION_ID} is not listed by --list-extensions after installing the VSIX; listed: ${listed.join(', ') || '(nothing)'}\n${ie.stdout}\n${ie.stderr}`);
  const version = mine.split('@')[1];
  const installedName = readdirSync(extDir).find((n) => n.toLowerCase() === `${EXTENSION_ID}-${version}`.toLowerCase());
  if (!installedName) fail(`installed extension folder ${EXTENSION_ID}-${version} not found in ${extDir}: ${readdirSync(extDir).join(', ')}`);
  const installed = join(extDir, installedName);
  for (const f of ['package.json', 'dist/client/extension.js', 'dist/server/server.js']) {
    if (!existsSync(join(installed, f))) fail(`the installed extension lacks ${f} (check .vscodeignore)`);
  }
  phaseDone('install-vsix', `${mine} -> ${installed}`);

  // --- start code-server ---------------------------------------------------------------------
  phase('start-code-server');
  const port = await freePort();
  serverLogPath = join(tmp, 'code-server.log');
  const serverLog = createWriteStream(serverLogPath);
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', ...common, ws];
  server = spawn(codeServer, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.pipe(serverLog, { end: false });
  server.stderr.pipe(serverLog, { end: false });
  let serverExit;
  server.on('exit', (code, sig) => {
    serverExit = `code-server exited (code ${code}, signal ${sig})`;
    if (!cleaning) void finish(1, serverExit + ' before the suite finished');
  });
  const base = `http://127.0.0.1:${port}`;
  const httpDeadline = Date.now() + 60_000;
  for (;;) {
    if (serverExit) fail(serverExit);
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > httpDeadline) fail(`code-server did not answer on ${base} within 60 s`);
    await sleep(200);
  }
  phaseDone('start-code-server', `${base} (pid ${server.pid})`);

  // --- browser + workbench + suite -----------------------------------------------------------
  phase('launch-browser');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  phaseDone('launch-browser', `chromium ${browser.version()}`);

  let resolveExit;
  const exitCode = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationExit', (code) => {
    resolveExit(typeof code === 'number' ? code : Number(code) || 0);
  });
  page.on('console', (msg) => forwardConsole(msg));
  page.on('pageerror', (err) => { if (VERBOSE) console.log(`[page error] ${err.message}`); });
  page.on('crash', () => resolveExit(1));

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(installed)],
    ['extensionTestsPath', remote(suiteIndex)],
  ];
  const url = `${base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  phase('suite');
  log(`workbench ${base}/?folder=${ws} ; extensionDevelopmentPath=${installed} ; extensionTestsPath=${suiteIndex}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  const code = await exitCode;
  await Promise.race([consoleChain, sleep(3000)]); // flush forwarded console output
  phaseDone('suite', `codeAutomationExit(${code})`);
  return code;
}

// Console forwarding. In test mode the extension host's console (mocha's spec reporter, the
// suite's console.log) reaches the page through the workbench log service as
// console.log('%c INFO', 'color: ...', format, ...args). Workbench log lines use the same path,
// so the known ones are filtered (LVS_VSCODE_VERBOSE=1 shows everything, raw page messages too).
const NOISE = [
  /^Resolving connection token|^Resolved connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
  /^Started local extension host|^Extension host \(.*\) is unresponsive|^Extension host \(.*\) is responsive/,
  /^\[LocalProcess|^\[Extension Host\] (Debugger listening|For help, see)/,
  /Ignoring fetched value for proxy/,
  /^Creation of workbench contribution '.*' took \d+ms/,
];
let consoleChain = Promise.resolve();
function forwardConsole(msg) {
  const type = msg.type();
  const handles = msg.args();
  consoleChain = consoleChain
    .then(() => Promise.all(handles.map((h) => h.jsonValue().catch(() => '[unserializable]'))))
    .then((args) => {
      const head = typeof args[0] === 'string' ? args[0].match(/^%c\s*(TRACE|DEBUG|INFO|WARN|ERROR)\s*$/) : null;
      if (head) {
        const text = args.length > 2 ? format(...args.slice(2)) : '';
        if (!VERBOSE && NOISE.some((re) => re.test(text))) return;
        console.log(head[1] === 'INFO' ? text : `[${head[1].toLowerCase()}] ${text}`);
      } else if (VERBOSE) {
        console.log(`[browser ${type}] ${args.length ? format(...args) : msg.text()}`);
      }
    })
    .catch(() => {});
}

main().then(
  (code) => {
    clearTimeout(hardTimer);
    return finish(code, code === 0 ? 'suite passed' : `suite failed (codeAutomationExit ${code})`);
  },
  (err) => finish(1, `ERROR: ${err && err.message ? err.message : err}`),
);
