// Errors of the deploy engine. Every failure names the host and the step it happened in, so
// the CLI and the VS Code UI can say "web2: upload failed: …" without parsing messages.
// An error's `message` is English (the journal, --json, --events jsonl and the logs keep it);
// its `words` are the same text as a message (server/shared/l10n), which the CLI renders in the
// reader's language. Text from a host or a library stays as it came (`verbatim`).
import { bulletMsgs, english, isMsg, Msg, t } from '../shared/l10n/message';
import { STEP_WORDS } from './step-words';
import { Step } from './types';

/** Text for a person: English as it is, or a message that also renders in other languages. */
export type Words = string | Msg;

/** A message that reads `text` in every language: a host's output, a library's error. */
export function verbatim(text: string): Msg {
  return { source: '{0}', args: [text] };
}

/** Words as a message (a plain string is verbatim). */
export function asMsg(w: Words): Msg {
  return isMsg(w) ? w : verbatim(w);
}

/** An error's text as a message: its `words` when it has them, else its English message. */
export function wordsOf(e: unknown): Msg {
  const w = (e as { words?: unknown } | null)?.words;
  return isMsg(w) ? w : verbatim(errorText(e));
}

export class DeployError extends Error {
  /** Why, in English (the journal's words). */
  readonly reason: string;
  /** Why, as a message. */
  readonly reasonWords: Msg;

  constructor(readonly host: string | undefined, readonly step: Step, reason: Words, readonly code = 'failed') {
    const words = asMsg(reason);
    super(`${host ? `${host}: ` : ''}${step} failed: ${english(words)}`);
    this.name = 'DeployError';
    this.reason = english(words);
    this.reasonWords = words;
  }

  /** The whole message as a message: `HOST: STEP failed: REASON`. */
  get words(): Msg {
    return this.host ? t`${this.host}: ${STEP_WORDS[this.step]} failed: ${this.reasonWords}` : t`${STEP_WORDS[this.step]} failed: ${this.reasonWords}`;
  }
}

/** A value that must not reach a remote shell: refused before anything connects. */
export class GuardError extends Error {
  constructor(readonly problems: Msg[]) {
    super(english(GuardError.wordsOf(problems)));
    this.name = 'GuardError';
  }

  /** `refused before connecting: PROBLEM`, or the problems one a line. */
  get words(): Msg {
    return GuardError.wordsOf(this.problems);
  }

  private static wordsOf(problems: Msg[]): Msg {
    return t`refused before connecting: ${problems.length === 1 ? problems[0] : bulletMsgs(problems)}`;
  }
}

/** The deploy was cancelled (AbortSignal). */
export class CancelledError extends Error {
  constructor(readonly host: string | undefined, readonly step: Step) {
    super(`cancelled${host ? ` at ${host}` : ''} during ${step}`);
    this.name = 'CancelledError';
  }

  get words(): Msg {
    return this.host ? t`cancelled at ${this.host} during ${STEP_WORDS[this.step]}` : t`cancelled during ${STEP_WORDS[this.step]}`;
  }
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
