// The test's stand-in for the user's clicks on the deploy's dialogs (the deploy part's test API,
// setPrompts: modals and input boxes cannot be clicked from the extension host): each dialog is
// recorded with what it said, and answered by the given function, or fails the test.
import * as vscode from 'vscode';

/** The dialogs of client/deploy/prompts.ts, as the test API takes them. */
export interface Prompts {
  warning(message: string, detail: string, actions: string[]): Thenable<string | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
}

export interface Answers {
  warning: (message: string, detail: string, actions: string[]) => string | undefined;
  input: () => string | undefined;
  pick: (labels: string[]) => number | undefined;
}

/** Prompts that record what they were asked and answer from the given functions (or fail the test). */
export function recorder(answers: Partial<Answers>): { asked: Array<{ kind: string; text: string }>; prompts: Prompts } {
  const asked: Array<{ kind: string; text: string }> = [];
  const prompts: Prompts = {
    warning: async (message, detail, actions) => {
      asked.push({ kind: 'warning', text: `${message}\n${detail}` });
      if (!answers.warning) throw new Error(`unexpected dialog: ${message}`);
      return answers.warning(message, detail, actions);
    },
    input: async (o) => {
      asked.push({ kind: 'input', text: `${o.title ?? ''}\n${o.prompt ?? ''}\n${o.password ? 'password' : ''}` });
      if (!answers.input) throw new Error(`unexpected input box: ${o.title}`);
      return answers.input();
    },
    pick: async <T extends vscode.QuickPickItem>(items: T[], o: vscode.QuickPickOptions) => {
      asked.push({ kind: 'pick', text: `${o.title ?? ''}\n${items.map((i) => i.label).join('\n')}` });
      if (!answers.pick) throw new Error(`unexpected pick: ${o.title}`);
      const i = answers.pick(items.map((x) => x.label));
      return i === undefined ? undefined : items[i];
    },
  };
  return { asked, prompts };
}
