// UI tier (README, "Run every test tier"): the topology designer in a real VS Code (code-server) in a real
// browser, with the packaged VSIX installed. Run by scripts/run-ui-tests.mjs, which owns the
// browser, code-server, the temp workspace (a copy of examples/) and the per-step reporting.
//
// Each step asserts one thing a user sees; `critical` steps stop the run when they fail (the
// later ones need their result). ctx: { page, ws, artifacts, screenshots, log, frame, original }.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  designerFrame, focusTextEditor, openFile, problemsLabel, runCommand, setColorTheme, sleep, splitEditors, StepError, textEditor, visibleEditorText,
  waitFor,
} from './workbench.mjs';

const FILE = 'seed.lvs';
const THEMES = { light: 'Light Modern', dark: 'Dark Modern' };
const CLUSTER = 'web';
const id = (kind, name) => `${CLUSTER}/${kind}/${name}`;
const node = (frame, nodeId) => frame.locator(`.node[data-node-id="${nodeId}"]`);

function check(cond, message) {
  if (!cond) throw new StepError(message);
}

function readWs(ctx) {
  return readFileSync(join(ctx.ws, FILE), 'utf8');
}

/** Saves the text editor (Ctrl+S in it) and waits until the file on disk satisfies `ok`. */
async function saveAndRead(ctx, what, ok) {
  const { page } = ctx;
  await focusTextEditor(page, FILE);
  await page.keyboard.press('Control+S');
  return waitFor(`${FILE} on disk to ${what}`, () => {
    const text = readWs(ctx);
    return ok(text) ? text : false;
  }, { timeoutMs: 20_000 });
}

function firstDiff(a, b) {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}: expected ${JSON.stringify(al[i])}, got ${JSON.stringify(bl[i])}`;
  }
  return 'no line differs (line endings or trailing bytes?)';
}

export const steps = [
  {
    name: `open examples/${FILE} with Quick Open`,
    critical: true,
    async run(ctx) {
      ctx.original = readWs(ctx);
      await openFile(ctx.page, FILE);
      await waitFor('the text editor to show "cluster web {"', async () => (await visibleEditorText(ctx.page, FILE)).includes('cluster web {'), { timeoutMs: 30_000 });
    },
  },
  {
    name: 'language server answers: hover on lvs1, no problems in the status bar',
    critical: true,
    async run(ctx) {
      const { page } = ctx;
      const ed = textEditor(page, FILE);
      const token = ed.locator('.view-line span span', { hasText: /^lvs1$/ }).first();
      const hoverBox = page.locator('.monaco-hover:visible .monaco-hover-content, .monaco-hover-content:visible').first();
      // The language server starts with the extension: hover until it answers.
      const text = await waitFor('a hover from the language server on "lvs1" (director lvs1, role master)', async () => {
        await page.mouse.move(5, 5);
        await sleep(150);
        await token.hover({ timeout: 5000 });
        try {
          await hoverBox.waitFor({ state: 'visible', timeout: 3000 });
        } catch {
          return false;
        }
        const t = await hoverBox.innerText();
        return /director lvs1/.test(t) && /role master/.test(t) ? t : false;
      }, { timeoutMs: 90_000, intervalMs: 500 });
      ctx.log(`hover: ${text.replace(/\s+/g, ' ').trim()}`);
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      const label = await waitFor('the status bar problems item', () => problemsLabel(page));
      check(/no problems/i.test(label), `the seed should have no problems; the status bar says "${label}"`);
    },
  },
  {
    name: 'command palette: LVS: Open Topology Designer opens the designer webview',
    critical: true,
    async run(ctx) {
      const { page } = ctx;
      await runCommand(page, 'LVS: Open Topology Designer');
      const frame = designerFrame(page);
      await frame.locator('[data-testid="diagram"]').waitFor({ state: 'visible', timeout: 60_000 });
      await node(frame, id('director', 'lvs1')).waitFor({ state: 'visible', timeout: 60_000 });
      ctx.frame = frame;
    },
  },
  {
    name: 'designer shows lvs1, lvs2, web1, web2 and the VIP 192.168.147.100',
    critical: true,
    async run(ctx) {
      const { frame } = ctx;
      for (const [kind, name] of [['director', 'lvs1'], ['director', 'lvs2'], ['server', 'web1'], ['server', 'web2'], ['service', 'http']]) {
        const el = node(frame, id(kind, name));
        await el.waitFor({ state: 'visible', timeout: 20_000 }).catch(() => { throw new StepError(`no visible node data-node-id="${id(kind, name)}" in the designer`); });
        check((await el.getAttribute('data-kind')) === kind, `node ${id(kind, name)} has data-kind="${await el.getAttribute('data-kind')}", expected ${kind}`);
        check((await el.innerText()).includes(name), `node ${id(kind, name)} does not show its name ${name}`);
      }
      const vip = frame.locator('.node[data-kind="vip"]', { hasText: '192.168.147.100' });
      await vip.first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => { throw new StepError('no VIP node showing 192.168.147.100'); });
      check((await vip.first().getAttribute('data-node-id')) === id('vip', '192.168.147.100'), `the VIP node id is ${await vip.first().getAttribute('data-node-id')}`);
      const summary = await frame.locator('[data-testid="summary"]').innerText();
      check(/1 cluster/.test(summary), `toolbar summary says "${summary}", expected 1 cluster`);
    },
  },
  {
    name: 'add real server web3 (192.168.147.7, weight 2) through the form → the text changes',
    critical: true,
    async run(ctx) {
      const { page, frame } = ctx;
      await node(frame, id('service', 'http')).click();
      const form = frame.locator('[data-testid="add-server-form"]');
      await form.waitFor({ state: 'visible', timeout: 20_000 }).catch(() => { throw new StepError('clicking the http service did not show the add-server form (data-testid="add-server-form")'); });
      await form.locator('[data-testid="add-server-name"] input').fill('web3');
      await form.locator('[data-testid="add-server-address"] input').fill('192.168.147.7');
      await form.locator('[data-testid="add-server-weight"] input').fill('2');
      await form.locator('[data-testid="add-server-submit"]').click();
      await node(frame, id('server', 'web3')).waitFor({ state: 'visible', timeout: 30_000 }).catch(async () => {
        const status = await frame.locator('[data-testid="status"]').innerText().catch(() => '');
        const errors = await form.locator('.field-error:visible').allInnerTexts().catch(() => []);
        throw new StepError(`no node ${id('server', 'web3')} after "Add real server"; designer status: "${status}"${errors.length ? `; form errors: ${errors.join('; ')}` : ''}`);
      });
      const shown = await visibleEditorText(page, FILE);
      check(/real web3 weight 2/.test(shown), `the text editor does not show "real web3 weight 2":\n${shown}`);
      const text = await saveAndRead(ctx, 'contain web3', (t) => t.includes('web3'));
      check(/^\s*real web3 weight 2\s*$/m.test(text), `${FILE} has no line "real web3 weight 2":\n${text}`);
      const block = /server web3 \{([^}]*)\}/.exec(text);
      check(block, `${FILE} has no "server web3 { … }" block:\n${text}`);
      check(/\baddress 192\.168\.147\.7\b/.test(block[1]), `the server web3 block lacks "address 192.168.147.7": ${block[0]}`);
      // Minimal edit: everything that was there is still there, in order.
      const kept = ctx.original.split('\n').filter((l) => !text.includes(l));
      check(kept.length === 0, `the edit changed existing lines: ${JSON.stringify(kept)}`);
      const status = await frame.locator('[data-testid="status"]').innerText();
      ctx.log(`designer status: ${status}`);
    },
  },
  {
    name: 'Ctrl+Z in the text editor undoes the whole change (file byte-identical to the seed)',
    critical: true,
    async run(ctx) {
      const { page, frame } = ctx;
      await focusTextEditor(page, FILE);
      await page.keyboard.press('Control+Z');
      const text = await saveAndRead(ctx, 'lose web3', (t) => !t.includes('web3'));
      check(text === ctx.original, `after one undo the file differs from the seed: ${firstDiff(ctx.original, text)}`);
      await node(frame, id('server', 'web3')).waitFor({ state: 'detached', timeout: 20_000 }).catch(() => { throw new StepError('the designer still shows web3 after the undo'); });
    },
  },
  {
    name: 'a syntax error in the text: banner, edit controls disabled, error in Problems',
    async run(ctx) {
      const { page, frame } = ctx;
      await focusTextEditor(page, FILE);
      await page.keyboard.press('Control+End');
      await page.keyboard.type('oops {');
      const banner = frame.locator('[data-testid="syntax-banner"]');
      await banner.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => { throw new StepError('no visible syntax banner (data-testid="syntax-banner") after typing a stray token'); });
      const said = await banner.innerText();
      check(/syntax error/i.test(said), `the banner says "${said}", expected it to mention syntax errors`);
      check(/editing is disabled/i.test(said), `the banner says "${said}", expected "editing is disabled"`);
      // The last good diagram stays; the forms are disabled.
      await node(frame, id('director', 'lvs1')).waitFor({ state: 'visible', timeout: 10_000 });
      await node(frame, id('service', 'http')).click();
      const submit = frame.locator('[data-testid="add-server-submit"]');
      await submit.waitFor({ state: 'attached', timeout: 10_000 });
      await waitFor('the add-server button and fields to be disabled', async () =>
        (await submit.getAttribute('disabled')) !== null && (await frame.locator('[data-testid="add-server-name"]').getAttribute('disabled')) !== null, { timeoutMs: 10_000 });
      check(await frame.locator('body.read-only').count() === 1, 'the webview body lacks the read-only class');
      const label = await waitFor('an error in the status bar problems item', async () => {
        const l = await problemsLabel(page);
        return /errors?: [1-9]/i.test(l) ? l : false;
      }, { timeoutMs: 30_000 });
      ctx.log(`banner: ${said.trim()} | problems: ${label}`);
    },
  },
  {
    name: 'File: Revert File restores the text; the banner goes away, editing is enabled again',
    async run(ctx) {
      const { page, frame } = ctx;
      await focusTextEditor(page, FILE);
      await runCommand(page, 'File: Revert File');
      await waitFor('the text editor to be back to the seed', async () => !(await visibleEditorText(page, FILE)).includes('oops'), { timeoutMs: 20_000 });
      await frame.locator('[data-testid="syntax-banner"]').waitFor({ state: 'hidden', timeout: 30_000 });
      await waitFor('the add-server button to be enabled', async () => (await frame.locator('[data-testid="add-server-submit"]').getAttribute('disabled')) === null, { timeoutMs: 10_000 });
      check(readWs(ctx) === ctx.original, 'the file on disk changed');
    },
  },
  {
    name: 'screenshots: designer in the light and the dark theme',
    async run(ctx) {
      const { page } = ctx;
      // A fresh designer (no status line left from the steps above), room for the diagram: no side
      // bar, the designer wider than the text (its properties panel goes beside the diagram).
      await runCommand(page, 'View: Close Primary Side Bar').catch((err) => ctx.log(`could not close the side bar: ${err.message}`));
      await page.locator('.part.editor .editor-group-container').nth(1).locator('.tab.active .codicon-close').click({ timeout: 10_000 });
      await waitFor('the designer to close', async () => (await page.locator('iframe.webview').count()) === 0, { timeoutMs: 20_000 });
      await focusTextEditor(page, FILE);
      await runCommand(page, 'LVS: Open Topology Designer');
      await waitFor('the new designer webview', async () => (await page.locator('iframe.webview.ready').count()) === 1, { timeoutMs: 30_000 });
      const frame = designerFrame(page);
      ctx.frame = frame;
      await node(frame, id('service', 'http')).waitFor({ state: 'visible', timeout: 60_000 });
      await splitEditors(page, 0.3);
      await sleep(500);
      await frame.locator('[data-testid="zoom-fit"]').click();
      await node(frame, id('service', 'http')).click();
      await frame.locator('[data-testid="add-server-form"]').waitFor({ state: 'visible', timeout: 10_000 });
      for (const theme of ['light', 'dark']) {
        await setColorTheme(page, THEMES[theme]);
        const kind = theme === 'dark' ? 'vs-dark' : 'vs';
        await page.locator(`.monaco-workbench.${kind}`).waitFor({ state: 'attached', timeout: 30_000 }).catch(() => { throw new StepError(`the workbench did not switch to the ${theme} theme`); });
        await frame.locator(`body.vscode-${theme}`).waitFor({ state: 'attached', timeout: 30_000 }).catch(() => { throw new StepError(`the designer webview did not switch to the ${theme} theme (body.vscode-${theme})`); });
        // Nothing hovered; two frames in the webview so the new colours are painted.
        await page.mouse.move(300, 12); // empty title bar
        // A theme change can briefly show "Activating Extensions…" in the status bar.
        await waitFor('a quiet status bar', async () => !(await page.locator('.part.statusbar').innerText()).includes('Activating Extensions'), { timeoutMs: 10_000 }).catch(() => undefined);
        await frame.locator('body').evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
        await sleep(500);
        const file = join(ctx.artifacts, `designer-${theme}.png`);
        await page.screenshot({ path: file });
        ctx.screenshots.push(file);
        ctx.log(`screenshot ${file}`);
      }
    },
  },
];
