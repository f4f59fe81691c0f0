// Shared helpers of the unit tests: validate text, pick findings, apply quick fixes.
import { validateText } from '../../server/validation/registry';
import { Finding, Fix } from '../../server/validation/types';

export function findings(text: string): Finding[] {
  return validateText(text).findings;
}

export function codes(text: string): string[] {
  return findings(text).map((f) => f.code);
}

export function findingsWithCode(text: string, code: string): Finding[] {
  return findings(text).filter((f) => f.code === code);
}

/** Applies a fix's edits (non-overlapping) to the text, last edit first. */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** The text a span covers. */
export function slice(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}
