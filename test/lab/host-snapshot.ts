// A host's state as the deploy tests and the P4 bench compare it before and after a run: every
// given file's sha256, mode and mtime (or "absent"), and runtime state printed by the caller's
// commands. One shell script per host, so a snapshot costs one round trip per host.

export interface HostSnapshot {
  /** path → "sha256 mode mtime", or "absent" */
  files: Record<string, string>;
  runtime: string;
}
export type Snapshot = Record<string, HostSnapshot>;

/** The script that prints the files' state, a separator, then what `runtime` prints. */
export function snapshotScript(paths: string[], runtime: string[]): string {
  return [
    `for f in ${paths.map((p) => `'${p}'`).join(' ')}; do`,
    '  if [ -f "$f" ]; then echo "$f $(sha256sum <"$f" | cut -c1-64) $(stat -c "%a %Y" "$f")"; else echo "$f absent"; fi',
    'done',
    'echo "--runtime--"',
    ...runtime,
  ].join('\n');
}

/** Reads what {@link snapshotScript} printed. */
export function parseSnapshot(out: string): HostSnapshot {
  const [filePart, runtime] = out.split('--runtime--\n');
  const files: Record<string, string> = {};
  for (const line of filePart.trim().split('\n')) {
    const [p, ...rest] = line.split(' ');
    files[p] = rest.join(' ');
  }
  return { files, runtime: runtime.trim() };
}
