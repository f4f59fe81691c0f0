// Debounced, cancellable validation: each edit restarts a per-document timer; a validation
// whose document changed meanwhile stops early and publishes nothing stale. Besides each
// document's own findings, LVS118 across the workspace's files (workspace-hosts.ts): a
// validation publishes the other open documents again, since their cross-file findings may
// have changed with it.
import { Locale } from '../shared/l10n/locale';
import { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from './analysis';
import { toDiagnostic } from './diagnostics';
import { WorkspaceHosts, workspaceSharedHostDiagnostics } from './workspace-hosts';

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** The client's language for the messages it publishes. */
  locale: Locale = 'en';

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private delayMs: number,
    readonly workspace = new WorkspaceHosts(),
  ) {}

  setDelay(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }

  schedule(doc: TextDocument): void {
    this.cancel(doc.uri);
    if (this.delayMs === 0) {
      this.validateNow(doc);
      return;
    }
    this.timers.set(doc.uri, setTimeout(() => {
      this.timers.delete(doc.uri);
      const current = this.documents.get(doc.uri);
      if (current) this.validateNow(current);
    }, this.delayMs));
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  validateNow(doc: TextDocument, others = true): void {
    const version = doc.version;
    const a = analyze(doc);
    // A newer edit arrived while validating: its own run will publish.
    if (this.documents.get(doc.uri)?.version !== version) return;
    const open = (uri: string) => {
      const d = this.documents.get(uri);
      return d ? { doc: d, model: analyze(d).model } : undefined;
    };
    const across = workspaceSharedHostDiagnostics(doc, a.model, a.findings, this.workspace.others(doc.uri, open), this.locale);
    void this.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: [...a.findings.map((f) => toDiagnostic(doc, f, this.locale)), ...across] });
    if (others) this.revalidateOthers(doc.uri);
  }

  /** Publishes every open document except `uri` again (a file they are compared with changed). */
  revalidateOthers(uri?: string): void {
    for (const d of this.documents.all()) if (d.uri !== uri && !this.timers.has(d.uri)) this.validateNow(d, false);
  }
}
