// Shows a deploy plan (the plan of `lvsdr plan`'s result event): per host, files added/changed/
// unchanged; each change opens in VS Code's diff editor (remote content ↔ generated content,
// secrets masked by the engine).
import * as vscode from 'vscode';
import type { PlanJson } from '../../server/protocol/events';
import { PLAN_SCHEME } from './plan-scheme';
import { Prompts, windowPrompts } from './prompts';

type PlanFileJson = PlanJson['hosts'][number]['files'][number];

/** Virtual documents: `lvs-deploy-plan:/<host><path>?before|after`. */
export class PlanContentProvider implements vscode.TextDocumentContentProvider {
  private plan: PlanJson | undefined;

  set(plan: PlanJson): void {
    this.plan = plan;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [, host, ...rest] = uri.path.split('/');
    const path = '/' + rest.join('/');
    const file = this.plan?.hosts.find((h) => h.name === host)?.files.find((f) => f.path === path);
    const text = uri.query === 'before' ? file?.before : file?.after;
    return text ?? '';
  }
}

export function summary(plan: PlanJson): string {
  const changedHosts = plan.hosts.filter((h) => h.changed);
  const files = changedHosts.reduce((n, h) => n + h.files.filter((f) => f.action !== 'unchanged').length, 0);
  const hosts = plan.hosts.length;
  if (plan.changed) {
    const what = files === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', files);
    return hosts === 1 ? vscode.l10n.t('{0} to change on {1} of 1 host of cluster {2} ({3})', what, changedHosts.length, plan.cluster, plan.target)
      : vscode.l10n.t('{0} to change on {1} of {2} hosts of cluster {3} ({4})', what, changedHosts.length, hosts, plan.cluster, plan.target);
  }
  return hosts === 1 ? vscode.l10n.t('Nothing to change: the host of cluster {0} ({1}) is up to date', plan.cluster, plan.target)
    : vscode.l10n.t('Nothing to change: all {0} hosts of cluster {1} ({2}) are up to date', hosts, plan.cluster, plan.target);
}

/**
 * Every changed file of the plan in one multi-file diff editor (remote ↔ generated), nothing
 * over it: the answer is asked afterwards in a small pick that leaves the editor free to scroll.
 */
export async function showChanges(plan: PlanJson): Promise<void> {
  const resources = plan.hosts.flatMap((h) => h.files.filter((f) => f.action !== 'unchanged').map((f) => {
    const base = `/${h.name}${f.path}`;
    return [
      vscode.Uri.from({ scheme: PLAN_SCHEME, path: base, query: 'after' }),
      vscode.Uri.from({ scheme: PLAN_SCHEME, path: base, query: 'before' }),
      vscode.Uri.from({ scheme: PLAN_SCHEME, path: base, query: 'after' }),
    ] as const;
  }));
  await vscode.commands.executeCommand('vscode.changes', vscode.l10n.t('Deploy plan of {0} ({1}): remote ↔ generated', plan.cluster, plan.target), resources);
}

/**
 * Quick pick of the plan's files; picking a changed one opens its diff and the pick is gone: it
 * does not come back over the diff (every change at once: Show Changes of the deploy).
 */
export async function browsePlan(plan: PlanJson, prompts: Pick<Prompts, 'pick'> = windowPrompts): Promise<void> {
  const items = plan.hosts.flatMap((h) => [
    { label: `${h.name}`, kind: vscode.QuickPickItemKind.Separator } as vscode.QuickPickItem & { file?: PlanFileJson; host?: string },
    ...h.files.map((f) => ({
      label: `${icon(f.action)} ${f.path}`,
      description: f.action,
      file: f,
      host: h.name,
    })),
  ]);
  const pick = await prompts.pick(items, { title: summary(plan), placeHolder: vscode.l10n.t('Pick a file to see its diff') });
  if (!pick?.file || !pick.host) return;
  const base = `/${pick.host}${pick.file.path}`;
  await vscode.commands.executeCommand(
    'vscode.diff',
    vscode.Uri.from({ scheme: PLAN_SCHEME, path: base, query: 'before' }),
    vscode.Uri.from({ scheme: PLAN_SCHEME, path: base, query: 'after' }),
    vscode.l10n.t('{0}:{1} (remote ↔ generated)', pick.host, pick.file.path),
    { preview: true },
  );
}

function icon(action: string): string {
  switch (action) {
    case 'add': return '$(diff-added)';
    case 'change': return '$(diff-modified)';
    case 'remove': return '$(diff-removed)';
    default: return '$(check)';
  }
}
