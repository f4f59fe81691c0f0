// The live commands: LVS: Show Live Status, Drain Real Server…, Restore Real Server…,
// Controlled Failover. Each action says what it will do in a modal and runs `lvsdr drain|
// restore|failover … --yes` (the CLI appends it to the action journal); all of them connect to
// hosts, so they are refused in an untrusted workspace. They work without a .lvs editor: they
// ask which file and cluster.
import * as vscode from 'vscode';
import { ClusterOutlines } from '../cluster-outline';
import { targetDocument } from '../generate/generated-files';
import { LiveKey, LiveStatus } from './live-status';
import type { Answerer } from '../protocol/cli-runner';
import { requireTrust } from '../workspace-trust';
import { LiveActionRun, runLiveAction } from './run-action';

async function pickKey(outlines: ClusterOutlines, arg: unknown, live: LiveStatus): Promise<LiveKey | undefined> {
  const doc = await targetDocument(arg);
  if (!doc) return undefined;
  const clusters = await outlines.orNone(doc);
  const names = clusters.map((c) => c.name);
  const cluster = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { placeHolder: vscode.l10n.t('Which cluster?') });
  if (!cluster) return undefined;
  const watched = (['lab', 'hosts'] as const).find((t) => live.isWatching({ file: doc.uri.fsPath, cluster, target: t }));
  const target = watched ?? (await vscode.window.showQuickPick([
    { label: 'lab', description: vscode.l10n.t('the local lab (lvsdr lab up)'), value: 'lab' as const },
    { label: 'hosts', description: vscode.l10n.t('the hosts of the file, over SSH'), value: 'hosts' as const },
  ], { placeHolder: vscode.l10n.t('Where does {0} run?', cluster) }))?.value;
  return target ? { file: doc.uri.fsPath, cluster, target } : undefined;
}

/** The palette's actions run as the designer's do (run-action.ts), logged in the LVS Live log. */
function runAction(context: vscode.ExtensionContext, live: LiveStatus, title: string, args: string[]): Thenable<LiveActionRun> {
  return runLiveAction(context.asAbsolutePath('dist/server/cli.js'), title, args, (l) => live.output.appendLine(l), (log) => live.actionQuestions(log));
}

/** A drain or restore once the palette has its key, server and go-ahead (the test API runs it as well). */
export function serverAction(context: vscode.ExtensionContext, live: LiveStatus, action: 'drain' | 'restore', key: LiveKey, server: string): Thenable<LiveActionRun> {
  const title = action === 'drain' ? vscode.l10n.t('LVS: draining {0}', server) : vscode.l10n.t('LVS: restoring {0}', server);
  return runAction(context, live, title, [action, key.file, server, '--cluster', key.cluster, '--target', key.target]);
}

function failedExit(code: number | null): string {
  return vscode.l10n.t('failed (exit {0}); see the LVS Live log', String(code));
}

async function pickServer(outlines: ClusterOutlines, key: LiveKey, live: LiveStatus, drained: boolean | undefined): Promise<string | undefined> {
  const snap = live.last(key);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(key.file));
  const hosts = (await outlines.orNone(doc)).find((c) => c.name === key.cluster)?.hosts.filter((h) => h.kind === 'server').map((h) => h.name) ?? [];
  const items = hosts.map((name) => {
    const reals = snap?.services.flatMap((s) => s.reals.filter((r) => r.name === name)) ?? [];
    const state = reals.length === 0 ? '' : reals.some((r) => r.drained) ? vscode.l10n.t('drained') : reals.every((r) => r.inService) ? vscode.l10n.t('in service') : vscode.l10n.t('out of service');
    const active = reals.reduce((n, r) => n + r.active, 0);
    return { label: name, description: snap ? `${state}${reals.length ? vscode.l10n.t(', {0} active', active) : ''}` : undefined, drained: reals.some((r) => r.drained) };
  }).sort((a, b) => (drained === undefined ? 0 : Number(b.drained === drained) - Number(a.drained === drained)));
  return (await vscode.window.showQuickPick(items, { placeHolder: drained === false ? vscode.l10n.t('Which real server to drain?') : vscode.l10n.t('Which real server to restore?') }))?.label;
}

/** `questions`: how a live action answers the engine (the deploy's dialogs, client/deploy/register.ts). */
export function registerLiveFeatures(context: vscode.ExtensionContext, outlines: ClusterOutlines, questions: (log: (line: string) => void) => Answerer): LiveStatus {
  const live = new LiveStatus(context, questions);
  // The command's own leases (the designer holds its own): Stop releases only these.
  const leases = new Map<string, vscode.Disposable>();
  const leaseId = (k: LiveKey) => `${k.file}\n${k.cluster}\n${k.target}`;
  context.subscriptions.push(
    live,
    vscode.commands.registerCommand('lvs.showLiveStatus', async (arg?: unknown) => {
      if (!requireTrust(vscode.l10n.t('Live status connects to your hosts over SSH: trust this workspace to enable it.'))) return;
      const key = await pickKey(outlines, arg, live);
      if (!key) return;
      if (live.isWatching(key)) {
        const showLog = vscode.l10n.t('Show Log');
        const stop = vscode.l10n.t('Stop');
        const a = await vscode.window.showInformationMessage(vscode.l10n.t('Live status of {0} ({1}) is on.', key.cluster, key.target), showLog, stop);
        if (a === stop) {
          leases.get(leaseId(key))?.dispose();
          leases.delete(leaseId(key));
        }
        if (a === showLog) live.output.show();
        return;
      }
      const lease = live.watch(key);
      leases.get(leaseId(key))?.dispose();
      leases.set(leaseId(key), lease);
    }),
    vscode.commands.registerCommand('lvs.drainRealServer', async (arg?: unknown) => {
      if (!requireTrust(vscode.l10n.t('Draining a real server connects to your hosts over SSH: trust this workspace to enable it.'))) return;
      const key = await pickKey(outlines, arg, live);
      const server = key && await pickServer(outlines, key, live, false);
      if (!key || !server) return;
      const drain = vscode.l10n.t('Drain');
      const go = await vscode.window.showWarningMessage(vscode.l10n.t('Drain {0} of {1} ({2})?', server, key.cluster, key.target), {
        modal: true,
        detail: vscode.l10n.t('Its weight becomes 0 on every director: no new connections; existing ones go on and are waited for (up to 300 s). It stays drained — shown as a runtime override (LVS510) — until you restore it.'),
      }, drain);
      if (go !== drain) return;
      const r = await serverAction(context, live, 'drain', key, server);
      void (r.code === 0 ? vscode.window.showInformationMessage(r.summary || vscode.l10n.t('{0} drained', server))
        : vscode.window.showErrorMessage(vscode.l10n.t('Drain of {0}: {1}', server, r.summary || failedExit(r.code))));
    }),
    vscode.commands.registerCommand('lvs.restoreRealServer', async (arg?: unknown) => {
      if (!requireTrust(vscode.l10n.t('Restoring a real server connects to your hosts over SSH: trust this workspace to enable it.'))) return;
      const key = await pickKey(outlines, arg, live);
      const server = key && await pickServer(outlines, key, live, true);
      if (!key || !server) return;
      const restore = vscode.l10n.t('Restore');
      const go = await vscode.window.showWarningMessage(vscode.l10n.t('Restore {0} of {1} ({2})?', server, key.cluster, key.target), {
        modal: true, detail: vscode.l10n.t('It gets the weight the file gives it again, on every director, and the drain record is removed.'),
      }, restore);
      if (go !== restore) return;
      const r = await serverAction(context, live, 'restore', key, server);
      void (r.code === 0 ? vscode.window.showInformationMessage(r.summary || vscode.l10n.t('{0} restored', server))
        : vscode.window.showErrorMessage(vscode.l10n.t('Restore of {0}: {1}', server, r.summary || failedExit(r.code))));
    }),
    vscode.commands.registerCommand('lvs.controlledFailover', async (arg?: unknown) => {
      if (!requireTrust(vscode.l10n.t('A failover connects to your hosts over SSH: trust this workspace to enable it.'))) return;
      const key = await pickKey(outlines, arg, live);
      if (!key) return;
      const failOver = vscode.l10n.t('Fail Over and Back');
      const go = await vscode.window.showWarningMessage(vscode.l10n.t('Controlled failover of {0} ({1})?', key.cluster, key.target), {
        modal: true,
        detail: vscode.l10n.t('keepalived is stopped on the director holding the VIPs, so the backup takes them; then it is started again and takes them back. Requests through the VIP measure the gap a client sees.'),
      }, failOver);
      if (go !== failOver) return;
      const r = await runAction(context, live, vscode.l10n.t('LVS: failover of {0}', key.cluster), ['failover', key.file, '--cluster', key.cluster, '--target', key.target]);
      void (r.code === 0 ? vscode.window.showInformationMessage(r.summary) : vscode.window.showErrorMessage(vscode.l10n.t('Failover: {0}', r.summary || failedExit(r.code))));
    }),
  );
  return live;
}
