// LVS: Import Existing Cluster… — from configuration files (keepalived.conf of each director, a
// saved `ipvsadm -Sn`) or from live hosts over SSH (refused in an untrusted workspace). Runs
// `lvsdr import` on the event channel (unknown host keys are asked as for a deploy) and opens the
// imported .lvs in a new, unsaved editor beside a report of what was inferred, noted or not
// expressible, each linking to its source line when the source is a local file. Nothing is
// written to disk until the user saves.
import * as vscode from 'vscode';
import type { ImportedJson } from '../../server/protocol/events';
import { printable } from '../../server/protocol/printable';
import type { DeployFlow } from '../deploy/deploy-flow';
import { failure } from '../deploy/deploy-flow';

/** What a command link or a test may pass instead of answering the dialogs. */
export interface ImportArgs {
  keepalived?: string[];
  ipvsadm?: string;
  /** USER@ADDR of each host to read over SSH. */
  ssh?: string[];
  key?: string;
  cluster?: string;
}

export interface ImportOutcome {
  document?: vscode.TextDocument;
  report?: vscode.TextDocument;
  error?: string;
}

export function importArgs(raw: unknown): ImportArgs {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const strings = (x: unknown) => (Array.isArray(x) && x.every((s) => typeof s === 'string') ? x as string[] : undefined);
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return { keepalived: strings(o.keepalived), ipvsadm: str(o.ipvsadm), ssh: strings(o.ssh), key: str(o.key), cluster: str(o.cluster) };
}

async function askFiles(): Promise<ImportArgs | undefined> {
  const keepalived = await vscode.window.showOpenDialog({ canSelectMany: true, title: vscode.l10n.t('keepalived.conf of each director (Cancel: none)'), openLabel: vscode.l10n.t('Import') });
  const ipvsadm = await vscode.window.showOpenDialog({ canSelectMany: false, title: vscode.l10n.t('The IPVS table as `ipvsadm -Sn` saved it (Cancel: none)'), openLabel: vscode.l10n.t('Import') });
  const args = { keepalived: keepalived?.map((u) => u.fsPath), ipvsadm: ipvsadm?.[0]?.fsPath };
  return args.keepalived?.length || args.ipvsadm ? args : undefined;
}

async function askHosts(): Promise<ImportArgs | undefined> {
  const hosts = await vscode.window.showInputBox({
    title: vscode.l10n.t('Import from live hosts (read-only commands over SSH)'),
    prompt: vscode.l10n.t('The directors (real servers are found in their IPVS table), as USER@ADDRESS, separated by spaces'),
    placeHolder: 'root@192.168.147.6 root@192.168.147.5', ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('at least one host')),
  });
  if (!hosts) return undefined;
  const key = await vscode.window.showInputBox({ title: vscode.l10n.t('SSH key file (empty: ~/.ssh/config, the agent, ~/.ssh/id_*)'), ignoreFocusOut: true });
  if (key === undefined) return undefined;
  return { ssh: hosts.trim().split(/\s+/), key: key.trim() || undefined };
}

/**
 * The report: one line per finding, a link to its source line when that is a local file. The
 * CLI runs in VS Code's language (client/lvsdr-env.ts), so a finding's `messageLocalized` is in it.
 */
function report(imported: ImportedJson): string {
  const kinds: Array<[ImportedJson['findings'][number]['kind'], string]> = [
    ['not-expressible', vscode.l10n.t('Not expressible (left out)')], ['inferred', vscode.l10n.t('Inferred')], ['note', vscode.l10n.t('Notes')],
  ];
  const out = [`# ${vscode.l10n.t('Import report')}`, ''];
  for (const [kind, title] of kinds) {
    const list = imported.findings.filter((f) => f.kind === kind);
    if (list.length === 0) continue;
    out.push(`## ${title}`, '');
    for (const f of list) {
      const where = f.file.startsWith('/') ? `[${f.file}:${f.line}](${vscode.Uri.file(f.file).with({ fragment: `L${f.line}` }).toString()})` : `${f.file}${f.line ? `:${f.line}` : ''}`;
      out.push(`- ${where}: ${printable(f.messageLocalized ?? f.message)}`);
    }
    out.push('');
  }
  if (imported.validation.length) {
    out.push(`## ${vscode.l10n.t('Checks of the imported file')}`, '');
    for (const v of imported.validation) out.push(`- ${vscode.l10n.t('line {0}: {1} {2}: {3}', v.line, v.severity, v.code, printable(v.messageLocalized ?? v.message))}`);
    out.push('');
  }
  if (out.length === 2) out.push(vscode.l10n.t('Everything was imported; nothing was inferred.'));
  return out.join('\n');
}

export async function importClusterCommand(flow: DeployFlow, raw?: unknown): Promise<ImportOutcome | undefined> {
  let a = importArgs(raw);
  if (!a.keepalived?.length && !a.ipvsadm && !a.ssh?.length) {
    const how = await vscode.window.showQuickPick([
      { label: `$(file) ${vscode.l10n.t('From configuration files')}`, description: vscode.l10n.t('keepalived.conf of each director, a saved ipvsadm -Sn'), live: false },
      { label: `$(remote) ${vscode.l10n.t('From live hosts')}`, description: vscode.l10n.t('read over SSH with read-only commands'), live: true },
    ], { title: vscode.l10n.t('Import an existing cluster') });
    if (!how) return undefined;
    const asked = how.live ? await askHosts() : await askFiles();
    if (!asked) return undefined;
    a = { ...asked, cluster: a.cluster };
  }
  if (a.ssh?.length && !flow.trusted(vscode.l10n.t('Importing from live hosts'))) return { error: 'untrusted workspace' };
  const args = ['import',
    ...(a.keepalived ?? []).flatMap((k) => ['--keepalived', k]), ...(a.ipvsadm ? ['--ipvsadm', a.ipvsadm] : []),
    ...(a.ssh ?? []).flatMap((h) => ['--ssh', h]), ...(a.key ? ['--key', a.key] : []), ...(a.cluster ? ['--cluster', a.cluster] : [])];
  const run = await flow.run('import', args, vscode.l10n.t('LVS: importing the cluster'), flow.questions({}));
  const imported = run.result?.imported;
  if (!imported) {
    const error = failure(run);
    void vscode.window.showErrorMessage(vscode.l10n.t('LVS import failed: {0}', error));
    return { error };
  }
  const document = await vscode.workspace.openTextDocument({ language: 'lvs', content: imported.text });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Active });
  const reportDoc = await vscode.workspace.openTextDocument({ language: 'markdown', content: report(imported) });
  await vscode.window.showTextDocument(reportDoc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  return { document, report: reportDoc };
}
