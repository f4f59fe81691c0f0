// Debounced, cancellable validation: each edit restarts a per-document timer; a validation
// whose document changed meanwhile stops early and publishes nothing stale.
import { Connection, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from './analysis';
import { toDiagnostic } from './diagnostics';

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private delayMs: number,
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

  validateNow(doc: TextDocument): void {
    const version = doc.version;
    const a = analyze(doc);
    // A newer edit arrived while validating: its own run will publish.
    if (this.documents.get(doc.uri)?.version !== version) return;
    void this.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics: a.findings.map((f) => toDiagnostic(doc, f)) });
  }
}
