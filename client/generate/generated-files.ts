// Talks to the language server's `lvs/generate` request. The client never generates anything.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export interface GeneratedFileData {
  host: string;
  path: string;
  mode: number;
  /** Only in a preview's answer: a generation that writes never sends contents back. */
  content?: string;
}

export interface GeneratedClusterData {
  name: string;
  files: GeneratedFileData[];
  warnings: string[];
  /** When written: stale files removed and files left alone (relative to outDir). */
  removed?: string[];
  kept?: { path: string; reason: string }[];
}

export type GenerateResponse =
  | { ok: true; sourceName: string; clusters: GeneratedClusterData[] }
  | { ok: false; message: string; errors?: { line: number; column: number; code: string; message: string }[] };

export interface GenerateRequestOptions {
  cluster?: string;
  preview: boolean;
  /** `secret:NAME` values, each sealed with sealSecrets() (a plain value is refused). */
  secrets?: Record<string, string>;
  outDir?: string;
  /** The server refuses an outDir whose real path is not inside this folder's. */
  within?: string;
}

export async function requestGenerate(client: LanguageClient, doc: vscode.TextDocument, opts: GenerateRequestOptions): Promise<GenerateResponse> {
  return client.sendRequest<GenerateResponse>('lvs/generate', { uri: doc.uri.toString(), ...opts });
}

/**
 * The .lvs document a command should act on: its argument, else the active editor's, else a
 * visible one, else the workspace's .lvs file (asked which when there are several): a command
 * run from another editor or the palette still finds its file.
 */
export async function targetDocument(arg?: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : (arg as { uri?: unknown } | undefined)?.uri instanceof vscode.Uri ? (arg as { uri: vscode.Uri }).uri : undefined;
  if (uri) return vscode.workspace.openTextDocument(uri);
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'lvs') return active;
  const lvsEditor = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'lvs');
  if (lvsEditor) return lvsEditor.document;
  const picked = await pickLvsFile();
  return picked ? vscode.workspace.openTextDocument(picked) : undefined;
}

/** The workspace's .lvs file: the only one, or the one the user picks; says so when there is none. */
export async function pickLvsFile(): Promise<vscode.Uri | undefined> {
  const files = (await vscode.workspace.findFiles('**/*.lvs', '**/{node_modules,.git,.lvs-deploy}/**', 200))
    .sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  if (files.length === 1) return files[0];
  if (files.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No .lvs file in this workspace: create one (cluster NAME { … }) or open a folder that has one.'));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: vscode.l10n.t('Which .lvs file?') });
  return pick?.uri;
}

/** The server's refusal (already in the user's language) and its first errors, with this language's punctuation. */
export function describeFailure(r: Extract<GenerateResponse, { ok: false }>): string {
  const first = r.errors?.slice(0, 3).map((e) => vscode.l10n.t('line {0}: {1} {2}', e.line, e.code, e.message));
  return first?.length ? vscode.l10n.t('{0} {1}', r.message, first.reduce((a, b) => vscode.l10n.t('{0}; {1}', a, b))) : r.message;
}
