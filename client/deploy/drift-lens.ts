// The deploy/drift CodeLens on each `cluster` line: "Deploy" until a drift check ran for the
// document, then its outcome. The clusters come from the language server's outline.
import * as vscode from 'vscode';
import { ClusterOutlines, clusterLine } from '../cluster-outline';
import { DriftView } from './drift';

export class DriftCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly drift: DriftView, private readonly outlines: ClusterOutlines) {
    this.onDidChangeCodeLenses = drift.onDidChangeState;
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const clusters = await this.outlines.orNone(doc);
    const state = this.drift.stateOf(doc.uri);
    return clusters.map((c) => new vscode.CodeLens(clusterLine(c), state
      ? { title: state.inSync ? '$(pass) In sync' : `$(warning) ${state.text}`, command: 'lvs.checkDrift', arguments: [doc.uri] }
      : { title: '$(cloud-upload) Deploy', command: 'lvs.deploy', arguments: [doc.uri] }));
  }
}
