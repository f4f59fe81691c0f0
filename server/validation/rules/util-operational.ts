// Helpers shared by the operational rule modules (LVS060–LVS114): spelling suggestions, text
// edits that keep the file tidy, and small queries over hosts and their sysctl overrides.
import { listMsgs, Msg, MsgArg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { editDistance } from '../../language/edit-distance';
import { effectiveSysctls } from '../../model/sysctl';
import { Fix, SpanEdit } from '../types';

/** The valid word closest to `word` (case-insensitive), with its distance; ties keep list order. */
export function closest(word: string, valid: readonly string[]): { word: string; distance: number } {
  const lower = word.toLowerCase();
  let best = valid[0];
  let bestDistance = Infinity;
  for (const v of valid) {
    const d = editDistance(lower, v);
    if (d < bestDistance) {
      best = v;
      bestDistance = d;
    }
  }
  return { word: best, distance: bestDistance };
}

export function replaceEdit(span: A.Span, newText: string): SpanEdit {
  return { span: { start: span.start, end: span.end }, newText };
}

export function replaceFix(title: Msg, span: A.Span, newText: string, preferred = true): Fix {
  return { title, edits: [replaceEdit(span, newText)], preferred };
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/**
 * Deletes a property (or a whole block) together with the whitespace that separated it from its
 * neighbours: a line holding nothing else disappears entirely; otherwise the blanks before it go.
 */
export function removalEdit(text: string, span: A.Span): SpanEdit {
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  let lineEnd = text.indexOf('\n', span.end);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, span.start);
  const after = text.slice(span.end, lineEnd);
  if (before.trim() === '' && after.trim() === '') {
    return { span: { start: lineStart, end: Math.min(text.length, lineEnd + 1) }, newText: '' };
  }
  let start = span.start;
  while (start > lineStart && isBlank(text[start - 1])) start--;
  if (start < span.start) return { span: { start, end: span.end }, newText: '' };
  let end = span.end;
  while (end < lineEnd && isBlank(text[end])) end++;
  return { span: { start: span.start, end }, newText: '' };
}

export function removalFix(title: Msg, text: string, span: A.Span): Fix {
  return { title, edits: [removalEdit(text, span)], preferred: true };
}

/**
 * Appends `snippet` as the last item of a `{ … }` block whose span includes both braces: on the
 * same line for a one-line block, on a new line with the last item's indentation otherwise.
 */
export function appendToBlock(text: string, body: A.Span, snippet: string): SpanEdit {
  const closing = text[body.end - 1] === '}' ? body.end - 1 : body.end;
  let at = closing;
  while (at > body.start + 1 && /\s/.test(text[at - 1])) at--;
  const inner = text.slice(body.start + 1, closing);
  if (!inner.includes('\n') || at <= body.start + 1) return { span: { start: at, end: at }, newText: ` ${snippet}` };
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, at))![0];
  return { span: { start: at, end: at }, newText: `\n${indent}${snippet}` };
}

/** Inserts `snippet` right after the opening brace of a block starting at `from`. */
export function insertAfterOpenBrace(text: string, from: number, snippet: string): SpanEdit {
  const open = text.indexOf('{', from);
  const at = open < 0 ? from : open + 1;
  return { span: { start: at, end: at }, newText: ` ${snippet}` };
}

/** The keyword's own range at the start of a block span (e.g. `ha`). */
export function keywordSpan(span: A.Span, keyword: string): A.Span {
  return { start: span.start, end: span.start + keyword.length };
}

/** Interface base name without an alias suffix (`ens33:0` → `ens33`). */
export function baseIface(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(0, colon);
}

/** Effective value of one kernel setting on a host (defaults plus its overrides). */
export function sysctlValue(host: A.Host, key: string): string | undefined {
  return effectiveSysctls(host).get(key);
}

/** Edits adding `sysctl KEY = VALUE` to each host that does not already have that value. */
export function addSysctlEdits(text: string, hosts: A.Host[], key: string, value: string): SpanEdit[] {
  return hosts.filter((h) => sysctlValue(h, key) !== value).map((h) => appendToBlock(text, h.body, `sysctl ${key} = ${value}`));
}

/** `name` of a VIP when it has one, else its address (how a `vip` reference is written). */
export function vipRef(vip: A.Vip): string {
  return vip.name?.text ?? vip.address.value;
}

export function quoteList(items: MsgArg[], max = 3): MsgArg {
  const shown = listMsgs(items.slice(0, max));
  return items.length > max ? t`${shown} and ${items.length - max} more` : shown;
}
