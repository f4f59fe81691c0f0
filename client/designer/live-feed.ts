// The designer's live feed: while the "Live" toggle is on and the panel is visible, it holds a
// lease on the live status of each cluster of the file (client/live/live-status.ts: the one
// `lvsdr status --json --watch` child per cluster, checked against the snapshot contract, which
// also feeds the status bar and the LVS Hosts view) and hands its snapshots on as one LiveView.
// Stopping releases the leases: nothing asks the hosts for the designer while it is hidden.
import * as vscode from 'vscode';
import type { LiveView } from '../../server/protocol/designer-live';
import type { LiveSnapshot } from '../../server/protocol/live-snapshot';
import { LiveKey, LiveSource, sameKey } from '../live/live-source';

export interface LiveFeedOptions {
  /** The .lvs file (a path). */
  file: string;
  clusters: string[];
  target: LiveKey['target'];
  onView(view: LiveView): void;
}

export class LiveFeed {
  private readonly held: vscode.Disposable[] = [];
  private readonly snapshots = new Map<string, LiveSnapshot>();
  private stopped = false;

  constructor(private readonly live: LiveSource, private readonly o: LiveFeedOptions) {}

  start(): void {
    const keys: LiveKey[] = this.o.clusters.map((cluster) => ({ file: this.o.file, cluster, target: this.o.target }));
    const mine = (k: LiveKey) => keys.some((m) => sameKey(m, k));
    this.o.onView({ status: 'connecting', target: this.o.target, clusters: [] });
    this.held.push(
      this.live.onSnapshot((e) => {
        if (this.stopped || !mine(e.key)) return;
        this.snapshots.set(e.key.cluster, e.snapshot);
        this.o.onView(this.view());
      }),
      this.live.onEnded((e) => {
        if (this.stopped || !mine(e.key)) return;
        this.o.onView({ status: 'error', target: this.o.target, message: e.message, clusters: this.view().clusters });
      }),
    );
    for (const k of keys) {
      this.held.push(this.live.watch(k));
      // Already watched (LVS: Show Live Status): its last snapshot now, not in 2 s.
      const last = this.live.last(k);
      if (last) this.snapshots.set(k.cluster, last);
    }
    if (this.snapshots.size > 0) this.o.onView(this.view());
  }

  stop(): void {
    this.stopped = true;
    for (const d of this.held.splice(0)) d.dispose();
  }

  private view(): LiveView {
    return { status: 'live', target: this.o.target, clusters: this.o.clusters.flatMap((c) => this.snapshots.get(c) ?? []) };
  }
}
