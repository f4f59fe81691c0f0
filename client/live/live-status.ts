// The running cluster in VS Code: `lvsdr status --watch --json` as a child process, every line
// checked against the live snapshot contract (server/protocol/live-snapshot.ts), the cluster's
// health in the status bar and in the LVS Clusters view's rows (healthOf, onDidChangeHealth), and
// the snapshots offered to whoever draws them (the designer's live overlay, the hosts view)
// through onSnapshot. Nothing here reads a host: the CLI does.
import { ChildProcess, spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { lvsdrEnv } from '../lvsdr-env';
import { checkLiveSnapshot, clusterHealth, LiveSnapshot } from '../../server/protocol/live-snapshot';
import { printable } from '../../server/protocol/printable';

export interface LiveKey {
  file: string;
  cluster: string;
  target: 'lab' | 'hosts';
}

/** One watched cluster: the child and its last snapshot. */
class Watch {
  last?: LiveSnapshot;
  private child?: ChildProcess;

  constructor(
    readonly key: LiveKey, private readonly cli: string, private readonly onSnap: (s: LiveSnapshot) => void,
    private readonly log: (l: string) => void, private readonly onEnd: () => void,
  ) {}

  start(intervalS: number): void {
    if (this.child) return;
    const args = [this.cli, 'status', this.key.file, '--cluster', this.key.cluster, '--target', this.key.target, '--json', '--watch', '--interval', String(intervalS)];
    const child = spawn(process.execPath, args, { env: lvsdrEnv(vscode.env.language, process.env), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let partial = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      const lines = (partial + d).split('\n');
      partial = lines.pop()!;
      for (const l of lines) {
        if (!l.trim()) continue;
        let json: unknown;
        try {
          json = JSON.parse(l);
        } catch {
          this.log('(ignored a line of lvsdr status that is not JSON)');
          continue;
        }
        const c = checkLiveSnapshot(json);
        if (!c.ok) {
          this.log(`(ignored a snapshot that does not fit the contract: ${c.error})`);
          continue;
        }
        this.last = c.value;
        this.onSnap(c.value);
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => this.log(printable(d.trimEnd())));
    child.on('close', (code) => {
      if (this.child === child) this.child = undefined;
      this.log(`lvsdr status for ${this.key.cluster} ended (${code})`);
      this.onEnd();
    });
  }

  stop(): void {
    this.child?.kill('SIGTERM');
    this.child = undefined;
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

export class LiveStatus implements vscode.Disposable {
  private readonly watches = new Map<string, Watch>();
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 19);
  private readonly emitter = new vscode.EventEmitter<LiveSnapshot>();
  readonly output = vscode.window.createOutputChannel('LVS Live');
  /** Every snapshot of every watched cluster, checked against the contract. */
  readonly onSnapshot = this.emitter.event;
  private readonly healthChanged = new vscode.EventEmitter<void>();
  /** A watched cluster's health may read differently: a snapshot came, or a watch stopped or ended. */
  readonly onDidChangeHealth = this.healthChanged.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.item.command = 'lvs.showLiveStatus';
  }

  private static id(k: LiveKey): string {
    return `${k.file}\n${k.cluster}\n${k.target}`;
  }

  /** Starts watching (no-op when already watched); stop() when the last viewer goes away. */
  watch(key: LiveKey): void {
    const id = LiveStatus.id(key);
    let w = this.watches.get(id);
    if (!w) {
      w = new Watch(key, this.context.asAbsolutePath('dist/server/cli.js'), (s) => this.onSnap(s), (l) => this.output.appendLine(l), () => this.healthChanged.fire());
      this.watches.set(id, w);
    }
    const interval = vscode.workspace.getConfiguration('lvs').get<number>('live.intervalSeconds', 2);
    w.start(Math.min(3600, Math.max(0.5, interval)));
  }

  stop(key: LiveKey): void {
    const id = LiveStatus.id(key);
    this.watches.get(id)?.stop();
    this.watches.delete(id);
    if (this.watches.size === 0) this.item.hide();
    this.healthChanged.fire();
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

  private onSnap(s: LiveSnapshot): void {
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
    this.emitter.fire(s);
    this.healthChanged.fire();
  }

  dispose(): void {
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
    this.item.dispose();
    this.emitter.dispose();
    this.healthChanged.dispose();
    this.output.dispose();
  }
}
