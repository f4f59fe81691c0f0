// Starts dist/server/server.js over IPC and registers it for .lvs documents.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const config = vscode.workspace.getConfiguration('lvs');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'lvs' }],
    initializationOptions: { debounceMs: config.get<number>('validation.debounceMs', 150) },
    synchronize: { configurationSection: 'lvs' },
  };
  const client = new LanguageClient('lvs', 'LVS-DR Language Server', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return client;
}
