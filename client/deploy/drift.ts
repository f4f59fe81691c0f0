// LVS: Check Drift — remote files vs what the file generates now, shown in the status bar and
// (drift-lens.ts) as a CodeLens on the cluster line.
import * as vscode from 'vscode';
import { targetDocument } from '../generate/generated-files';
import { ChannelRun } from '../protocol/cli-runner';
import { DeployFlow, failure } from './deploy-flow';
import { requireTrust } from '../workspace-trust';

export interface DriftState {
  inSync: boolean;
  text: string;
  at: Date;
}

export class DriftView {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 20);
  private readonly states = new Map<string, DriftState>();
  /** The last outcome per cluster (`uri#cluster`), for the LVS Clusters view. */
  private readonly clusterStates = new Map<string, DriftState>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a drift check has a new outcome. */
  readonly onDidChangeState = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly flow: DeployFlow) {
    this.item.command = 'lvs.checkDrift';
    context.subscriptions.push(this.item);
  }

  async check(arg?: unknown): Promise<DriftState | undefined> {
    if (!requireTrust(vscode.l10n.t('Drift checks connect to your hosts over SSH: trust this workspace to enable them.'))) return undefined;
    const doc = await targetDocument(arg);
    if (!doc) return undefined;
    const key = doc.uri.toString();
    const last = this.flow.lastTarget.get(key);
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
    // A cluster named by the caller (the LVS Clusters view) comes first.
    const asked = (arg as { cluster?: unknown } | undefined)?.cluster;
    const cluster = (typeof asked === 'string' ? asked : undefined) ?? last?.cluster ?? symbols.find((s) => s.kind === vscode.SymbolKind.Namespace)?.name;
    if (!cluster) return undefined;
    const target = last?.target ?? 'lab';
    const args = ['drift', doc.uri.fsPath, '--target', target, '--cluster', cluster];
    this.item.text = `$(sync~spin) ${vscode.l10n.t('LVS drift…')}`;
    this.item.show();
    // The user asked for this check: a secret that is neither in the environment nor remembered
    // is asked for (in one input flow), an unknown host key shown, as for a deploy.
    const run = await this.flow.run('drift', args, vscode.l10n.t('LVS: checking drift of {0} ({1})', cluster, target), this.flow.questions({}), false, vscode.ProgressLocation.Window);
    const result = run.result;
    const state: DriftState = result?.outcome === 'in-sync'
      ? { inSync: true, text: vscode.l10n.t('in sync with {0}', target), at: new Date() }
      : { inSync: false, text: result?.outcome === 'drift' ? vscode.l10n.t('drift on {0}', target) : vscode.l10n.t('drift check failed ({0})', target), at: new Date() };
    this.states.set(key, state);
    this.clusterStates.set(`${key}#${cluster}`, state);
    this.item.text = state.inSync ? `$(pass) ${vscode.l10n.t('LVS {0}: in sync', cluster)}` : `$(warning) LVS ${cluster}: ${state.text}`;
    const failed = result?.outcome !== 'in-sync' && result?.outcome !== 'drift';
    this.item.tooltip = `${failed ? vscode.l10n.t('The check failed: ') : ''}${driftDetail(run)}\n${vscode.l10n.t('Checked {0} — click to check again', state.at.toLocaleTimeString(vscode.env.language))}`;
    this.changed.fire();
    if (failed) {
      const again = vscode.l10n.t('Check Again');
      const openLog = vscode.l10n.t('Open Log');
      void vscode.window.showErrorMessage(vscode.l10n.t('Drift check of {0} ({1}) failed: {2}', cluster, target, failure(run)), again, openLog).then((a) => {
        if (a === again) void this.check({ uri: doc.uri, cluster });
        if (a === openLog) this.flow.output.show();
      });
    }
    return state;
  }

  /** The last drift check of one cluster of a document, if any. */
  stateOfCluster(uri: vscode.Uri, cluster: string): DriftState | undefined {
    return this.clusterStates.get(`${uri.toString()}#${cluster}`);
  }

  /** The last drift check of the document, if any. */
  stateOf(uri: vscode.Uri): DriftState | undefined {
    return this.states.get(uri.toString());
  }
}

/** The tooltip's account of a drift check: each host's differing files, or why it failed. */
function driftDetail(run: ChannelRun): string {
  const drift = run.result?.drift;
  if (!drift) return failure(run);
  const lines = drift.hosts.map((h) => {
    const bad = h.files.filter((f) => f.status !== 'in-sync');
    const cause = (c: string) => (c === 'host' ? vscode.l10n.t('changed by hand on the host') : c === 'file' ? vscode.l10n.t('changed by the .lvs file') : vscode.l10n.t('changed by unknown'));
    return `${h.name}: ${bad.length ? bad.map((f) => `${f.path} ${f.status}${f.cause ? ` (${cause(f.cause)})` : ''}`).join(', ') : vscode.l10n.t('in sync')}`;
  });
  return lines.join('\n').slice(0, 800);
}
