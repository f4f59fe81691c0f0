// The one way VS Code runs a live action (`lvsdr drain|restore|failover … --yes --events jsonl`),
// for the palette's commands (register.ts) and the designer's buttons (designer/server-action.ts):
// on the event channel (client/protocol/cli-runner.ts, loaded with the protocol part), the
// action's progress (a drain's "web1: 3 active connections after 4 s" while it waits for them
// to end) in a progress notification that can be cancelled (SIGINT: the CLI stops waiting and
// writes the journal), and in the caller's log. Nothing here reads the CLI's human text: the
// progress is the channel's log events, the outcome its result event. The engine's questions (an
// unknown host key, a repository's known_hosts, a secret, a key file's passphrase) are answered
// by the caller's `answer`: the deploy's own dialogs (client/deploy/questions.ts, RunQuestions,
// loaded with the deploy part on the first question), one set per run. The CLI does the work and
// keeps the journal.
import * as vscode from 'vscode';
import { printable } from '../../server/protocol/printable';
import { logEventLine } from '../deploy/progress-words';
import type { Answerer } from '../protocol/cli-runner';
import { protocol } from '../protocol/lazy';

export interface LiveActionRun {
  code: number | null;
  /** The CLI's one-line outcome (the result's summary, or why it failed), e.g. "web1 drained (no active connection after 3.1 s)". */
  summary: string;
  /** The last progress line, or why lvsdr could not run. */
  last: string;
  cancelled: boolean;
}

/**
 * Runs `lvsdr ARGS --yes --events jsonl` (`cli`: dist/server/cli.js) with its progress in a
 * cancellable notification; `questions` makes the answers of this run (its dialogs log to `log`).
 */
export function runLiveAction(cli: string, title: string, args: string[], log: (line: string) => void, questions: (log: (line: string) => void) => Answerer): Thenable<LiveActionRun> {
  log(`$ lvsdr ${args.join(' ')} --yes`);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    let last = '';
    const run = await protocol().runLvsdr(cli, [...args, '--yes'], {
      token,
      onEvent: (e) => {
        if (e.type !== 'log') return;
        last = printable(e.textLocalized ?? e.text);
        log(logEventLine(e, (m, ...args) => vscode.l10n.t(m, ...args)));
        progress.report({ message: last });
      },
      onLog: (line) => { if (line.trim()) log(line); },
      answer: questions(log),
    });
    const r = run.result;
    const summary = printable(r?.summary ?? r?.error?.messageLocalized ?? r?.error?.message ?? '');
    if (summary) log(summary);
    if (r?.journal) log(vscode.l10n.t('journal: {0}', printable(r.journal)));
    return { code: run.code, summary, last: last || (run.code === null ? vscode.l10n.t('lvsdr did not run') : ''), cancelled: run.cancelled };
  });
}
