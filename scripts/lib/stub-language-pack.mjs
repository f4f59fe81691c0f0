// A language pack that declares a display language and translates nothing, for the UI tier's run
// in Chinese (run-ui-tests.mjs --locale zh-cn). code-server's --locale alone does not change VS
// Code's language: without an installed pack for it, VS Code falls back to English, and so does
// vscode.env.language, the package.nls.<locale>.json and the l10n bundle an extension gets. The
// Marketplace's Chinese pack cannot be fetched here; this stub makes VS Code resolve the locale
// while every workbench string stays English (its translations are empty), which is what a user
// sees for VS Code's own strings without a pack, and the extension's strings are its own bundles.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './code-server.mjs';

/** Builds the stub pack's VSIX for `locale` under `dir` with the repository's vsce; returns its path. */
export function buildStubLanguagePack(locale, dir) {
  const src = join(dir, `stub-language-pack-${locale}`);
  mkdirSync(join(src, 'translations'), { recursive: true });
  writeFileSync(join(src, 'package.json'), JSON.stringify({
    name: `stub-language-pack-${locale}`,
    publisher: 'lvs-dr-studio-tests',
    displayName: `Stub language pack (${locale}, no translations)`,
    description: 'Declares a display language for the UI tests; translates nothing.',
    version: '0.0.1',
    engines: { vscode: '^1.100.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [{ languageId: locale, languageName: locale, localizedLanguageName: locale, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }],
    },
  }, null, 2));
  writeFileSync(join(src, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(join(src, 'README.md'), 'Declares a display language for the UI tests of LVS-DR Studio; translates nothing.\n');
  const out = join(dir, `stub-language-pack-${locale}.vsix`);
  const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
  const r = run(vsce, ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', out], { cwd: src });
  if (r.status !== 0) throw new Error(`vsce could not package the stub language pack (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return out;
}

/**
 * Writes the user data's languagepacks.json for the installed stub pack: where VS Code's server
 * looks up the pack of the --locale when it resolves the display language (its nls.js). A
 * Marketplace install from the workbench writes this file itself; `code-server --install-extension`
 * does not, so the server would fall back to English.
 */
export function registerLanguagePack(sandbox, locale) {
  const id = `lvs-dr-studio-tests.stub-language-pack-${locale}`;
  const dir = readdirSync(sandbox.extDir).find((n) => n.toLowerCase().startsWith(`${id}-`));
  if (!dir) throw new Error(`the stub language pack ${id} is not in ${sandbox.extDir}`);
  const translations = join(sandbox.extDir, dir, 'translations', 'main.i18n.json');
  const packs = {
    [locale]: {
      hash: createHash('md5').update(`${id}@0.0.1`).digest('hex'),
      extensions: [{ extensionIdentifier: { id }, version: '0.0.1' }],
      translations: { vscode: translations },
      label: locale,
    },
  };
  writeFileSync(join(sandbox.userData, 'languagepacks.json'), JSON.stringify(packs, null, 2));
}
