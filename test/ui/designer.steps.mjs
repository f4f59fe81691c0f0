// UI tier (README, "Run every test tier"): the topology designer in a real VS Code (code-server) in a real
// browser, with the packaged VSIX installed. Run by scripts/run-ui-tests.mjs, which owns the
// browser, code-server, the temp workspace (a copy of examples/) and the per-step reporting.
//
// Each step asserts one thing a user sees; `critical` steps stop the run when they fail (the
// later ones need their result). ctx: { page, ws, artifacts, screenshots, log, frame, original }.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  designerFrame, focusTextEditor, openFile, pickInQuickInput, problemsLabel, runCommand, setColorTheme, sleep, splitEditors, StepError, textEditor, visibleEditorText,
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

/** A region of the workbench as an image of a walkthrough step (media/walkthrough/ with --update-screenshots). */
async function walkthroughImage(ctx, name, box) {
  if (!box) throw new StepError(`nothing to take ${name} of`);
  const file = join(ctx.artifacts, `walkthrough-${name}`);
  await ctx.page.screenshot({ path: file, clip: { x: box.x, y: box.y, width: Math.min(box.width, 1100), height: box.height } });
  ctx.walkthroughImages.push({ file, name });
  ctx.log(`walkthrough image ${file}`);
}

/** The editor part (and the panel below it, when open) from the top: what a walkthrough image shows. */
async function editorArea(page, { withPanel = false, height = 560 } = {}) {
  const editor = await page.locator('.part.editor').boundingBox();
  const panel = withPanel ? await page.locator('.part.panel').boundingBox() : undefined;
  if (!editor) return undefined;
  return { x: editor.x, y: editor.y, width: editor.width, height: panel ? panel.y + panel.height - editor.y : Math.min(height, editor.height) };
}

/** Switches the colour theme and waits until the workbench and nothing hovered are painted in it. */
async function inTheme(page, theme) {
  await setColorTheme(page, THEMES[theme]);
  await page.locator(`.monaco-workbench.${theme === 'dark' ? 'vs-dark' : 'vs'}`).waitFor({ state: 'attached', timeout: 30_000 }).catch(() => { throw new StepError(`the workbench did not switch to the ${theme} theme`); });
  await page.mouse.move(300, 12);
  await sleep(800);
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
    name: 'fitted and readable at two panel sizes: every node inside the panel, text at least 9.5 px',
    async run(ctx) {
      const { page, frame } = ctx;
      for (const fraction of [0.6, 0.3]) {
        // the text editor takes `fraction` of the editor area, the designer the rest
        await splitEditors(page, fraction);
        await sleep(600);
        await frame.locator('[data-testid="zoom-fit"]').click();
        await sleep(400);
        const r = await frame.locator('[data-testid="diagram"]').evaluate((scroller) => {
          const zoom = Number(scroller.dataset.zoom);
          const box = scroller.getBoundingClientRect();
          const nodes = [...scroller.querySelectorAll('.node')].map((n) => {
            const b = n.getBoundingClientRect();
            const line = n.querySelector('.node-line');
            return { id: n.dataset.nodeId, right: b.right, left: b.left, px: Number.parseFloat(getComputedStyle(line ?? n).fontSize) * zoom };
          });
          return { zoom, width: box.width, left: box.left, right: box.right, nodes, overflowX: scroller.scrollWidth - scroller.clientWidth };
        });
        ctx.log(`designer ${r.width.toFixed(0)} px wide: zoom ${r.zoom}, ${r.nodes.length} nodes, smallest text ${Math.min(...r.nodes.map((n) => n.px)).toFixed(1)} px`);
        check(r.nodes.length >= 5, `expected the nodes at the top of the diagram (clients, router, VIP, directors…), got ${r.nodes.length}`);
        check(r.overflowX <= 1, `the diagram is ${r.overflowX} px wider than the ${r.width.toFixed(0)} px panel: nodes are cut off at the right`);
        for (const n of r.nodes) {
          check(n.right <= r.right + 1 && n.left >= r.left - 1, `node ${n.id} is cut off at ${r.width.toFixed(0)} px (node ${n.left.toFixed(0)}–${n.right.toFixed(0)}, panel ${r.left.toFixed(0)}–${r.right.toFixed(0)})`);
          check(n.px >= 9.5, `node ${n.id} text is ${n.px.toFixed(1)} px at zoom ${r.zoom}: unreadable`);
        }
        for (const kind of ['router']) check(r.nodes.some((n) => n.id.includes(`/${kind}/`)), `no ${kind} node`);
      }
      check(await frame.locator('.frame-segment').count() === 1, 'no L2 segment drawn');
      check(await frame.locator('.frame-pair').count() === 1, 'no VRRP pair drawn');
      check(await frame.locator('.rail').count() === 1, 'no DR reply rail to the router');
      check(await frame.locator('.node[data-kind="server"] .lo-badge').count() === 2, 'the real servers lack their lo VIP badges');
    },
  },
  {
    name: 'keyboard: + and - zoom, 0 fits, arrows pan the panel and move between nodes',
    async run(ctx) {
      const { frame } = ctx;
      const scroller = frame.locator('[data-testid="diagram"]');
      const zoom = async () => Number(await scroller.getAttribute('data-zoom'));
      await scroller.focus();
      const fitted = await zoom();
      for (let i = 0; i < 5; i++) await scroller.press('+');
      check(await zoom() > fitted, `'+' did not zoom in (zoom ${await zoom()}, fitted ${fitted})`);
      const pos = () => scroller.evaluate((el) => ({ top: el.scrollTop, left: el.scrollLeft }));
      const before = await pos();
      await scroller.press('ArrowDown');
      await scroller.press('ArrowDown');
      const after = await pos();
      check(after.top > before.top, `ArrowDown on the panel did not pan (scrollTop ${before.top} → ${after.top})`);
      const zoomedIn = await zoom();
      await scroller.press('-');
      check(await zoom() < zoomedIn, `'-' did not zoom out (zoom ${await zoom()}, was ${zoomedIn})`);
      await scroller.press('0');
      await waitFor('0 to fit again', async () => Math.abs((await zoom()) - fitted) < 0.01, { timeoutMs: 5000 });
      // on a node, the arrows move to the nearest node below
      await node(frame, id('director', 'lvs1')).click();
      await node(frame, id('director', 'lvs1')).press('ArrowDown');
      const focused = await frame.locator('.node:focus').getAttribute('data-node-id');
      check(focused === id('service', 'http'), `ArrowDown from lvs1 focused ${focused}, expected the service http below it`);
    },
  },
  {
    name: 'properties in words: no internal names; edit web2\'s address from the panel, the Done line goes away',
    async run(ctx) {
      const { page, frame } = ctx;
      await node(frame, id('server', 'web2')).click();
      const facts = frame.locator('[data-testid="properties"] [data-testid="facts"]').first();
      await facts.waitFor({ state: 'visible', timeout: 10_000 });
      const words = await facts.innerText();
      ctx.log(`facts: ${words.replace(/\s+/g, ' ')}`);
      for (const internal of ['vipOn', 'vipOnOk', 'used', 'iface']) check(!new RegExp(`\\b${internal}\\b`).test(words), `the properties show the internal name "${internal}": ${words}`);
      check(/VIP on loopback/.test(words) && /Default gateway/.test(words), `the properties lack "VIP on loopback" / "Default gateway": ${words}`);
      const address = frame.locator('[data-testid="host-address"] input');
      await address.fill('192.168.147.9');
      await frame.locator('[data-testid="host-apply"]').click();
      await waitFor('the text to show address 192.168.147.9 for web2', async () => /server web2 \{ address 192\.168\.147\.9 /.test(await visibleEditorText(page, FILE)), { timeoutMs: 20_000 });
      const status = frame.locator('[data-testid="status"]');
      await waitFor('the Done line', async () => /^Done\./.test(await status.innerText()), { timeoutMs: 10_000 });
      await waitFor('the Done line to go away by itself', async () => (await status.innerText()).trim() === '', { timeoutMs: 8000 });
      await focusTextEditor(page, FILE);
      await page.keyboard.press('Control+Z');
      const text = await saveAndRead(ctx, 'have web2 back at 192.168.147.3', (t) => t.includes('server web2 { address 192.168.147.3 '));
      check(text === ctx.original, `after one undo the file differs from the seed: ${firstDiff(ctx.original, text)}`);
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
        // The walkthrough's "Open the designer" step: the designer's editor group alone.
        await walkthroughImage(ctx, `open-designer-${theme}.png`, await page.locator('.part.editor .editor-group-container').nth(1).boundingBox());
      }
    },
  },
  {
    name: "walkthrough images: the classic cluster, and LVS030 flagged with its quick fix, in both themes",
    async run(ctx) {
      const { page } = ctx;
      // The text editor alone (the designer's group closed): the whole line of each host shows.
      await page.locator('.part.editor .editor-group-container').nth(1).locator('.tab.active .codicon-close').click({ timeout: 10_000 });
      await waitFor('the designer to close', async () => (await page.locator('iframe.webview').count()) === 0, { timeoutMs: 20_000 });
      await focusTextEditor(page, FILE);
      await waitFor('the text editor to show the seed', async () => (await visibleEditorText(page, FILE)).includes('cluster web {'), { timeoutMs: 30_000 });
      // The file loses web1's vip-on on disk (the editor is not dirty: VS Code reloads it).
      const broken = ctx.original.replace(/(server web1 \{[^}]*?)\s+vip-on lo:0/, '$1');
      check(broken !== ctx.original, `${FILE} has no "vip-on lo:0" in server web1`);
      const panel = page.locator('.markers-panel');
      try {
        for (const theme of ['dark', 'light']) {
          await inTheme(page, theme);
          writeFileSync(join(ctx.ws, FILE), ctx.original);
          await waitFor('no problems', async () => /no problems/i.test(await problemsLabel(page)), { timeoutMs: 30_000 });
          if (await panel.isVisible()) await page.keyboard.press('Control+Shift+M');
          await waitFor('the text editor to show web1 with its vip-on', async () => /server web1 \{[^}]*vip-on lo:0/.test(await visibleEditorText(page, FILE)), { timeoutMs: 20_000 });
          await walkthroughImage(ctx, `create-cluster-${theme}.png`, await editorArea(page));
          writeFileSync(join(ctx.ws, FILE), broken);
          await waitFor('LVS030 in the status bar problems item', async () => /errors?: 1/i.test(await problemsLabel(page)), { timeoutMs: 30_000 });
          await waitFor('the Problems panel listing LVS030', async () => {
            if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
            await sleep(500);
            return (await panel.innerText().catch(() => '')).includes('LVS030');
          }, { timeoutMs: 20_000, intervalMs: 500 });
          // The quick fix on web1's name in its server block (where LVS030 is reported).
          await textEditor(page, FILE).locator('.view-line', { hasText: /server\s+web1\s+\{/ }).locator('span span', { hasText: /^web1$/ }).first().click();
          await page.keyboard.press('Control+.');
          const fix = page.locator('.action-widget', { hasText: "Add 'vip-on lo:0'" });
          await fix.first().waitFor({ state: 'visible', timeout: 15_000 }).catch(() => { throw new StepError("Ctrl+. on web1 offers no \"Add 'vip-on lo:0'\""); });
          await walkthroughImage(ctx, `fix-mistake-${theme}.png`, await editorArea(page, { withPanel: true }));
          await page.keyboard.press('Escape');
        }
      } finally {
        writeFileSync(join(ctx.ws, FILE), ctx.original);
      }
      await waitFor('no problems', async () => /no problems/i.test(await problemsLabel(page)), { timeoutMs: 30_000 });
    },
  },
  {
    name: 'Check Drift without a remembered secret asks for it in one input flow, then says why it failed',
    async run(ctx) {
      const { page } = ctx;
      // With a lab up (another run's), the check would connect to it: this step needs none.
      if (existsSync('/var/lib/lvsdr/lab')) {
        ctx.log('skipped: a lab is up on this machine');
        return;
      }
      await focusTextEditor(page, FILE);
      await runCommand(page, 'LVS: Check Drift', { opensPicker: true });
      const widget = page.locator('.quick-input-widget');
      await waitFor("the secret's input box", async () => /Secret 'vrrp-web'/.test(await widget.innerText().catch(() => '')), { timeoutMs: 30_000 });
      await page.keyboard.type('lab-vrrp');
      await page.keyboard.press('Enter');
      // the same quick input asks whether to keep it: this run only
      await pickInQuickInput(page, 'this run only', /Use for this run only/);
      const toast = page.locator('.notification-toast .notification-list-item-message', { hasText: 'Drift check of web' });
      await toast.first().waitFor({ state: 'visible', timeout: 60_000 }).catch(() => { throw new StepError('no notification saying why the drift check failed'); });
      const said = (await toast.first().innerText()).replace(/\s+/g, ' ');
      ctx.log(`notification: ${said}`);
      check(/no lab is up/.test(said), `the notification does not say why: ${said}`);
      check(!/secret references could not be resolved|nothing was deployed/.test(said), `the secret was not used, or the wording is a deploy's: ${said}`);
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'with no .lvs editor open, LVS: Open Topology Designer asks which file',
    async run(ctx) {
      const { page } = ctx;
      await runCommand(page, 'View: Close All Editors');
      await waitFor('no editor open', async () => (await page.locator('.part.editor .tab').count()) === 0, { timeoutMs: 20_000 });
      await runCommand(page, 'LVS: Open Topology Designer', { opensPicker: true });
      await waitFor('the "Which .lvs file?" picker', async () => /Which \.lvs file\?/.test(await page.locator('.quick-input-widget').innerText().catch(() => '')), { timeoutMs: 20_000 });
      await pickInQuickInput(page, FILE, new RegExp(`^${FILE.replace('.', '\\.')}$`));
      const frame = designerFrame(page);
      await node(frame, id('director', 'lvs1')).waitFor({ state: 'visible', timeout: 60_000 }).catch(() => { throw new StepError('the designer did not open for the picked file'); });
    },
  },
];
