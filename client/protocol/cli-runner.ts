// Runs the bundled `lvsdr` CLI (dist/server/cli.js) as a child process with the event channel
// (deploy, plan, rollback, drift, import; the live actions drain, restore and failover)
// on `--events jsonl` (server/protocol/events.ts): every stdout line is checked against the
// channel's schema, questions are answered on stdin, the result line is the outcome. Nothing
// here reads the CLI's human text: stderr only goes to the log, made printable. SSH is done by
// the engine with ssh2 — nothing here shells out to ssh.
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { lvsdrEnv } from '../lvsdr-env';
import { Answer, answerLine, ChannelEvent, EVENTS_VERSION, parseEvent, Question, ResultEvent } from '../../server/protocol/events';
import { printable } from '../../server/protocol/printable';
import { eachLine } from '../stream-lines';

export interface ChannelRun {
  code: number | null;
  /** The result line; absent when the CLI stopped without one (usage error, crash). */
  result?: ResultEvent;
  cancelled: boolean;
}

/** An answer without its version and id (the runner adds them). */
export type AnswerBody = Answer extends infer A ? A extends Answer ? Omit<A, 'v' | 'id'> : never : never;

/** Answers one question of the engine on the event channel. */
export type Answerer = (q: Question) => Promise<AnswerBody>;

export interface ChannelHandlers {
  /** begin, progress and log events as they arrive. */
  onEvent?(e: ChannelEvent): void;
  /** The answer to one question; the CLI asks the next only after this one is answered. */
  answer: Answerer;
  /** A line for the log (stderr of the CLI, lines that are not events). */
  onLog?(line: string): void;
  token?: vscode.CancellationToken;
  /** Extra environment for this run only. Never written anywhere. */
  env?: Record<string, string>;
}

/** `cli`: the extension's dist/server/cli.js. */
export function runLvsdr(cli: string, args: string[], h: ChannelHandlers): Promise<ChannelRun> {
  return new Promise((resolve) => {
    // In VS Code desktop the extension host is Electron: run it as plain Node.
    // Its own process group: closing or reloading the window must not kill a deploy before it
    // can roll back. It notices the window going away by the end of its stdin (parent-gone.ts).
    const child = spawn(process.execPath, [cli, ...args, '--events', 'jsonl'], {
      env: { ...lvsdrEnv(vscode.env.language, process.env), ...h.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let result: ResultEvent | undefined;
    let cancelled = false;
    child.stdin.on('error', () => { /* the CLI exited before reading an answer */ });
    eachLine(child.stdout, (line) => {
      if (!line.trim()) return;
      const parsed = parseEvent(line);
      if (!parsed.ok) {
        h.onLog?.(`(ignored a line of lvsdr that is not an event: ${parsed.error})`);
        return;
      }
      const e = parsed.value;
      if (e.type === 'result') result = e;
      else if (e.type === 'question') {
        void h.answer(e).then(
          (a) => child.stdin.write(answerLine({ ...a, v: EVENTS_VERSION, id: e.id } as Answer)),
          () => child.stdin.end(), // no answer: closing stdin refuses what is asked
        );
      } else h.onEvent?.(e);
    });
    eachLine(child.stderr, (line) => h.onLog?.(printable(line)));
    const sub = h.token?.onCancellationRequested(() => {
      cancelled = true;
      // SIGINT: the engine cancels, rolls back what it changed and exits 130.
      child.kill('SIGINT');
    });
    child.on('error', (e) => h.onLog?.(`cannot run lvsdr: ${e.message}`));
    child.on('close', (code) => {
      sub?.dispose();
      resolve({ code, result, cancelled });
    });
  });
}
