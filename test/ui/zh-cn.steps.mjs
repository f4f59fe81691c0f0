// UI tier, VS Code's display language set to Chinese (scripts/run-ui-tests.mjs --locale zh-cn, which
// starts code-server with --locale zh-cn): the extension's own strings reach the user in Chinese — a
// command title from package.nls.zh-cn.json in the command palette, the designer's toolbar and form
// from l10n/bundle.l10n.zh-cn.json, a diagnostic from the server catalog (l10n/server.l10n.zh-cn.json)
// in the Problems panel and in the designer — and the screenshots README.zh-CN.md shows. Each
// expected text is read from the bundles, so an English string (a missing key, a locale that did not
// arrive) fails the step. No language pack is installed: VS Code's own strings stay English.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { designerFrame, openFile, problemsLabel, runCommand, sleep, splitEditors, StepError, visibleEditorText, waitFor } from './workbench.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const bundle = (file) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const NLS = bundle('package.nls.zh-cn.json');
const CLIENT = bundle('l10n/bundle.l10n.zh-cn.json');
const SERVER = bundle('l10n/server.l10n.zh-cn.json');

/** The Chinese of an English key, its {0}… filled in; a key missing from the bundle is a test error. */
function zh(catalog, key, ...args) {
  const text = catalog[key];
  if (typeof text !== 'string') throw new StepError(`no Chinese for ${JSON.stringify(key)} in the bundle`);
  return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));
}

const FILE = 'seed.lvs';
const node = (frame, name) => frame.locator(`.node[data-node-id="web/${name}"]`);
const LVS030 = "Real server {0} serves {1} but has no 'vip-on lo:N': in direct routing the forwarded packets are still addressed to the VIP, so the server drops them unless it holds the VIP on a loopback alias.";

function check(cond, message) {
  if (!cond) throw new StepError(message);
}

async function shot(ctx, name) {
  const file = join(ctx.artifacts, name);
  await ctx.page.mouse.move(300, 12); // nothing hovered
  await sleep(500);
  await ctx.page.screenshot({ path: file });
  ctx.screenshots.push(file);
  ctx.log(`screenshot ${file}`);
}

export const steps = [
  {
    name: `open examples/${FILE} with Quick Open`,
    critical: true,
    async run(ctx) {
      ctx.original = readFileSync(join(ctx.ws, FILE), 'utf8');
      await openFile(ctx.page, FILE);
      await waitFor('the text editor to show "cluster web {"', async () => (await visibleEditorText(ctx.page, FILE)).includes('cluster web {'), { timeoutMs: 30_000 });
    },
  },
  {
    name: 'command palette: the Chinese title (package.nls.zh-cn.json) opens the designer',
    critical: true,
    async run(ctx) {
      const { page } = ctx;
      const title = `${NLS['lvs.category']}: ${NLS['lvs.openDesigner.title']}`;
      await runCommand(page, title, { attempts: 3, rowTimeoutMs: 20_000 }).catch((err) => { throw new StepError(`no command palette row "${title}": ${err.message}`); });
      ctx.frame = designerFrame(page);
      await node(ctx.frame, 'director/lvs1').waitFor({ state: 'visible', timeout: 90_000 });
    },
  },
  {
    name: 'designer in Chinese: toolbar summary, the Fit button, the add-server form',
    critical: true,
    async run(ctx) {
      const { frame } = ctx;
      const summaryEl = frame.locator('[data-testid="summary"]');
      // "1 个集群 · 版本 {0}": the version is the document's, any number.
      const [before] = zh(CLIENT, '1 cluster · version {0}', '\u0000').split('\u0000');
      const summary = await waitFor(`the toolbar summary "${before}…"`, async () => {
        const t = (await summaryEl.innerText()).trim();
        return t.startsWith(before) ? t : false;
      }, { timeoutMs: 20_000 }).catch(async (err) => { throw new StepError(`${err.message}; it says "${await summaryEl.innerText()}"`); });
      const fit = await frame.locator('[data-testid="zoom-fit"]').getAttribute('title');
      check(fit === zh(CLIENT, 'Fit the diagram to the panel (0)'), `the Fit button's title is "${fit}"`);
      await node(frame, 'service/http').click();
      const form = frame.locator('[data-testid="add-server-form"]');
      await form.waitFor({ state: 'visible', timeout: 20_000 });
      const heading = (await form.locator('h4').innerText()).trim();
      check(heading === zh(CLIENT, 'Add real server to {0}', 'http'), `the add-server form's heading is "${heading}"`);
      const submit = (await form.locator('[data-testid="add-server-submit"]').innerText()).trim();
      check(submit === zh(CLIENT, 'Add real server'), `the add-server button says "${submit}"`);
      ctx.log(`summary: ${summary} | form: ${heading} | button: ${submit}`);
    },
  },
  {
    name: 'screenshot: the designer in Chinese (light theme)',
    async run(ctx) {
      const { page, frame } = ctx;
      await runCommand(page, 'View: Close Primary Side Bar').catch((err) => ctx.log(`could not close the side bar: ${err.message}`));
      await splitEditors(page, 0.3);
      await sleep(500);
      await frame.locator('[data-testid="zoom-fit"]').click();
      await node(frame, 'service/http').click();
      await frame.locator('[data-testid="add-server-form"]').waitFor({ state: 'visible', timeout: 10_000 });
      await shot(ctx, 'designer-zh-cn-light.png');
    },
  },
  {
    name: 'LVS030 in Chinese (server catalog): in the Problems panel and in the designer; screenshot',
    async run(ctx) {
      const { page, frame } = ctx;
      // The file changes on disk (the editor is not dirty, so VS Code reloads it): web1 loses its VIP.
      const broken = ctx.original.replace(/(server web1 \{[^}]*?)\s+vip-on lo:0/, '$1');
      check(broken !== ctx.original, `${FILE} has no "vip-on lo:0" in server web1`);
      writeFileSync(join(ctx.ws, FILE), broken);
      try {
        await waitFor('an error in the status bar problems item', async () => /errors?: [1-9]/i.test(await problemsLabel(page)), { timeoutMs: 30_000 });
        const expected = zh(SERVER, LVS030, 'web1', 'http');
        const panel = page.locator('.markers-panel');
        await waitFor('the Problems panel', async () => {
          if (await panel.isVisible()) return true;
          await page.keyboard.press('Control+Shift+M');
          await sleep(1000);
          return panel.isVisible();
        }, { timeoutMs: 20_000, intervalMs: 500 });
        const row = panel.locator('.monaco-list-row', { hasText: expected });
        await row.first().waitFor({ state: 'visible', timeout: 20_000 }).catch(async () => {
          throw new StepError(`no Problems row "${expected}"; the panel shows:\n${await panel.innerText()}`);
        });
        check(!(await panel.innerText()).includes("but has no 'vip-on lo:N'"), 'the Problems panel shows the English message too');
        const item = frame.locator('.diag-item', { hasText: 'LVS030' });
        await item.first().waitFor({ state: 'attached', timeout: 20_000 }).catch(() => { throw new StepError('the designer lists no LVS030'); });
        const title = await item.first().getAttribute('title');
        check(title === `LVS030: ${expected}`, `the designer's LVS030 item says "${title}"`);
        await shot(ctx, 'diagnostics-zh-cn-light.png');
      } finally {
        writeFileSync(join(ctx.ws, FILE), ctx.original);
      }
      await waitFor('the error to go away', async () => /no problems/i.test(await problemsLabel(page)), { timeoutMs: 30_000 });
    },
  },
];
