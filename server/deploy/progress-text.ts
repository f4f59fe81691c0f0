// Progress events as text lines: `  12.3s web1       upload    done     0.21s  5 written`.
// On a terminal the CLI overwrites the current line for `start` events and keeps the others;
// elsewhere every event is one plain line (stable for logs and for tests that watch them).
import { ProgressEvent } from './types';

export function formatEvent(e: ProgressEvent, sinceMs: number, hostWidth = 10): string {
  const t = `${(sinceMs / 1000).toFixed(1)}s`.padStart(7);
  const host = (e.host ?? '*').padEnd(hostWidth);
  const ms = e.ms !== undefined ? `${(e.ms / 1000).toFixed(2)}s`.padStart(7) : ''.padStart(7);
  return `${t} ${host} ${e.step.padEnd(9)} ${e.state.padEnd(7)} ${ms}${e.detail ? `  ${e.detail.replace(/\s*\n\s*/g, ' | ')}` : ''}`.trimEnd();
}

export class ProgressPrinter {
  private readonly t0 = Date.now();
  private transient = false;

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, private readonly hostWidth = 10) {}

  get tty(): boolean {
    return !!this.out.isTTY;
  }

  event(e: ProgressEvent): void {
    const line = formatEvent(e, Date.now() - this.t0, this.hostWidth);
    if (this.tty) {
      const width = Math.max(20, (this.out.columns ?? 100) - 1);
      if (e.state === 'start') {
        this.out.write(`\r\x1b[K${line.slice(0, width)}`);
        this.transient = true;
      } else {
        this.out.write(`\r\x1b[K${line}\n`);
        this.transient = false;
      }
    } else {
      this.out.write(`${line}\n`);
    }
  }

  /** Ends a transient line before other output. */
  flush(): void {
    if (this.tty && this.transient) {
      this.out.write('\r\x1b[K');
      this.transient = false;
    }
  }
}
