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
//   LVS_VSCODE_TIMEOUT   hard timeout in seconds for the whole run (default 900: the whole run took 247 s with
//                        the lab suite, and the walkthrough's deploy, the secret prompts and the designer
//                        drain on the lab added about 235 s more)
//   LVS_VSCODE_GREP      mocha --grep passed to the suite
//   LVS_VSCODE_UNTRUSTED=1 workspace trust on and the folder not trusted (the untrusted suite)
//   LVS_VSCODE_VSIX      VSIX to install (default dist/lvs-dr-studio.vsix)
//   LVS_VSCODE_KEEP=1    keep the temp directory (user data, logs) after the run
//   LVS_VSCODE_VERBOSE=1 forward every browser console message (default filters workbench noise)
//   LVS_CHROMIUM         browser executable (default /usr/bin/chromium)
//   LVS_CACHE_DIR        cache root for code-server (see scripts/install-code-server.sh)
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import {
  checkBuild, installCodeServer, installVsix, launchChromium, loadChromium, makeLogger, makeSandbox,
  ROOT, secs, sleep, startCodeServer, stopCodeServer, DEFAULT_CHROMIUM,
} from './lib/code-server.mjs';

const TIMEOUT_S = Number(process.env.LVS_VSCODE_TIMEOUT || 900);
const SUITE_DIR = resolve(ROOT, process.env.LVS_VSCODE_SUITE || 'out/test/vscode/suite');
const VSIX = resolve(ROOT, process.env.LVS_VSCODE_VSIX || 'dist/lvs-dr-studio.vsix');
const CHROMIUM = process.env.LVS_CHROMIUM || DEFAULT_CHROMIUM;
const KEEP = process.env.LVS_VSCODE_KEEP === '1';
const VERBOSE = process.env.LVS_VSCODE_VERBOSE === '1';

const { t0, log, phase, phaseDone } = makeLogger('vscode-tests');

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
    // the group also holds the extension host and the language server
    await stopCodeServer(server);
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

function fail(msg) {
  throw new Error(msg);
}

async function main() {
  // --- preconditions -------------------------------------------------------------------------
  const suiteIndex = join(SUITE_DIR, 'index.js');
  if (!existsSync(suiteIndex)) fail(`suite ${suiteIndex} not found: run \`npm run build\` first`);
  checkBuild(VSIX, log);
  const chromium = await loadChromium(CHROMIUM);

  // --- install code-server -------------------------------------------------------------------
  phase('install-code-server');
  const codeServer = installCodeServer();
  phaseDone('install-code-server', `${codeServer.bin} (${codeServer.version})`);

  // --- temp dirs + workspace (a copy of examples/) --------------------------------------------
  const sandbox = makeSandbox('lvs-vscode-tests-');
  tmp = sandbox.tmp;
  sandbox.env.LVS_VSCODE_GREP = process.env.LVS_VSCODE_GREP || '';

  // --- install the VSIX ----------------------------------------------------------------------
  phase('install-vsix');
  const installed = installVsix(codeServer.bin, VSIX, sandbox);
  phaseDone('install-vsix', `${installed.id} -> ${installed.dir}`);

  // --- start code-server ---------------------------------------------------------------------
  phase('start-code-server');
  serverLogPath = join(tmp, 'code-server.log');
  const started = await startCodeServer(codeServer.bin, sandbox, {
    logPath: serverLogPath,
    onExit: (why) => { if (!cleaning) void finish(1, why + ' before the suite finished'); },
    untrusted: process.env.LVS_VSCODE_UNTRUSTED === '1',
  });
  server = started.child;
  const { port, base } = started;
  const ws = sandbox.ws;
  phaseDone('start-code-server', `${base} (pid ${server.pid})`);

  // --- browser + workbench + suite -----------------------------------------------------------
  phase('launch-browser');
  browser = await launchChromium(chromium, CHROMIUM);
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
    ['extensionDevelopmentPath', remote(installed.dir)],
    ['extensionTestsPath', remote(suiteIndex)],
  ];
  const url = `${base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  phase('suite');
  log(`workbench ${base}/?folder=${ws} ; extensionDevelopmentPath=${installed.dir} ; extensionTestsPath=${suiteIndex}`);
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
