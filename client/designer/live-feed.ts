// The designer's live feed: while the "Live" toggle is on and the panel is visible, one
// `lvsdr status FILE --cluster NAME --target T --json --watch` child per cluster of the file
// prints a snapshot per refresh (one JSON object a line); each is checked against the snapshot
// live snapshot's schema (server/protocol/live-snapshot.ts) and handed on as one LiveView.
// Stopping kills the children: nothing asks the hosts while the panel is hidden.
import { ChildProcess, spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { lvsdrEnv } from '../lvsdr-env';
import type { LiveView } from '../../server/protocol/designer-live';
import { checkLiveSnapshot, LiveSnapshot } from '../../server/protocol/live-snapshot';
import { printable } from '../../server/protocol/printable';
import { eachLine } from '../stream-lines';

export interface LiveFeedOptions {
  /** The .lvs file (a path). */
  file: string;
  clusters: string[];
  target: string;
  onView(view: LiveView): void;
  log: vscode.LogOutputChannel;
}

export class LiveFeed {
  private readonly children = new Set<ChildProcess>();
  private readonly snapshots = new Map<string, LiveSnapshot>();
  private stopped = false;

  constructor(private readonly cli: string, private readonly o: LiveFeedOptions) {}

  start(): void {
    this.o.onView({ status: 'connecting', target: this.o.target, clusters: [] });
    for (const cluster of this.o.clusters) this.run(cluster);
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.children) c.kill('SIGTERM');
    this.children.clear();
  }

  private view(): LiveView {
    return { status: 'live', target: this.o.target, clusters: this.o.clusters.flatMap((c) => this.snapshots.get(c) ?? []) };
  }

  private run(cluster: string): void {
    const args = [this.cli, 'status', this.o.file, '--cluster', cluster, '--target', this.o.target, '--json', '--watch'];
    const child = spawn(process.execPath, args, { env: lvsdrEnv(vscode.env.language, process.env), stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    let lastError = '';
    eachLine(child.stdout!, (line) => {
      if (!line.trim() || this.stopped) return;
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch {
        this.o.log.warn(`live: a line of lvsdr status that is not JSON: ${printable(line).slice(0, 200)}`);
        return;
      }
      const snap = checkLiveSnapshot(data);
      if (!snap.ok) {
        this.o.log.warn(`live: a snapshot of ${cluster} the designer cannot read: ${snap.error}`);
        return;
      }
      this.snapshots.set(cluster, snap.value);
      this.o.onView(this.view());
    });
    eachLine(child.stderr!, (line) => {
      if (!line.trim()) return;
      lastError = printable(line);
      this.o.log.info(`live (${cluster}): ${lastError}`);
    });
    child.on('error', (e) => {
      lastError = vscode.l10n.t('cannot run lvsdr: {0}', e.message);
    });
    child.on('close', (code) => {
      this.children.delete(child);
      if (this.stopped) return;
      this.o.onView({ status: 'error', target: this.o.target, message: lastError || vscode.l10n.t('lvsdr status stopped (exit code {0})', String(code)), clusters: this.view().clusters });
    });
  }
}
