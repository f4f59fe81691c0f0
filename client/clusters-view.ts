// The "LVS Clusters" view: every cluster of every .lvs file in the workspace, with its last drift
// check and, while live status watches it, its health. The list is the language server's answer
// to `lvs/workspaceClusters` (checked against its schema); drift states come from the drift
// checks run in this window, health from live status (the status bar's words). The list is
// reloaded when a .lvs file is created, changed, saved or deleted, when a folder is created (one
// moved in whole brings its files without an event of their own), and after each drift check;
// the rows are redrawn on every live snapshot and when a watch stops.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WorkspaceClusterFile } from '../server/protocol/workspace-clusters';
import { protocol } from './protocol/lazy';
import { walkReaches } from '../server/shared/lvs-files';
import type { DriftAccess } from './deploy/register';
import type { LiveHealth, LiveStatus } from './live/live-status';

/** One row of the view: a cluster of a file. */
export interface ClusterItem {
  uri: vscode.Uri;
  cluster: string;
  file: WorkspaceClusterFile;
  /** `in sync`, `drift on lab`, `drift check failed (hosts)`, or `not checked`, in the display language. */
  drift: string;
  /** What the drift words say, for the icon. */
  driftState: 'in sync' | 'drift' | 'not checked';
  /** The live health of each running watch of this cluster (none when live status is off). */
  health: LiveHealth[];
}

/** What the view reads of live status. */
export type LiveHealthAccess = Pick<LiveStatus, 'healthOf' | 'onDidChangeHealth'>;

export class ClustersView implements vscode.TreeDataProvider<ClusterItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private items: Promise<Omit<ClusterItem, 'health'>[]> | undefined;
  private lastError: string | undefined;

  constructor(private readonly client: Promise<LanguageClient>, private readonly drift: DriftAccess, private readonly live: LiveHealthAccess) {}

  refresh(): void {
    this.items = undefined;
    this.changed.fire();
  }

  /** Redraws the rows with the current live health, without asking the language server again. */
  redraw(): void {
    this.changed.fire();
  }

  /** Every cluster of every .lvs file under the workspace folders, in file order, with its health now. */
  async clusters(): Promise<ClusterItem[]> {
    this.items ??= this.load();
    return (await this.items).map((item) => ({ ...item, health: this.live.healthOf(item.uri.fsPath, item.cluster) }));
  }

  private async load(): Promise<Omit<ClusterItem, 'health'>[]> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    try {
      const answer = await protocol().workspaceClusters(await this.client, folders);
      this.lastError = answer.truncated ? vscode.l10n.t('only the first files are listed (too many .lvs files)') : undefined;
      return answer.files.flatMap((file) => file.clusters.map((c) => {
        const uri = vscode.Uri.parse(file.uri);
        const state = this.drift.stateOfCluster(uri, c.name);
        return {
          uri, cluster: c.name, file,
          drift: state ? (state.inSync ? vscode.l10n.t('in sync') : state.text) : vscode.l10n.t('not checked'),
          driftState: state ? (state.inSync ? 'in sync' : 'drift') : 'not checked',
        };
      }));
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      return [];
    }
  }

  async getChildren(element?: ClusterItem): Promise<ClusterItem[]> {
    return element ? [] : this.clusters();
  }

  getTreeItem(item: ClusterItem): vscode.TreeItem {
    const c = item.file.clusters.find((x) => x.name === item.cluster)!;
    const rel = vscode.workspace.asRelativePath(item.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
    const t = new vscode.TreeItem(item.cluster, vscode.TreeItemCollapsibleState.None);
    t.id = `${item.uri.toString()}#${item.cluster}`;
    const live = item.health.map((h) => vscode.l10n.t('live on {0}: {1}', h.target, h.text));
    t.description = [rel, item.file.errors ? vscode.l10n.t('{0} error(s)', item.file.errors) : item.drift, ...live].join(' · ');
    t.tooltip = [
      vscode.l10n.t('{0} in {1}: {2} director(s), {3} real server(s)', item.cluster, rel, c.directors, c.servers),
      vscode.l10n.t('drift: {0}', item.drift),
      ...live,
      ...(item.file.errors ? [vscode.l10n.t('the file has {0} error(s)', item.file.errors)] : []),
      ...(this.lastError ? [this.lastError] : []),
    ].join('\n');
    t.iconPath = new vscode.ThemeIcon(item.file.errors || item.health.some((h) => !h.ok) ? 'error'
      : item.driftState === 'in sync' ? 'pass' : item.driftState === 'not checked' ? 'circle-outline' : 'warning');
    t.contextValue = 'lvsCluster';
    t.resourceUri = item.uri;
    const r = c.nameRange;
    t.command = {
      command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [item.uri, { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) }],
    };
    return t;
  }
}

export function registerClustersView(context: vscode.ExtensionContext, client: Promise<LanguageClient>, drift: DriftAccess, live: LiveHealthAccess): ClustersView {
  const view = new ClustersView(client, drift, live);
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.lvs');
  // A folder that arrives whole (a checkout, an unzip, a move into the workspace) is reported as
  // one created folder, without the .lvs files inside it: a created folder reloads the list too.
  const created = vscode.workspace.createFileSystemWatcher('**/*', false, true, true);
  const refresh = () => view.refresh();
  let soon: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = () => {
    clearTimeout(soon);
    soon = setTimeout(refresh, 300);
  };
  const onCreated = async (uri: vscode.Uri) => {
    // A folder the language server's walk does not enter adds nothing to the list.
    if (uri.scheme !== 'file' || !walkReaches(vscode.workspace.asRelativePath(uri, false))) return;
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    if (stat && stat.type & vscode.FileType.Directory) refreshSoon();
  };
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('lvs.clusters', view),
    watcher, created,
    watcher.onDidCreate(refresh), watcher.onDidDelete(refresh), watcher.onDidChange(refresh),
    created.onDidCreate(onCreated),
    { dispose: () => clearTimeout(soon) },
    vscode.workspace.onDidSaveTextDocument((d) => { if (d.languageId === 'lvs') refresh(); }),
    vscode.workspace.onDidChangeWorkspaceFolders(refresh),
    drift.onDidChange(refresh),
    live.onDidChangeHealth(() => view.redraw()),
    vscode.commands.registerCommand('lvs.refreshClusters', refresh),
    vscode.commands.registerCommand('lvs.checkClusterDrift', (item?: ClusterItem) => (item ? drift.check({ uri: item.uri, cluster: item.cluster }) : drift.check())),
  );
  return view;
}
