// The engine's steps, step states and outcomes as a person reads them (the CLI's progress lines,
// errors and summaries). Each English source is the code itself, so English text reads exactly as
// the codes that --events jsonl, --json and the journal carry; other languages get a word for it.
import type { Step, StepState } from '../protocol/events';
import type { HostOutcome, Outcome } from './journal';
import { Msg, t } from '../shared/l10n/message';

export const STEP_WORDS: Record<Step, Msg> = {
  resolve: t`resolve`,
  connect: t`connect`,
  preflight: t`preflight`,
  lock: t`lock`,
  read: t`read`,
  plan: t`plan`,
  drain: t`drain`,
  hold: t`hold`,
  backup: t`backup`,
  upload: t`upload`,
  bridge: t`bridge`,
  apply: t`apply`,
  verify: t`verify`,
  settle: t`settle`,
  release: t`release`,
  restore: t`restore`,
  rollback: t`rollback`,
  unlock: t`unlock`,
  probe: t`probe`,
  journal: t`journal`,
};

export const STATE_WORDS: Record<StepState, Msg> = {
  start: t`start`,
  done: t`done`,
  failed: t`failed`,
  skipped: t`skipped`,
  info: t`info`,
};

/** A run's outcome (the journal's `outcome`) and kind. */
export const OUTCOME_WORDS: Record<Outcome, Msg> = {
  running: t`running`,
  success: t`success`,
  'no-change': t`no-change`,
  failed: t`failed`,
  cancelled: t`cancelled`,
};

export const HOST_OUTCOME_WORDS: Record<HostOutcome, Msg> = {
  unchanged: t`unchanged`,
  deployed: t`deployed`,
  'rolled-back': t`rolled-back`,
  'rollback-failed': t`rollback-failed`,
  'not-reached': t`not-reached`,
  failed: t`failed`,
};

export const RUN_KIND_WORDS: Record<'deploy' | 'rollback', Msg> = {
  deploy: t`deploy`,
  rollback: t`rollback`,
};
