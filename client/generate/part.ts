// The generation bundle (dist/client/generate.js), loaded on first use by register.ts: the
// Generate command, the previews of generated files and the hosts view's contents.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { HostsLive, HostsTreeProvider } from './hosts-tree';
import { GeneratedFilesProvider } from './preview';

export { generateCommand } from './generate-command';
export { previewCommand } from './preview';

export interface GeneratePart {
  files: GeneratedFilesProvider;
  hosts: HostsTreeProvider;
}

/** `live`: each host's live state (live-status.ts). `hostsChanged` fires when the hosts view has new contents (the view registered at activation listens). */
export function createGenerate(context: vscode.ExtensionContext, client: Promise<LanguageClient>, hostsChanged: vscode.EventEmitter<void>, live: HostsLive): GeneratePart {
  const files = new GeneratedFilesProvider(client);
  const hosts = new HostsTreeProvider(files, live);
  context.subscriptions.push(hosts.onDidChangeTreeData(() => hostsChanged.fire()));
  void hosts.update(vscode.window.activeTextEditor?.document);
  return { files, hosts };
}
