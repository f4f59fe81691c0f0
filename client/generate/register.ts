// Wires the generation features into VS Code: commands, CodeLens, preview scheme, hosts view.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClusterOutlines } from '../cluster-outline';
import { GenerateCodeLensProvider } from './codelens';
import { generateCommand } from './generate-command';
import { HostsTreeProvider } from './hosts-tree';
import { GeneratedFilesProvider, PREVIEW_SCHEME, previewCommand } from './preview';

export function registerGenerateFeatures(context: vscode.ExtensionContext, client: Promise<LanguageClient>, outlines: ClusterOutlines, sealKey: Buffer) {
  const files = new GeneratedFilesProvider(client);
  const hosts = new HostsTreeProvider(files);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, files),
    vscode.window.registerTreeDataProvider('lvs.hosts', hosts),
    vscode.languages.registerCodeLensProvider({ language: 'lvs' }, new GenerateCodeLensProvider(outlines)),
    vscode.commands.registerCommand('lvs.generate', (arg?: unknown, cluster?: string) => generateCommand(context, client, outlines, sealKey, arg, cluster)),
    vscode.commands.registerCommand('lvs.previewGenerated', (arg?: unknown) => previewCommand(files, arg)),
    vscode.commands.registerCommand('lvs.refreshHosts', () => hosts.update(vscode.window.activeTextEditor?.document)),
    vscode.window.onDidChangeActiveTextEditor((e) => void hosts.update(e?.document)),
    vscode.workspace.onDidSaveTextDocument((d) => void hosts.update(d)),
  );
  void hosts.update(vscode.window.activeTextEditor?.document);
  return { files, hosts };
}
