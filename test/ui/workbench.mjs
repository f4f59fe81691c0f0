// Driving the VS Code web workbench (code-server) with playwright-core: quick input (Quick Open,
// command palette), the text editor, the status bar, the designer webview's frame. VS Code is
// racy right after start (quick input rows arrive late, the first key can be swallowed while the
// workbench restores focus), so everything waits on a condition and the quick input is retried.

export class StepError extends Error {
  name = 'StepError';
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a truthy value (returned) or `timeoutMs` passes (throws `what`). */
export async function waitFor(what, fn, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new StepError(`timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}${last ? ` (last error: ${String(last.message ?? last).split('\n')[0]})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** Runs `fn` up to `attempts` times; `between` runs after a failed attempt (e.g. press Escape). */
export async function retry(what, attempts, fn, between) {
  let lastErr;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fn(i);
    } catch (err) {
      lastErr = err;
      if (i < attempts) await between?.(err, i);
    }
  }
  throw new StepError(`${what} failed after ${attempts} attempts: ${lastErr && lastErr.message ? lastErr.message : lastErr}`);
}

const QUICK_INPUT = '.quick-input-widget';

async function quickInputVisible(page) {
  return page.locator(QUICK_INPUT).isVisible().catch(() => false);
}

async function closeQuickInput(page) {
  for (let i = 0; i < 3 && (await quickInputVisible(page)); i++) {
    await page.keyboard.press('Escape');
    await sleep(200);
  }
}

/**
 * Opens the quick input with `key`, types `text`, waits for a row whose aria-label matches
 * `row` and accepts it with Enter. Retried: rows can take seconds to appear (file search index,
 * extension commands registering), and a key pressed while the workbench moves focus is lost.
 */
export async function quickPick(page, key, text, row, { attempts = 4, rowTimeoutMs = 30_000, opensPicker = false } = {}) {
  const rows = page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`);
  return retry(`quick input ${key} "${text}"`, attempts, async () => {
    await closeQuickInput(page);
    await page.keyboard.press(key);
    await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout: 10_000 });
    const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
    await input.fill(key === 'F1' ? `>${text}` : text);
    const match = rows.filter({ has: page.locator('.label-name', { hasText: row }) });
    const first = await waitFor(`a quick input row matching ${row}`, async () => ((await match.count()) > 0 ? match.first().getAttribute('aria-label') : false), { timeoutMs: rowTimeoutMs });
    await match.first().click({ timeout: 10_000 });
    if (opensPicker) {
      // The command opens its own quick pick in the same widget: wait until the input changed.
      const typed = `>${text}`;
      await waitFor(`the picker of "${text}"`, async () => (await page.locator(QUICK_INPUT).isVisible()) && (await input.inputValue()) !== typed, { timeoutMs: 10_000 });
    } else {
      await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
    }
    return first;
  }, async () => {
    await closeQuickInput(page);
    await sleep(1000);
  });
}

/** In an already open quick input (a command's own picker): types `text`, clicks the row. */
export async function pickInQuickInput(page, text, row) {
  await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator(`${QUICK_INPUT} .quick-input-box input`).fill(text);
  const rows = page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`);
  const match = rows.filter({ has: page.locator('.label-name', { hasText: row }) });
  await waitFor(`a quick input row matching ${row}`, async () => (await match.count()) > 0, { timeoutMs: 20_000 });
  await match.first().click({ timeout: 10_000 });
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Preferences: Color Theme → the theme's label (the same path as a user; settings are written by VS Code). */
export async function setColorTheme(page, label) {
  await retry(`switching the colour theme to ${label}`, 3, async () => {
    await runCommand(page, 'Preferences: Color Theme', { attempts: 2, opensPicker: true });
    await pickInQuickInput(page, label, new RegExp(`^(Default )?${escapeRe(label)}$`));
  }, async () => {
    await closeQuickInput(page);
    await sleep(1000);
  });
}

/** Drags the sash between the two editor groups so the first one is `fraction` of the editor part. */
export async function splitEditors(page, fraction) {
  const part = await page.locator('.part.editor').boundingBox();
  const sash = page.locator('.part.editor .monaco-sash.vertical:visible').first();
  const box = await sash.boundingBox();
  if (!part || !box) throw new StepError('no sash between the editor groups');
  const y = box.y + Math.min(box.height / 2, 200);
  const x = box.x + box.width / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move((x + part.x + part.width * fraction) / 2, y, { steps: 5 });
  await page.mouse.move(part.x + part.width * fraction, y, { steps: 5 });
  await page.mouse.up();
}

export function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** F1 → the command's label → Enter. */
export function runCommand(page, label, opts) {
  return quickPick(page, 'F1', label, new RegExp(`^${escapeRe(label)}`), opts);
}

/** Ctrl+P → file name → Enter; then waits for its text editor tab to be active. */
export async function openFile(page, name) {
  await quickPick(page, 'Control+P', name, new RegExp(`^${escapeRe(name)}\\b`));
  await page.locator(`.tab.active[data-resource-name="${name}"]`).first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** The text editor (Monaco) of the first editor group holding `name`. */
export function textEditor(page, name) {
  return page.locator(`.editor-group-container:has(.tab.active[data-resource-name="${name}"]) .monaco-editor`).first();
}

/** Focuses the text editor by clicking into its text (the cursor moves there). */
export async function focusTextEditor(page, name) {
  const ed = textEditor(page, name);
  await ed.waitFor({ state: 'visible', timeout: 30_000 });
  await ed.locator('.view-lines').click({ position: { x: 5, y: 5 } });
  await waitFor(`the text editor of ${name} to have focus`, () => ed.evaluate((el) => el.contains(document.activeElement)), { timeoutMs: 10_000 });
}

/** The text the editor shows (visible lines only, in order, nbsp → space). */
export async function visibleEditorText(page, name) {
  return textEditor(page, name).locator('.view-lines').evaluate((root) => {
    const lines = [...root.querySelectorAll('.view-line')].map((l) => ({ top: parseFloat(l.style.top) || 0, text: l.textContent ?? '' }));
    return lines.sort((a, b) => a.top - b.top).map((l) => l.text.replace(/\u00a0/g, ' ')).join('\n');
  });
}

/** The status bar's problems item label ("No Problems", "Errors: 1, Warnings: 0", …). */
export async function problemsLabel(page) {
  const el = page.locator('[id="status.problems"]');
  return (await el.getAttribute('aria-label', { timeout: 10_000 })) ?? (await el.innerText());
}

/** The designer webview's content frame: iframe.webview → iframe#active-frame. */
export function designerFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}
