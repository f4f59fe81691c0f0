// The topology designer: a CustomTextEditorProvider (viewType lvs.designer, priority "option")
// whose webview draws the diagram model the language server computes from the TextDocument.
//
// - The TextDocument is the source of truth. Opening the designer never writes anything; the
//   model is requested on open, on every document change (debounced) and when the webview
//   (re)loads (`ready`: a hidden webview is destroyed, no retainContextWhenHidden). It is
//   posted whole the first time (and when the webview asks); after that as a patch of the last
//   one while the nodes and edges keep their number (server/protocol/model-patch.ts).
// - The webview sends intents with the document version it saw; the server answers minimal
//   TextEdits (or stale/invalid); they are applied with a WorkspaceEdit, so Ctrl+Z in the text
//   editor undoes them. Stale or rejected → an error is posted and the model is refreshed.
// - Every message from the webview is checked against its schema (server/protocol/designer-messages.ts)
//   before anything happens; so is every intent before it goes to the language server.
// - Reveal: a node click selects its range in the text editor; moving the text cursor selects
//   the node whose range contains it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { check } from '../../server/protocol/check';
import { DesignerIntent } from '../../server/protocol/designer-intent';
import { checkFromWebview, FromWebview, ToWebview } from '../../server/protocol/designer-messages';
import {
  APPLY_INTENT_REQUEST, ApplyIntentParams, DIAGRAM_MODEL_REQUEST, DiagramModelParams, IntentResult,
} from '../../server/protocol/designer-requests';
import { DiagramModel, Range as LspRange } from '../../server/protocol/diagram-model';
import type { LiveView } from '../../server/protocol/designer-live';
import { ModelPoster } from '../../server/protocol/model-patch';
import { pickLvsFile } from '../generate/generated-files';
import { designerHtml, webviewOptions } from './html';
import { LiveFeed } from './live-feed';
import type { LiveKey, LiveSource } from '../live/live-source';
import { runServerAction, ServerActionOptions } from './server-action';
import { DESIGNER_VIEW_TYPE } from './names';
import { requireTrust } from '../workspace-trust';

const MODEL_DEBOUNCE_MS = 50;

export interface RenderedInfo {
  version: number;
  nodes: number;
  ms: number;
  at: number;
}

/** What the real-VS-Code tests drive (returned by activate() as `designer`). */
export interface DesignerApi {
  /** URIs of the documents that have an open designer. */
  openPanels(): string[];
  /** Same path as an intent from the webview; `version` defaults to the document's current one. */
  applyIntent(uri: string, intent: DesignerIntent, version?: number): Promise<IntentResult>;
  /** The last model received from the server for this document. */
  lastModel(uri: string): DiagramModel | undefined;
  /** The last model the webview reported as rendered (proves the webview script runs). */
  lastRendered(uri: string): RenderedInfo | undefined;
  /** The node id last posted to the webview as `select` (text cursor → diagram), if any. */
  lastSelect(uri: string): string | null | undefined;
  /** Errors the webview reported (script errors, CSP violations), oldest first. */
  webviewErrors(uri: string): string[];
  /** Feeds a raw message through the same path (validation included) as one from the webview. */
  receive(uri: string, message: unknown): Promise<void>;
  /** The live view last posted to the webview, and whether a feed runs now. */
  liveState(uri: string): { view: LiveView; feeding: boolean } | undefined;
  /** Test mode only (register.ts): stands in for the click on a live action's modal; undefined puts VS Code's back. */
  setActionConfirm?(confirm: ServerActionOptions['confirm']): void;
}

interface Session {
  document: vscode.TextDocument;
  panel: vscode.WebviewPanel;
  disposables: vscode.Disposable[];
  timer?: ReturnType<typeof setTimeout>;
  /** Sequence number of the latest model request (older answers are dropped). */
  seq: number;
  lastSelect?: string | null;
  /** Failed model requests in a row (retried with a growing delay). */
  retries: number;
  /** The models posted to the webview: an identical model is not posted again, a changed one as a patch. */
  poster: ModelPoster;
  pendingCluster?: string;
  disposed: boolean;
  /** The live overlay: on (toggle), the webview visible, the feed while both hold, the last view posted. */
  live: { on: boolean; visible: boolean; target?: LiveKey['target']; feed?: LiveFeed; view: LiveView };
}

export class DesignerProvider implements vscode.CustomTextEditorProvider, vscode.Disposable {
  private readonly sessions = new Set<Session>();
  private readonly models = new Map<string, DiagramModel>();
  private readonly rendered = new Map<string, RenderedInfo>();
  private readonly pendingCluster = new Map<string, string>();
  private readonly errors = new Map<string, string[]>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The test suite's stand-in for the live actions' modal (setActionConfirm, test mode only). */
  private actionConfirm: ServerActionOptions['confirm'];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: Promise<LanguageClient>,
    private readonly log: vscode.LogOutputChannel,
    /** The live status the status bar and the LVS Hosts view show too (client/live/live-status.ts). */
    private readonly live: LiveSource,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        for (const s of this.sessionsFor(e.document.uri)) this.scheduleRefresh(s);
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) for (const s of this.sessionsFor(uri)) this.scheduleRefresh(s, 150);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
    );
  }

  dispose(): void {
    for (const s of [...this.sessions]) this.closeSession(s);
    for (const d of this.disposables) d.dispose();
  }

  // -------------------------------------------------------------------------------------------
  // opening

  /** `lvs.openDesigner [uri] [cluster]`: opens (or reveals) the designer beside the text editor. */
  async open(arg?: unknown, cluster?: unknown): Promise<void> {
    const uri = resolveTarget(arg) ?? (await pickLvsFile());
    if (!uri) return;
    const existing = this.sessionsFor(uri)[0];
    if (typeof cluster === 'string' && cluster) {
      if (existing) this.post(existing, { type: 'focusCluster', cluster });
      else this.pendingCluster.set(uri.toString(), cluster);
    }
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn, false);
      return;
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE, vscode.ViewColumn.Beside);
  }

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel, _token: vscode.CancellationToken): Promise<void> {
    const session: Session = {
      document, panel, disposables: [], seq: 0, retries: 0, disposed: false, poster: new ModelPoster(),
      live: { on: false, visible: panel.visible, view: { status: 'off', clusters: [] } },
    };
    const key = document.uri.toString();
    session.pendingCluster = this.pendingCluster.get(key);
    this.pendingCluster.delete(key);
    this.sessions.add(session);
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = designerHtml(panel.webview, this.extensionUri);
    session.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(session, m)),
      // No onDidChangeViewState refresh: a hidden webview is destroyed and re-created when shown,
      // and the new one asks for the model with `ready`.
      panel.onDidDispose(() => this.closeSession(session)),
      // No live refreshes while the panel is hidden.
      panel.onDidChangeViewState(() => this.setLiveVisible(session, panel.visible)),
    );
    this.log.info(`designer opened for ${key}`);
  }

  private closeSession(s: Session): void {
    if (s.disposed) return;
    s.disposed = true;
    s.live.feed?.stop();
    if (s.timer) clearTimeout(s.timer);
    for (const d of s.disposables) d.dispose();
    this.sessions.delete(s);
    const key = s.document.uri.toString();
    if (this.sessionsFor(s.document.uri).length === 0) this.rendered.delete(key);
    this.log.info(`designer closed for ${key}`);
  }

  private sessionsFor(uri: vscode.Uri): Session[] {
    const key = uri.toString();
    return [...this.sessions].filter((s) => s.document.uri.toString() === key);
  }

  private post(s: Session, message: ToWebview): void {
    if (s.disposed) return;
    void s.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  // -------------------------------------------------------------------------------------------
  // model

  private scheduleRefresh(s: Session, delay = MODEL_DEBOUNCE_MS): void {
    if (s.disposed) return;
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      void this.refresh(s);
    }, delay);
  }

  private async requestModel(uri: vscode.Uri): Promise<DiagramModel> {
    const client = await this.client;
    const params: DiagramModelParams = { uri: client.code2ProtocolConverter.asUri(uri) };
    const model = await client.sendRequest<DiagramModel | null>(DIAGRAM_MODEL_REQUEST, params);
    if (!model || typeof model !== 'object' || !Array.isArray(model.clusters)) throw new Error(vscode.l10n.t('the language server returned no diagram model for this document'));
    this.models.set(uri.toString(), model);
    return model;
  }

  private async refresh(s: Session): Promise<void> {
    const seq = ++s.seq;
    try {
      const t0 = Date.now();
      const model = await this.requestModel(s.document.uri);
      if (s.disposed || seq !== s.seq) return;
      const message = s.poster.message(model);
      if (message) {
        this.log.debug(`designer: model of version ${model.version} (${model.clusters.reduce((n, c) => n + c.nodes.length, 0)} nodes${message.type === 'modelPatch' ? `, posted as a patch of ${message.patch.clusters.reduce((n, c) => n + c.nodes.length + c.edges.length, 0)} nodes and edges` : ''}) in ${Date.now() - t0} ms`);
        this.post(s, message);
      }
      s.retries = 0;
      if (s.pendingCluster) {
        this.post(s, { type: 'focusCluster', cluster: s.pendingCluster });
        s.pendingCluster = undefined;
      }
    } catch (err) {
      if (s.disposed || seq !== s.seq) return;
      const message = vscode.l10n.t('Cannot get the diagram model: {0}', errorText(err));
      this.log.error(message);
      this.post(s, { type: 'error', message });
      // The server may be starting or restarting: try again a few times.
      if (s.retries < 5) {
        s.retries++;
        this.scheduleRefresh(s, 1000 * s.retries);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // messages from the webview

  private async onMessage(s: Session, raw: unknown): Promise<void> {
    const checked = checkFromWebview(raw);
    if (!checked.ok) {
      if (checked.ignored) this.log.warn(`designer: ignored message: ${checked.error}`);
      else {
        this.log.warn(`designer: rejected malformed message: ${checked.error}`);
        this.post(s, { type: 'error', message: vscode.l10n.t('Rejected a malformed request from the designer ({0}).', checked.error) });
      }
      return;
    }
    const m: FromWebview = checked.value;
    switch (m.type) {
      case 'ready':
      case 'requestModel':
        // a (re)loaded webview has nothing: post the model even if it did not change
        s.lastSelect = undefined;
        s.poster.reset();
        this.scheduleRefresh(s, 0);
        if (m.type === 'ready' && s.live.on) this.post(s, { type: 'live', view: s.live.view });
        return;
      case 'setLive':
        await this.setLive(s, m.on);
        return;
      case 'visibility':
        this.setLiveVisible(s, m.visible);
        return;
      case 'failover':
      case 'serverAction': {
        const action = m.type === 'failover' ? 'failover' : m.action;
        const server = m.type === 'failover' ? '' : m.server;
        if (!s.live.target) {
          void vscode.window.showWarningMessage(vscode.l10n.t('Go live first: the action acts on the target the designer shows.'));
          return;
        }
        await runServerAction(action, {
          cli: vscode.Uri.joinPath(this.extensionUri, 'dist', 'server', 'cli.js').fsPath, file: s.document.uri.fsPath,
          cluster: m.cluster, target: s.live.target, server, log: this.log, confirm: this.actionConfirm,
          questions: (log) => this.live.actionQuestions(log),
        });
        return;
      }
      case 'reveal':
        await this.reveal(s, m.range);
        return;
      case 'intent': {
        const result = await this.applyIntentTo(s.document, m.version, m.intent);
        this.post(s, { type: 'intentResult', requestId: m.requestId, ok: result.ok, ...(result.ok ? {} : { reason: result.reason, message: result.message }) });
        // Stale or rejected: the webview shows why (intentResult) and gets the current model.
        if (!result.ok) this.scheduleRefresh(s, 0);
        return;
      }
      case 'rendered':
        this.rendered.set(s.document.uri.toString(), { version: m.version, nodes: m.nodes, ms: m.ms, at: Date.now() });
        this.log.debug(`designer rendered version ${m.version}: ${m.nodes} nodes in ${m.ms.toFixed(1)} ms`);
        return;
      case 'log':
        if (m.level === 'error') {
          this.log.error(`designer webview: ${m.message}`);
          const list = this.errors.get(s.document.uri.toString()) ?? [];
          if (list.length < 100) list.push(m.message);
          this.errors.set(s.document.uri.toString(), list);
        }
        else if (m.level === 'warn') this.log.warn(`designer webview: ${m.message}`);
        else this.log.info(`designer webview: ${m.message}`);
        return;
      default: {
        // Every message type of FromWebview has its case: a new one fails to compile here.
        const unhandled: never = m;
        void unhandled;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // live overlay

  private postLive(s: Session, view: LiveView): void {
    s.live.view = view;
    this.post(s, { type: 'live', view });
  }

  /** The toggle: on asks which target (once per designer), refuses in an untrusted workspace. */
  private async setLive(s: Session, on: boolean): Promise<void> {
    if (!on) {
      s.live.on = false;
      s.live.feed?.stop();
      s.live.feed = undefined;
      this.postLive(s, { status: 'off', clusters: [] });
      return;
    }
    const untrusted = vscode.l10n.t('live state connects to the hosts: trust this workspace first');
    if (!requireTrust(untrusted, { quiet: true })) {
      this.postLive(s, { status: 'error', message: untrusted, clusters: [] });
      return;
    }
    if (!s.live.target) {
      const pick = await vscode.window.showQuickPick([
        { label: 'lab', description: vscode.l10n.t('the local lab built from this file (lvsdr lab up)'), target: 'lab' as const },
        { label: 'hosts', description: vscode.l10n.t('the real hosts, over SSH as the file says'), target: 'hosts' as const },
      ], { title: vscode.l10n.t('Show the live state of which target?'), ignoreFocusOut: true });
      if (!pick) return;
      s.live.target = pick.target;
    }
    s.live.on = true;
    this.startFeed(s);
  }

  private setLiveVisible(s: Session, visible: boolean): void {
    if (s.live.visible === visible) return;
    s.live.visible = visible;
    if (!visible) {
      s.live.feed?.stop();
      s.live.feed = undefined;
      this.log.debug('designer: live feed paused (panel hidden)');
    } else this.startFeed(s);
  }

  private startFeed(s: Session): void {
    if (!s.live.on || !s.live.visible || s.live.feed || s.disposed || !s.live.target) return;
    const clusters = this.models.get(s.document.uri.toString())?.clusters.map((c) => c.name) ?? [];
    if (clusters.length === 0) {
      this.postLive(s, { status: 'error', target: s.live.target, message: vscode.l10n.t('the file has no cluster to show'), clusters: [] });
      return;
    }
    const feed = new LiveFeed(this.live, {
      file: s.document.uri.fsPath, clusters, target: s.live.target,
      onView: (view) => {
        // A feed that stopped by itself is dropped: showing the panel again, or the toggle, starts a new one.
        if (view.status === 'error' && s.live.feed === feed) {
          feed.stop();
          s.live.feed = undefined;
        }
        this.postLive(s, view);
      },
    });
    s.live.feed = feed;
    feed.start();
  }

  /** Sends an intent to the server and applies the answer as one WorkspaceEdit (one undo step). */
  async applyIntentTo(document: vscode.TextDocument, version: number, intent: DesignerIntent): Promise<IntentResult> {
    const checked = check(DesignerIntent, intent);
    if (!checked.ok) return { ok: false, reason: 'invalid', message: checked.error };
    if (version !== document.version) {
      return { ok: false, reason: 'stale', message: vscode.l10n.t('The diagram was drawn from version {0} of the text, which is now at version {1}; the diagram is refreshed, try again.', version, document.version) };
    }
    let answer: unknown;
    try {
      const client = await this.client;
      const params: ApplyIntentParams = { uri: client.code2ProtocolConverter.asUri(document.uri), version, intent: checked.value };
      answer = await client.sendRequest<unknown>(APPLY_INTENT_REQUEST, params);
    } catch (err) {
      return { ok: false, reason: 'invalid', message: vscode.l10n.t('The language server could not apply the change: {0}', errorText(err)) };
    }
    const reply = check(IntentResult, answer);
    if (!reply.ok) return { ok: false, reason: 'invalid', message: vscode.l10n.t('The language server gave no usable answer to the change ({0}).', reply.error) };
    const result = reply.value;
    if (!result.ok) {
      this.log.info(`designer: ${checked.value.type} rejected (${result.reason}): ${result.message}`);
      return result;
    }
    // The text may have moved on while the server computed the edits.
    if (document.version !== version) {
      return { ok: false, reason: 'stale', message: vscode.l10n.t('The text changed while the change was computed; the diagram is refreshed, try again.') };
    }
    if (result.edits.length === 0) return result;
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) edit.replace(document.uri, toRange(e.range), e.newText);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) return { ok: false, reason: 'stale', message: vscode.l10n.t('VS Code refused the edit (the text changed meanwhile); the diagram is refreshed, try again.') };
    this.log.info(`designer: ${checked.value.type} applied (${result.edits.length} edit(s)) to ${document.uri.toString()}`);
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // text editor ↔ diagram selection

  private async reveal(s: Session, range: LspRange): Promise<void> {
    const doc = s.document;
    const last = Math.max(0, doc.lineCount - 1);
    const clamp = (p: { line: number; character: number }) => doc.validatePosition(new vscode.Position(Math.min(p.line, last), p.character));
    const start = clamp(range.start);
    const end = clamp(range.end);
    // Cursor at the start of the declaration (that is the node the text cursor maps back to).
    const selection = new vscode.Selection(end, start);
    let editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
    if (!editor) {
      const column = s.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
      editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: true, preview: false });
    }
    editor.selection = selection;
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const sessions = this.sessionsFor(e.textEditor.document.uri);
    if (sessions.length === 0) return;
    const model = this.models.get(e.textEditor.document.uri.toString());
    if (!model) return;
    const nodeId = nodeAt(model, e.selections[0].active);
    for (const s of sessions) {
      if (s.lastSelect === nodeId) continue;
      s.lastSelect = nodeId;
      this.post(s, { type: 'select', nodeId });
    }
  }

  // -------------------------------------------------------------------------------------------
  // test API

  api(): DesignerApi {
    return {
      openPanels: () => [...new Set([...this.sessions].map((s) => s.document.uri.toString()))],
      applyIntent: async (uri, intent, version) => {
        const target = vscode.Uri.parse(uri);
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString()) ?? (await vscode.workspace.openTextDocument(target));
        return this.applyIntentTo(doc, version ?? doc.version, intent);
      },
      lastModel: (uri) => this.models.get(vscode.Uri.parse(uri).toString()),
      lastRendered: (uri) => this.rendered.get(vscode.Uri.parse(uri).toString()),
      webviewErrors: (uri) => [...(this.errors.get(vscode.Uri.parse(uri).toString()) ?? [])],
      lastSelect: (uri) => this.sessionsFor(vscode.Uri.parse(uri))[0]?.lastSelect,
      receive: async (uri, message) => {
        const s = this.sessionsFor(vscode.Uri.parse(uri))[0];
        if (!s) throw new Error(`no designer is open for ${uri}`);
        await this.onMessage(s, message);
      },
      liveState: (uri) => {
        const s = this.sessionsFor(vscode.Uri.parse(uri))[0];
        return s ? { view: s.live.view, feeding: !!s.live.feed } : undefined;
      },
      setActionConfirm: (confirm) => { this.actionConfirm = confirm; },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// helpers

function toRange(r: LspRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The id of the innermost node whose declaration range contains the position. */
export function nodeAt(model: DiagramModel, pos: vscode.Position): string | null {
  let best: string | null = null;
  let bestSize = Infinity;
  for (const c of model.clusters) {
    for (const n of c.nodes) {
      const r = n.range;
      if (!r) continue;
      const afterStart = pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.character);
      const beforeEnd = pos.line < r.end.line || (pos.line === r.end.line && pos.character <= r.end.character);
      if (!afterStart || !beforeEnd) continue;
      const size = (r.end.line - r.start.line) * 100_000 + (r.end.character - r.start.character);
      if (size < bestSize) {
        bestSize = size;
        best = n.id;
      }
    }
  }
  return best;
}

/** The .lvs document a command targets: its argument, else the active text or custom editor. */
function resolveTarget(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return vscode.Uri.parse(arg);
  const active = vscode.window.activeTextEditor;
  if (active && active.document.languageId === 'lvs') return active.document.uri;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const input = tab?.input;
  if (input instanceof vscode.TabInputText && input.uri.path.endsWith('.lvs')) return input.uri;
  if (input instanceof vscode.TabInputCustom && input.viewType === DESIGNER_VIEW_TYPE) return input.uri;
  return vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'lvs')?.document.uri;
}
