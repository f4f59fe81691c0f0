// POSIX shell quoting, the one definition: every value placed in a shell script — the generated
// host scripts, the deploy engine's remote scripts, the lab's init scripts — goes through sq().
// A single-quoted word carries any byte but NUL literally; `'` is written as `'\''`.

/** One value as a single-quoted shell word. Refuses NUL, which no shell word can carry. */
export function sq(value: string | number): string {
  const text = String(value);
  if (text.includes('\0')) throw new Error('a value contains a NUL byte, which a shell script cannot carry');
  // Most values hold no quote: skip the regular expression for them (every value of every script).
  return text.includes("'") ? `'${text.replace(/'/g, `'\\''`)}'` : `'${text}'`;
}

/** Several values as quoted words joined by spaces. */
export function sqList(values: ReadonlyArray<string | number>): string {
  return values.map(sq).join(' ');
}
