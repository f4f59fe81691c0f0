// The deploy bundle (dist/client/deploy.js), loaded on first use by register.ts: the deploy flow
// (the `lvsdr` child and its event channel, questions, plan view), drift checks, and importing
// an existing cluster (which runs `lvsdr import` on the same channel).
import * as vscode from 'vscode';
import { ClusterOutlines } from '../cluster-outline';
import { DeployFlow } from './deploy-flow';
import { DriftView } from './drift';

export { importClusterCommand } from '../import/import-command';

export interface DeployPart {
  flow: DeployFlow;
  drift: DriftView;
}

/** `driftChanged` fires when a drift check has a new outcome (the CodeLens registered at activation listens). */
export function createDeploy(context: vscode.ExtensionContext, outlines: ClusterOutlines, driftChanged: vscode.EventEmitter<void>): DeployPart {
  const flow = new DeployFlow(context, outlines);
  const drift = new DriftView(context, flow);
  context.subscriptions.push(flow.output, drift.onDidChangeState(() => driftChanged.fire()));
  return { flow, drift };
}
