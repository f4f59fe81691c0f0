// File modes as the engine writes them into remote scripts.

/** Octal mode as chmod takes it (`0644`). */
export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
