// The text of `lvsdr plan | deploy | rollback` for a person, in the reader's language
// (LC_ALL/LC_MESSAGES/LANG, as every localized command): the plan, the diffs' headings, the
// summary of a run and the lines that say how it ended. Host names, roles, addresses, paths,
// ids and the diffs themselves stay as they are; --json, --events jsonl and the journal stay English.
import type { Journal } from '../deploy/journal';
import { fileCounts } from '../deploy/plan';
import { probeWords } from '../deploy/probe';
import { HOST_OUTCOME_WORDS, OUTCOME_WORDS, RUN_KIND_WORDS } from '../deploy/step-words';
import type { PlanResult } from '../deploy/types';
import { printable } from '../protocol/printable';
import { Msg, t } from '../shared/l10n/message';
import { inReaderLanguage as say } from './reader-language';

export function printPlan(plan: PlanResult, out: NodeJS.WritableStream): void {
  const tg = plan.target;
  out.write(say(tg.kind === 'lab' ? t`plan for cluster ${tg.cluster} (lab ${tg.labId ?? ''}) from ${tg.file}` : t`plan for cluster ${tg.cluster} (hosts) from ${tg.file}`) + '\n');
  for (const p of plan.hosts) {
    out.write(`  ${p.host.name.padEnd(12)} ${p.host.role.padEnd(7)} ${p.host.address.padEnd(15)} ${say(p.changed ? fileCounts(p) : t`no change`)}\n`);
  }
  for (const w of plan.warnings) out.write(`  ${printable(say(t`warning: ${w}`))}\n`);
  printDiffs(plan, out);
  const n = plan.diffs.size;
  out.write('\n' + say(!plan.changed ? t`no changes: every host already has these files` : n === 1 ? t`${n} host to change` : t`${n} hosts to change`) + '\n');
}

/** The diffs hold the hosts' current files: made printable before they reach a terminal. */
export function printDiffs(plan: PlanResult, out: NodeJS.WritableStream): void {
  for (const [host, diff] of plan.diffs) {
    const text = printable(diff);
    out.write(`\n# ${host}\n${text}${text.endsWith('\n') ? '' : '\n'}`);
  }
}

/** The question before a deploy without --yes. */
export function applyQuestion(plan: PlanResult): string {
  const n = plan.diffs.size;
  return say(n === 1 ? t`apply this plan to ${n} host? [y/N] ` : t`apply this plan to ${n} hosts? [y/N] `);
}

/** After a deploy or a rollback: how it ended, per host, and where the journal is. */
/** `error`: the run's error as a message, when there is one (the journal holds its English). */
export function summary(j: Journal, file: string, out: NodeJS.WritableStream, error?: Msg): void {
  const kind = RUN_KIND_WORDS[j.kind];
  const outcome = OUTCOME_WORDS[j.outcome];
  out.write('\n' + say(j.durationMs !== undefined ? t`${kind} ${j.id}: ${outcome} in ${(j.durationMs / 1000).toFixed(1)} s` : t`${kind} ${j.id}: ${outcome}`) + '\n');
  for (const h of j.hosts) out.write(`  ${h.name.padEnd(12)} ${say(HOST_OUTCOME_WORDS[h.outcome])}\n`);
  if (j.error) out.write(`  ${printable(say(t`error: ${error ?? j.error.message}`))}\n`);
  if (j.rolledBack?.length) out.write(`  ${say(t`rolled back: ${j.rolledBack.join(', ')}`)}\n`);
  if (j.probe) out.write(`  ${say(t`probe: ${probeWords({ ...j.probe, detail: printable(j.probe.detail) })}`)}\n`);
  out.write(`  ${say(t`journal: ${file}`)}\n`);
}
