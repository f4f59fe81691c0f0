// The conversation with a director's long-lived reader (read-scripts.ts directorLoopScript):
// a request line in, everything up to the `@@LVSDR END` line out. One request at a time; a
// timeout or a closed channel ends the reader (the engine reconnects with backoff).
import type { ClientChannel } from 'ssh2';
import { MARK } from '../deploy/remote';

const END = `${MARK} END\n`;
/** A reply larger than this is not a status reply: the reader is ended. */
const MAX_REPLY = 8 * 1024 * 1024;

export class LoopReader {
  private buf = '';
  private pending?: { resolve: (s: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
  private ended?: string;
  /** Replies received so far: the first also waits for the reader to start. */
  answered = 0;

  constructor(private readonly ch: ClientChannel) {
    ch.on('data', (d: Buffer) => this.onData(d.toString('utf8')));
    ch.stderr.on('data', () => undefined);
    ch.on('close', () => this.end('the status reader ended'));
    ch.on('error', (e: Error) => this.end(`the status reader failed: ${e.message}`));
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  private onData(text: string): void {
    this.buf += text;
    if (this.buf.length > MAX_REPLY) return this.end('the status reader sent more than a status reply');
    const i = this.buf.indexOf(END);
    if (i < 0 || !this.pending) return;
    const reply = this.buf.slice(0, i + END.length);
    this.buf = this.buf.slice(i + END.length);
    const p = this.pending;
    this.pending = undefined;
    clearTimeout(p.timer);
    this.answered++;
    p.resolve(reply);
  }

  private end(why: string): void {
    if (this.ended !== undefined) return;
    this.ended = why;
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      clearTimeout(p.timer);
      p.reject(new Error(why));
    }
    try {
      this.ch.close();
    } catch { /* already closed */ }
  }

  request(words: string, timeoutMs: number): Promise<string> {
    if (this.ended !== undefined) return Promise.reject(new Error(this.ended));
    if (this.pending) return Promise.reject(new Error('a status request is still running'));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => this.end(`no status reply within ${(timeoutMs / 1000).toFixed(0)} s`), timeoutMs);
      this.pending = { resolve, reject, timer };
      this.buf = '';
      this.ch.write(`${words}\n`);
    });
  }

  close(): void {
    this.end('closed');
  }
}
