// POSIX shell quoting for the scripts the lab generates (UML init, real-server setup).
// Commands the lab itself runs never go through a shell: see run.ts.

/** Quotes one word for a POSIX shell script. */
export function shq(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quotes and joins a command line. */
export function shJoin(argv: string[]): string {
  return argv.map(shq).join(' ');
}
