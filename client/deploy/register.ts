// Wires deploy into VS Code at activation: commands (and LVS: Import Existing Cluster…, which
// shares the deploy's channel and questions), plan diff documents, drift CodeLens and the offer to
// roll back interrupted deploys. The flow itself is in its own bundle (part.ts), loaded
// when a command first runs.
import { Walkthrough, WALKTHROUGH_KEYS } from '../walkthrough';
import * as vscode from 'vscode';
import { ClusterOutlines } from '../cluster-outline';
import { LazyPart } from '../lazy-part';
import type { DeployFlow, DeployOptions } from './deploy-flow';
import type { DriftState } from './drift';
import { DriftCodeLensProvider } from './drift-lens';
import { findInterruptedDeploys, InterruptedDeploy, offerRollbacks } from './interrupted-deploys';
import type * as DeployBundle from './part';
import { PLAN_SCHEME } from './plan-scheme';
import type { RunQuestions } from './questions';
import type { Question } from '../../server/protocol/events';
import { Prompts, windowPrompts } from './prompts';

export function registerDeployFeatures(context: vscode.ExtensionContext, outlines: ClusterOutlines, walkthrough: Walkthrough) {
  const driftChanged = new vscode.EventEmitter<void>();
  const part = new LazyPart<typeof DeployBundle, DeployBundle.DeployPart & { bundle: typeof DeployBundle }>('deploy', (p) => ({ ...p.createDeploy(context, outlines, driftChanged), bundle: p }));
  const flow = () => part.get().flow;
  context.subscriptions.push(
    driftChanged,
    // Plans exist only once the flow has run, so an unloaded part has none to show.
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, {
      provideTextDocumentContent: (uri) => part.ifLoaded()?.flow.plans.provideTextDocumentContent(uri) ?? '',
    }),
    vscode.languages.registerCodeLensProvider({ language: 'lvs' }, new DriftCodeLensProvider((uri) => part.ifLoaded()?.drift.stateOf(uri), driftChanged.event, outlines)),
    vscode.commands.registerCommand('lvs.deploy', async (arg?: unknown, opts?: unknown) => {
      const outcome = await flow().deploy(arg, publicDeployOptions(opts));
      if (outcome?.code === 0) walkthrough.reached(WALKTHROUGH_KEYS.deployed);
      return outcome;
    }),
    vscode.commands.registerCommand('lvs.showDeployPlan', (arg?: unknown, opts?: unknown) => flow().showPlan(arg, publicDeployOptions(opts))),
    vscode.commands.registerCommand('lvs.rollbackLastDeploy', (arg?: unknown, opts?: unknown) => flow().rollback(arg, publicDeployOptions(opts))),
    vscode.commands.registerCommand('lvs.checkDrift', (arg?: unknown) => part.get().drift.check(arg)),
    vscode.commands.registerCommand('lvs.importCluster', (arg?: unknown) => part.get().bundle.importClusterCommand(flow(), arg)),
  );
  // Reading journals is local; the Roll Back it offers checks workspace trust itself.
  const interrupted = offerRollbacks((d) => void flow().rollback(d.lvsFile, { cluster: d.cluster, target: d.target }, d.id))
    .catch((): InterruptedDeploy[] => []);
  const testing = context.extensionMode === vscode.ExtensionMode.Test ? deployTestApi(flow, interrupted, context) : undefined;
  // What the LVS Clusters view (registered at activation) needs of drift checks, without loading the part.
  const drift: DriftAccess = {
    stateOfCluster: (uri, cluster) => part.ifLoaded()?.drift.stateOfCluster(uri, cluster),
    onDidChange: driftChanged.event,
    check: (arg) => part.get().drift.check(arg),
  };
  // A live action's run (drain, restore, failover) answers as a deploy does: the same dialogs,
  // one RunQuestions per run (a passphrase is asked once for all its hosts), the deploy part
  // loaded on the run's first question.
  const questions = (log: (line: string) => void) => {
    let run: RunQuestions | undefined;
    return (q: Question) => (run ??= flow().questions({}, log)).answer(q);
  };
  return { interrupted, testing, drift, questions };
}

/** Drift checks as the LVS Clusters view sees them: a cluster's last outcome, changes, a check. */
export interface DriftAccess {
  stateOfCluster(uri: vscode.Uri, cluster: string): DriftState | undefined;
  onDidChange: vscode.Event<void>;
  check(arg?: unknown): Promise<DriftState | undefined>;
}

/**
 * What a command link, a keybinding or another extension may pass to the deploy commands: the
 * cluster and the target. Nothing that answers for the user (confirmations, host keys) or
 * points at another known_hosts is taken from a command's arguments.
 */
export function publicDeployOptions(opts: unknown): DeployOptions {
  const o = (opts && typeof opts === 'object' ? opts : {}) as Record<string, unknown>;
  return {
    cluster: typeof o.cluster === 'string' ? o.cluster : undefined,
    target: o.target === 'lab' || o.target === 'hosts' ? o.target : undefined,
  };
}

/**
 * The deploy flow with every option, for the extension's own test suite only: returned from
 * activate() when VS Code runs the extension in test mode, never registered as a command.
 */
export interface DeployTestApi {
  deploy(arg: unknown, opts: DeployOptions): ReturnType<DeployFlow['deploy']>;
  showPlan(arg: unknown, opts: DeployOptions): ReturnType<DeployFlow['showPlan']>;
  rollback(arg: unknown, opts: DeployOptions, deployId?: string): ReturnType<DeployFlow['rollback']>;
  /** Stands in for the user at the deploy confirmation (the modal is not clickable from a test). */
  setConfirm(answer: DeployFlow['confirmDeploy']): void;
  /** Stands in for the user at the questions' dialogs (approvals, passphrase); undefined puts VS Code's back. */
  setPrompts(prompts: Prompts | undefined): void;
  /** The plan without showing it: the plan, or the error of the run. */
  plan(arg: unknown, opts: DeployOptions): ReturnType<DeployFlow['planOf']>;
  /** VS Code's workspace state of the extension (where approvals are remembered). */
  workspaceState: vscode.Memento;
  /** VS Code's secret storage of the extension (where a passphrase may be remembered). */
  secrets: vscode.SecretStorage;
  /** The interrupted deploys found at activation. */
  interrupted: Promise<InterruptedDeploy[]>;
  /** Looks for interrupted deploys again (what activation does before it offers Roll Back). */
  findInterrupted(): Promise<InterruptedDeploy[]>;
}

function deployTestApi(flow: () => DeployFlow, interrupted: Promise<InterruptedDeploy[]>, context: vscode.ExtensionContext): DeployTestApi {
  return {
    setPrompts: (prompts) => { flow().prompts = prompts ?? windowPrompts; },
    plan: (arg, opts) => flow().planOf(arg, opts),
    workspaceState: context.workspaceState,
    secrets: context.secrets,
    deploy: (arg, opts) => flow().deploy(arg, opts),
    showPlan: (arg, opts) => flow().showPlan(arg, opts),
    rollback: (arg, opts, id) => flow().rollback(arg, opts, id),
    setConfirm: (answer) => { flow().confirmDeploy = answer; },
    interrupted,
    findInterrupted: findInterruptedDeploys,
  };
}
