// The journal of operator actions (drain, restore, failover): one JSON line per action in
// `.lvs-deploy/actions.jsonl` beside the deploy journals, appended, never rewritten. Deploy
// journals are `<id>.json` files; this file's name keeps it out of their listing.
import { appendFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { journalDirFor } from '../deploy/journal';

export interface ActionRecord {
  action: 'drain' | 'restore' | 'failover';
  cluster: string;
  target: 'lab' | 'hosts';
  source: string;
  server?: string;
  outcome: 'done' | 'timed-out' | 'failed' | 'declined';
  detail: string;
  startedAt: string;
  ms: number;
}

export function actionLogFile(lvsFile: string, dir?: string): string {
  return join(journalDirFor(lvsFile, dir), 'actions.jsonl');
}

export function logAction(file: string, r: ActionRecord): void {
  mkdirSync(join(file, '..'), { recursive: true });
  appendFileSync(file, JSON.stringify({ ...r, runner: { hostname: hostname(), pid: process.pid } }) + '\n', { mode: 0o600 });
}
