// A user-visible message defined once, in English, and rendered later in the reader's language.
// `t` marks the English source (the key of the translation bundles, as with vscode.l10n.t);
// the arguments stay apart so the same finding can be printed in English and in Chinese
// (`lvsdr check --format json` carries both). Arguments may be messages themselves (a phrase
// such as "the VIP" inside a longer sentence), rendered in the same language.

export type MsgArg = string | number | Msg;

export interface Msg {
  /** The English source with `{0}`, `{1}`… where the arguments go: the bundle key. */
  readonly source: string;
  readonly args: readonly MsgArg[];
}

/**
 * Marks an English message for translation: as a tag (t`Server ${name} is down`, the usual form
 * in rules) or as a call with `{n}` placeholders (t('Server {0} is down', name)). The source
 * must be literal text: test/unit/l10n-catalog.test.ts reads every `t` in server/ to check
 * that the Chinese bundle has exactly these keys.
 */
export function t(source: TemplateStringsArray | string, ...args: MsgArg[]): Msg {
  if (typeof source === 'string') return { source, args };
  let text = source[0];
  for (let i = 1; i < source.length; i++) text += `{${i - 1}}${source[i]}`;
  return { source: text, args };
}

export function isMsg(x: unknown): x is Msg {
  return typeof x === 'object' && x !== null && typeof (x as Msg).source === 'string' && Array.isArray((x as Msg).args);
}

/** `{n}` placeholders replaced by the rendered arguments (a placeholder without one stays). */
export function fill(template: string, args: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

/** The message in English, the source language. */
export function english(m: Msg): string {
  return fill(m.source, m.args.map((a) => (isMsg(a) ? english(a) : String(a))));
}

/** Several messages joined by a separator (a list of phrases), still one message. */
export function joinMsgs(parts: readonly MsgArg[], separator: string): Msg {
  return { source: parts.map((_, i) => `{${i}}`).join(separator), args: parts };
}

/** A list of phrases, "a, b, c" in English, with the reader's language's own comma. */
export function listMsgs(parts: readonly MsgArg[]): MsgArg {
  return parts.slice(1).reduce<MsgArg>((acc, p) => t`${acc}, ${p}`, parts[0] ?? '');
}

/** "a and b and c": names joined by the reader's language's "and". */
export function andMsgs(parts: readonly MsgArg[]): MsgArg {
  return parts.slice(1).reduce<MsgArg>((acc, p) => t`${acc} and ${p}`, parts[0] ?? '');
}

/** "a or b or c": alternatives joined by the reader's language's "or". */
export function orMsgs(parts: readonly MsgArg[]): MsgArg {
  return parts.slice(1).reduce<MsgArg>((acc, p) => t`${acc} or ${p}`, parts[0] ?? '');
}

/** "a; b; c": items that hold commas themselves, with the reader's language's semicolon. */
export function semicolonMsgs(parts: readonly MsgArg[]): MsgArg {
  return parts.slice(1).reduce<MsgArg>((acc, p) => t`${acc}; ${p}`, parts[0] ?? '');
}

/** Problems one a line, each after `\n  - `: the list an error message ends with. */
export function bulletMsgs(items: readonly MsgArg[]): Msg {
  return joinMsgs(['', ...items.map((p) => joinMsgs(['  - ', p], ''))], '\n');
}
