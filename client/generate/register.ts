// Wires the generation features into VS Code at activation: commands, CodeLens, preview scheme,
// hosts view. What they run is in its own bundle (part.ts), loaded when a command first runs,
// a preview opens or the hosts view is first shown.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClusterOutlines } from '../cluster-outline';
import { LazyPart } from '../lazy-part';
import { GenerateCodeLensProvider } from './codelens';
import type { HostsLive, HostsTreeItem } from './hosts-tree';
import type * as GenerateBundle from './part';
import { PREVIEW_SCHEME } from './preview-scheme';

interface Loaded { bundle: typeof GenerateBundle; part: GenerateBundle.GeneratePart }

export function registerGenerateFeatures(context: vscode.ExtensionContext, client: Promise<LanguageClient>, outlines: ClusterOutlines, sealKey: Buffer, live: HostsLive & { onDidChangeHealth: vscode.Event<void> }) {
  const hostsChanged = new vscode.EventEmitter<void>();
  const lazy = new LazyPart<typeof GenerateBundle, Loaded>('generate', (bundle) => ({ bundle, part: bundle.createGenerate(context, client, hostsChanged, live) }));
  // The hosts view follows the active .lvs editor once it has been shown (VS Code asks a view
  // for its children only while it is visible).
  const followEditor = (doc: vscode.TextDocument | undefined) => void lazy.ifLoaded()?.part.hosts.update(doc);
  const hostsView: vscode.TreeDataProvider<HostsTreeItem> = {
    onDidChangeTreeData: hostsChanged.event,
    getChildren: (item) => lazy.get().part.hosts.getChildren(item),
    getTreeItem: (item) => lazy.get().part.hosts.getTreeItem(item),
  };
  context.subscriptions.push(
    hostsChanged,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
      provideTextDocumentContent: (uri) => lazy.get().part.files.provideTextDocumentContent(uri),
    }),
    vscode.window.registerTreeDataProvider('lvs.hosts', hostsView),
    vscode.languages.registerCodeLensProvider({ language: 'lvs' }, new GenerateCodeLensProvider(outlines)),
    vscode.commands.registerCommand('lvs.generate', (arg?: unknown, cluster?: string) => lazy.get().bundle.generateCommand(context, client, outlines, sealKey, arg, cluster)),
    vscode.commands.registerCommand('lvs.previewGenerated', (arg?: unknown) => lazy.get().bundle.previewCommand(lazy.get().part.files, arg)),
    vscode.commands.registerCommand('lvs.refreshHosts', () => lazy.get().part.hosts.update(vscode.window.activeTextEditor?.document)),
    vscode.window.onDidChangeActiveTextEditor((e) => followEditor(e?.document)),
    vscode.workspace.onDidSaveTextDocument((d) => followEditor(d)),
  );
  // Live state beside each host: drawn again on each snapshot and when a watch stops, once the
  // view has been shown (its bundle loaded); a loaded view reads the running watches' snapshots.
  context.subscriptions.push(live.onDidChangeHealth(() => lazy.ifLoaded()?.part.hosts.redraw()));
  const testing = context.extensionMode === vscode.ExtensionMode.Test ? { hosts: (uri: vscode.Uri) => hostsShown(lazy.get().part.hosts, uri) } : undefined;
  return { testing };
}

/** What the hosts view shows for a file, host by host (the test-only API): label and description. */
async function hostsShown(hosts: GenerateBundle.GeneratePart['hosts'], uri: vscode.Uri): Promise<{ cluster: string; host: string; description: string }[]> {
  await hosts.update(await vscode.workspace.openTextDocument(uri));
  return hosts.getChildren().flatMap((c) => (c.kind !== 'cluster' ? [] : hosts.getChildren(c).flatMap((h) =>
    h.kind === 'host' ? [{ cluster: c.cluster.name, host: h.host, description: String(hosts.getTreeItem(h).description ?? '') }] : [])));
}
