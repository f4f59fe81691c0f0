#!/usr/bin/env node
// UI test tier (README, "Run every test tier"): drives a REAL VS Code (code-server 4.100.3 = VS Code 1.100.3)
// in headless Debian chromium with playwright-core, with the packaged VSIX installed (not the
// source tree), through the steps of test/ui/designer.steps.mjs: open examples/seed.lvs, wait
// for the language server, open the topology designer from the command palette, find the nodes
// inside the webview iframes, add a real server through the form and see the text change, undo,
// break the text and see the banner, take light/dark screenshots.
//
//   npm run build && bash scripts/package-vsix.sh && node scripts/run-ui-tests.mjs
//
// Everything runs in a temp dir: a fresh user-data dir (User/settings.json with the colour
// theme), a fresh extensions dir, a copy of examples/ as the workspace (the test's edits never
// touch the repository). code-server and the browser are always stopped (also on failure,
// signals and the hard timeout). A failing step leaves a screenshot in test-artifacts/ui/.
// The last line is `ui: N passed, M failed` (plus skipped steps after a critical failure).
//
// Options / environment:
//   --update-screenshots     copy the screenshots the steps took to docs/screenshots/, and the
//                            walkthrough's images to media/walkthrough/
//   --locale zh-cn           VS Code's display language set to Chinese (code-server --locale, with a
//                            stub language pack that translates nothing: scripts/lib/stub-language-pack.mjs):
//                            the extension's strings in Chinese (test/ui/zh-cn.steps.mjs); the
//                            workbench's own strings stay English
//   --live                   the live designer on the seed lab (test/ui/live.steps.mjs): brings the lab
//                            up and deploys the seed; run it under the lab lock too:
//                            flock /tmp/lvs-lab.lock flock /tmp/lvs-vscode.lock node scripts/run-ui-tests.mjs --live
//   LVS_UI_TIMEOUT           hard timeout in seconds for the whole run (default 480)
//   LVS_UI_GREP              run only the steps whose name matches (critical setup steps always run)
//   LVS_VSCODE_VSIX          VSIX to install (default dist/lvs-dr-studio.vsix)
//   LVS_UI_KEEP=1            keep the temp directory (user data, logs, workspace) after the run
//   LVS_UI_HEADED=1          show the browser (needs a display)
//   LVS_UI_VERBOSE=1         forward browser console errors and page errors
//   LVS_CHROMIUM             browser executable (default /usr/bin/chromium)
//   LVS_CACHE_DIR            cache root for code-server (see scripts/install-code-server.sh)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  checkBuild, DEFAULT_CHROMIUM, installCodeServer, installVsix, launchChromium, loadChromium, makeLogger, makeSandbox, ROOT,
  run, secs, sleep, startCodeServer, stopCodeServer,
} from './lib/code-server.mjs';
import { buildStubLanguagePack, registerLanguagePack } from './lib/stub-language-pack.mjs';

const TIMEOUT_S = Number(process.env.LVS_UI_TIMEOUT || 480);
const VSIX = resolve(ROOT, process.env.LVS_VSCODE_VSIX || 'dist/lvs-dr-studio.vsix');
const CHROMIUM = process.env.LVS_CHROMIUM || DEFAULT_CHROMIUM;
const KEEP = process.env.LVS_UI_KEEP === '1';
const HEADED = process.env.LVS_UI_HEADED === '1';
const VERBOSE = process.env.LVS_UI_VERBOSE === '1';
const GREP = process.env.LVS_UI_GREP ? new RegExp(process.env.LVS_UI_GREP, 'i') : undefined;
const UPDATE_SCREENSHOTS = process.argv.includes('--update-screenshots');
const LIVE = process.argv.includes('--live');
const LOCALE = process.argv.includes('--locale') ? process.argv[process.argv.indexOf('--locale') + 1] : undefined;
/** The steps of each display language other than English. */
const LOCALE_STEPS = { 'zh-cn': '../test/ui/zh-cn.steps.mjs' };
/** Run at cleanup, last registered first (the live steps' lab down). */
const cleanups = [];
const ARTIFACTS = join(ROOT, 'test-artifacts', 'ui');
const VIEWPORT = { width: 1600, height: 1000 };

const { log, phase, phaseDone, elapsed } = makeLogger('ui-tests');

// ---------------------------------------------------------------------------------------------
// cleanup (always; also on signals and on the hard timeout)

let sandbox;
let server;
let serverLogPath;
let browser;
let page;
let cleaning;
const results = []; // { name, status: 'passed' | 'failed' | 'skipped', ms, error? }

async function cleanup(failed) {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    if (browser) await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
    for (const f of cleanups.splice(0).reverse()) {
      try {
        await f();
      } catch (err) {
        log(`cleanup failed: ${err && err.message ? err.message : err}`);
      }
    }
    browser = undefined;
    await stopCodeServer(server?.child);
    if (failed && serverLogPath && existsSync(serverLogPath)) {
      const lines = readFileSync(serverLogPath, 'utf8').trimEnd().split('\n');
      console.log(`---- code-server log (last ${Math.min(30, lines.length)} lines) ----`);
      console.log(lines.slice(-30).join('\n'));
      console.log('---- end of code-server log ----');
    }
    if (sandbox && !KEEP) rmSync(sandbox.tmp, { recursive: true, force: true });
    else if (sandbox) log(`kept temp directory ${sandbox.tmp}`);
  })();
  return cleaning;
}

function summary() {
  const n = (s) => results.filter((r) => r.status === s).length;
  const skipped = n('skipped');
  return `ui: ${n('passed')} passed, ${n('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

let finishing = false;
async function finish(code, why) {
  if (finishing) return;
  finishing = true;
  clearTimeout(hardTimer);
  if (why) log(why);
  if (code !== 0 && page && results.every((r) => r.status !== 'failed')) await failureShot('run');
  await cleanup(code !== 0);
  log(`${code === 0 ? 'PASS' : 'FAIL'} total ${secs(elapsed())}`);
  console.log(summary());
  process.exit(code);
}

for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => void finish(code, `received ${sig}`));
}
process.on('uncaughtException', (err) => void finish(1, `uncaught: ${err && err.stack ? err.stack : err}`));
process.on('unhandledRejection', (err) => void finish(1, `unhandled rejection: ${err && err.stack ? err.stack : err}`));
const hardTimer = setTimeout(() => {
  const current = results.find((r) => r.status === 'running');
  if (current) {
    current.status = 'failed';
    current.error = `hard timeout (${TIMEOUT_S} s, LVS_UI_TIMEOUT) while running this step`;
    console.log(`  ✘ ${current.name}: ${current.error}`);
  }
  void finish(1, `hard timeout: the run did not finish within ${TIMEOUT_S} s`);
}, TIMEOUT_S * 1000);

async function failureShot(slug) {
  if (!page) return undefined;
  try {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, `failure-${slug}.png`);
    await Promise.race([page.screenshot({ path: file }), sleep(10_000).then(() => { throw new Error('screenshot timed out'); })]);
    return file;
  } catch (err) {
    log(`could not take a failure screenshot: ${err.message}`);
    return undefined;
  }
}

/** Texts of the visible notification toasts (a crashed language server shows up there). */
async function notifications() {
  try {
    const texts = await page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
    return texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
  } catch {
    return [];
  }
}

function slugOf(i, name) {
  return `${String(i + 1).padStart(2, '0')}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48)}`;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  checkBuild(VSIX, log);
  const chromium = await loadChromium(CHROMIUM);
  if (LOCALE && !LOCALE_STEPS[LOCALE]) throw new Error(`--locale ${LOCALE}: no UI steps for that language (known: ${Object.keys(LOCALE_STEPS).join(', ')})`);
  if (LOCALE && LIVE) throw new Error('--locale and --live are separate runs');
  const { steps } = await import(LIVE ? '../test/ui/live.steps.mjs' : LOCALE ? LOCALE_STEPS[LOCALE] : '../test/ui/designer.steps.mjs');
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of readdirSync(ARTIFACTS)) if (/^(failure-.*|(designer|diagnostics|walkthrough)-.*)\.png$/.test(f)) rmSync(join(ARTIFACTS, f), { force: true });

  phase('install-code-server');
  const cs = installCodeServer();
  phaseDone('install-code-server', `${cs.bin} (${cs.version})`);

  sandbox = makeSandbox('lvs-ui-tests-', {
    settings: {
      'workbench.colorTheme': 'Default Light Modern',
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.commandCenter.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.ignoreRecommendations': true,
      'security.workspace.trust.enabled': false,
      'update.mode': 'none',
      'files.autoSave': 'off',
      'editor.minimap.enabled': false,
      'editor.hover.delay': 200,
      'window.zoomLevel': 0,
      // The terminal's text in the DOM (not drawn on a canvas), so a step can read what it shows.
      'terminal.integrated.gpuAcceleration': 'off',
    },
  });

  // The workspace is examples/ without broken/: those files (one per rule) reuse the seed's
  // addresses in other clusters on purpose, which LVS118 reports across the workspace's files.
  rmSync(join(sandbox.ws, 'broken'), { recursive: true, force: true });

  phase('install-vsix');
  const ext = installVsix(cs.bin, VSIX, sandbox);
  phaseDone('install-vsix', `${ext.id} -> ${ext.dir}`);
  if (LOCALE) {
    // code-server's --locale needs an installed pack for the language, or VS Code stays English.
    phase('install-stub-language-pack');
    const pack = buildStubLanguagePack(LOCALE, sandbox.tmp);
    const r = run(cs.bin, ['--install-extension', pack, ...sandbox.common], { env: sandbox.env });
    if (r.status !== 0) throw new Error(`installing the stub language pack failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    registerLanguagePack(sandbox, LOCALE);
    phaseDone('install-stub-language-pack', pack);
  }

  phase('start-code-server');
  serverLogPath = join(sandbox.tmp, 'code-server.log');
  server = await startCodeServer(cs.bin, sandbox, {
    logPath: serverLogPath,
    locale: LOCALE,
    onExit: (why) => { if (!cleaning) void finish(1, `${why} during the UI tests`); },
  });
  phaseDone('start-code-server', `${server.base} (pid ${server.child.pid})`);

  phase('workbench');
  browser = await launchChromium(chromium, CHROMIUM, !HEADED);
  const context = await browser.newContext({ viewport: VIEWPORT });
  page = await context.newPage();
  page.on('pageerror', (err) => { if (VERBOSE) console.log(`[page error] ${err.message}`); });
  page.on('console', (msg) => { if (VERBOSE && msg.type() === 'error') console.log(`[browser error] ${msg.text()}`); });
  page.on('crash', () => void finish(1, 'the browser page crashed'));
  await page.goto(`${server.base}/?folder=${encodeURIComponent(sandbox.ws)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: 90_000 });
  await page.locator('.monaco-workbench .explorer-folders-view, .monaco-workbench .part.statusbar').first().waitFor({ state: 'visible', timeout: 60_000 });
  phaseDone('workbench', `chromium ${browser.version()}`);

  const ctx = {
    page,
    ws: sandbox.ws,
    artifacts: ARTIFACTS,
    screenshots: [],
    /** { file, name }: images of the walkthrough's steps, copied to media/walkthrough/<name>. */
    walkthroughImages: [],
    cleanups,
    log: (m) => console.log(`      ${m}`),
  };

  phase('steps');
  let abort;
  for (const [i, step] of steps.entries()) {
    const r = { name: step.name, status: 'running', ms: 0 };
    results.push(r);
    if (abort) {
      r.status = 'skipped';
      console.log(`  - ${step.name} (skipped: ${abort})`);
      continue;
    }
    if (GREP && !step.critical && !GREP.test(step.name)) {
      r.status = 'skipped';
      console.log(`  - ${step.name} (skipped: LVS_UI_GREP)`);
      continue;
    }
    const t = Date.now();
    try {
      await step.run(ctx);
      r.status = 'passed';
      r.ms = Date.now() - t;
      console.log(`  ✔ ${step.name} (${secs(r.ms)})`);
    } catch (err) {
      r.status = 'failed';
      r.ms = Date.now() - t;
      r.error = err && err.message ? err.message : String(err);
      console.log(`  ✘ ${step.name} (${secs(r.ms)})\n      ${r.error.split('\n').join('\n      ')}`);
      if (!(err && err.name === 'StepError') && err && err.stack && VERBOSE) console.log(err.stack);
      const notes = await notifications();
      if (notes.length) console.log(`      VS Code notifications:\n        ${notes.join('\n        ')}`);
      const shot = await failureShot(slugOf(i, step.name));
      if (shot) console.log(`      screenshot: ${relative(ROOT, shot)}`);
      if (step.critical) abort = `"${step.name}" failed`;
    }
  }
  phaseDone('steps');

  if (UPDATE_SCREENSHOTS) {
    const docs = join(ROOT, 'docs', 'screenshots');
    mkdirSync(docs, { recursive: true });
    for (const f of ctx.screenshots) {
      copyFileSync(f, join(docs, f.split('/').pop()));
      log(`copied ${relative(ROOT, f)} -> ${relative(ROOT, join(docs, f.split('/').pop()))}`);
    }
    const walkthrough = join(ROOT, 'media', 'walkthrough');
    for (const { file, name } of ctx.walkthroughImages) {
      copyFileSync(file, join(walkthrough, name));
      log(`copied ${relative(ROOT, file)} -> ${relative(ROOT, join(walkthrough, name))}`);
    }
  }
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}

main().then(
  (code) => finish(code),
  (err) => finish(1, `ERROR: ${err && err.message ? err.message : err}`),
);
