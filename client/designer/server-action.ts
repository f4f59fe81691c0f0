// Drain or restore a real server, or fail over, from the designer: the preview (what will happen,
// on which target) in a modal, then `lvsdr drain|restore FILE SERVER --cluster C --target T --yes`
// run as the palette's commands run it (live/run-action.ts): a drain waits for the active
// connections to end, with progress and cancel in the notification; the output in the designer's log. The CLI does the work and writes the
// action journal (.lvs-deploy/actions.jsonl); the live overlay shows the outcome on its next refresh.
// The engine's questions (host key, passphrase, secret) get the deploy's dialogs, as on the palette.
import * as vscode from 'vscode';
import { requireTrust } from '../workspace-trust';
import type { Answerer } from '../protocol/cli-runner';
import { runLiveAction } from '../live/run-action';

export interface ServerActionOptions {
  cli: string;
  file: string;
  cluster: string;
  target: string;
  /** The real server (drain, restore); none for a failover. */
  server: string;
  log: vscode.LogOutputChannel;
  /** The answers of this run to the engine's questions (LiveSource.actionQuestions: the deploy's dialogs). */
  questions: (log: (line: string) => void) => Answerer;
  /** Tests stand in for the click on the modal. */
  confirm?: (message: string, detail: string, button: string) => Thenable<string | undefined>;
}

const PREVIEW = {
  drain: (server: string) => vscode.l10n.t('Weight 0 for {0} in every service on every director: no new connections; the open ones go on. It stays drained (shown as drift, LVS510) until you restore it, even across a keepalived reload.', server),
  restore: (server: string) => vscode.l10n.t('{0} gets its weights from the file again on every director, and the drain record is removed.', server),
  failover: () => vscode.l10n.t('keepalived stops on the director holding the VIPs, the backup takes them, then keepalived starts again and the master takes them back. A request loop through the VIP measures the longest time clients got no answer.'),
};

export async function runServerAction(action: 'drain' | 'restore' | 'failover', o: ServerActionOptions): Promise<number | null> {
  if (!requireTrust(action === 'failover' ? vscode.l10n.t('A failover changes the running cluster: trust this workspace first.')
    : action === 'drain' ? vscode.l10n.t('Draining a real server changes the running cluster: trust this workspace first.')
      : vscode.l10n.t('Restoring a real server changes the running cluster: trust this workspace first.'))) return null;
  const button = action === 'drain' ? vscode.l10n.t('Drain') : action === 'restore' ? vscode.l10n.t('Restore') : vscode.l10n.t('Fail Over');
  const lab = o.target === 'lab';
  const confirm = o.confirm ?? ((m, d, b) => vscode.window.showWarningMessage(m, { modal: true, detail: d }, b));
  const question = action === 'failover'
    ? (lab ? vscode.l10n.t('Fail over the VIPs of cluster {0} to the backup director and back, on the local lab?', o.cluster)
      : vscode.l10n.t('Fail over the VIPs of cluster {0} to the backup director and back, on its hosts?', o.cluster))
    : action === 'drain'
      ? (lab ? vscode.l10n.t('Drain real server {0} of cluster {1} on the local lab?', o.server, o.cluster)
        : vscode.l10n.t('Drain real server {0} of cluster {1} on its hosts?', o.server, o.cluster))
      : (lab ? vscode.l10n.t('Restore real server {0} of cluster {1} on the local lab?', o.server, o.cluster)
        : vscode.l10n.t('Restore real server {0} of cluster {1} on its hosts?', o.server, o.cluster));
  const answer = await confirm(question, PREVIEW[action](o.server), button);
  if (answer !== button) return null;
  // The palette's path (live/run-action.ts): a drain waits for the server's active connections to
  // reach 0 (or the CLI's timeout), its progress in the notification, which can cancel it.
  const args = [action, o.file, ...(action === 'failover' ? [] : [o.server]), '--cluster', o.cluster, '--target', o.target];
  const doing = action === 'drain' ? vscode.l10n.t('LVS: draining {0} ({1})', o.server, o.target)
    : action === 'restore' ? vscode.l10n.t('LVS: restoring {0} ({1})', o.server, o.target) : vscode.l10n.t('LVS: failing over {0} ({1})', o.cluster, o.target);
  const run = await runLiveAction(o.cli, doing, args, (l) => o.log.info(`${action} ${action === 'failover' ? o.cluster : o.server}: ${l}`), o.questions);
  const code = run.code;
  const last = run.summary || run.last;
  const done = action === 'drain'
    ? (lab ? vscode.l10n.t('{0} is drained on the local lab: no new connections; restore it from the designer or with lvsdr restore.', o.server)
      : vscode.l10n.t('{0} is drained on its hosts: no new connections; restore it from the designer or with lvsdr restore.', o.server))
    : action === 'restore'
      ? (lab ? vscode.l10n.t('{0} is back in service on the local lab.', o.server) : vscode.l10n.t('{0} is back in service on its hosts.', o.server))
      : vscode.l10n.t('Failover of {0} done: {1}', o.cluster, last);
  if (code === 0) void vscode.window.showInformationMessage(done);
  else void vscode.window.showErrorMessage(vscode.l10n.t('{0} {1} failed: {2}', button, action === 'failover' ? o.cluster : o.server, last || vscode.l10n.t('lvsdr exited with {0}', String(code))));
  return code;
}
