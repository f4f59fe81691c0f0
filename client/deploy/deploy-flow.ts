// LVS: Deploy Cluster… / Show Deploy Plan / Roll Back Last Deploy: pick cluster and target,
// show the plan (diffs in VS Code's diff editor), confirm, run with progress in words and
// cancel, and summarise. The engine runs in the `lvsdr` CLI process (server/deploy, no VS Code
// inside); this side talks to it only through the event channel (cli-runner.ts).
import * as vscode from 'vscode';
import type { ChannelCommand, PlanJson } from '../../server/protocol/events';
import { printable } from '../../server/protocol/printable';
import { targetDocument } from '../generate/generated-files';
import { ClusterOutlines } from '../cluster-outline';
import { ChannelRun, runLvsdr } from '../protocol/cli-runner';
import { browsePlan, PlanContentProvider, showChanges, summary } from './plan-view';
import { logEventLine, logLine, ProgressWords, Translate } from './progress-words';
import { RunQuestions } from './questions';
import { Prompts, windowPrompts } from './prompts';
import { requireTrust } from '../workspace-trust';

export type DeployTarget = 'lab' | 'hosts';

export interface DeployOptions {
  cluster?: string;
  target?: DeployTarget;
  /** Answer every confirmation with yes (tests, scripted use). Host keys still need acceptNew. */
  assumeYes?: boolean;
  /**
   * Answer the unknown-host-key question with Accept (tests stand in for the user's click).
   * Either way only the fingerprints shown are accepted; changed keys are always refused.
   */
  acceptNew?: boolean;
  /** A known_hosts file instead of the target's own (`--known-hosts`). */
  knownHosts?: string;
}

export interface DeployOutcome {
  code: number | null;
  changed: boolean;
  journalFile?: string;
  message: string;
}

export class DeployFlow {
  readonly output = vscode.window.createOutputChannel('LVS Deploy');
  readonly plans = new PlanContentProvider();
  /** Last target used per .lvs file (drift checks reuse it). */
  readonly lastTarget = new Map<string, { cluster: string; target: DeployTarget }>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly outlines: ClusterOutlines) {}

  /** The modal that asks before a deploy writes anything (the test suite stands in for the click). */
  confirmDeploy = async (message: string, detail: string): Promise<'Deploy' | 'Show Changes' | undefined> => {
    const deploy = vscode.l10n.t('Deploy');
    const show = vscode.l10n.t('Show Changes');
    const a = await vscode.window.showWarningMessage(message, { modal: true, detail }, deploy, show);
    return a === deploy ? 'Deploy' : a === show ? 'Show Changes' : undefined;
  };

  /** Every command that connects to a host needs a trusted workspace; says why when refused. `what`: in the display language. */
  trusted(what = vscode.l10n.t('Deploy')): boolean {
    return requireTrust(vscode.l10n.t('{0} is disabled in untrusted workspaces: it connects to your hosts over SSH (and a deploy runs scripts there as root) with settings and secret references the workspace names. Trust this workspace to enable it.', what));
  }

  /** Document, cluster and target of a command, asking what the arguments do not say. */
  private async resolve(arg: unknown, opts: DeployOptions): Promise<{ doc: vscode.TextDocument; cluster: string; target: DeployTarget } | undefined> {
    const doc = await targetDocument(arg);
    if (!doc) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a .lvs file to deploy one of its clusters.'));
      return undefined;
    }
    if (doc.isDirty && !(await doc.save())) return undefined;
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
    const clusters = symbols.filter((s) => s.kind === vscode.SymbolKind.Namespace).map((s) => s.name);
    const cluster = opts.cluster ?? (clusters.length === 1 ? clusters[0] : await vscode.window.showQuickPick(clusters, { title: vscode.l10n.t('Deploy which cluster?') }));
    if (!cluster) return undefined;
    const target = opts.target ?? (await vscode.window.showQuickPick(
      [
        { label: `$(beaker) ${vscode.l10n.t('Local lab')}`, description: vscode.l10n.t('the lab on this machine (lvsdr lab up)'), value: 'lab' as const },
        { label: `$(server) ${vscode.l10n.t('Hosts in the file')}`, description: vscode.l10n.t('the addresses and ssh settings of the .lvs file'), value: 'hosts' as const },
      ],
      { title: vscode.l10n.t('Deploy cluster {0} to…', cluster) },
    ))?.value;
    if (!target) return undefined;
    this.lastTarget.set(doc.uri.toString(), { cluster, target });
    return { doc, cluster, target };
  }

  private log(line: string): void {
    this.output.appendLine(line);
  }

  /**
   * Answers for the questions of one command (its plan and deploy share them; a live action's run
   * gets its own, logged in the caller's log).
   */
  questions(opts: DeployOptions, log: (line: string) => void = (l) => this.log(l)): RunQuestions {
    return new RunQuestions(this.context.secrets, this.context.workspaceState, opts, log, this.prompts);
  }

  /** The dialogs of a run's questions (the test suite stands in for the clicks, register.ts). */
  prompts: Prompts = windowPrompts;

  /** The plan alone, without showing it (the test suite reads its outcome). */
  async planOf(arg: unknown, opts: DeployOptions): Promise<{ plan?: PlanJson; error?: string } | undefined> {
    if (!this.trusted(vscode.l10n.t('Show Deploy Plan'))) return undefined;
    const r = await this.resolve(arg, opts);
    return r && this.plan(r.doc, r.cluster, r.target, opts);
  }

  /** Runs one lvsdr command on the event channel, its progress in words in a notification. */
  run(command: ChannelCommand, args: string[], title: string, questions: RunQuestions, cancellable = true, location = vscode.ProgressLocation.Notification): Promise<ChannelRun> {
    this.log(`$ lvsdr ${args.join(' ')} --events jsonl`);
    return Promise.resolve(vscode.window.withProgress({ location, title, cancellable }, (progress, token) => {
      const say: Translate = (m, ...args) => vscode.l10n.t(m, ...args);
      const words = new ProgressWords(command, say);
      return runLvsdr(this.context.asAbsolutePath('dist/server/cli.js'), args, {
        token: cancellable ? token : undefined,
        answer: questions.answer,
        onLog: (l) => this.log(l),
        onEvent: (e) => {
          if (e.type === 'begin') {
            words.begin(e.hosts.length);
            this.log(vscode.l10n.t('{0} of cluster {1} ({2}): {3}', e.command, e.cluster, e.target, e.hosts.map((h) => h.name).join(', ')));
          } else if (e.type === 'progress') {
            this.log(logLine(e, say));
            const message = words.message(e);
            if (message) progress.report({ message });
          } else if (e.type === 'log') {
            this.log(logEventLine(e, say));
          }
        },
      });
    }));
  }

  /** `lvsdr plan` on the channel: the plan, or why there is none. */
  async plan(doc: vscode.TextDocument, cluster: string, target: DeployTarget, opts: DeployOptions, questions = this.questions(opts)): Promise<{ plan?: PlanJson; error?: string }> {
    const args = ['plan', doc.uri.fsPath, '--target', target, '--cluster', cluster, ...knownHostsArgs(opts)];
    const run = await this.run('plan', args, vscode.l10n.t('LVS: planning {0} ({1})', cluster, target), questions);
    const r = run.result;
    if (r?.plan && (r.outcome === 'changes' || r.outcome === 'no-change')) return { plan: r.plan };
    return { error: failure(run) };
  }

  async showPlan(arg?: unknown, opts: DeployOptions = {}): Promise<PlanJson | undefined> {
    if (!this.trusted(vscode.l10n.t('Show Deploy Plan'))) return undefined;
    const r = await this.resolve(arg, opts);
    if (!r) return undefined;
    const p = await this.plan(r.doc, r.cluster, r.target, opts);
    if (!p.plan) {
      void vscode.window.showErrorMessage(vscode.l10n.t('LVS plan failed: {0}', p.error ?? ''), vscode.l10n.t('Open Log')).then((a) => a && this.output.show());
      return undefined;
    }
    this.plans.set(p.plan);
    if (!opts.assumeYes) {
      if (p.plan.changed) await browsePlan(p.plan, this.prompts);
      else void vscode.window.showInformationMessage(summary(p.plan));
    }
    return p.plan;
  }

  async deploy(arg?: unknown, opts: DeployOptions = {}): Promise<DeployOutcome | undefined> {
    if (!this.trusted()) return undefined;
    const r = await this.resolve(arg, opts);
    if (!r) return undefined;
    const { doc, cluster, target } = r;
    const questions = this.questions(opts);
    const p = await this.plan(doc, cluster, target, opts, questions);
    if (!p.plan) {
      const message = vscode.l10n.t('LVS plan failed: {0}', p.error ?? '');
      void vscode.window.showErrorMessage(message, vscode.l10n.t('Open Log')).then((a) => a && this.output.show());
      return { code: 1, changed: false, message };
    }
    this.plans.set(p.plan);
    if (!p.plan.changed) {
      const message = summary(p.plan);
      void vscode.window.showInformationMessage(message);
      return { code: 0, changed: false, message };
    }
    if (!opts.assumeYes) {
      for (;;) {
        const question = target === 'lab' ? vscode.l10n.t('Deploy cluster {0} to the local lab?', cluster) : vscode.l10n.t('Deploy cluster {0} to its hosts?', cluster);
        const answer = await this.confirmDeploy(
          question,
          `${summary(p.plan)}.\n${vscode.l10n.t('Real servers first, then the backup director, then the master; any failure rolls every changed host back.')}`,
        );
        if (answer === 'Show Changes') {
          // The changes in one editor, and the answer in a pick at the top that does not cover it.
          await showChanges(p.plan);
          const deploy = vscode.l10n.t('Deploy');
          const then = await vscode.window.showQuickPick([deploy, vscode.l10n.t('Cancel')], {
            title: `${question} ${summary(p.plan)}`,
            placeHolder: vscode.l10n.t('The changes are open in the editor below'),
            ignoreFocusOut: true,
          });
          if (then !== deploy) return undefined;
          break;
        }
        if (answer !== 'Deploy') return undefined;
        break;
      }
    }
    // The keys accepted during the plan are in known_hosts now; the deploy meets them as known.
    const args = ['deploy', doc.uri.fsPath, '--target', target, '--cluster', cluster, '--yes', '--plan-id', p.plan.planId, ...knownHostsArgs(opts)];
    const run = await this.run('deploy', args, vscode.l10n.t('LVS: deploying {0} ({1})', cluster, target), questions);
    const result = run.result;
    const code = result?.exitCode ?? run.code;
    let message: string;
    if (result?.outcome === 'success' || result?.outcome === 'no-change') {
      message = vscode.l10n.t('Deployed cluster {0} ({1}).', cluster, target);
      const openLog = vscode.l10n.t('Open Log');
      const rollBack = vscode.l10n.t('Roll Back');
      void vscode.window.showInformationMessage(message, openLog, rollBack).then((a) => {
        if (a === openLog) this.output.show();
        if (a === rollBack) void this.rollback(doc.uri, { cluster, target });
      });
    } else if (result?.outcome === 'cancelled' || run.cancelled) {
      message = vscode.l10n.t('Deploy of {0} cancelled: {1}. {2}', cluster, failure(run), rollbackSummary(result));
      void vscode.window.showWarningMessage(message, vscode.l10n.t('Open Log')).then((a) => a && this.output.show());
    } else {
      message = vscode.l10n.t('Deploy of {0} failed: {1}. {2}', cluster, failure(run), rollbackSummary(result));
      void vscode.window.showErrorMessage(message, vscode.l10n.t('Open Log')).then((a) => a && this.output.show());
    }
    return { code, changed: true, journalFile: result?.journal, message };
  }

  async rollback(arg?: unknown, opts: DeployOptions = {}, deployId?: string): Promise<DeployOutcome | undefined> {
    if (!this.trusted(vscode.l10n.t('Roll Back'))) return undefined;
    const r = await this.resolve(arg, opts);
    if (!r) return undefined;
    const which = deployId ? vscode.l10n.t('deploy {0}', deployId) : vscode.l10n.t('the last deploy');
    if (!opts.assumeYes) {
      const rollBack = vscode.l10n.t('Roll Back');
      const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Roll back {0} of {1} ({2})?', which, r.cluster, r.target), { modal: true }, rollBack);
      if (ok !== rollBack) return undefined;
    }
    const args = ['rollback', r.doc.uri.fsPath, '--target', r.target, '--cluster', r.cluster, ...(deployId ? ['--deploy', deployId] : []), ...knownHostsArgs(opts)];
    const run = await this.run('rollback', args, vscode.l10n.t('LVS: rolling back {0}', r.cluster), this.questions(opts), false);
    const ok = run.result?.outcome === 'rolled-back';
    const message = ok ? vscode.l10n.t('Rolled back {0} of {1}.', which, r.cluster) : vscode.l10n.t('Roll back failed: {0}', failure(run));
    if (ok) void vscode.window.showInformationMessage(message);
    else void vscode.window.showErrorMessage(message, vscode.l10n.t('Open Log')).then((a) => a && this.output.show());
    return { code: run.result?.exitCode ?? run.code, changed: ok, journalFile: run.result?.journal, message };
  }
}

function knownHostsArgs(opts: DeployOptions): string[] {
  return opts.knownHosts ? ['--known-hosts', opts.knownHosts] : [];
}

/** Why a run did not succeed, from its result line. */
export function failure(run: ChannelRun): string {
  if (run.result?.error) return printable(run.result.error.messageLocalized ?? run.result.error.message);
  if (run.result) return run.result.outcome;
  return vscode.l10n.t('lvsdr stopped (exit {0}) without a result; see the LVS Deploy log', String(run.code));
}

/** What became of the changed hosts after a failed or cancelled deploy. */
function rollbackSummary(result: ChannelRun['result']): string {
  if (!result) return vscode.l10n.t('See the LVS Deploy log for the state of the hosts.');
  const failed = result.hosts.filter((h) => h.outcome === 'rollback-failed').map((h) => h.name);
  if (failed.length) return vscode.l10n.t('ROLLBACK FAILED on {0}: their backups stay on the hosts; see the journal.', failed.join(', '));
  const rolledBack = result.hosts.filter((h) => h.outcome === 'rolled-back').map((h) => h.name);
  return rolledBack.length ? vscode.l10n.t('Rolled back: {0}.', rolledBack.join(', ')) : vscode.l10n.t('No host was changed.');
}
