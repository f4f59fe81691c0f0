// Progress of a run in words for the notification: "step 5 of 16: web1, uploading files". The
// count is of the (host, step) pairs the engine reported; the total is what a normal run of the
// command goes through, raised when a run reports more. The words go through the translator the
// caller gives (vscode.l10n.t in the extension; English here, so that this file needs no vscode);
// STEP_WORDS, PROGRESS_MESSAGES and LOG_MESSAGES are the source strings the catalog test finds in l10n/.
import type { ChannelCommand, ChannelEvent, ProgressEvent, Step } from '../../server/protocol/events';

type LogEvent = Extract<ChannelEvent, { type: 'log' }>;
import { printable } from '../../server/protocol/printable';

/** What each step does, in English: the source strings of the translations. */
export const STEP_WORDS: Record<Step, string> = {
  resolve: 'reading the .lvs file',
  connect: 'connecting',
  preflight: 'checking the system',
  lock: 'taking the deploy lock',
  read: 'reading its files',
  plan: 'comparing with the generated files',
  drain: 'draining real servers',
  hold: 'holding its VRRP for the master\'s change',
  backup: 'backing up its files',
  upload: 'uploading files',
  bridge: 'keeping the VIPs through its VRRP change',
  apply: 'applying the configuration',
  verify: 'verifying',
  settle: 'settling its VRRP priority',
  release: 'starting its VRRP again',
  restore: 'restoring the backup',
  rollback: 'rolling back',
  unlock: 'releasing the lock',
  probe: 'probing through the VIPs',
  journal: 'writing the journal',
};

/** The notification's sentences (by the step's state) and the name of a step of no host. */
export const PROGRESS_MESSAGES = {
  start: 'step {0} of {1}: {2}, {3}',
  failed: 'step {0} of {1}: {2}, {3} failed',
  skipped: 'step {0} of {1}: {2}, {3} (skipped)',
  done: 'step {0} of {1}: {2}, {3} done',
  cluster: 'cluster',
} as const;

export type Translate = (message: string, ...args: Array<string | number>) => string;

/** The English source itself, with `{n}` replaced as vscode.l10n.t does. */
export const english: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));

/** Steps per host of a normal run of each command. */
const PER_HOST: Record<ChannelCommand, number> = { plan: 4, drift: 4, deploy: 10, rollback: 6, import: 3, drain: 2, restore: 2, failover: 2 };

export class ProgressWords {
  private readonly seen = new Set<string>();
  private total = 0;

  constructor(private readonly command: ChannelCommand, private readonly t: Translate = english) {}

  begin(hosts: number): void {
    this.total = hosts * PER_HOST[this.command];
  }

  /** The notification text for an event (undefined for events that are not a step). */
  message(e: ProgressEvent): string | undefined {
    if (e.state === 'info') return undefined;
    this.seen.add(`${e.host ?? ''}\u0000${e.step}`);
    this.total = Math.max(this.total, this.seen.size);
    const host = e.host !== undefined ? printable(e.host) : this.t(PROGRESS_MESSAGES.cluster);
    const sentence = e.state === 'failed' || e.state === 'skipped' || e.state === 'done' ? PROGRESS_MESSAGES[e.state] : PROGRESS_MESSAGES.start;
    return this.t(sentence, this.seen.size, this.total, host, this.t(STEP_WORDS[e.step]));
  }
}

/** The deploy log's sentences: a step's line by its state (`{2}`: time and detail), a log event's line by its level. */
export const LOG_MESSAGES = {
  start: '{0}: {1}: start{2}',
  done: '{0}: {1}: done{2}',
  failed: '{0}: {1}: failed{2}',
  skipped: '{0}: {1}: skipped{2}',
  info: '{0}: {1}: info{2}',
  seconds: ' ({0} s)',
  warning: 'warning: {0}',
  error: 'error: {0}',
} as const;

/**
 * One log line for an event: `web1: uploading files: done (0.21 s) 3 written` (remote text made
 * printable here too); the detail in VS Code's language when the CLI sent it so.
 */
export function logLine(e: ProgressEvent, t: Translate = english): string {
  const ms = e.ms !== undefined ? t(LOG_MESSAGES.seconds, (e.ms / 1000).toFixed(2)) : '';
  const detail = e.detailLocalized ?? e.detail;
  const host = e.host !== undefined ? printable(e.host) : t(PROGRESS_MESSAGES.cluster);
  return t(LOG_MESSAGES[e.state], host, t(STEP_WORDS[e.step]), `${ms}${detail ? ` ${printable(detail)}` : ''}`);
}

/** One log line for a log event: its text in VS Code's language when the CLI sent it so, after the level's word unless it is news. */
export function logEventLine(e: Pick<LogEvent, 'level' | 'text' | 'textLocalized'>, t: Translate = english): string {
  const text = printable(e.textLocalized ?? e.text);
  return e.level === 'info' ? text : t(LOG_MESSAGES[e.level], text);
}
