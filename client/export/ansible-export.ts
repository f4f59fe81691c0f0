// `LVS: Export to Ansible…`: asks for the output folder and runs the bundled CLI's
// `lvsdr export ansible FILE --out DIR [--cluster NAME]`; the CLI does the work (docs/ansible.md).
// The .lvs file is saved first: the CLI reads it from disk.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lvsdrEnv } from '../lvsdr-env';
import { printable } from '../../server/protocol/printable';
import { targetDocument } from '../generate/generated-files';

export interface ExportAnsibleResult {
  code: number | null;
  outDir: string;
  /** What the CLI printed: its summary (exit 0) or why it refused. */
  message: string;
}

/** Options a test (or another command) passes instead of asking. */
export interface ExportAnsibleOptions {
  outDir?: string;
  cluster?: string;
}

function runCli(context: vscode.ExtensionContext, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    // In VS Code desktop the extension host is Electron: run it as plain Node.
    const child = spawn(process.execPath, [context.asAbsolutePath('dist/server/cli.js'), ...args], {
      env: lvsdrEnv(vscode.env.language, process.env), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', (e) => { err += vscode.l10n.t('cannot run lvsdr: {0}', e.message); });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Options from a command argument: only string outDir and cluster are taken. */
export function exportOptions(value: unknown): ExportAnsibleOptions {
  const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return {
    ...(typeof o.outDir === 'string' && path.isAbsolute(o.outDir) ? { outDir: o.outDir } : {}),
    ...(typeof o.cluster === 'string' ? { cluster: o.cluster } : {}),
  };
}

export function registerExportAnsible(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('lvs.exportAnsible', (arg?: unknown, opts?: unknown) => exportAnsibleCommand(context, arg, exportOptions(opts))));
}

export async function exportAnsibleCommand(context: vscode.ExtensionContext, arg?: unknown, opts: ExportAnsibleOptions = {}): Promise<ExportAnsibleResult | undefined> {
  const doc = await targetDocument(arg);
  if (!doc || doc.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a saved .lvs file to export it to Ansible.'));
    return undefined;
  }
  let outDir = opts.outDir;
  if (!outDir) {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri ?? vscode.Uri.file(path.dirname(doc.uri.fsPath));
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: folder,
      openLabel: vscode.l10n.t('Export here'), title: vscode.l10n.t('Folder for the Ansible project (empty, or an earlier export)'),
    });
    if (!picked?.[0]) return undefined;
    outDir = picked[0].fsPath;
  }
  if (doc.isDirty && !(await doc.save())) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The .lvs file could not be saved: nothing was exported.'));
    return undefined;
  }
  const args = ['export', 'ansible', doc.uri.fsPath, '--out', outDir, ...(opts.cluster ? ['--cluster', opts.cluster] : [])];
  const r = await runCli(context, args);
  const message = printable((r.code === 0 ? r.out : r.err || r.out).trim());
  if (r.code === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Ansible: {0}', message), vscode.l10n.t('Open README')).then((a) => {
      if (a) void vscode.window.showTextDocument(vscode.Uri.file(path.join(outDir, 'README.md')));
    });
  } else {
    void vscode.window.showErrorMessage(vscode.l10n.t('Export to Ansible failed: {0}', message));
  }
  return { code: r.code, outDir, message };
}
