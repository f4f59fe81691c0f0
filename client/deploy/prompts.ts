// The dialogs a deploy run may open for the user: a modal warning (an approval), an input box
// (a passphrase) and a quick pick (remember it or not). One place, so that the extension's own
// test suite can stand in for the user's click through the test API (register.ts: present only
// when VS Code runs the extension's tests, never a command); everything else gets VS Code's own.
import * as vscode from 'vscode';

export interface Prompts {
  /** A modal warning; resolves to the action picked, or undefined (Cancel, Esc). */
  warning(message: string, detail: string, actions: string[]): Thenable<string | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
}

export const windowPrompts: Prompts = {
  warning: (message, detail, actions) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  input: (options) => vscode.window.showInputBox(options),
  pick: (items, options) => vscode.window.showQuickPick(items, options),
};
