// Starts dist/server/server.js over IPC and registers it for .lvs documents. Built as its own
// bundle (dist/client/language-client.js), loaded once activate() has returned (activation.ts).
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { LSP_SEAL_KEY_ENV, newSealKey, seal } from '../server/shared/sealed';

/** Each started client's seal key: secret values sent to its server are sealed under it. */
const sealKeys = new WeakMap<LanguageClient, Buffer>();

/** Secret values sealed for the client's server (the trace of the connection shows only ciphertext). */
export function sealSecrets(client: LanguageClient, secrets: Record<string, string>): Record<string, string> {
  const key = sealKeys.get(client);
  if (!key) throw new Error('the language client was not started with a seal key');
  return Object.fromEntries(Object.entries(secrets).map(([name, value]) => [name, seal(key, value)]));
}

/** Node flags of the language server process (see test/lsp/lsp-client.ts for the same). */
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=32'];

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server/server.js');
  // The seal key goes to the server through its environment, which the trace never shows.
  const key = newSealKey();
  const env = { [LSP_SEAL_KEY_ENV]: key.toString('hex') };
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
  sealKeys.set(client, key);
  context.subscriptions.push(client);
  await client.start();
  return client;
}
