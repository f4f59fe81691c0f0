// The running cluster in VS Code: `lvsdr status --watch --json` as a child process, every line
// checked against the live snapshot contract (server/protocol/live-snapshot.ts), the cluster's
// health in the status bar and in the LVS Clusters view's rows (healthOf, onDidChangeHealth), and
// the snapshots offered to whoever draws them: the designer's live overlay through onSnapshot
// (live-source.ts), the LVS Hosts view through snapshotOf and onDidChangeHealth. The one place such a child runs:
// the command `LVS: Show Live Status` and the designer's Live toggle each hold a lease on it,
// and the last lease released stops it. Nothing here reads a host: the CLI does.
import { ChildProcess, spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { lvsdrEnv } from '../lvsdr-env';
import { clusterHealth } from '../../server/protocol/live-health';
import type { LiveSnapshot } from '../../server/protocol/live-snapshot';
import { protocol } from '../protocol/lazy';
import { printable } from '../../server/protocol/printable';
import { eachLine } from '../stream-lines';
import type { LiveEndedEvent, LiveKey, LiveSnapshotEvent, LiveSource } from './live-source';
import type { Answerer } from '../protocol/cli-runner';

export type { LiveKey } from './live-source';

/** One watched cluster: the child, its last snapshot and the leases that keep it running. */
class Watch {
  last?: LiveSnapshot;
  leases = 0;
  private child?: ChildProcess;

  constructor(
    readonly key: LiveKey,
    private readonly cli: string,
    private readonly onSnap: (s: LiveSnapshot) => void,
    private readonly onEnd: (message: string) => void,
    private readonly log: (l: string) => void,
  ) {}

  start(intervalS: number): void {
    if (this.child) return;
    const args = [this.cli, 'status', this.key.file, '--cluster', this.key.cluster, '--target', this.key.target, '--json', '--watch', '--interval', String(intervalS)];
    const child = spawn(process.execPath, args, { env: lvsdrEnv(vscode.env.language, process.env), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let lastError = '';
    eachLine(child.stdout!, (l) => {
      if (!l.trim() || this.child !== child) return;
      let json: unknown;
      try {
        json = JSON.parse(l);
      } catch {
        this.log(vscode.l10n.t('(ignored a line of lvsdr status that is not JSON: {0})', printable(l).slice(0, 200)));
        return;
      }
      const c = protocol().liveSnapshot(json);
      if (!c.ok) {
        this.log(vscode.l10n.t('(ignored a snapshot of {0} that does not fit the contract: {1})', this.key.cluster, c.error));
        return;
      }
      this.last = c.value;
      this.onSnap(c.value);
    });
    eachLine(child.stderr!, (l) => {
      if (!l.trim()) return;
      lastError = printable(l);
      this.log(`${this.key.cluster}: ${lastError}`);
    });
    child.on('error', (e) => {
      lastError = vscode.l10n.t('cannot run lvsdr: {0}', e.message);
    });
    child.on('close', (code) => {
      this.log(vscode.l10n.t('lvsdr status for {0} ended ({1})', this.key.cluster, String(code)));
      if (this.child !== child) return;
      this.child = undefined;
      this.onEnd(lastError || vscode.l10n.t('lvsdr status stopped (exit code {0})', String(code)));
    });
  }

  stop(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGTERM');
  }

  get running(): boolean {
    return !!this.child;
  }
}

/** The health in words for the status bar: all in service, N out, split brain, unreachable. */
export function healthText(s: LiveSnapshot): { text: string; ok: boolean } {
  const h = clusterHealth(s);
  switch (h.kind) {
    case 'ok': return { text: vscode.l10n.t('all {0} in service', h.inService), ok: true };
    case 'degraded': return { text: vscode.l10n.t('{0} of {1} out', h.out, h.total), ok: false };
    case 'split-brain': return { text: vscode.l10n.t('split brain'), ok: false };
    case 'unreachable': return { text: vscode.l10n.t('{0} unreachable', h.hosts.length), ok: false };
  }
}

/** A running watch's health, for a row of the LVS Clusters view. */
export interface LiveHealth {
  target: LiveKey['target'];
  text: string;
  ok: boolean;
}

export class LiveStatus implements LiveSource, vscode.Disposable {
  private readonly watches = new Map<string, Watch>();
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 19);
  private readonly snapshots = new vscode.EventEmitter<LiveSnapshotEvent>();
  private readonly ended = new vscode.EventEmitter<LiveEndedEvent>();
  readonly output = vscode.window.createOutputChannel('LVS Live');
  /** Every snapshot of every watched cluster, checked against the contract. */
  readonly onSnapshot = this.snapshots.event;
  /** A watched cluster's child stopped by itself (it is started again by the next watch()). */
  readonly onEnded = this.ended.event;
  private readonly healthChanged = new vscode.EventEmitter<void>();
  /** A watched cluster's health may read differently: a snapshot came, or a watch stopped or ended. */
  readonly onDidChangeHealth = this.healthChanged.event;

  /** `questions`: the deploy's dialogs for a live action's run (client/deploy/register.ts; loads the deploy part on first use). */
  constructor(private readonly context: vscode.ExtensionContext, private readonly questions: (log: (line: string) => void) => Answerer) {
    this.item.command = 'lvs.showLiveStatus';
  }

  actionQuestions(log: (line: string) => void): Answerer {
    return this.questions(log);
  }

  private static id(k: LiveKey): string {
    return `${k.file}\n${k.cluster}\n${k.target}`;
  }

  watch(key: LiveKey): vscode.Disposable {
    const id = LiveStatus.id(key);
    let w = this.watches.get(id);
    if (!w) {
      w = new Watch(key, this.context.asAbsolutePath('dist/server/cli.js'),
        (s) => this.onSnap(key, s), (message) => {
          this.ended.fire({ key, message });
          this.healthChanged.fire();
        }, (l) => this.output.appendLine(l));
      this.watches.set(id, w);
    }
    w.leases++;
    const interval = vscode.workspace.getConfiguration('lvs').get<number>('live.intervalSeconds', 2);
    w.start(Math.min(3600, Math.max(0.5, interval)));
    const held = w;
    let released = false;
    return new vscode.Disposable(() => {
      if (released) return;
      released = true;
      if (--held.leases > 0) return;
      held.stop();
      if (this.watches.get(id) === held) this.watches.delete(id);
      if (this.watches.size === 0) this.item.hide();
      this.healthChanged.fire();
    });
  }

  last(key: LiveKey): LiveSnapshot | undefined {
    return this.watches.get(LiveStatus.id(key))?.last;
  }

  isWatching(key: LiveKey): boolean {
    return !!this.watches.get(LiveStatus.id(key))?.running;
  }

  /** The health of each running watch of this cluster that has had a snapshot (lab, then hosts). */
  healthOf(file: string, cluster: string): LiveHealth[] {
    return (['lab', 'hosts'] as const).flatMap((target) => {
      const w = this.watches.get(LiveStatus.id({ file, cluster, target }));
      return w?.running && w.last ? [{ target, ...healthText(w.last) }] : [];
    });
  }

  /** The last snapshot of a running watch of this cluster (lab, then hosts): what the LVS Hosts view shows. */
  snapshotOf(file: string, cluster: string): LiveSnapshot | undefined {
    for (const target of ['lab', 'hosts'] as const) {
      const w = this.watches.get(LiveStatus.id({ file, cluster, target }));
      if (w?.running && w.last) return w.last;
    }
    return undefined;
  }

  private onSnap(key: LiveKey, s: LiveSnapshot): void {
    const h = healthText(s);
    this.item.text = `${h.ok ? '$(pulse)' : '$(error)'} LVS ${s.cluster}: ${h.text}`;
    this.item.tooltip = [
      ...s.directors.map((d) => `${d.name}: ${d.reachable ? `${d.vrrp}${d.vips.length ? ` (${d.vips.join(', ')})` : ''}` : vscode.l10n.t('unreachable')}`),
      ...s.services.map((svc) => `${svc.name}: ${vscode.l10n.t('{0}/{1} in service', svc.reals.filter((r) => r.inService).length, svc.reals.length)}`),
      ...s.findings.slice(0, 8).map((f) => `${f.code} ${f.host ? `${f.host}: ` : ''}${printable(f.messageLocalized ?? f.message)}`),
      vscode.l10n.t('updated {0}', new Date(s.at).toLocaleTimeString(vscode.env.language)),
    ].join('\n');
    this.item.backgroundColor = h.ok ? undefined : new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.show();
    this.snapshots.fire({ key, snapshot: s });
    this.healthChanged.fire();
  }

  dispose(): void {
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
    this.item.dispose();
    this.snapshots.dispose();
    this.ended.dispose();
    this.healthChanged.dispose();
    this.output.dispose();
  }
}
