// Public face of the deploy engine (no `vscode` import): the CLI and the VS Code client call
// these. Resolve a target from a .lvs file, then plan, deploy, roll back or check drift.
export type { ClusterTarget, DeployUi, EngineOptions, HostKeyQuestion, HostTarget, PlanResult, ProgressEvent, Step, StepState } from './types';
export { resolveTarget, type ResolveOptions } from './targets';
export { deploy, planDeploy, type DeployResult } from './engine';
export { rollbackLast, type RollbackResult } from './rollback';
export { drift, type DriftResult, type DriftFile } from './drift';
export { CancelledError, DeployError, GuardError } from './errors';
export { guardTarget } from './guard';
export { readJournals, journalDirFor, lastDeploy, type Journal } from './journal';
export { formatEvent } from './progress-text';
