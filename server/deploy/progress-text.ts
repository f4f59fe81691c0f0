// Progress events as text lines: `  12.3s web1       upload    done     0.21s  5 written`.
// On a terminal the CLI overwrites the current line for `start` events and keeps the others;
// elsewhere every event is one plain line (stable for logs and for tests that watch them).
// In English the step and state are their codes; in another language (the CLI's reader's) the
// words for them (step-words.ts) and the detail rendered from its message, padded by the width
// a terminal gives the text (a Chinese character takes two columns).
import { printable } from '../protocol/printable';
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import { STATE_WORDS, STEP_WORDS } from './step-words';
import { EngineProgress } from './types';
import { padColumns } from '../shared/text-columns';

export function formatEvent(e: EngineProgress, sinceMs: number, hostWidth = 10, locale: Locale = 'en'): string {
  const t = `${(sinceMs / 1000).toFixed(1)}s`.padStart(7);
  const host = (e.host ?? '*').padEnd(hostWidth);
  const ms = e.ms !== undefined ? `${(e.ms / 1000).toFixed(2)}s`.padStart(7) : ''.padStart(7);
  const step = padColumns(localize(STEP_WORDS[e.step], locale), 9);
  const state = padColumns(localize(STATE_WORDS[e.state], locale), 7);
  // Made printable here too: a localized detail quotes the same host text as the English one.
  const detail = e.detailWords && locale !== 'en' ? printable(localize(e.detailWords, locale)) : e.detail;
  return `${t} ${host} ${step} ${state} ${ms}${detail ? `  ${detail.replace(/\s*\n\s*/g, ' | ')}` : ''}`.trimEnd();
}

export class ProgressPrinter {
  private readonly t0 = Date.now();
  private transient = false;

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, private readonly hostWidth = 10, private readonly locale: Locale = 'en') {}

  get tty(): boolean {
    return !!this.out.isTTY;
  }

  event(e: EngineProgress): void {
    const line = formatEvent(e, Date.now() - this.t0, this.hostWidth, this.locale);
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
