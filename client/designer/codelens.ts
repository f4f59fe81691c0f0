// "Open Topology Designer" CodeLens on each `cluster` line. The clusters come from the language
// server's outline: the client never parses.
import * as vscode from 'vscode';
import { ClusterOutlines, clusterLine } from '../cluster-outline';
import { OPEN_DESIGNER_COMMAND } from './names';

export class ClusterCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly outlines: ClusterOutlines) {}

  /** Asks VS Code to re-query (e.g. when the setting changes). */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.getConfiguration('lvs', document.uri).get<boolean>('designer.codeLens', true)) return [];
    const clusters = await this.outlines.orNone(document);
    if (token.isCancellationRequested) return [];
    return clusters.map((c) => new vscode.CodeLens(clusterLine(c), {
      title: `$(type-hierarchy) ${vscode.l10n.t('Open Topology Designer')}`,
      tooltip: vscode.l10n.t('Open the topology designer for cluster {0} beside the text', c.name),
      command: OPEN_DESIGNER_COMMAND,
      arguments: [document.uri, c.name],
    }));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerClusterCodeLens(context: vscode.ExtensionContext, outlines: ClusterOutlines): void {
  const provider = new ClusterCodeLensProvider(outlines);
  context.subscriptions.push(
    provider,
    vscode.languages.registerCodeLensProvider({ language: 'lvs' }, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lvs.designer.codeLens')) provider.refresh();
    }),
  );
}
