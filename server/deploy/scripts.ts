// Running the generated scripts on a host: /opt/lvs/apply.sh, /opt/lvs/verify.sh, and for a
// rollback the kept copy of the new rollback.sh followed by the previous apply.sh.
// Each runs in its own session (setsid) whose id is written to the lock directory, so that a
// rollback after a lost connection can stop a script still running from the dropped session
// before it undoes anything (the script would otherwise race the rollback).
import { ExecResult } from './connection';
import { assertNoProblems, pathProblems } from './guard';
import { t } from '../shared/l10n/message';
import { sq } from '../shared/shell-quote';
import { LOCK_DIR, RemoteHost } from './remote';

/** A script running `sh SCRIPT` in a new session whose id goes to the lock directory. */
export function sessionScript(script: string): string {
  assertNoProblems(pathProblems(script, t`script`));
  return [
    `L=${sq(LOCK_DIR)}`,
    'if [ -d "$L" ]; then pidfile="$L/step.pid"; else pidfile=/dev/null; fi',
    'rc=0',
    `setsid -w sh -c 'echo $$ >"$1"; exec sh "$2"' lvsdr-step "$pidfile" ${sq(script)} </dev/null || rc=$?`,
    '[ "$pidfile" = /dev/null ] || rm -f "$pidfile"',
    'exit "$rc"',
  ].join('\n');
}

export function runScript(h: RemoteHost, script: string, timeoutMs?: number): Promise<ExecResult> {
  return h.run(sessionScript(script), timeoutMs);
}

/** Stops a script left running by a dropped connection (whole session), waiting up to ~10 s. */
export function stopOrphanScript(): string {
  return [
    `f=${sq(`${LOCK_DIR}/step.pid`)}`,
    '[ -f "$f" ] || exit 0',
    'p=""; read -r p <"$f" || true',
    'case "$p" in ""|*[!0-9]*) rm -f "$f"; exit 0 ;; esac',
    'if kill -0 "$p" 2>/dev/null; then',
    '  kill -TERM "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true',
    '  i=0',
    '  while kill -0 "$p" 2>/dev/null && [ "$i" -lt 10 ]; do sleep 1; i=$((i + 1)); done',
    '  kill -KILL "-$p" 2>/dev/null || true',
    '  echo "stopped: step session $p"',
    'fi',
    'rm -f "$f"',
  ].join('\n');
}
