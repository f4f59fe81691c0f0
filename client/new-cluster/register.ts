// LVS: New Cluster…: the command, registered at activation; its dialog (part.ts) is loaded when it first runs.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LazyPart } from '../lazy-part';
import type * as NewClusterPart from './part';

export const NEW_CLUSTER_COMMAND = 'lvs.newCluster';

export function registerNewCluster(context: vscode.ExtensionContext, client: Promise<LanguageClient>): void {
  const part = new LazyPart<typeof NewClusterPart, typeof NewClusterPart.newCluster>('new-cluster', (e) => e.newCluster);
  context.subscriptions.push(vscode.commands.registerCommand(NEW_CLUSTER_COMMAND, (args?: unknown) => part.get()(client, args)));
}
