// Drain or restore a real server from the designer: the preview (what will happen, on which
// target) in a modal, then `lvsdr drain|restore FILE SERVER --cluster C --target T --yes` with its
// output in the designer's log and a progress notification. The CLI does the work and writes the
// action journal (.lvs-deploy/actions.jsonl); the live overlay shows the outcome on its next refresh.
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { printable } from '../../server/protocol/printable';
import { eachLine } from '../stream-lines';

export interface ServerActionOptions {
  cli: string;
  file: string;
  cluster: string;
  target: string;
  /** The real server (drain, restore); none for a failover. */
  server: string;
  log: vscode.LogOutputChannel;
  /** Tests stand in for the click on the modal. */
  confirm?: (message: string, detail: string, button: string) => Thenable<string | undefined>;
}

const PREVIEW = {
  drain: (server: string) => `Weight 0 for ${server} in every service on every director: no new connections; the open ones go on. It stays drained (shown as drift, LVS510) until you restore it, even across a keepalived reload.`,
  restore: (server: string) => `${server} gets its weights from the file again on every director, and the drain record is removed.`,
  failover: () => 'keepalived stops on the director holding the VIPs, the backup takes them, then keepalived starts again and the master takes them back. A request loop through the VIP measures the longest time clients got no answer.',
};

export async function runServerAction(action: 'drain' | 'restore' | 'failover', o: ServerActionOptions): Promise<number | null> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(`${action === 'failover' ? 'A failover' : action === 'drain' ? 'Draining a real server' : 'Restoring a real server'} changes the running cluster: trust this workspace first.`);
    return null;
  }
  const button = action === 'drain' ? 'Drain' : action === 'restore' ? 'Restore' : 'Fail Over';
  const where = o.target === 'lab' ? 'the local lab' : 'its hosts';
  const confirm = o.confirm ?? ((m, d, b) => vscode.window.showWarningMessage(m, { modal: true, detail: d }, b));
  const question = action === 'failover' ? `Fail over the VIPs of cluster ${o.cluster} to the backup director and back, on ${where}?` : `${button} real server ${o.server} of cluster ${o.cluster} on ${where}?`;
  const answer = await confirm(question, PREVIEW[action](o.server), button);
  if (answer !== button) return null;
  const args = [o.cli, action, o.file, ...(action === 'failover' ? [] : [o.server]), '--cluster', o.cluster, '--target', o.target, '--yes', ...(action === 'drain' ? ['--no-wait'] : [])];
  o.log.info(`$ lvsdr ${args.slice(1).join(' ')}`);
  let last = '';
  const doing = action === 'drain' ? `draining ${o.server}` : action === 'restore' ? `restoring ${o.server}` : `failing over ${o.cluster}`;
  const code = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `LVS: ${doing} (${o.target})` }, () =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const each = (line: string) => {
        if (!line.trim()) return;
        last = printable(line);
        o.log.info(`${action} ${o.server}: ${last}`);
      };
      eachLine(child.stdout!, each);
      eachLine(child.stderr!, each);
      child.on('error', (e) => {
        last = `cannot run lvsdr: ${e.message}`;
      });
      child.on('close', (c) => resolve(c));
    }));
  const done = action === 'drain' ? `${o.server} is drained on ${where}: no new connections; restore it from the designer or with lvsdr restore.`
    : action === 'restore' ? `${o.server} is back in service on ${where}.` : `Failover of ${o.cluster} done: ${last}`;
  if (code === 0) void vscode.window.showInformationMessage(done);
  else void vscode.window.showErrorMessage(`${button} ${action === 'failover' ? o.cluster : o.server} failed: ${last || `lvsdr exited with ${code}`}`);
  return code;
}
