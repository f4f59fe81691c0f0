// "Open Topology Designer" CodeLens on each `cluster` line. The cluster lines come from the
// language server's document symbols (top-level Namespace symbols): the client never parses.
import * as vscode from 'vscode';
import { OPEN_DESIGNER_COMMAND } from './provider';

export class ClusterCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Asks VS Code to re-query (e.g. once the language server is up). */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.getConfiguration('lvs', document.uri).get<boolean>('designer.codeLens', true)) return [];
    let symbols: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
    try {
      symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>('vscode.executeDocumentSymbolProvider', document.uri);
    } catch {
      return [];
    }
    if (!symbols || token.isCancellationRequested) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const s of symbols) {
      if (s.kind !== vscode.SymbolKind.Namespace) continue;
      const range = 'selectionRange' in s ? s.selectionRange : s.location.range;
      const line = new vscode.Range(range.start.line, 0, range.start.line, 0);
      lenses.push(new vscode.CodeLens(line, {
        title: '$(type-hierarchy) Open Topology Designer',
        tooltip: `Open the topology designer for cluster ${s.name} beside the text`,
        command: OPEN_DESIGNER_COMMAND,
        arguments: [document.uri, s.name],
      }));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerClusterCodeLens(context: vscode.ExtensionContext, clientReady: Promise<unknown>): void {
  const provider = new ClusterCodeLensProvider();
  context.subscriptions.push(
    provider,
    vscode.languages.registerCodeLensProvider({ language: 'lvs' }, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lvs.designer.codeLens')) provider.refresh();
    }),
  );
  void clientReady.then(() => provider.refresh(), () => undefined);
}
