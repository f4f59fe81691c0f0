// The one way VS Code runs a live action (`lvsdr drain|restore|failover … --yes`), for the
// palette's commands (register.ts) and the designer's buttons (designer/server-action.ts): the
// CLI's progress lines (a drain's "web1: 3 active connections after 4 s" while it waits for
// them to end) in a progress notification that can be cancelled (SIGINT: the CLI stops waiting
// and writes the journal), and in the caller's log. The CLI does the work and keeps the journal.
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { lvsdrEnv } from '../lvsdr-env';
import { printable } from '../../server/protocol/printable';
import { eachLine } from '../stream-lines';

export interface LiveActionRun {
  code: number | null;
  /** The CLI's one-line outcome (stdout), e.g. "web1 drained (no active connection after 3.1 s)". */
  stdout: string;
  /** The last progress line, or why lvsdr could not run. */
  last: string;
  cancelled: boolean;
}

/** Runs `lvsdr ARGS --yes` (`cli`: dist/server/cli.js) with its progress in a cancellable notification. */
export function runLiveAction(cli: string, title: string, args: string[], log: (line: string) => void): Thenable<LiveActionRun> {
  log(`$ lvsdr ${args.join(' ')} --yes`);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
    new Promise<LiveActionRun>((resolve) => {
      const child = spawn(process.execPath, [cli, ...args, '--yes'], { env: lvsdrEnv(vscode.env.language, process.env), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let last = '';
      let cancelled = false;
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (d: string) => { stdout += d; });
      eachLine(child.stderr!, (line) => {
        if (!line.trim()) return;
        last = printable(line.replace(/^lvsdr \w+: /, ''));
        log(last);
        progress.report({ message: last });
      });
      child.on('error', (e) => { last = vscode.l10n.t('cannot run lvsdr: {0}', e.message); });
      const cancel = token.onCancellationRequested(() => { cancelled = true; child.kill('SIGINT'); });
      child.on('close', (code) => {
        cancel.dispose();
        const out = printable(stdout.trim());
        if (out) log(out);
        resolve({ code, stdout: out, last, cancelled });
      });
    }));
}
