// The live commands: LVS: Show Live Status, Drain Real Server…, Restore Real Server…,
// Controlled Failover. Each action says what it will do in a modal and runs `lvsdr drain|
// restore|failover … --yes` (the CLI appends it to the action journal); all of them connect to
// hosts, so they are refused in an untrusted workspace. They work without a .lvs editor: they
// ask which file and cluster.
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { ClusterOutlines } from '../cluster-outline';
import { targetDocument } from '../generate/generated-files';
import { printable } from '../../server/protocol/printable';
import { LiveKey, LiveStatus } from './live-status';

async function pickKey(outlines: ClusterOutlines, arg: unknown, live: LiveStatus): Promise<LiveKey | undefined> {
  const doc = await targetDocument(arg);
  if (!doc) return undefined;
  const clusters = await outlines.orNone(doc);
  const names = clusters.map((c) => c.name);
  const cluster = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { placeHolder: 'Which cluster?' });
  if (!cluster) return undefined;
  const watched = (['lab', 'hosts'] as const).find((t) => live.isWatching({ file: doc.uri.fsPath, cluster, target: t }));
  const target = watched ?? (await vscode.window.showQuickPick([
    { label: 'lab', description: 'the local lab (lvsdr lab up)', value: 'lab' as const },
    { label: 'hosts', description: 'the hosts of the file, over SSH', value: 'hosts' as const },
  ], { placeHolder: `Where does ${cluster} run?` }))?.value;
  return target ? { file: doc.uri.fsPath, cluster, target } : undefined;
}

function trusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage(`${what} connects to your hosts over SSH: trust this workspace to enable it.`);
  return false;
}

/** Runs `lvsdr ARGS --yes` with its progress lines in a notification; resolves to exit code and stdout. */
function runAction(context: vscode.ExtensionContext, live: LiveStatus, title: string, args: string[]): Thenable<{ code: number | null; stdout: string }> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => new Promise((resolve) => {
    const child = spawn(process.execPath, [context.asAbsolutePath('dist/server/cli.js'), ...args, '--yes'], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      for (const line of d.split('\n').filter(Boolean)) {
        const text = printable(line.replace(/^lvsdr \w+: /, ''));
        live.output.appendLine(text);
        progress.report({ message: text });
      }
    });
    token.onCancellationRequested(() => child.kill('SIGINT'));
    child.on('close', (code) => resolve({ code, stdout: printable(stdout.trim()) }));
  }));
}

async function pickServer(outlines: ClusterOutlines, key: LiveKey, live: LiveStatus, drained: boolean | undefined): Promise<string | undefined> {
  const snap = live.last(key);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(key.file));
  const hosts = (await outlines.orNone(doc)).find((c) => c.name === key.cluster)?.hosts.filter((h) => h.kind === 'server').map((h) => h.name) ?? [];
  const items = hosts.map((name) => {
    const reals = snap?.services.flatMap((s) => s.reals.filter((r) => r.name === name)) ?? [];
    const state = reals.length === 0 ? '' : reals.some((r) => r.drained) ? 'drained' : reals.every((r) => r.inService) ? 'in service' : 'out of service';
    const active = reals.reduce((n, r) => n + r.active, 0);
    return { label: name, description: snap ? `${state}${reals.length ? `, ${active} active` : ''}` : undefined, drained: reals.some((r) => r.drained) };
  }).sort((a, b) => (drained === undefined ? 0 : Number(b.drained === drained) - Number(a.drained === drained)));
  return (await vscode.window.showQuickPick(items, { placeHolder: drained === false ? 'Which real server to drain?' : 'Which real server to restore?' }))?.label;
}

export function registerLiveFeatures(context: vscode.ExtensionContext, outlines: ClusterOutlines): LiveStatus {
  const live = new LiveStatus(context);
  context.subscriptions.push(
    live,
    vscode.commands.registerCommand('lvs.showLiveStatus', async (arg?: unknown) => {
      if (!trusted('Live status')) return;
      const key = await pickKey(outlines, arg, live);
      if (!key) return;
      if (live.isWatching(key)) {
        const a = await vscode.window.showInformationMessage(`Live status of ${key.cluster} (${key.target}) is on.`, 'Show Log', 'Stop');
        if (a === 'Stop') live.stop(key);
        if (a === 'Show Log') live.output.show();
        return;
      }
      live.watch(key);
    }),
    vscode.commands.registerCommand('lvs.drainRealServer', async (arg?: unknown) => {
      if (!trusted('Draining a real server')) return;
      const key = await pickKey(outlines, arg, live);
      const server = key && await pickServer(outlines, key, live, false);
      if (!key || !server) return;
      const go = await vscode.window.showWarningMessage(`Drain ${server} of ${key.cluster} (${key.target})?`, {
        modal: true,
        detail: `Its weight becomes 0 on every director: no new connections; existing ones go on and are waited for (up to 300 s). It stays drained — shown as a runtime override (LVS510) — until you restore it.`,
      }, 'Drain');
      if (go !== 'Drain') return;
      const r = await runAction(context, live, `LVS: draining ${server}`, ['drain', key.file, server, '--cluster', key.cluster, '--target', key.target]);
      void (r.code === 0 ? vscode.window.showInformationMessage(r.stdout || `${server} drained`) : vscode.window.showErrorMessage(`Drain of ${server}: ${r.stdout || `failed (exit ${r.code}); see the LVS Live log`}`));
    }),
    vscode.commands.registerCommand('lvs.restoreRealServer', async (arg?: unknown) => {
      if (!trusted('Restoring a real server')) return;
      const key = await pickKey(outlines, arg, live);
      const server = key && await pickServer(outlines, key, live, true);
      if (!key || !server) return;
      const go = await vscode.window.showWarningMessage(`Restore ${server} of ${key.cluster} (${key.target})?`, { modal: true, detail: 'It gets the weight the file gives it again, on every director, and the drain record is removed.' }, 'Restore');
      if (go !== 'Restore') return;
      const r = await runAction(context, live, `LVS: restoring ${server}`, ['restore', key.file, server, '--cluster', key.cluster, '--target', key.target]);
      void (r.code === 0 ? vscode.window.showInformationMessage(r.stdout || `${server} restored`) : vscode.window.showErrorMessage(`Restore of ${server}: ${r.stdout || `failed (exit ${r.code}); see the LVS Live log`}`));
    }),
    vscode.commands.registerCommand('lvs.controlledFailover', async (arg?: unknown) => {
      if (!trusted('A failover')) return;
      const key = await pickKey(outlines, arg, live);
      if (!key) return;
      const go = await vscode.window.showWarningMessage(`Controlled failover of ${key.cluster} (${key.target})?`, {
        modal: true,
        detail: 'keepalived is stopped on the director holding the VIPs, so the backup takes them; then it is started again and takes them back. Requests through the VIP measure the gap a client sees.',
      }, 'Fail Over and Back');
      if (go !== 'Fail Over and Back') return;
      const r = await runAction(context, live, `LVS: failover of ${key.cluster}`, ['failover', key.file, '--cluster', key.cluster, '--target', key.target]);
      void (r.code === 0 ? vscode.window.showInformationMessage(r.stdout) : vscode.window.showErrorMessage(`Failover: ${r.stdout || `failed (exit ${r.code}); see the LVS Live log`}`));
    }),
  );
  return live;
}
