// VS Code side of LVS-DR Studio: starts the language server and stays thin. Everything that
// understands .lvs text lives in server/ and is reached through the language client.
import * as vscode from 'vscode';
import { startLanguageClient } from './language-client';

export interface LvsExtensionApi {
  /** Resolves when the language server is running (used by the integration tests). */
  ready: Promise<void>;
}

export async function activate(context: vscode.ExtensionContext): Promise<LvsExtensionApi> {
  const client = startLanguageClient(context);
  return { ready: client.then(() => undefined) };
}

export function deactivate(): Thenable<void> | undefined {
  return undefined;
}
