// Checking a value that crossed a boundary against its schema, with an error a person can read.
import * as v from 'valibot';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** The messages of the first few issues, each with where it is (`intent.weight`). */
export function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  const parts: string[] = [];
  for (const issue of issues.slice(0, 3)) {
    const at = v.getDotPath(issue);
    const text = at ? `${issue.message} (at ${at})` : issue.message;
    if (!parts.includes(text)) parts.push(text);
  }
  if (issues.length > 3) parts.push(`and ${issues.length - 3} more`);
  return parts.join('; ');
}

/** The schema's output for `input`, or why `input` does not fit the schema. */
export function check<S extends v.GenericSchema>(schema: S, input: unknown): Checked<v.InferOutput<S>> {
  const r = v.safeParse(schema, input);
  return r.success ? { ok: true, value: r.output } : { ok: false, error: issuesText(r.issues) };
}
