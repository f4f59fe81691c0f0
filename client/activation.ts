// VS Code side of LVS-DR Studio: starts the language server and stays thin. Everything that
// understands .lvs text lives in server/ and is reached through the language client.
// Bundled as dist/client/activation.js, loaded by the entry point (client/extension.ts).
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { loadBundlePart } from './bundle-part';
import type * as LanguageClientPart from './language-client';
import { ClusterOutlines } from './cluster-outline';
import { registerClusterCodeLens } from './designer/codelens';
import type { DesignerApi } from './designer/provider';
import { registerDesigner } from './designer/register';
import { registerGenerateFeatures } from './generate/register';
import { DeployTestApi, registerDeployFeatures } from './deploy/register';
import { ClusterItem, registerClustersView } from './clusters-view';
import { registerExportAnsible } from './export/ansible-export';
import { registerLiveFeatures, serverAction } from './live/register';
import type { LiveActionRun } from './live/run-action';
import type { LiveKey } from './live/live-status';
import { registerNewCluster } from './new-cluster/register';
import { registerWalkthrough, Walkthrough } from './walkthrough';
import { newSealKey } from '../server/shared/sealed';
import { recordTrustRefusals } from './workspace-trust';

export interface LvsExtensionApi {
  /** Resolves when the language server is running (used by the integration tests). */
  ready: Promise<void>;
  /** The topology designer (driven by the real-VS-Code tests). */
  designer: DesignerApi;
  /** Start-up cost, printed by the bench (test/bench/extension-start.ts). */
  startup: StartupTimings;
  /** The deploy flow with its test-only options: present only when VS Code runs the extension's tests. */
  deployTesting?: DeployTestApi;
  /** The LVS Clusters view's rows and the text the tree shows for each: present only in test mode. */
  clustersTesting?: { clusters(): Promise<ClusterItem[]>; refresh(): void; shown(row: ClusterItem): { description: string; tooltip: string } };
  /** What the LVS Hosts view shows beside each host of a file: present only in test mode. */
  hostsTesting?: { hosts(uri: vscode.Uri): Promise<{ cluster: string; host: string; description: string }[]> };
  /** Live status started and stopped without its quick picks: present only in test mode. */
  liveTesting?: {
    watch(key: LiveKey): void;
    stop(key: LiveKey): void;
    /** The palette's drain or restore after its quick picks and modal (not clickable from a test). */
    act(action: 'drain' | 'restore', key: LiveKey, server: string): Thenable<LiveActionRun>;
  };
  /** The walkthrough's context keys set so far: present only in test mode. */
  walkthroughTesting?: Pick<Walkthrough, 'keys'>;
  /** What was refused for lack of workspace trust, in order: present only in test mode. */
  trustTesting?: { refusals(): string[] };
}

/**
 * Milliseconds of the extension's own start-up work. VS Code may call activate() a while after it
 * loaded the module (other extensions, its own start-up): that wait is not counted.
 */
export interface StartupTimings {
  /** Loading this bundle plus activate() up to its return. */
  activateMs: number;
  /** Loading this bundle plus activate() up to the language client running (undefined before). */
  serverReadyMs?: number;
  /** activateMs in parts, in order: `load` (this bundle), then each feature's registration. */
  phases: Record<string, number>;
}

/**
 * Starts the language client once activate() has returned: its bundle (dist/client/language-client.js,
 * vscode-languageclient) is most of the extension's code and would otherwise hold up VS Code's
 * activation of the extension. Everything that needs the client already waits for this promise.
 */
function startLanguageClientAfterActivation(context: vscode.ExtensionContext, sealKey: Buffer): Promise<LanguageClient> {
  return new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => loadBundlePart<typeof LanguageClientPart>('language-client').startLanguageClient(context, sealKey));
}

/** `loadMs`: how long the entry point took to load this bundle. */
export function activate(context: vscode.ExtensionContext, loadMs: number): LvsExtensionApi {
  const enter = performance.now();
  // Where activate()'s time goes, for the bench (each phase ends at its mark).
  const phases: Record<string, number> = { load: loadMs };
  let last = enter;
  const mark = (phase: string) => { const now = performance.now(); phases[phase] = now - last; last = now; };
  // Secret values cross the connection to the language server sealed under this key.
  const sealKey = newSealKey();
  const client = startLanguageClientAfterActivation(context, sealKey);
  const outlines = new ClusterOutlines(client);
  mark('client');
  const walkthrough = registerWalkthrough(context);
  mark('walkthrough');
  const deploy = registerDeployFeatures(context, outlines, walkthrough);
  mark('deploy');
  // One live status for the palette's command, the designer's Live toggle, the status bar and
  // both views; its actions answer the engine's questions with the deploy's dialogs.
  const live = registerLiveFeatures(context, outlines, deploy.questions);
  mark('live');
  const designer = registerDesigner(context, client, live);
  registerClusterCodeLens(context, outlines);
  mark('designer');
  const generated = registerGenerateFeatures(context, client, outlines, sealKey, live);
  mark('generate');
  const clusters = registerClustersView(context, client, deploy.drift, live);
  mark('views');
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const clustersTesting = testMode ? {
    clusters: () => clusters.clusters(), refresh: () => clusters.refresh(),
    shown: (row: ClusterItem) => {
      const t = clusters.getTreeItem(row);
      return { description: String(t.description ?? ''), tooltip: String(t.tooltip ?? '') };
    },
  } : undefined;
  const testLeases = new Map<string, vscode.Disposable>();
  const testLease = (key: LiveKey) => `${key.file}\n${key.cluster}\n${key.target}`;
  const liveTesting = testMode ? {
    watch: (key: LiveKey) => { if (!testLeases.has(testLease(key))) testLeases.set(testLease(key), live.watch(key)); },
    stop: (key: LiveKey) => { testLeases.get(testLease(key))?.dispose(); testLeases.delete(testLease(key)); },
    act: (action: 'drain' | 'restore', key: LiveKey, server: string) => serverAction(context, live, action, key, server),
  } : undefined;
  registerExportAnsible(context);
  registerNewCluster(context, client);
  mark('other');
  const startup: StartupTimings = { activateMs: loadMs + performance.now() - enter, phases };
  const ready = client.then(() => { startup.serverReadyMs = loadMs + performance.now() - enter; });
  const walkthroughTesting = testMode ? { keys: () => walkthrough.keys() } : undefined;
  const trustTesting = testMode ? { refusals: recordTrustRefusals() } : undefined;
  return { ready, designer, startup, deployTesting: deploy.testing, clustersTesting, hostsTesting: generated.testing, liveTesting, walkthroughTesting, trustTesting };
}

export function deactivate(): Thenable<void> | undefined {
  return undefined;
}
