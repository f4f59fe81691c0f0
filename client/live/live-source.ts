// What a viewer of the running cluster gets (the designer's Live toggle, the status bar, the LVS
// Hosts view): leases on the one `lvsdr status --watch` child per cluster that
// client/live/live-status.ts runs, and its checked snapshots. Types and a key comparison only, so
// the designer's bundle takes this file and not the status bar's code.
import type * as vscode from 'vscode';
import type { LiveSnapshot } from '../../server/protocol/live-snapshot';
import type { Answerer } from '../protocol/cli-runner';

export interface LiveKey {
  file: string;
  cluster: string;
  target: 'lab' | 'hosts';
}

export interface LiveSnapshotEvent {
  key: LiveKey;
  snapshot: LiveSnapshot;
}

/** A watch whose child stopped by itself (not by the last lease going away), and why. */
export interface LiveEndedEvent {
  key: LiveKey;
  message: string;
}

export interface LiveSource {
  /** Keeps the key watched while the lease is held; starts the child again if it had stopped. */
  watch(key: LiveKey): vscode.Disposable;
  last(key: LiveKey): LiveSnapshot | undefined;
  readonly onSnapshot: vscode.Event<LiveSnapshotEvent>;
  readonly onEnded: vscode.Event<LiveEndedEvent>;
  /**
   * The answers of one live action run (drain, restore, failover) to the engine's questions: the
   * deploy's dialogs (host key, known_hosts, secret, passphrase), each asked at most once per run.
   */
  actionQuestions(log: (line: string) => void): Answerer;
}

export function sameKey(a: LiveKey, b: LiveKey): boolean {
  return a.file === b.file && a.cluster === b.cluster && a.target === b.target;
}
