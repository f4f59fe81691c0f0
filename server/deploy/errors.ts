// Errors of the deploy engine. Every failure names the host and the step it happened in, so
// the CLI and the VS Code UI can say "web2: upload failed: …" without parsing messages.
import { Step } from './types';

export class DeployError extends Error {
  constructor(readonly host: string | undefined, readonly step: Step, readonly reason: string, readonly code = 'failed') {
    super(`${host ? `${host}: ` : ''}${step} failed: ${reason}`);
    this.name = 'DeployError';
  }
}

/** A value that must not reach a remote shell: refused before anything connects. */
export class GuardError extends Error {
  constructor(readonly problems: string[]) {
    super(`refused before connecting: ${problems.length === 1 ? problems[0] : `\n${problems.map((p) => `  - ${p}`).join('\n')}`}`);
    this.name = 'GuardError';
  }
}

/** The deploy was cancelled (AbortSignal). */
export class CancelledError extends Error {
  constructor(readonly host: string | undefined, readonly step: Step) {
    super(`cancelled${host ? ` at ${host}` : ''} during ${step}`);
    this.name = 'CancelledError';
  }
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
