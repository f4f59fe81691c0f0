// The LVS-DR language server: owns every parsed model and answers VS Code (or any LSP client)
// over stdio or IPC. No `vscode` import: the same brain serves the CLI and the tests.
import {
  createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, InitializeParams, InitializeResult, ProposedFeatures,
  ResponseError, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, forget } from './lsp/analysis';
import { registerClusterOutlineRequest } from './lsp/cluster-outline';
import { registerWorkspaceClustersRequest } from './lsp/workspace-clusters';
import { registerNewClusterRequest } from './lsp/new-cluster';
import { codeActions } from './lsp/code-actions';
import { complete } from './lsp/completion';
import { registerDesignerRequests } from './lsp/designer-requests';
import { DiagnosticsScheduler } from './lsp/diagnostics-scheduler';
import { foldingRanges } from './lsp/folding';
import { registerGenerateRequests } from './lsp/generate-requests';
import { formatEdits } from './lsp/formatting';
import { hover } from './lsp/hover';
import { setDocsLocale } from './lsp/keyword-docs';
import { Locale, localeFromTag } from './shared/l10n/locale';
import { localize } from './shared/l10n/localize';
import { definition, prepareRename, references, rename, RenameError } from './lsp/navigation';
import { semanticTokens, semanticTokensLegend } from './lsp/semantic-tokens';
import { documentSymbols } from './lsp/symbols';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let scheduler: DiagnosticsScheduler;
let locale: Locale = 'en';

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as { debounceMs?: number };
  // Diagnostics, quick fixes and hovers speak the client's language (LSP 3.16 `locale`).
  locale = localeFromTag(params.locale);
  setDocsLocale(locale);
  scheduler = new DiagnosticsScheduler(connection, documents, options.debounceMs ?? 150);
  scheduler.locale = locale;
  // LVS118 across files compares an open document with the .lvs files of the workspace folders.
  scheduler.workspace.setFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      completionProvider: { triggerCharacters: [' ', ':'] },
      hoverProvider: true,
      documentSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentFormattingProvider: true,
      foldingRangeProvider: true,
      semanticTokensProvider: { legend: semanticTokensLegend, full: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'lvs-dr-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
  connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.lvs' }] }).catch(() => undefined);
  try {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      scheduler.workspace.addRemoveFolders(e.added.map((f) => f.uri), e.removed.map((f) => f.uri));
      scheduler.revalidateOthers();
    });
  } catch { /* the client does not send folder changes */ }
});

// A .lvs file changed on disk (or was created or deleted): the open documents compare again.
connection.onDidChangeWatchedFiles(() => {
  scheduler.workspace.invalidate();
  scheduler.revalidateOthers();
});


connection.onDidChangeConfiguration((change) => {
  const ms = (change.settings as { lvs?: { validation?: { debounceMs?: number } } } | undefined)?.lvs?.validation?.debounceMs;
  if (typeof ms === 'number') scheduler.setDelay(ms);
});

documents.onDidOpen((e) => scheduler.validateNow(e.document));
documents.onDidChangeContent((e) => scheduler.schedule(e.document));
documents.onDidClose((e) => {
  scheduler.cancel(e.document.uri);
  forget(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

/** Runs a feature on the current analysis of a document, or returns the fallback if unknown. */
function withDoc<T>(uri: string, fallback: T, f: (a: ReturnType<typeof analyze>) => T): T {
  const doc = documents.get(uri);
  return doc ? f(analyze(doc)) : fallback;
}

connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], (a) => codeActions(a, p, locale)));
connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (a) => complete(a, p.position)));
connection.onHover((p) => withDoc(p.textDocument.uri, null, (a) => hover(a, p.position, locale)));
connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], (a) => documentSymbols(a)));
connection.onDefinition((p) => withDoc(p.textDocument.uri, [], (a) => definition(a, p.position)));
connection.onReferences((p) => withDoc(p.textDocument.uri, [], (a) => references(a, p.position, p.context.includeDeclaration)));
connection.onPrepareRename((p) => withDoc(p.textDocument.uri, null, (a) => prepareRename(a, p.position) ?? null));
connection.onRenameRequest((p) => {
  try {
    return withDoc(p.textDocument.uri, null, (a) => rename(a, p.position, p.newName) ?? null);
  } catch (err) {
    if (err instanceof RenameError) return new ResponseError(-32602, localize(err.words, locale));
    throw err;
  }
});
connection.onDocumentFormatting((p) => {
  const doc = documents.get(p.textDocument.uri);
  return doc ? formatEdits(doc, { tabSize: p.options.tabSize, insertSpaces: p.options.insertSpaces }) : [];
});
connection.onFoldingRanges((p) => withDoc(p.textDocument.uri, [], (a) => foldingRanges(a)));
connection.languages.semanticTokens.on((p) => withDoc(p.textDocument.uri, { data: [] }, (a) => semanticTokens(a)));

registerGenerateRequests(connection, documents, () => locale);
registerClusterOutlineRequest(connection, documents, () => locale);
registerWorkspaceClustersRequest(connection, documents);
registerNewClusterRequest(connection, () => locale);

registerDesignerRequests(connection, documents, () => locale);
documents.listen(connection);
connection.listen();
