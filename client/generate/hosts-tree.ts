// "LVS Hosts" tree view: clusters → hosts → generated files of the active .lvs document.
// Clicking a file opens its read-only preview.
import * as vscode from 'vscode';
import { GeneratedClusterData } from './generated-files';
import { GeneratedFilesProvider } from './preview';
import type { LiveSnapshot } from '../../server/protocol/live-snapshot';

export type HostsTreeItem =
  | { kind: 'cluster'; source: vscode.Uri; cluster: GeneratedClusterData }
  | { kind: 'host'; source: vscode.Uri; cluster: GeneratedClusterData; host: string }
  | { kind: 'file'; source: vscode.Uri; cluster: string; host: string; path: string; mode: number }
  | { kind: 'message'; text: string };

/** The live state the view shows: the last snapshot of a running watch of this file's cluster (live-status.ts). */
export interface HostsLive {
  snapshotOf(file: string, cluster: string): LiveSnapshot | undefined;
}

/** Each host's live state in words: VRRP state and VIPs, in/out of service, unreachable, findings. */
export function liveWords(s: LiveSnapshot): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of s.directors) m.set(d.name, d.reachable ? `${d.vrrp}${d.vips.length ? ` ${d.vips.join(' ')}` : ''}` : vscode.l10n.t('unreachable'));
  for (const r of s.realServers) {
    const reals = s.services.flatMap((svc) => svc.reals.filter((x) => x.name === r.name));
    const state = !r.reachable ? vscode.l10n.t('unreachable') : reals.some((x) => x.drained) ? vscode.l10n.t('drained')
      : reals.every((x) => x.inService) ? vscode.l10n.t('in service') : vscode.l10n.t('OUT of service');
    m.set(r.name, `${state}${reals.length ? vscode.l10n.t(', {0} active', reals.reduce((n, x) => n + x.active, 0)) : ''}`);
  }
  for (const f of s.findings) if (f.host) m.set(f.host, `${m.get(f.host) ?? ''} ⚠ ${f.code}`.trim());
  return m;
}

export class HostsTreeProvider implements vscode.TreeDataProvider<HostsTreeItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: HostsTreeItem[] = [];

  constructor(private readonly files: GeneratedFilesProvider, private readonly live?: HostsLive) {}

  async update(doc: vscode.TextDocument | undefined): Promise<void> {
    if (!doc || doc.languageId !== 'lvs') return;
    const r = await this.files.refresh(doc);
    this.roots = typeof r === 'string' ? [{ kind: 'message', text: r }] : r.map((cluster) => ({ kind: 'cluster', source: doc.uri, cluster }));
    this.changed.fire();
  }

  /** Draws the hosts again: a watch's snapshot came, or a watch stopped (its words go away). */
  redraw(): void {
    this.changed.fire();
  }

  getChildren(item?: HostsTreeItem): HostsTreeItem[] {
    if (!item) return this.roots;
    if (item.kind === 'cluster') {
      return [...new Set(item.cluster.files.map((f) => f.host))].map((host) => ({ kind: 'host', source: item.source, cluster: item.cluster, host }));
    }
    if (item.kind === 'host') {
      return item.cluster.files.filter((f) => f.host === item.host).map((f) => ({ kind: 'file', source: item.source, cluster: item.cluster.name, host: f.host, path: f.path, mode: f.mode }));
    }
    return [];
  }

  getTreeItem(item: HostsTreeItem): vscode.TreeItem {
    switch (item.kind) {
      case 'message':
        return new vscode.TreeItem(item.text);
      case 'cluster': {
        const t = new vscode.TreeItem(vscode.l10n.t('cluster {0}', item.cluster.name), vscode.TreeItemCollapsibleState.Expanded);
        t.iconPath = new vscode.ThemeIcon('server-environment');
        return t;
      }
      case 'host': {
        const t = new vscode.TreeItem(item.host, vscode.TreeItemCollapsibleState.Collapsed);
        t.iconPath = new vscode.ThemeIcon('server');
        const files = vscode.l10n.t('{0} files', item.cluster.files.filter((f) => f.host === item.host).length);
        const snap = this.live?.snapshotOf(item.source.fsPath, item.cluster.name);
        const live = snap && liveWords(snap).get(item.host);
        t.description = live ? `${live} · ${files}` : files;
        return t;
      }
      case 'file': {
        const t = new vscode.TreeItem(item.path, vscode.TreeItemCollapsibleState.None);
        t.iconPath = new vscode.ThemeIcon('file');
        t.description = item.mode.toString(8).padStart(4, '0');
        t.command = {
          command: 'vscode.open', title: vscode.l10n.t('Preview'),
          arguments: [GeneratedFilesProvider.uriFor(item.source, item.cluster, item.host, item.path), { preview: true }],
        };
        return t;
      }
    }
  }
}
