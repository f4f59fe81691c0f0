// Reads a child process's output line by line (the `lvsdr` event channel, the live feed).

/** Calls `each` for every complete line of a stream, and for the rest at its end. */
export function eachLine(stream: NodeJS.ReadableStream, each: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const p of parts) each(p);
  });
  stream.on('end', () => {
    if (pending) each(pending);
  });
}
