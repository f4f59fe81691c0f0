// LVS: Check Drift — remote files vs what the file generates now, shown in the status bar and as
// a CodeLens on the cluster line.
import * as vscode from 'vscode';
import { targetDocument } from '../generate/generated-files';
import { runCli } from './cli-runner';
import { DeployFlow } from './deploy-flow';

interface DriftState {
  inSync: boolean;
  text: string;
  at: Date;
}

export class DriftView implements vscode.CodeLensProvider {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 20);
  private readonly states = new Map<string, DriftState>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly flow: DeployFlow) {
    this.item.command = 'lvs.checkDrift';
    context.subscriptions.push(this.item);
  }

  async check(arg?: unknown): Promise<DriftState | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Drift checks connect to your hosts over SSH: trust this workspace to enable them.');
      return undefined;
    }
    const doc = await targetDocument(arg);
    if (!doc) return undefined;
    const key = doc.uri.toString();
    const last = this.flow.lastTarget.get(key);
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
    const cluster = last?.cluster ?? symbols.find((s) => s.kind === vscode.SymbolKind.Namespace)?.name;
    if (!cluster) return undefined;
    const target = last?.target ?? 'lab';
    const args = ['drift', doc.uri.fsPath, '--target', target, '--cluster', cluster];
    this.flow.output.appendLine(`$ lvsdr ${args.join(' ')}`);
    this.item.text = '$(sync~spin) LVS drift…';
    this.item.show();
    const env = await this.flow.secretsFor(doc, { assumeYes: true });
    const run = await runCli(this.context, args, { env, onLine: (l) => this.flow.output.appendLine(l) });
    this.flow.output.appendLine(run.stdout);
    const state: DriftState = run.code === 0
      ? { inSync: true, text: `in sync with ${target}`, at: new Date() }
      : { inSync: false, text: run.code === 3 ? `drift on ${target}` : `drift check failed (${target})`, at: new Date() };
    this.states.set(key, state);
    this.item.text = state.inSync ? `$(pass) LVS ${cluster}: in sync` : `$(warning) LVS ${cluster}: ${state.text}`;
    this.item.tooltip = `${run.stdout.trim().slice(0, 800)}\nChecked ${state.at.toLocaleTimeString()} — click to check again`;
    this.changed.fire();
    return state;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const state = this.states.get(doc.uri.toString());
    const lenses: vscode.CodeLens[] = [];
    for (let line = 0; line < doc.lineCount; line++) {
      if (!/^\s*cluster\s/.test(doc.lineAt(line).text)) continue;
      const title = state ? (state.inSync ? '$(pass) In sync' : `$(warning) ${state.text}`) : '$(cloud-upload) Deploy';
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), state
        ? { title, command: 'lvs.checkDrift', arguments: [doc.uri] }
        : { title, command: 'lvs.deploy', arguments: [doc.uri] }));
    }
    return lenses;
  }
}
