// Progress of a run in words for the notification: "step 5 of 16: web1, uploading files". The
// count is of the (host, step) pairs the engine reported; the total is what a normal run of the
// command goes through, raised when a run reports more.
import type { ChannelCommand, ProgressEvent, Step } from '../../server/protocol/events';
import { printable } from '../../server/protocol/printable';

const WORDS: Record<Step, string> = {
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

/** Steps per host of a normal run of each command. */
const PER_HOST: Record<ChannelCommand, number> = { plan: 4, drift: 4, deploy: 10, rollback: 6, import: 3 };

export class ProgressWords {
  private readonly seen = new Set<string>();
  private total = 0;

  constructor(private readonly command: ChannelCommand) {}

  begin(hosts: number): void {
    this.total = hosts * PER_HOST[this.command];
  }

  /** The notification text for an event (undefined for events that are not a step). */
  message(e: ProgressEvent): string | undefined {
    if (e.state === 'info') return undefined;
    this.seen.add(`${e.host ?? ''}\u0000${e.step}`);
    this.total = Math.max(this.total, this.seen.size);
    const what = `${printable(e.host ?? 'cluster')}, ${WORDS[e.step]}`;
    const how = e.state === 'failed' ? ' failed' : e.state === 'skipped' ? ' (skipped)' : e.state === 'done' ? ' done' : '';
    return `step ${this.seen.size} of ${this.total}: ${what}${how}`;
  }
}

/** One log line for an event: `web1: uploading files: done (0.21 s) 3 written` (remote text made printable here too). */
export function logLine(e: ProgressEvent): string {
  const ms = e.ms !== undefined ? ` (${(e.ms / 1000).toFixed(2)} s)` : '';
  return `${printable(e.host ?? 'cluster')}: ${WORDS[e.step]}: ${e.state}${ms}${e.detail ? ` ${printable(e.detail)}` : ''}`;
}
