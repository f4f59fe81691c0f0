// "Generate configuration" and "Preview files" above each `cluster` line; the clusters come
// from the language server's outline.
import * as vscode from 'vscode';
import { ClusterOutlines, clusterLine } from '../cluster-outline';

export class GenerateCodeLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly outlines: ClusterOutlines) {}

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const lenses: vscode.CodeLens[] = [];
    for (const c of await this.outlines.orNone(doc)) {
      const range = clusterLine(c);
      lenses.push(new vscode.CodeLens(range, { title: `$(gear) ${vscode.l10n.t('Generate configuration')}`, command: 'lvs.generate', arguments: [doc.uri, c.name] }));
      lenses.push(new vscode.CodeLens(range, { title: `$(eye) ${vscode.l10n.t('Preview files')}`, command: 'lvs.previewGenerated', arguments: [doc.uri] }));
    }
    return lenses;
  }
}
