// The events the "Get Started with LVS-DR Studio" walkthrough (package.json contributes.walkthroughs)
// completes its steps on, as context keys: a .lvs file saved with no error, the local lab found up
// (LVS: Check Local Lab runs `lvsdr lab status`), a deploy that finished. The other steps complete
// on their commands (onCommand:lvs.newCluster, lvs.openDesigner, lvs.showLiveStatus).
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { lvsdrEnv } from './lvsdr-env';

export const WALKTHROUGH_KEYS = {
  cleanSave: 'lvs.walkthrough.cleanSave',
  labUp: 'lvs.walkthrough.labUp',
  deployed: 'lvs.walkthrough.deployed',
} as const;
export type WalkthroughKey = (typeof WALKTHROUGH_KEYS)[keyof typeof WALKTHROUGH_KEYS];

export interface Walkthrough {
  /** Sets a step's context key (once set it stays: a step, once done, is done). */
  reached(key: WalkthroughKey): void;
  /** The keys set so far (for the tests). */
  keys(): WalkthroughKey[];
}

/** True when `lvsdr lab status` finds a lab (exit 0); the CLI runs as plain Node, as for a deploy. */
function labIsUp(context: vscode.ExtensionContext): Promise<boolean> {
  const cli = context.asAbsolutePath('dist/server/cli.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'lab', 'status', '--json'], { env: lvsdrEnv(vscode.env.language, process.env), timeout: 30_000 }, (err) => resolve(!err));
  });
}

export function registerWalkthrough(context: vscode.ExtensionContext): Walkthrough {
  const set = new Set<WalkthroughKey>();
  const walkthrough: Walkthrough = {
    reached(key) {
      set.add(key);
      void vscode.commands.executeCommand('setContext', key, true);
    },
    keys: () => [...set],
  };
  context.subscriptions.push(
    vscode.workspace.onDidSaveTextDocument(async (doc) => {
      if (doc.languageId !== 'lvs') return;
      // Saving does not change the text: the diagnostics shown are the saved file's, once the
      // language server has read it (its symbols are there).
      const symbols = await vscode.commands.executeCommand<unknown[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      if (!symbols?.length) return;
      if (!vscode.languages.getDiagnostics(doc.uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error)) walkthrough.reached(WALKTHROUGH_KEYS.cleanSave);
    }),
    vscode.commands.registerCommand('lvs.checkLab', async () => {
      const up = await labIsUp(context);
      if (up) {
        walkthrough.reached(WALKTHROUGH_KEYS.labUp);
        void vscode.window.showInformationMessage(vscode.l10n.t('The local lab is up: deploy to it with LVS: Deploy Cluster… and the target "lab".'));
      } else {
        void vscode.window.showWarningMessage(vscode.l10n.t('No local lab is up. As root on Linux run: lvsdr lab up FILE (or npm start in the repository).'));
      }
      return up;
    }),
  );
  return walkthrough;
}
