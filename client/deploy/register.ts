// Wires deploy into VS Code: commands, plan diff documents, drift status and CodeLens.
import * as vscode from 'vscode';
import { ClusterOutlines } from '../cluster-outline';
import { DeployFlow, DeployOptions } from './deploy-flow';
import { DriftView } from './drift';
import { DriftCodeLensProvider } from './drift-lens';
import { offerRollbacks } from './interrupted-deploys';
import { PLAN_SCHEME } from './plan-view';

export function registerDeployFeatures(context: vscode.ExtensionContext, outlines: ClusterOutlines) {
  const flow = new DeployFlow(context, outlines);
  const drift = new DriftView(context, flow);
  context.subscriptions.push(
    flow.output,
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, flow.plans),
    vscode.languages.registerCodeLensProvider({ language: 'lvs' }, new DriftCodeLensProvider(drift, outlines)),
    vscode.commands.registerCommand('lvs.deploy', (arg?: unknown, opts?: DeployOptions) => flow.deploy(arg, opts ?? {})),
    vscode.commands.registerCommand('lvs.showDeployPlan', (arg?: unknown, opts?: DeployOptions) => flow.showPlan(arg, opts ?? {})),
    vscode.commands.registerCommand('lvs.rollbackLastDeploy', (arg?: unknown, opts?: DeployOptions) => flow.rollback(arg, opts ?? {})),
    vscode.commands.registerCommand('lvs.checkDrift', (arg?: unknown) => drift.check(arg)),
  );
  // Reading journals is local; the Roll Back it offers checks workspace trust itself.
  const interrupted = offerRollbacks(flow).catch(() => []);
  return { flow, drift, interrupted };
}
