// VS Code side of LVS-DR Studio: starts the language server and stays thin. Everything that
// understands .lvs text lives in server/ and is reached through the language client.
import * as vscode from 'vscode';
import { ClusterOutlines } from './cluster-outline';
import { startLanguageClient } from './language-client';
import { registerClusterCodeLens } from './designer/codelens';
import { DesignerApi, registerDesigner } from './designer/provider';
import { registerGenerateFeatures } from './generate/register';
import { registerDeployFeatures } from './deploy/register';

export interface LvsExtensionApi {
  /** Resolves when the language server is running (used by the integration tests). */
  ready: Promise<void>;
  /** The topology designer (driven by the real-VS-Code tests). */
  designer: DesignerApi;
}

export async function activate(context: vscode.ExtensionContext): Promise<LvsExtensionApi> {
  const client = startLanguageClient(context);
  const outlines = new ClusterOutlines(client);
  const designer = registerDesigner(context, client);
  registerClusterCodeLens(context, outlines);
  registerGenerateFeatures(context, client, outlines);
  registerDeployFeatures(context, outlines);
  return { ready: client.then(() => undefined), designer: designer.api() };
}

export function deactivate(): Thenable<void> | undefined {
  return undefined;
}
