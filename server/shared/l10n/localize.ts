// Rendering a message in a language: English from its source, Chinese through @vscode/l10n and
// the bundle keyed by the English source (the format vscode.l10n and l10n-dev use).
import type * as L10n from '@vscode/l10n';
import { Locale } from './locale';
import { english, isMsg, Msg } from './message';

/**
 * The translations of a language, required when a message is first rendered in it. The build
 * keeps the catalog a file beside the server's and CLI's bundles (scripts/build.mjs), so a run in
 * English (`lvsdr check` in a C locale) never reads its 130 KB (decisions.md, "P6").
 */
const BUNDLES: Record<Exclude<Locale, 'en'>, () => Record<string, string>> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'zh-cn': () => require('../../../l10n/server.l10n.zh-cn.json') as Record<string, string>,
};

/**
 * @vscode/l10n, required on the first message rendered in another language than English: it
 * loads node's fs/promises (and readline with it) when it loads, about 1 ms of every start of a
 * CLI run in English.
 */
let l10nModule: typeof L10n | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const l10n = (): typeof L10n => (l10nModule ??= require('@vscode/l10n') as typeof L10n);

// @vscode/l10n holds one bundle per process; a language server or CLI run reads in one
// language, so this only switches in tests that render both.
let configured: Locale = 'en';

/** The message in `locale`; a source without a translation falls back to English. */
export function localize(m: Msg, locale: Locale): string {
  if (locale === 'en') return english(m);
  if (configured !== locale) {
    l10n().config({ contents: BUNDLES[locale]() });
    configured = locale;
  }
  const args = m.args.map((a) => (isMsg(a) ? localize(a, locale) : String(a)));
  return args.length ? l10n().t(m.source, ...args) : l10n().t(m.source);
}

/**
 * `{ [field]: the message in locale }` for a language-neutral JSON object that keeps its English
 * beside (`messageLocalized`, `errorLocalized`…); nothing in English.
 */
export function localizedField<K extends string>(field: K, m: Msg, locale: Locale): Partial<Record<K, string>> {
  return locale === 'en' ? {} : ({ [field]: localize(m, locale) } as Record<K, string>);
}
