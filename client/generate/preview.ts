// Read-only virtual documents for generated files: `lvs-generated:/<cluster>/<host>/<path>?<source uri>`.
// Nothing is written to disk; secrets are placeholders (preview mode on the server).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { describeFailure, GeneratedClusterData, requestGenerate, targetDocument } from './generated-files';
import { PREVIEW_SCHEME } from './preview-scheme';

export class GeneratedFilesProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly cache = new Map<string, GeneratedClusterData[]>();

  constructor(private readonly client: Promise<LanguageClient>) {}

  async refresh(doc: vscode.TextDocument): Promise<GeneratedClusterData[] | string> {
    const r = await requestGenerate(await this.client, doc, { preview: true });
    if (!r.ok) return describeFailure(r);
    this.cache.set(doc.uri.toString(), r.clusters);
    return r.clusters;
  }

  static uriFor(source: vscode.Uri, cluster: string, host: string, path: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${cluster}/${host}${path}`, query: source.toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query);
    const doc = await vscode.workspace.openTextDocument(source);
    const clusters = await this.refresh(doc);
    if (typeof clusters === 'string') return `# ${clusters}\n`;
    const [, cluster, host, ...rest] = uri.path.split('/');
    const path = '/' + rest.join('/');
    const file = clusters.find((c) => c.name === cluster)?.files.find((f) => f.host === host && f.path === path);
    return file?.content !== undefined ? file.content : `# ${vscode.l10n.t('{0} is not generated for {1} in cluster {2}', path, host, cluster)}\n`;
  }
}

/** `LVS: Preview Generated Files`: pick a host's file and open it read-only. */
export async function previewCommand(provider: GeneratedFilesProvider, arg?: unknown): Promise<void> {
  const doc = await targetDocument(arg);
  if (!doc) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a .lvs file to preview its generated files.'));
    return;
  }
  const clusters = await provider.refresh(doc);
  if (typeof clusters === 'string') {
    void vscode.window.showErrorMessage(clusters);
    return;
  }
  const items = clusters.flatMap((c) => c.files.map((f) => ({ label: f.path, description: `${c.name} / ${f.host}`, cluster: c.name, file: f })));
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Preview a generated file'), matchOnDescription: true });
  if (!pick) return;
  const uri = GeneratedFilesProvider.uriFor(doc.uri, pick.cluster, pick.file.host, pick.file.path);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
