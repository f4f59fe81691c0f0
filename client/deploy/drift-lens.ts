// The deploy/drift CodeLens on each `cluster` line: "Deploy" until a drift check ran for the
// document, then its outcome. The clusters come from the language server's outline.
import * as vscode from 'vscode';
import { ClusterOutlines, clusterLine } from '../cluster-outline';
import type { DriftState } from './drift';

export class DriftCodeLensProvider implements vscode.CodeLensProvider {
  /**
   * `stateOf`: the last drift check of a document (none before the deploy part is loaded);
   * `onDidChangeCodeLenses`: fires when a check has a new outcome.
   */
  constructor(
    private readonly stateOf: (uri: vscode.Uri) => DriftState | undefined,
    readonly onDidChangeCodeLenses: vscode.Event<void>,
    private readonly outlines: ClusterOutlines,
  ) {}

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const clusters = await this.outlines.orNone(doc);
    const state = this.stateOf(doc.uri);
    return clusters.map((c) => new vscode.CodeLens(clusterLine(c), state
      ? { title: state.inSync ? `$(pass) ${vscode.l10n.t('In sync')}` : `$(warning) ${state.text}`, command: 'lvs.checkDrift', arguments: [doc.uri] }
      : { title: `$(cloud-upload) ${vscode.l10n.t('Deploy')}`, command: 'lvs.deploy', arguments: [doc.uri] }));
  }
}
