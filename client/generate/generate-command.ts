// `LVS: Generate Configuration`: asks the server to generate and write every host's files into
// the workspace folder set by `lvs.generate.outputFolder` (default `generated/`).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClusterOutlines } from '../cluster-outline';
import { describeFailure, requestGenerate, targetDocument } from './generated-files';
import { seal } from '../../server/shared/sealed';
import { resolveSecrets, secretNames } from './secrets';
import { requireTrust } from '../workspace-trust';

export interface GenerateCommandResult {
  outDir: string;
  files: number;
  warnings: string[];
  kept: { path: string; reason: string }[];
}

export async function generateCommand(context: vscode.ExtensionContext, client: Promise<LanguageClient>, outlines: ClusterOutlines, sealKey: Buffer, arg?: unknown, cluster?: string): Promise<GenerateCommandResult | undefined> {
  if (!requireTrust(vscode.l10n.t('Generating writes files (with secret values) into the workspace: trust this workspace to enable it. Preview works without trust.'))) return undefined;
  const doc = await targetDocument(arg);
  if (!doc) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a .lvs file to generate its configuration.'));
    return undefined;
  }
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(vscode.l10n.t('Generating needs a local workspace folder to write into.'));
    return undefined;
  }
  const setting = vscode.workspace.getConfiguration('lvs', doc.uri).get<string>('generate.outputFolder', 'generated');
  // The server checks real paths (symlinks resolved) against the workspace folder and refuses
  // to write through a symlink; it answers why in r.message.
  const outDir = path.resolve(folder.uri.fsPath, setting);
  const only = typeof cluster === 'string' ? cluster : undefined;
  const secrets = await resolveSecrets(context.secrets, secretNames(await outlines.of(doc), only), true);
  // Sealed: the connection's trace (`lvs.trace.server`) prints every parameter.
  const sealed = Object.fromEntries(Object.entries(secrets).map(([name, value]) => [name, seal(sealKey, value)]));
  const r = await requestGenerate(await client, doc, { preview: false, secrets: sealed, outDir, within: folder.uri.fsPath, cluster: only });
  if (!r.ok) {
    void vscode.window.showErrorMessage(describeFailure(r), vscode.l10n.t('Show Problems')).then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return undefined;
  }
  const files = r.clusters.reduce((n, c) => n + c.files.length, 0);
  const warnings = r.clusters.flatMap((c) => c.warnings);
  const kept = r.clusters.flatMap((c) => c.kept ?? []);
  const hosts = r.clusters.reduce((n, c) => n + new Set(c.files.map((f) => f.host)).size, 0);
  // The reasons come from the server in the user's language; the list takes that language's punctuation.
  const shown = kept.slice(0, 3).map((k) => vscode.l10n.t('{0} ({1})', k.path, k.reason));
  const firstKept = shown.length ? shown.reduce((a, b) => vscode.l10n.t('{0}, {1}', a, b)) : '';
  const keptList = kept.length > 3 ? vscode.l10n.t('{0}, …', firstKept) : firstKept;
  const msg = vscode.l10n.t('Generated {0} files for {1} hosts into {2}/', files, hosts, path.relative(folder.uri.fsPath, outDir) || '.')
    + (warnings.length ? vscode.l10n.t(' ({0} secret(s) left as placeholders)', warnings.length) : '')
    + (kept.length === 1 ? vscode.l10n.t('; 1 other file left alone: {0}', keptList) : kept.length ? vscode.l10n.t('; {0} other files left alone: {1}', kept.length, keptList) : '');
  void vscode.window.showInformationMessage(msg, vscode.l10n.t('Reveal')).then((a) => {
    if (a) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(outDir));
  });
  return { outDir, files, warnings, kept };
}
