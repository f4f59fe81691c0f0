// The CLI's end of the event channel (server/protocol/events.ts): events as JSON lines on
// stdout, answers as JSON lines from stdin. Questions go out one at a time: the next is written
// only once the previous one is answered (or stdin closed, which refuses what is still asked).
import { createInterface, Interface } from 'node:readline';
import { Answer, ChannelEvent, eventLine, EVENTS_VERSION, MAX_LINE, parseAnswer, Question } from '../protocol/events';
import { printable } from '../protocol/printable';
import { Locale } from '../shared/l10n/locale';
import { localizedField } from '../shared/l10n/localize';
import { english, isMsg, Msg } from '../shared/l10n/message';

/**
 * `{ [field]: the message in locale }`, made printable, beside an English field of an event; nothing
 * in English. Every localized twin the channel carries (textLocalized, messageLocalized) is built here.
 */
export function printableTwin<K extends string>(field: K, words: Msg, locale: Locale): Partial<Record<K, string>> {
  const twin: Partial<Record<K, string>> = localizedField(field, words, locale);
  const text = twin[field];
  return text === undefined ? {} : ({ [field]: printable(text) } as Partial<Record<K, string>>);
}

type QuestionBody = Question extends infer Q ? Q extends Question ? Omit<Q, 'v' | 'type' | 'id'> : never : never;
type Body<E> = E extends ChannelEvent ? Omit<E, 'v'> : never;

export class EventChannel {
  private nextId = 1;
  private turn: Promise<unknown> = Promise.resolve();
  private lines: Interface | undefined;
  private waiting: { id: number; kind: Question['kind']; resolve: (a: Answer | undefined) => void } | undefined;
  private ended = false;
  private endWatchers: Array<() => void> = [];

  constructor(private readonly out: NodeJS.WritableStream = process.stdout, private readonly input: NodeJS.ReadableStream = process.stdin) {}

  emit(e: Body<ChannelEvent>): void {
    this.out.write(eventLine({ v: EVENTS_VERSION, ...e } as ChannelEvent));
  }

  /**
   * A line for the user's log: English, and in `locale` beside it when that is another language;
   * remote text in it is made printable.
   */
  log(level: 'info' | 'warning' | 'error', text: Msg | string, locale: Locale = 'en'): void {
    if (!isMsg(text)) return this.emit({ type: 'log', level, text: printable(text) });
    this.emit({ type: 'log', level, text: printable(english(text)), ...printableTwin('textLocalized', text, locale) });
  }

  /** Asks one question after every earlier one is answered; undefined when stdin has closed. */
  ask(q: QuestionBody): Promise<Answer | undefined> {
    const asked = this.turn.then(() => this.askNow(q));
    this.turn = asked.catch(() => undefined);
    return asked;
  }

  private askNow(q: QuestionBody): Promise<Answer | undefined> {
    if (this.ended) return Promise.resolve(undefined);
    const id = this.nextId++;
    this.listen();
    return new Promise((resolve) => {
      this.waiting = { id, kind: q.kind, resolve };
      this.emit({ type: 'question', id, ...q } as Body<ChannelEvent>);
    });
  }

  private listen(): void {
    if (this.lines) return;
    this.lines = createInterface({ input: this.input, crlfDelay: Infinity });
    this.lines.on('line', (line) => {
      if (!line.trim()) return;
      const a = line.length > MAX_LINE ? { ok: false as const, error: 'line too long' } : parseAnswer(line);
      const w = this.waiting;
      if (!a.ok) return this.log('warning', `ignored an answer that is not one: ${a.error}`);
      if (!w || a.value.id !== w.id || a.value.kind !== w.kind) {
        return this.log('warning', `ignored an answer to question ${a.value.id} (${a.value.kind}): ${w ? `question ${w.id} (${w.kind}) is open` : 'no question is open'}`);
      }
      this.waiting = undefined;
      w.resolve(a.value);
    });
    this.lines.on('close', () => {
      this.ended = true;
      for (const cb of this.endWatchers.splice(0)) cb();
      this.waiting?.resolve(undefined);
      this.waiting = undefined;
    });
  }

  /** Calls `cb` when the input ends (the front end went away); starts reading it now. */
  onInputEnd(cb: () => void): void {
    if (this.ended) return cb();
    this.endWatchers.push(cb);
    this.listen();
  }

  /** Stops reading stdin (the process can then exit). */
  close(): void {
    this.endWatchers = [];
    this.lines?.close();
  }
}
