// The environment of every `lvsdr` child the extension starts: Electron run as plain Node, and
// lvsdr's messages in VS Code's display language (lvsdr reads LC_ALL, then LC_MESSAGES, then
// LANG: server/shared/l10n/locale.ts). Pure, so the unit tier tests it without VS Code.
import { localeFromTag } from '../server/shared/l10n/locale';

/** The locale categories besides LC_MESSAGES (glibc's list): what an LC_ALL also stood for. */
const OTHER_CATEGORIES = ['LC_CTYPE', 'LC_NUMERIC', 'LC_TIME', 'LC_COLLATE', 'LC_MONETARY', 'LC_PAPER', 'LC_NAME', 'LC_ADDRESS', 'LC_TELEPHONE', 'LC_MEASUREMENT', 'LC_IDENTIFICATION'];

/**
 * `base` (the extension host's environment) for an lvsdr child speaking `displayLanguage`
 * (vscode.env.language: `zh-cn` → zh_CN.UTF-8, anything else → English, the C locale).
 *
 * Only LC_MESSAGES is set, so the rest of the user's locale (character set, time, sorting) is
 * left alone. An inherited LC_ALL would override it, so LC_ALL is taken apart: its value goes to
 * every other category it stood for and LC_MESSAGES alone changes. Setting LC_ALL to the display
 * language instead would also change the character set and the rest for lvsdr and what it runs.
 */
export function lvsdrEnv(displayLanguage: string, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ELECTRON_RUN_AS_NODE: '1' };
  const all = env.LC_ALL;
  delete env.LC_ALL;
  if (all) for (const category of OTHER_CATEGORIES) env[category] = all;
  env.LC_MESSAGES = localeFromTag(displayLanguage) === 'zh-cn' ? 'zh_CN.UTF-8' : 'C';
  return env;
}
