// UI tier, live designer (scripts/run-ui-tests.mjs --live, under the lab lock): the seed's lab
// brought up, found up by LVS: Check Local Lab and deployed to by LVS: Deploy Cluster… in a real
// VS Code (code-server) — the walkthrough's lab and deploy steps, their images in both themes —
// then the designer gone live on it — the VRRP pair's states, the real servers in service — a
// failover shown within 5 s, a drain and a restore from the designer's properties panel, no status
// refreshes while the panel is hidden, and the live screenshots in both themes. The lab is brought
// down at the end, also on failure.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  designerFrame, focusTextEditor, openFile, pickInQuickInput, runCommand, setColorTheme, sleep, splitEditors, StepError, waitFor,
} from './workbench.mjs';

const FILE = 'seed.lvs';
const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/server/cli.js');
// The VRRP password of the seed's secret:vrrp-web, as a user would keep it in the environment: set
// before code-server starts (this module is loaded first), so VS Code's deploy reads it too.
process.env.LVS_SECRET_VRRP_WEB = 'lab-vrrp';
const ENV = { ...process.env };
const THEMES = { light: 'Light Modern', dark: 'Dark Modern' };
/** This run's workspace (set by the first step): the designer's children name its file. */
let WS = '\0';
const id = (kind, name) => `web/${kind}/${name}`;
const node = (frame, nodeId) => frame.locator(`.node[data-node-id="${nodeId}"]`);
const badge = (frame, nodeId) => node(frame, nodeId).locator('.live-badge');

function check(cond, message) {
  if (!cond) throw new StepError(message);
}

function lvsdr(ctx, args, timeout = 240_000) {
  return execFileSync(process.execPath, [CLI, ...args], { env: ENV, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * The `lvsdr status --watch` children the extension runs now on this run's workspace file (pid and
 * args, from ps). Other runs on the machine (a lab test, another workspace) watch other files; a
 * lab-target lvsdr runs itself again inside the lab's client namespace (`ip netns exec`, cli/deploy.ts
 * runInsideLab), and that inner process is the same lvsdr status, not a second one.
 */
function statusChildren() {
  const procs = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' }).split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/)).filter(Boolean)
    .filter(([, , , args]) => /cli\.js status .*--watch/.test(args) && args.includes(`${join(WS, FILE)} `));
  const pids = new Set(procs.map(([, pid]) => pid));
  return procs.filter(([, , ppid]) => !pids.has(ppid)).map(([, pid, , args]) => `${pid} ${args}`);
}

/** The cluster's health in VS Code's status bar (client/live/live-status.ts), fed by the designer's Live toggle; '' when not shown. */
async function statusBarHealth(page) {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: /LVS web:/ }).first();
  return (await item.innerText({ timeout: 1000 }).catch(() => '')).replace(/\s+/g, ' ').trim();
}

async function badgeText(frame, nodeId) {
  return (await badge(frame, nodeId).innerText({ timeout: 1000 }).catch(() => '')).trim();
}

/** Switches the colour theme and waits until the workbench is painted in it. */
async function inTheme(page, theme) {
  await setColorTheme(page, THEMES[theme]);
  await page.locator(`.monaco-workbench.${theme === 'dark' ? 'vs-dark' : 'vs'}`).waitFor({ state: 'attached', timeout: 30_000 });
  await page.mouse.move(300, 12);
  await sleep(800);
}

/** Waits for a notification toast whose message matches `re`; returns its message. */
async function toast(page, re, timeoutMs) {
  const messages = page.locator('.notification-toast .notification-list-item-message');
  return waitFor(`a notification matching ${re}`, async () => (await messages.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).find((t) => re.test(t)), { timeoutMs, intervalMs: 500 });
}

/** The whole workbench as the image of a walkthrough step (media/walkthrough/ with --update-screenshots). */
async function walkthroughImage(ctx, name) {
  const file = join(ctx.artifacts, `walkthrough-${name}`);
  await ctx.page.screenshot({ path: file });
  ctx.walkthroughImages.push({ file, name });
  ctx.log(`walkthrough image ${file}`);
}

export const steps = [
  {
    name: 'lab: the seed brought up (lvsdr lab up)',
    critical: true,
    async run(ctx) {
      const file = join(ctx.ws, FILE);
      WS = ctx.ws;
      ctx.cleanups.push(() => { lvsdr(ctx, ['lab', 'down'], 120_000); });
      const t0 = Date.now();
      lvsdr(ctx, ['lab', 'up', file]);
      ctx.log(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      await openFile(ctx.page, FILE);
    },
  },
  {
    name: "LVS: Check Local Lab finds the lab up (the walkthrough's lab step completes): its images in both themes",
    async run(ctx) {
      const { page } = ctx;
      // The lab as `lvsdr lab status` prints it in VS Code's terminal, where the step tells a user to
      // run lvsdr (here the CLI of this build, under the name a user has for it).
      await runCommand(page, 'Terminal: Create New Terminal');
      const terminal = page.locator('.part.panel .xterm');
      const rows = terminal.locator('.xterm-rows'); // its text (gpuAcceleration off, run-ui-tests.mjs)
      await terminal.first().waitFor({ state: 'visible', timeout: 20_000 });
      await runCommand(page, 'View: Toggle Maximized Panel');
      await sleep(1500); // the shell's prompt
      await terminal.first().click();
      await page.keyboard.type(`alias lvsdr='${process.execPath} ${CLI}'; clear`);
      await page.keyboard.press('Enter');
      await sleep(500);
      await page.keyboard.type('lvsdr lab status');
      await page.keyboard.press('Enter');
      await waitFor('lvsdr lab status in the terminal: the cluster web up, its five hosts running', async () => {
        const text = await rows.first().innerText({ timeout: 1000 }).catch(() => '');
        return /cluster web from .* \(up, since/.test(text) && (text.match(/\brunning\b/g) ?? []).length === 5;
      }, { timeoutMs: 30_000 });
      for (const theme of ['light', 'dark']) {
        await inTheme(page, theme);
        await runCommand(page, 'Notifications: Clear All Notifications');
        await runCommand(page, 'LVS: Check Local Lab');
        await toast(page, /^The local lab is up: deploy to it with LVS: Deploy Cluster… and the target "lab"\.$/, 60_000);
        await page.mouse.move(300, 12);
        await sleep(500);
        await walkthroughImage(ctx, `lab-up-${theme}.png`);
      }
      await runCommand(page, 'View: Toggle Maximized Panel');
      await runCommand(page, 'View: Hide Panel');
    },
  },
  {
    name: "LVS: Deploy Cluster… deploys the seed to the lab, confirmed on its dialog (the walkthrough's deploy step completes): its images in both themes",
    critical: true,
    async run(ctx) {
      const { page } = ctx;
      await inTheme(page, 'light');
      await runCommand(page, 'Notifications: Clear All Notifications');
      await focusTextEditor(page, FILE);
      const t0 = Date.now();
      await runCommand(page, 'LVS: Deploy Cluster…', { opensPicker: true });
      await pickInQuickInput(page, 'Local lab', /Local lab/);
      // The plan runs (ssh to each lab host), then VS Code's modal asks before anything is written.
      const dialog = page.locator('.monaco-dialog-box');
      await waitFor('the confirmation "Deploy cluster web to the local lab?"', async () => /Deploy cluster web to the local lab\?/.test(await dialog.innerText({ timeout: 1000 }).catch(() => '')), { timeoutMs: 180_000, intervalMs: 500 });
      await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
      // What the progress notification says while the deploy runs, read off the screen every
      // 200 ms: "step k of n: host, step" in words, never the engine's raw lines.
      const progress = new Set();
      let deploying = true;
      const reading = (async () => {
        const toasts = page.locator('.notification-toast .notification-list-item-message');
        while (deploying) {
          for (const t of await toasts.allInnerTexts().catch(() => [])) progress.add(t.replace(/\s+/g, ' ').trim());
          await sleep(200);
        }
      })();
      const done = await toast(page, /^Deployed cluster web \(lab\)\.$|^Deploy of web (failed|cancelled)/, 300_000).finally(() => { deploying = false; });
      await reading;
      check(done.startsWith('Deployed'), `the deploy did not finish: ${done}`);
      const steps = [...progress].filter((t) => /step \d+ of \d+: (lvs1|lvs2|web1|web2|cluster), /.test(t));
      ctx.log(`the progress notification said (${steps.length} of ${progress.size} texts seen): ${steps.slice(0, 4).join(' | ')}`);
      check(steps.length >= 3, `the progress notification did not say "step k of n: host, step": ${[...progress].join(' | ')}`);
      const raw = [...progress].filter((t) => /\b\d+\.\d+s\b|\b(read|upload|apply) (start|done)\b/.test(t));
      check(raw.length === 0, `the progress notification showed the engine's raw lines: ${raw.join(' | ')}`);
      ctx.log(`planned, confirmed and deployed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      // What a user reads after it: the LVS Deploy log in the panel, the outcome among the notifications.
      await runCommand(page, 'Output: Show Output Channels...', { opensPicker: true });
      await pickInQuickInput(page, 'LVS Deploy', /^LVS Deploy$/);
      // (the log's last lines are shown: the deploy's outcome per host)
      // (the editor shows spaces as U+00A0: \s covers them)
      const log = page.locator('.part.panel .monaco-editor .view-lines');
      await waitFor("the LVS Deploy log in the panel ending with the deploy's success", async () => /deploy\s\S+:\ssuccess\sin/.test(await log.innerText({ timeout: 1000 }).catch(() => '')), { timeoutMs: 20_000 });
      for (const theme of ['light', 'dark']) {
        await inTheme(page, theme);
        await runCommand(page, 'Notifications: Show Notifications');
        await page.locator('.notifications-center', { hasText: 'Deployed cluster web (lab).' }).waitFor({ state: 'visible', timeout: 10_000 });
        await page.mouse.move(300, 12);
        await sleep(500);
        await walkthroughImage(ctx, `deploy-${theme}.png`);
      }
      // Back to the editors alone for the designer (Escape closes the focused notifications centre).
      await runCommand(page, 'Notifications: Hide Notifications', { attempts: 1, rowTimeoutMs: 5000 }).catch(() => page.keyboard.press('Escape'));
      await runCommand(page, 'View: Hide Panel');
      await inTheme(page, 'light');
    },
  },
  {
    name: 'open the seed and its designer',
    critical: true,
    async run(ctx) {
      const { page } = ctx;
      await openFile(page, FILE);
      await runCommand(page, 'LVS: Open Topology Designer');
      ctx.frame = designerFrame(page);
      await node(ctx.frame, id('director', 'lvs1')).waitFor({ state: 'visible', timeout: 60_000 });
      await splitEditors(page, 0.3);
      check(statusChildren().length === 0, `lvsdr status runs before going live: ${statusChildren().join('; ')}`);
    },
  },
  {
    name: 'Go live on the lab: lvs1 MASTER holding the VIP, lvs2 BACKUP, web1 and web2 in service',
    critical: true,
    async run(ctx) {
      const { page, frame } = ctx;
      await frame.locator('[data-testid="live-toggle"]').click();
      await waitFor('the target picker', async () => /Show the live state of which target\?/.test(await page.locator('.quick-input-widget').innerText().catch(() => '')), { timeoutMs: 20_000 });
      await pickInQuickInput(page, 'lab', /^lab$/);
      const t0 = Date.now();
      await waitFor('lvs1 MASTER and lvs2 BACKUP in the designer', async () =>
        (await badgeText(frame, id('director', 'lvs1'))) === 'MASTER' && (await badgeText(frame, id('director', 'lvs2'))) === 'BACKUP', { timeoutMs: 60_000 });
      await waitFor('web1 and web2 in service', async () =>
        (await badgeText(frame, id('server', 'web1'))) === 'IN' && (await badgeText(frame, id('server', 'web2'))) === 'IN', { timeoutMs: 30_000 });
      const vip = await node(frame, id('vip', '192.168.147.100')).innerText();
      check(/held by lvs1/.test(vip), `the VIP node does not say lvs1 holds it: ${vip}`);
      ctx.log(`live in ${((Date.now() - t0) / 1000).toFixed(1)} s; toolbar: ${await frame.locator('[data-testid="live-status"]').innerText()}`);
      const children = statusChildren();
      check(children.length === 1, `expected one lvsdr status child, got ${children.length}:\n${children.join('\n')}`);
      // The same snapshots reach the status bar (one child, not one for the designer and one for the status bar).
      await waitFor('the status bar health "LVS web: all 2 in service"', async () => (await statusBarHealth(page)) === 'LVS web: all 2 in service', { timeoutMs: 10_000 });
    },
  },
  {
    name: 'no refreshes while the designer is hidden; they resume when it is shown',
    async run(ctx) {
      const { page, frame } = ctx;
      // Another editor in the designer's group hides it.
      await runCommand(page, 'View: Focus Right Editor Group'); // the designer's group (focusSecondEditorGroup has no palette title)
      await runCommand(page, 'File: New Untitled Text File');
      await waitFor('the status child to stop while hidden', async () => statusChildren().length === 0, { timeoutMs: 15_000 });
      await sleep(3000);
      check(statusChildren().length === 0, 'lvsdr status started again while the designer was hidden');
      check((await statusBarHealth(page)) === '', `the status bar still shows a health nobody refreshes: ${await statusBarHealth(page)}`);
      await runCommand(page, 'View: Revert and Close Editor');
      await waitFor('the status child again once shown', async () => statusChildren().length === 1, { timeoutMs: 30_000 });
      await waitFor('the live badges again', async () => (await badgeText(designerFrame(page), id('director', 'lvs1'))) === 'MASTER', { timeoutMs: 30_000 });
      await waitFor('the status bar health again', async () => (await statusBarHealth(page)) === 'LVS web: all 2 in service', { timeoutMs: 10_000 });
      ctx.frame = designerFrame(page);
      void frame;
    },
  },
  {
    name: 'screenshots: the live designer in the light and the dark theme',
    async run(ctx) {
      const { page } = ctx;
      await node(ctx.frame, id('director', 'lvs1')).click();
      for (const theme of ['light', 'dark']) {
        await setColorTheme(page, theme === 'dark' ? 'Dark Modern' : 'Light Modern');
        await ctx.frame.locator(`body.vscode-${theme}`).waitFor({ state: 'attached', timeout: 30_000 });
        await page.mouse.move(300, 12);
        await sleep(800);
        const file = join(ctx.artifacts, `designer-live-${theme}.png`);
        await page.screenshot({ path: file });
        ctx.screenshots.push(file);
        // also the image of the walkthrough's "Watch it live" step (media/walkthrough/)
        ctx.walkthroughImages.push({ file, name: `watch-live-${theme}.png` });
      }
    },
  },
  {
    name: 'failover (lvsdr failover --no-return): the designer shows lvs2 MASTER within 5 s of the backup taking the VIP',
    async run(ctx) {
      const { frame } = ctx;
      const start = Date.now();
      const done = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, 'failover', join(ctx.ws, FILE), '--target', 'lab', '--yes', '--no-return'], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => { out += d; });
        child.stderr.on('data', (d) => { out += d; });
        child.on('close', (code) => (code === 0 ? resolve(Date.now()) : reject(new StepError(`lvsdr failover exited ${code}: ${out.slice(-400)}`))));
      });
      const shown = await waitFor('lvs2 MASTER in the designer', async () => ((await badgeText(frame, id('director', 'lvs2'))) === 'MASTER' ? Date.now() : false), { timeoutMs: 20_000, intervalMs: 100 });
      const lag = Math.max(0, shown - done) / 1000;
      ctx.log(`failover command ${((done - start) / 1000).toFixed(1)} s; the designer showed lvs2 MASTER ${lag.toFixed(1)} s after it returned; lvs1: ${await badgeText(frame, id('director', 'lvs1'))}`);
      check(lag <= 5, `the designer showed the failover ${lag.toFixed(1)} s after the backup held the VIP (goal ≤ 5 s)`);
      await waitFor('lvs1 STOPPED', async () => (await badgeText(frame, id('director', 'lvs1'))) === 'STOPPED', { timeoutMs: 10_000 });
      const vip = await node(frame, id('vip', '192.168.147.100')).innerText();
      check(/held by lvs2/.test(vip), `the VIP node does not say lvs2 holds it: ${vip}`);
    },
  },
  {
    name: 'drain web2 from the designer, then restore it',
    async run(ctx) {
      const { page, frame } = ctx;
      for (const [action, button, want] of [['drain', 'Drain', 'DRAINED'], ['restore', 'Restore', 'IN']]) {
        await node(frame, id('server', 'web2')).click();
        await frame.locator(`[data-testid="live-${action}"]`).click({ timeout: 15_000 });
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ state: 'visible', timeout: 20_000 });
        const text = await dialog.innerText();
        check(new RegExp(`${button} real server web2 of cluster web on the local lab`).test(text), `the confirmation does not preview the action: ${text}`);
        await dialog.locator('a.monaco-button, .monaco-button', { hasText: new RegExp(`^${button}$`) }).first().click();
        const t0 = Date.now();
        await waitFor(`web2 ${want} in the designer`, async () => (await badgeText(frame, id('server', 'web2'))) === want, { timeoutMs: 60_000 });
        ctx.log(`${action}: web2 shows ${want} ${((Date.now() - t0) / 1000).toFixed(1)} s after the click`);
      }
    },
  },
  {
    name: 'Stop live: the overlay and the status child go away',
    async run(ctx) {
      const { frame } = ctx;
      await frame.locator('[data-testid="live-toggle"]').click();
      await waitFor('no live badge', async () => (await frame.locator('.live-badge').count()) === 0, { timeoutMs: 10_000 });
      await waitFor('no lvsdr status child', async () => statusChildren().length === 0, { timeoutMs: 10_000 });
      await waitFor('no health in the status bar', async () => (await statusBarHealth(ctx.page)) === '', { timeoutMs: 10_000 });
      await focusTextEditor(ctx.page, FILE).catch(() => undefined);
    },
  },
];
