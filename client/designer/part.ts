// The designer's bundle (dist/client/designer.js), loaded on first use by register.ts: the
// custom editor provider with everything it needs.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DesignerProvider } from './provider';
import type { LiveSource } from '../live/live-source';

export function createDesigner(context: vscode.ExtensionContext, client: Promise<LanguageClient>, live: LiveSource): DesignerProvider {
  const log = vscode.window.createOutputChannel('LVS Designer', { log: true });
  const provider = new DesignerProvider(context.extensionUri, client, log, live);
  context.subscriptions.push(log, provider);
  return provider;
}
