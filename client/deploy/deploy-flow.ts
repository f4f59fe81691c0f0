// LVS: Deploy Cluster… / Show Deploy Plan / Roll Back Last Deploy: pick cluster and target,
// show the plan (diffs in VS Code's diff editor), confirm, run with progress and cancel, and
// summarise. The engine runs in the `lvsdr` CLI process (server/deploy, no VS Code inside).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { targetDocument } from '../generate/generated-files';
import { ClusterOutlines } from '../cluster-outline';
import { resolveSecrets, secretEnv, secretNames } from '../generate/secrets';
import { runCli } from './cli-runner';
import { browsePlan, PlanContentProvider, PlanJson, summary } from './plan-view';

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

/** An unknown host key as the CLI reports it when it refuses one. */
interface UnknownHostKey {
  host: string;
  keyType: string;
  fingerprint: string;
}

/** `lvsdr: unknown host key of HOST (ADDRESS): TYPE SHA256:…; refused (…)` lines of stderr. */
export function unknownHostKeys(stderr: string): UnknownHostKey[] {
  const keys: UnknownHostKey[] = [];
  for (const m of stderr.matchAll(/unknown host key of (\S+ \([^)]*\)): (\S+) (SHA256:[A-Za-z0-9+/]{43})/g)) {
    if (!keys.some((k) => k.fingerprint === m[3])) keys.push({ host: m[1], keyType: m[2], fingerprint: m[3] });
  }
  return keys;
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

  private trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showErrorMessage(
      'Deploy is disabled in untrusted workspaces: it connects to your hosts over SSH and runs scripts there as root. Trust this workspace to enable it.',
      'Manage Workspace Trust',
    ).then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  /** Document, cluster and target of a command, asking what the arguments do not say. */
  private async resolve(arg: unknown, opts: DeployOptions): Promise<{ doc: vscode.TextDocument; cluster: string; target: DeployTarget } | undefined> {
    const doc = await targetDocument(arg);
    if (!doc) {
      void vscode.window.showWarningMessage('Open a .lvs file to deploy one of its clusters.');
      return undefined;
    }
    if (doc.isDirty && !(await doc.save())) return undefined;
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
    const clusters = symbols.filter((s) => s.kind === vscode.SymbolKind.Namespace).map((s) => s.name);
    const cluster = opts.cluster ?? (clusters.length === 1 ? clusters[0] : await vscode.window.showQuickPick(clusters, { title: 'Deploy which cluster?' }));
    if (!cluster) return undefined;
    const target = opts.target ?? (await vscode.window.showQuickPick(
      [
        { label: '$(beaker) Local lab', description: 'the lab on this machine (lvsdr lab up)', value: 'lab' as const },
        { label: '$(server) Hosts in the file', description: 'the addresses and ssh settings of the .lvs file', value: 'hosts' as const },
      ],
      { title: `Deploy cluster ${cluster} to…` },
    ))?.value;
    if (!target) return undefined;
    this.lastTarget.set(doc.uri.toString(), { cluster, target });
    return { doc, cluster, target };
  }

  private log(line: string): void {
    this.output.appendLine(line);
  }

  /** Secrets of the file for the CLI's environment (SecretStorage or asked; never on disk). */
  async secretsFor(doc: vscode.TextDocument, opts: DeployOptions): Promise<Record<string, string>> {
    return secretEnv(await resolveSecrets(this.context.secrets, secretNames(await this.outlines.of(doc)), !opts.assumeYes));
  }

  /**
   * Runs `lvsdr plan --json`. When the CLI refuses unknown host keys, shows their SHA256
   * fingerprints in a modal; on Accept it plans again accepting exactly those fingerprints
   * (`--accept-key`), so a key that changes in between is still refused.
   */
  async plan(doc: vscode.TextDocument, cluster: string, target: DeployTarget, opts: DeployOptions, env?: Record<string, string>): Promise<{ plan?: PlanJson; hostKeyArgs: string[]; error?: string }> {
    const accepted: string[] = [];
    const hostKeyArgs = () => [...(opts.knownHosts ? ['--known-hosts', opts.knownHosts] : []), ...accepted.flatMap((fp) => ['--accept-key', fp])];
    env ??= await this.secretsFor(doc, opts);
    // More than one round only if a plan stops before it has met every host's key.
    for (let round = 0; round < 5; round++) {
      const args = ['plan', doc.uri.fsPath, '--target', target, '--cluster', cluster, '--json', ...hostKeyArgs()];
      this.log(`$ lvsdr ${args.join(' ')}`);
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LVS: planning ${cluster} (${target})`, cancellable: true },
        (progress, token) => runCli(this.context, args, { token, env, onLine: (l) => { this.log(l); progress.report({ message: l.slice(0, 120) }); } }),
      );
      if (run.code === 0 || run.code === 3) return { plan: JSON.parse(run.stdout) as PlanJson, hostKeyArgs: hostKeyArgs() };
      const unknown = unknownHostKeys(run.stderr).filter((k) => !accepted.includes(k.fingerprint));
      if (unknown.length > 0) {
        const ok = opts.acceptNew || (!opts.assumeYes && (await vscode.window.showWarningMessage(
          `Unknown SSH host key${unknown.length > 1 ? 's' : ''}`,
          {
            modal: true,
            detail: `${unknown.map((k) => `${k.host}: ${k.keyType} ${k.fingerprint}`).join('\n')}\n\n` +
              'Compare each fingerprint with the host\'s own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub). Accept and remember exactly these keys in known_hosts?',
          },
          'Accept',
        )) === 'Accept');
        if (!ok) return { hostKeyArgs: [], error: 'unknown host key refused' };
        accepted.push(...unknown.map((k) => k.fingerprint));
        continue;
      }
      return { hostKeyArgs: [], error: lastError(run.stderr) ?? `lvsdr plan exited with ${run.code}` };
    }
    return { hostKeyArgs: [], error: 'plan failed' };
  }

  async showPlan(arg?: unknown, opts: DeployOptions = {}): Promise<PlanJson | undefined> {
    const r = await this.resolve(arg, opts);
    if (!r) return undefined;
    const p = await this.plan(r.doc, r.cluster, r.target, opts);
    if (!p.plan) {
      void vscode.window.showErrorMessage(`LVS plan failed: ${p.error}`, 'Open Log').then((a) => a && this.output.show());
      return undefined;
    }
    this.plans.set(p.plan);
    if (!opts.assumeYes) {
      if (p.plan.changed) await browsePlan(p.plan);
      else void vscode.window.showInformationMessage(summary(p.plan));
    }
    return p.plan;
  }

  async deploy(arg?: unknown, opts: DeployOptions = {}): Promise<DeployOutcome | undefined> {
    if (!this.trusted()) return undefined;
    const r = await this.resolve(arg, opts);
    if (!r) return undefined;
    const { doc, cluster, target } = r;
    const env = await this.secretsFor(doc, opts);
    const p = await this.plan(doc, cluster, target, opts, env);
    if (!p.plan) {
      const message = `LVS plan failed: ${p.error}`;
      void vscode.window.showErrorMessage(message, 'Open Log').then((a) => a && this.output.show());
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
        const answer = await vscode.window.showWarningMessage(
          `Deploy cluster ${cluster} to ${target === 'lab' ? 'the local lab' : 'its hosts'}?`,
          { modal: true, detail: `${summary(p.plan)}.\nReal servers first, then the backup director, then the master; any failure rolls every changed host back.` },
          'Deploy', 'Show Changes',
        );
        if (answer === 'Show Changes') { await browsePlan(p.plan); continue; }
        if (answer !== 'Deploy') return undefined;
        break;
      }
    }
    const args = ['deploy', doc.uri.fsPath, '--target', target, '--cluster', cluster, '--yes',
      ...(p.plan.planId ? ['--plan-id', p.plan.planId] : []), ...p.hostKeyArgs];
    this.log(`$ lvsdr ${args.join(' ')}`);
    const run = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `LVS: deploying ${cluster} (${target})`, cancellable: true },
      (progress, token) => runCli(this.context, args, { token, env, onLine: (l) => { this.log(l); if (l.trim()) progress.report({ message: l.slice(0, 120) }); } }),
    );
    this.log(run.stdout);
    const journalFile = newestJournal(doc.uri.fsPath);
    let message: string;
    if (run.code === 0) {
      message = `Deployed cluster ${cluster} (${target}).`;
      void vscode.window.showInformationMessage(message, 'Open Log', 'Roll Back').then((a) => {
        if (a === 'Open Log') this.output.show();
        if (a === 'Roll Back') void this.rollback(doc.uri, { cluster, target });
      });
    } else if (run.cancelled || run.code === 130) {
      message = `Deploy of ${cluster} cancelled; every host it had changed was rolled back.`;
      void vscode.window.showWarningMessage(message, 'Open Log').then((a) => a && this.output.show());
    } else {
      message = `Deploy of ${cluster} failed: ${lastError(run.stderr) ?? `exit ${run.code}`}. Every changed host was rolled back.`;
      void vscode.window.showErrorMessage(message, 'Open Log').then((a) => a && this.output.show());
    }
    return { code: run.code, changed: true, journalFile, message };
  }

  async rollback(arg?: unknown, opts: DeployOptions = {}): Promise<DeployOutcome | undefined> {
    if (!this.trusted()) return undefined;
    const r = await this.resolve(arg, opts);
    if (!r) return undefined;
    if (!opts.assumeYes) {
      const ok = await vscode.window.showWarningMessage(`Roll back the last deploy of ${r.cluster} (${r.target})?`, { modal: true }, 'Roll Back');
      if (ok !== 'Roll Back') return undefined;
    }
    const args = ['rollback', r.doc.uri.fsPath, '--target', r.target, '--cluster', r.cluster, ...(opts.knownHosts ? ['--known-hosts', opts.knownHosts] : [])];
    const env = await this.secretsFor(r.doc, opts);
    this.log(`$ lvsdr ${args.join(' ')}`);
    const run = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `LVS: rolling back ${r.cluster}`, cancellable: false },
      (progress) => runCli(this.context, args, { env, onLine: (l) => { this.log(l); progress.report({ message: l.slice(0, 120) }); } }),
    );
    this.log(run.stdout);
    const message = run.code === 0 ? `Rolled back the last deploy of ${r.cluster}.` : `Roll back failed: ${lastError(run.stderr) ?? `exit ${run.code}`}`;
    if (run.code === 0) void vscode.window.showInformationMessage(message);
    else void vscode.window.showErrorMessage(message, 'Open Log').then((a) => a && this.output.show());
    return { code: run.code, changed: run.code === 0, journalFile: newestJournal(r.doc.uri.fsPath), message };
  }
}

function lastError(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return [...lines].reverse().find((l) => /error|fail|refus|cannot|denied/i.test(l)) ?? lines[lines.length - 1];
}

/** The newest journal beside the .lvs file (`.lvs-deploy/<timestamp>.json`). */
export function newestJournal(file: string): string | undefined {
  const dir = path.join(path.dirname(file), '.lvs-deploy');
  try {
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
    return names.length ? path.join(dir, names[names.length - 1]) : undefined;
  } catch {
    return undefined;
  }
}
