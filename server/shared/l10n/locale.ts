// Which language a reader gets. English is the default and the source; Simplified Chinese is
// the one translation (l10n/server.l10n.zh-cn.json).

export type Locale = 'en' | 'zh-cn';

/**
 * The language for a locale tag: an LSP client's `initialize` `locale` (`zh-cn`, `zh-CN`, `zh`)
 * or a POSIX locale (`zh_CN.UTF-8`, `zh_CN@pinyin`). Traditional Chinese (zh-TW, zh-Hant…)
 * gets English rather than the wrong script.
 */
export function localeFromTag(tag: string | undefined | null): Locale {
  if (!tag) return 'en';
  const lang = tag.split(/[.@]/)[0].toLowerCase().replace('_', '-');
  if (lang === 'zh' || lang === 'zh-cn' || lang === 'zh-sg' || lang === 'zh-hans' || lang.startsWith('zh-hans-')) return 'zh-cn';
  return 'en';
}

/**
 * The language of messages for a process environment, by POSIX precedence: LC_ALL, then
 * LC_MESSAGES, then LANG; the first one set and not empty decides (`C`/`POSIX` is English).
 */
export function localeFromEnv(env: NodeJS.ProcessEnv): Locale {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value) return localeFromTag(value);
  }
  return 'en';
}
