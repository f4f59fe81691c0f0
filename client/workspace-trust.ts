// Workspace trust: a cloned repository's .lvs files, settings and secret references are not the
// user's own until the user trusts the workspace. Every command that connects to a host, runs a
// script there, writes generated secrets or reads a secret source asks here first; this is the
// one place that refuses and says why.
import * as vscode from 'vscode';

// The client's parts are separate bundles (designer, deploy, generate): a module-level list would
// exist once per bundle, so the test record lives on globalThis under a registered symbol.
const RECORD = Symbol.for('lvs-dr-studio.trust-refusals');
type WithRecord = { [RECORD]?: string[] };

/**
 * True in a trusted workspace. Otherwise shows `refused` (the sentence that says why, in the
 * display language) with a Manage Workspace Trust button, unless `quiet` (the caller says it its
 * own way, in a log or a view), and returns false.
 */
export function requireTrust(refused: string, opts: { quiet?: boolean } = {}): boolean {
  if (vscode.workspace.isTrusted) return true;
  (globalThis as WithRecord)[RECORD]?.push(refused);
  if (!opts.quiet) {
    const manage = vscode.l10n.t('Manage Workspace Trust');
    void vscode.window.showErrorMessage(refused, manage).then((a) => a === manage && vscode.commands.executeCommand('workbench.trust.manage'));
  }
  return false;
}

/** Test mode only: from now on every refusal is kept; returns a reader of the refusals so far. */
export function recordTrustRefusals(): () => string[] {
  const g = globalThis as WithRecord;
  g[RECORD] ??= [];
  const list = g[RECORD];
  return () => [...list];
}
