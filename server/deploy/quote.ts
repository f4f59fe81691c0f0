// Quoting of every value the engine places in a remote shell script: POSIX single quotes
// (`'` becomes `'\''`). The guard (guard.ts) has already refused anything hostile; quoting is
// the second, independent line of defence.
import { GuardError } from './errors';

/** POSIX single-quoted word. Refuses NUL (no shell word can carry it). */
export function sq(value: string | number): string {
  const text = String(value);
  if (text.includes('\0')) throw new GuardError(['a value contains a NUL byte']);
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Several quoted words joined by spaces. */
export function sqList(values: Array<string | number>): string {
  return values.map(sq).join(' ');
}

/** Octal mode as chmod takes it (`0644`). */
export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
