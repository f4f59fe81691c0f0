// Noticing that whoever started `lvsdr` went away while it changes hosts: a SIGHUP (the
// terminal closed), a write to a closed stdout or stderr pipe (EPIPE: the reader died), or —
// on the event channel — the end of stdin (VS Code's window closed or reloaded). Each means
// "parent gone": the run is cancelled and rolls back, and it keeps going without writing to
// the dead pipe (the journal still records every step). A stream that failed is muted, so the
// next write neither throws nor kills the process.

export type GoneReason = 'SIGHUP' | 'stdout closed' | 'stderr closed' | 'stdin closed';

/** Makes every later write to `stream` a no-op (the reader is gone). */
function mute(stream: NodeJS.WriteStream): void {
  (stream as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]) => {
    const cb = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  };
}

/**
 * Calls `onGone` once, at the first sign the parent went away. With `channel`, the end of its
 * input counts too (the front end keeps stdin open for the whole run). Returns the disposer.
 */
export function watchParent(onGone: (why: GoneReason) => void, channel?: { onInputEnd(cb: () => void): void }): () => void {
  let fired = false;
  const gone = (why: GoneReason) => {
    if (fired) return;
    fired = true;
    onGone(why);
  };
  const onHup = () => gone('SIGHUP');
  const onOut = () => { mute(process.stdout); gone('stdout closed'); };
  const onErr = () => { mute(process.stderr); gone('stderr closed'); };
  process.on('SIGHUP', onHup);
  process.stdout.on('error', onOut);
  process.stderr.on('error', onErr);
  channel?.onInputEnd(() => gone('stdin closed'));
  return () => {
    fired = true;
    process.off('SIGHUP', onHup);
    // The error listeners stay: a write after the run must not crash the exit either.
  };
}
