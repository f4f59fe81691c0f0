// Shows a deploy plan (the plan of `lvsdr plan`'s result event): per host, files added/changed/
// unchanged; each change opens in VS Code's diff editor (remote content ↔ generated content,
// secrets masked by the engine).
import * as vscode from 'vscode';
import type { PlanJson } from '../../server/protocol/events';

type PlanFileJson = PlanJson['hosts'][number]['files'][number];

export const PLAN_SCHEME = 'lvs-deploy-plan';

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
  return plan.changed
    ? `${files} file(s) to change on ${changedHosts.length} of ${plan.hosts.length} host(s) of cluster ${plan.cluster} (${plan.target})`
    : `Nothing to change: all ${plan.hosts.length} host(s) of cluster ${plan.cluster} (${plan.target}) are up to date`;
}

/** Quick pick of the plan's files; picking a changed one opens the diff. Resolves when closed. */
export async function browsePlan(plan: PlanJson): Promise<void> {
  const items = plan.hosts.flatMap((h) => [
    { label: `${h.name}`, kind: vscode.QuickPickItemKind.Separator } as vscode.QuickPickItem & { file?: PlanFileJson; host?: string },
    ...h.files.map((f) => ({
      label: `${icon(f.action)} ${f.path}`,
      description: f.action,
      file: f,
      host: h.name,
    })),
  ]);
  for (;;) {
    const pick = await vscode.window.showQuickPick(items, { title: summary(plan), placeHolder: 'Pick a file to see its diff; Esc to continue' });
    if (!pick?.file || !pick.host) return;
    const base = `/${pick.host}${pick.file.path}`;
    await vscode.commands.executeCommand(
      'vscode.diff',
      vscode.Uri.from({ scheme: PLAN_SCHEME, path: base, query: 'before' }),
      vscode.Uri.from({ scheme: PLAN_SCHEME, path: base, query: 'after' }),
      `${pick.host}:${pick.file.path} (remote ↔ generated)`,
      { preview: true },
    );
  }
}

function icon(action: string): string {
  switch (action) {
    case 'add': return '$(diff-added)';
    case 'change': return '$(diff-modified)';
    case 'remove': return '$(diff-removed)';
    default: return '$(check)';
  }
}
