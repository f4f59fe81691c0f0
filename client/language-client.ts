// Starts dist/server/server.js over IPC and registers it for .lvs documents. Built as its own
// bundle (dist/client/language-client.js), loaded once activate() has returned (activation.ts).
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { LSP_SEAL_KEY_ENV } from '../server/shared/sealed';

/** Node flags of the language server process (see test/lsp/lsp-client.ts for the same). */
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=32'];

/** `sealKey`: secret values sent to this server are sealed under it (server/shared/sealed.ts). */
export async function startLanguageClient(context: vscode.ExtensionContext, sealKey: Buffer): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server/server.js');
  // The seal key goes to the server through its environment, which the trace never shows.
  const env = { [LSP_SEAL_KEY_ENV]: sealKey.toString('hex') };
  const serverOptions: ServerOptions = {
    // Parsing a large file allocates many short-lived objects; a larger young generation
    // halves the garbage collector's share of validation time.
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV, env } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'], env } },
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
