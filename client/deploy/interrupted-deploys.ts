// On opening a workspace: a deploy journal left at `running` by a process that is gone (the
// window closed or crashed before the engine could roll back, the machine rebooted) means hosts
// may be half-applied. Says so and offers Roll Back (`lvsdr rollback --deploy ID`). Journals are
// untrusted input: only one whose .lvs file sits beside its .lvs-deploy folder is offered.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { protocol } from '../protocol/lazy';
import { isInterrupted } from '../../server/shared/run-liveness';

export interface InterruptedDeploy {
  id: string;
  cluster: string;
  target: 'lab' | 'hosts';
  lvsFile: vscode.Uri;
  journal: vscode.Uri;
}

/** Interrupted deploys in the workspace's journals (at most 200 journals are read). */
export async function findInterruptedDeploys(): Promise<InterruptedDeploy[]> {
  const found: InterruptedDeploy[] = [];
  for (const uri of await vscode.workspace.findFiles('**/.lvs-deploy/*.json', '**/node_modules/**', 200)) {
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
    } catch {
      continue;
    }
    const checked = protocol().journalHeader(raw);
    if (!checked.ok || checked.value.kind !== 'deploy') continue;
    const j = checked.value;
    const beside = path.dirname(path.dirname(uri.fsPath));
    if (path.dirname(j.source) !== beside || !j.source.endsWith('.lvs') || `${j.id}.json` !== path.basename(uri.fsPath)) continue;
    if (!isInterrupted(j)) continue;
    found.push({ id: j.id, cluster: j.cluster, target: j.target, lvsFile: vscode.Uri.file(j.source), journal: uri });
  }
  return found;
}

/** Shows one warning per interrupted deploy, each with Roll Back (`rollBack`) and Open Journal. */
export async function offerRollbacks(rollBack: (d: InterruptedDeploy) => void): Promise<InterruptedDeploy[]> {
  const list = await findInterruptedDeploys();
  for (const d of list) {
    const name = vscode.workspace.asRelativePath(d.lvsFile);
    const rollBackAction = vscode.l10n.t('Roll Back');
    const openJournal = vscode.l10n.t('Open Journal');
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Deploy {0} of cluster {1} ({2}, {3}) was interrupted: its process is gone and it did not finish or roll back. Hosts may be half-applied.', d.id, d.cluster, d.target, name),
      rollBackAction, openJournal,
    ).then((a) => {
      if (a === rollBackAction) rollBack(d);
      if (a === openJournal) void vscode.window.showTextDocument(d.journal);
    });
  }
  return list;
}
