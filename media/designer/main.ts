// The designer webview app. It draws what the extension posts (the server's diagram model),
// keeps only UI state (selection, expanded groups, scroll, column order) in vscode.setState,
// and turns user edits into intents carrying the model version they were made on. It never
// edits text itself: the extension applies the server's TextEdits to the TextDocument.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-group/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { DesignerIntent } from '../../server/protocol/designer-intent';
import type { FromWebview, ToWebview } from '../../server/protocol/designer-messages';
import type { DiagramModel, DiagramNode, Range } from '../../server/protocol/diagram-model';
import { applyModelPatch } from '../../server/protocol/model-patch';
import { DiagramView } from './diagram';
import { clear, h, icon, s } from './dom';
import { FormContext, renderGroup, renderProperties, renderRouter } from './forms';
import { ClusterLayout, GroupInfo, Item, layoutCluster, OrderMemory, patchLayout, sameStructure } from './layout';
import { LiveMark, liveMarks, liveSummary } from './live';
import { kindTitle, titleOf } from './nodeinfo';
import { syntaxErrorText } from './syntax-error-text';
import * as l10n from './l10n';
import type { LiveView } from '../../server/protocol/designer-live';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PersistedState {
  v: 1;
  selected?: string;
  expanded: string[];
  scrollTop: number;
  scrollLeft: number;
  order: OrderMemory;
  /** Diagram zoom; undefined = fit the width on first show. */
  zoom?: number;
}

function loadState(raw: unknown): PersistedState {
  const st: PersistedState = { v: 1, expanded: [], scrollTop: 0, scrollLeft: 0, order: {} };
  if (!raw || typeof raw !== 'object') return st;
  const r = raw as Partial<PersistedState>;
  if (r.v !== 1) return st;
  if (typeof r.selected === 'string') st.selected = r.selected;
  if (Array.isArray(r.expanded)) st.expanded = r.expanded.filter((x): x is string => typeof x === 'string');
  if (typeof r.scrollTop === 'number') st.scrollTop = r.scrollTop;
  if (typeof r.scrollLeft === 'number') st.scrollLeft = r.scrollLeft;
  if (typeof r.zoom === 'number' && r.zoom > 0) st.zoom = r.zoom;
  if (r.order && typeof r.order === 'object') {
    for (const [k, v] of Object.entries(r.order)) if (Array.isArray(v)) st.order[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return st;
}

const MAX_DIAG_ROWS = 500;
/** Fit never zooms below this: text stays readable (12 px node text → ≥ 9.6 px). */
const MIN_FIT_ZOOM = 0.8;
/** Height of a cluster's title and paddings around its canvas (canvas px). */
const SECTION_CHROME = 52;
/** A "Done" line goes away by itself after this long. */
const STATUS_MS = 4000;

class App {
  private readonly api: VsCodeApi;
  private readonly state: PersistedState;
  private model: DiagramModel | undefined;
  /** Sequence number of the model shown (a patch applies to it only). */
  private modelSeq: number | undefined;
  private layouts: ClusterLayout[] = [];
  private readonly draft = new Map<string, string>();
  private requestSeq = 0;
  private firstModel = true;
  private propsSig = '';
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Rows of the problems list by key (reused across models) and what a click on each does. */
  private diagRows = new Map<string, HTMLLIElement>();
  private readonly diagActions = new WeakMap<Element, () => void>();

  private readonly banner: HTMLElement;
  private readonly status: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly diagramHost: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly props: HTMLElement;
  private readonly diagList: HTMLElement;
  private readonly diagCount: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly backdrop: HTMLElement;
  private readonly diagram: DiagramView;
  private readonly liveButton: HTMLElement;
  private readonly liveText: HTMLElement;
  private live: LiveView = { status: 'off', clusters: [] };
  private marks = new Map<string, LiveMark>();
  private statusTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(root: HTMLElement, api: VsCodeApi) {
    this.api = api;
    this.state = loadState(api.getState());
    clear(root);
    root.removeAttribute('aria-busy');

    const refresh = h('vscode-button', { secondary: true, icon: 'refresh', 'data-testid': 'refresh', title: l10n.t('Ask the language server for the diagram again') }, l10n.t('Refresh'));
    refresh.addEventListener('click', () => this.post({ type: 'requestModel' }));
    this.summary = h('span', { class: 'summary', 'data-testid': 'summary' });
    const zoomBtn = (name: string, label: string, testid: string, f: () => void) => {
      const b = h('vscode-button', { secondary: true, icon: name, 'icon-only': true, title: label, 'aria-label': label, 'data-testid': testid });
      b.addEventListener('click', f);
      return b;
    };
    this.liveButton = h('vscode-button', { secondary: true, icon: 'pulse', 'data-testid': 'live-toggle', 'aria-pressed': 'false',
      title: l10n.t('Show the running cluster over the diagram (VRRP state, connections, health), refreshed while this panel is visible') }, l10n.t('Go live'));
    this.liveButton.addEventListener('click', () => this.post({ type: 'setLive', on: this.live.status === 'off' }));
    this.liveText = h('span', { class: 'live-text', 'data-testid': 'live-status', role: 'status' });
    const header = h('header', { class: 'toolbar' },
      h('h1', {}, icon('type-hierarchy'), ` ${l10n.t('Topology')}`),
      this.summary,
      legend(),
      h('span', { class: 'spacer' }),
      this.liveText,
      this.liveButton,
      zoomBtn('zoom-out', l10n.t('Zoom out (-)'), 'zoom-out', () => this.diagram.zoomAt(this.diagram.getZoom() - 0.1)),
      zoomBtn('screen-normal', l10n.t('Fit the diagram to the panel (0)'), 'zoom-fit', () => this.fit()),
      zoomBtn('zoom-in', l10n.t('Zoom in (+)'), 'zoom-in', () => this.diagram.zoomAt(this.diagram.getZoom() + 0.1)),
      refresh);

    this.banner = h('div', { class: 'banner', role: 'alert', 'data-testid': 'syntax-banner', hidden: true });
    this.status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': 'status' });

    this.diagramHost = h('div', { class: 'diagram-host' });
    this.empty = h('p', { class: 'empty', hidden: true }, l10n.t('No cluster in this file yet. Type "cluster NAME { … }" in the text editor.'));
    this.scroller = h('div', { class: 'diagram-scroll', 'data-testid': 'diagram', role: 'region', tabindex: 0,
      'aria-label': l10n.t('LVS-DR topology diagram. Tab moves between nodes and arrows move to the nearest one; Enter opens the properties, Delete removes. On the panel: arrows pan, + and - zoom, 0 fits; drag pans, Ctrl+wheel zooms.') }, this.empty, this.diagramHost);

    this.props = h('div', { class: 'props-body', 'data-testid': 'properties' });
    this.diagCount = h('vscode-badge', { variant: 'counter', 'data-testid': 'diagnostics-count' }, '0');
    this.diagList = h('ul', { class: 'diag-list', 'data-testid': 'diagnostics-list' });
    this.diagList.addEventListener('click', (e) => {
      const row = (e.target as Element).closest('li');
      if (row && (e.target as Element).closest('button')) this.diagActions.get(row)?.();
    });
    const side = h('aside', { class: 'side' },
      h('section', { class: 'panel', 'aria-labelledby': 'props-h' }, h('h2', { id: 'props-h' }, l10n.t('Properties')), this.props),
      h('section', { class: 'panel', 'aria-labelledby': 'diag-h' }, h('h2', { id: 'diag-h' }, `${l10n.t('Problems')} `, this.diagCount), this.diagList));

    this.backdrop = h('div', { class: 'modal-backdrop', hidden: true });
    root.append(header, this.banner, this.status, h('div', { class: 'main' }, this.scroller, side), this.backdrop);

    this.diagram = new DiagramView(this.scroller, this.diagramHost, {
      select: (id, reveal) => this.select(id, reveal),
      activate: (id) => this.activate(id),
      remove: (id) => void this.remove(id),
      toggleGroup: (id) => this.toggleGroup(id),
      widthChanged: () => this.relayout(),
      zoomed: (z) => {
        this.state.zoom = z;
        this.saveSoon();
      },
      fit: () => this.fit(),
    });
    // No refreshes while the panel is hidden (the extension stops asking the target).
    document.addEventListener('visibilitychange', () => this.post({ type: 'visibility', visible: document.visibilityState === 'visible' }));
    this.scroller.addEventListener('scroll', () => {
      this.state.scrollTop = this.scroller.scrollTop;
      this.state.scrollLeft = this.scroller.scrollLeft;
      this.saveSoon();
    }, { passive: true });
    this.renderProps(true);
    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data as ToWebview));
    this.post({ type: 'ready' });
  }

  post(m: FromWebview): void {
    this.api.postMessage(m);
  }

  private saveSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.api.setState(this.state);
    }, 200);
  }

  /** The status line; a success goes away by itself (errors stay until the next action). */
  private setStatus(text: string, kind: 'info' | 'error' | 'done' = 'info'): void {
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    this.status.textContent = text;
    this.status.classList.toggle('error', kind === 'error');
    if (kind === 'done') {
      this.statusTimer = setTimeout(() => {
        this.statusTimer = undefined;
        this.status.textContent = '';
      }, STATUS_MS);
    }
  }

  // -------------------------------------------------------------------------------------------
  // messages

  private onMessage(m: ToWebview): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'model':
        this.modelSeq = typeof m.seq === 'number' ? m.seq : undefined;
        this.onModel(m.model);
        return;
      case 'modelPatch': {
        // A patch of the model shown; anything else (a patch of another model) asks for the whole.
        const next = this.model && this.modelSeq !== undefined && m.base === this.modelSeq ? applyModelPatch(this.model, m.patch) : undefined;
        if (!next) {
          this.modelSeq = undefined;
          this.post({ type: 'requestModel' });
          return;
        }
        this.modelSeq = m.seq;
        this.onModel(next);
        return;
      }
      case 'select':
        if (m.nodeId && this.findNode(m.nodeId)) {
          this.setSelected(m.nodeId);
          this.diagram.reveal(m.nodeId, false);
        }
        return;
      case 'intentResult':
        if (m.ok) this.setStatus(l10n.t('Done. The text changed; Ctrl+Z in the text editor undoes it.'), 'done');
        else this.setStatus(m.reason ? l10n.t('Not applied ({0}): {1}', m.reason, m.message ?? l10n.t('unknown reason')) : l10n.t('Not applied: {0}', m.message ?? l10n.t('unknown reason')), 'error');
        return;
      case 'error':
        this.setStatus(m.message, 'error');
        return;
      case 'focusCluster':
        this.diagram.scrollToCluster(m.cluster);
        return;
      case 'live':
        this.onLive(m.view);
        return;
    }
  }

  private get readOnly(): boolean {
    return !this.model || !this.model.parsedOk;
  }

  private onModel(model: DiagramModel): void {
    const t0 = performance.now();
    const prev = this.model;
    this.model = model;
    // The same nodes and edges in the same order (an edit of a weight, a property, a finding):
    // the layout stays, only what changed is redrawn. Anything else is laid out again.
    const patch = !!prev && !this.firstModel && prev.clusters.length === model.clusters.length && this.layouts.length === model.clusters.length
      && model.clusters.every((c, i) => this.layouts[i].cluster === prev.clusters[i] && sameStructure(prev.clusters[i], c));
    const empty = model.clusters.length === 0;
    if (this.empty.hidden === empty) this.empty.hidden = !empty;
    if (patch) {
      const patches = model.clusters.map((c, i) => patchLayout(this.layouts[i], prev.clusters[i], c));
      this.diagram.update(this.layouts, patches);
    } else {
      // The first model is painted once its zoom is known (below).
      this.relayout(!this.firstModel);
    }
    const readOnly = this.readOnly;
    document.body.classList.toggle('read-only', readOnly);
    if (!model.parsedOk) {
      const first = model.syntaxErrors.length ? syntaxErrorText(model.syntaxErrors[0]) : l10n.t('unknown error');
      const where = model.syntaxErrors.length > 1 ? l10n.t('{0} and {1} more', first, model.syntaxErrors.length - 1) : first;
      const text = ` ${l10n.t('The text has syntax errors ({0}); showing the last valid model — editing is disabled.', where)}`;
      if (this.banner.hidden || this.banner.textContent !== text) {
        this.banner.textContent = '';
        this.banner.append(icon('warning'), text);
        this.banner.hidden = false;
      }
    } else if (!this.banner.hidden) {
      this.banner.hidden = true;
    }
    if (this.firstModel) {
      this.firstModel = false;
      if (this.state.zoom === undefined) this.fit();
      else {
        this.state.zoom = this.diagram.setZoom(this.state.zoom);
        this.relayout();
        this.diagram.scrollTo(this.state.scrollTop, this.state.scrollLeft);
      }
    }
    const selected = this.state.selected;
    if (selected && !this.findNode(selected) && !this.findGroup(selected) && !this.findRouter(selected)) this.state.selected = undefined;
    this.diagram.setSelected(this.state.selected);
    this.renderProps(false);
    this.renderDiagnostics();
    const summary = model.clusters.length === 1 ? l10n.t('1 cluster · version {0}', model.version) : l10n.t('{0} clusters · version {1}', model.clusters.length, model.version);
    if (this.summary.textContent !== summary) this.summary.textContent = summary;
    // A patch changes no UI state (order, groups) unless the selected node went away.
    if (!patch || this.state.selected !== selected) this.api.setState(this.state);
    const nodes = model.clusters.reduce((n, c) => n + c.nodes.length, 0);
    this.post({ type: 'rendered', version: model.version, nodes, ms: performance.now() - t0 });
  }

  private relayout(paint = true): void {
    const model = this.model;
    if (!model) return;
    const expanded = new Set(this.state.expanded);
    const names = new Set(model.clusters.map((c) => c.name));
    for (const k of Object.keys(this.state.order)) if (!names.has(k.slice(0, k.lastIndexOf('/')))) delete this.state.order[k];
    const width = this.diagram.availableWidth();
    this.layouts = model.clusters.map((c) => layoutCluster(c, this.state.order, expanded, width));
    const groups = new Set(this.layouts.flatMap((l) => [...l.groupOf.values()]));
    this.state.expanded = this.state.expanded.filter((g) => groups.has(g));
    this.diagram.setLayouts(this.layouts, paint);
  }

  /**
   * Zooms and lays out so the whole diagram fits the panel: the largest zoom from 1 down to
   * MIN_FIT_ZOOM at which the layout for the panel's width at that zoom is not taller than the
   * panel; a diagram taller than that at MIN_FIT_ZOOM stays readable and scrolls.
   */
  private fit(): void {
    const model = this.model;
    if (!model) return;
    const vp = this.diagram.viewport();
    const expanded = new Set(this.state.expanded);
    let zoom = MIN_FIT_ZOOM;
    for (let z = 1; z >= MIN_FIT_ZOOM - 1e-9; z -= 0.05) {
      const width = vp.width / z;
      const height = model.clusters.reduce((sum, c) => sum + SECTION_CHROME + layoutCluster(c, { ...this.state.order }, expanded, width).height, 0);
      if (height * z <= vp.height) {
        zoom = z;
        break;
      }
    }
    this.state.zoom = this.diagram.setZoom(zoom);
    this.relayout();
    this.diagram.scrollTo(0, 0);
    this.saveSoon();
  }

  // -------------------------------------------------------------------------------------------
  // live state

  private onLive(view: LiveView): void {
    const t0 = performance.now();
    this.live = view;
    const on = view.status !== 'off';
    this.liveButton.setAttribute('aria-pressed', String(on));
    this.liveButton.textContent = on ? l10n.t('Stop live') : l10n.t('Go live');
    this.liveButton.setAttribute('icon', on ? 'debug-pause' : 'pulse');
    document.body.classList.toggle('live', view.status === 'live');
    const text = liveSummary(view);
    if (this.liveText.textContent !== text) this.liveText.textContent = text;
    this.liveText.classList.toggle('error', view.status === 'error');
    this.marks = liveMarks(view);
    const redrawn = this.diagram.setLive(this.marks);
    this.renderProps(false);
    // read by the UI tests and the overlay benchmark
    document.body.dataset.liveMs = (performance.now() - t0).toFixed(2);
    document.body.dataset.liveRedrawn = String(redrawn);
    document.body.dataset.liveAt = view.clusters[0]?.at ?? '';
  }

  // -------------------------------------------------------------------------------------------
  // lookup

  private findRouter(id: string): { item: Item; layout: ClusterLayout } | undefined {
    for (const layout of this.layouts) if (layout.routerId === id) return { item: layout.byId.get(id)!, layout };
    return undefined;
  }

  private findNode(id: string): { node: DiagramNode; layout: ClusterLayout } | undefined {
    for (const layout of this.layouts) {
      const node = layout.cluster.nodes.find((n) => n.id === id);
      if (node) return { node, layout };
    }
    return undefined;
  }

  private findGroup(id: string): { group: GroupInfo; layout: ClusterLayout } | undefined {
    for (const layout of this.layouts) {
      const group = layout.byId.get(id)?.group;
      if (group) return { group, layout };
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // selection and actions

  private setSelected(id: string | undefined): void {
    this.state.selected = id;
    this.diagram.setSelected(id);
    this.renderProps(true);
    this.saveSoon();
  }

  private select(id: string, reveal: boolean): void {
    this.setSelected(id);
    const found = this.findNode(id);
    if (reveal && found?.node.range) this.post({ type: 'reveal', range: found.node.range, nodeId: id });
  }

  private activate(id: string): void {
    this.select(id, true);
    const target = this.props.querySelector<HTMLElement>('vscode-textfield:not([disabled]), vscode-single-select:not([disabled]), vscode-checkbox:not([disabled]), vscode-button:not([disabled])');
    if (target) target.focus();
    else {
      const title = this.props.querySelector<HTMLElement>('.props-title');
      if (title) {
        title.tabIndex = -1;
        title.focus();
      }
    }
  }

  private toggleGroup(id: string): void {
    const set = new Set(this.state.expanded);
    if (set.has(id)) set.delete(id);
    else set.add(id);
    this.state.expanded = [...set];
    this.relayout();
    this.diagram.setSelected(this.state.selected);
    this.diagram.reveal(id, true);
    this.renderProps(false);
    this.saveSoon();
  }

  private async remove(id: string): Promise<void> {
    const found = this.findNode(id);
    if (!found || found.node.kind === 'client') return;
    if (this.readOnly) {
      this.setStatus(l10n.t('Editing is disabled while the text has syntax errors.'), 'error');
      return;
    }
    const n = found.node;
    const what = `${kindTitle(n.kind)} ${titleOf(n)}`;
    const ok = await this.confirm(l10n.t('Remove {0} from cluster {1}?', what, found.layout.name), l10n.t('Its declaration and the lines that refer to it are removed from the text. Ctrl+Z in the text editor undoes it.'));
    if (ok) this.sendIntent({ type: 'removeNode', cluster: found.layout.name, nodeId: n.id });
  }

  private sendIntent(intent: DesignerIntent): void {
    const model = this.model;
    if (!model || !model.parsedOk) {
      this.setStatus(l10n.t('Editing is disabled while the text has syntax errors.'), 'error');
      return;
    }
    const requestId = ++this.requestSeq;
    this.setStatus(l10n.t('Changing the text…'));
    this.post({ type: 'intent', requestId, version: model.version, intent });
  }

  private revealRange(range: Range, nodeId?: string): void {
    this.post({ type: 'reveal', range, ...(nodeId ? { nodeId } : {}) });
  }

  // -------------------------------------------------------------------------------------------
  // panels

  private formContext(layout: ClusterLayout): FormContext {
    return {
      model: this.model!,
      cluster: layout.cluster,
      readOnly: this.readOnly,
      draft: this.draft,
      sendIntent: (i) => this.sendIntent(i),
      requestRemove: (n) => void this.remove(n.id),
      toggleGroup: (g) => this.toggleGroup(g),
      selectNode: (id) => this.select(id, true),
      liveOf: (id) => this.marks.get(id),
      serverAction: (action, server) => this.post({ type: 'serverAction', action, cluster: layout.name, server }),
      failover: () => this.post({ type: 'failover', cluster: layout.name }),
    };
  }

  /** Re-renders the properties panel when the selection or the selected node's data changed. */
  private renderProps(force: boolean): void {
    const id = this.state.selected;
    const node = id ? this.findNode(id) : undefined;
    const group = id && !node ? this.findGroup(id) : undefined;
    const router = id && !node && !group ? this.findRouter(id) : undefined;
    const sig = JSON.stringify([id, this.readOnly, node?.node, group?.group.label, group?.group.expanded, node ? node.layout.cluster.edges.filter((e) => e.to === id || e.from === id) : null,
      router?.item.router, id ? this.marks.get(id)?.sig : '']);
    if (!force && sig === this.propsSig) return;
    const hadFocus = this.props.contains(document.activeElement);
    this.propsSig = sig;
    if (node) renderProperties(this.props, node.node, this.formContext(node.layout));
    else if (group) renderGroup(this.props, group.group, this.formContext(group.layout));
    else if (router) renderRouter(this.props, router.item.router!);
    else renderProperties(this.props, undefined, this.formContext(this.layouts[0] ?? ({ cluster: { name: '', nodes: [], edges: [] } } as unknown as ClusterLayout)));
    if (hadFocus && !force) this.props.querySelector<HTMLElement>('vscode-textfield, vscode-single-select, vscode-button')?.focus();
  }

  /**
   * The problems list. Rows are keyed by what they show and reused: a model whose findings did
   * not change leaves the list alone; otherwise only the rows that differ are created or removed.
   */
  private renderDiagnostics(): void {
    const model = this.model!;
    type Row = { key: string; build: () => HTMLLIElement; action?: () => void };
    const rows: Row[] = [];
    const sevIcon = (sev: string) => icon(sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'info');
    let total = 0;
    if (!model.parsedOk) {
      for (const e of model.syntaxErrors) {
        total++;
        const msg = syntaxErrorText(e);
        const l = e.line - 1;
        rows.push({
          key: JSON.stringify(['s', msg]),
          build: () => h('li', {}, h('button', { class: 'diag-item sev-error', type: 'button' }, icon('error'), ' ', h('strong', {}, l10n.t('syntax')), ' ', msg)),
          action: l >= 0 ? () => this.revealRange({ start: { line: l, character: 0 }, end: { line: l, character: 0 } }) : undefined,
        });
      }
    }
    let shown = rows.length;
    for (const layout of this.layouts) {
      for (const d of layout.cluster.diagnostics ?? []) {
        total++;
        if (shown >= MAX_DIAG_ROWS) continue;
        shown++;
        const range = d.range;
        rows.push({
          key: JSON.stringify(['c', layout.name, d.severity, d.code, d.message]),
          build: () => h('li', {}, h('button', { class: `diag-item sev-${d.severity}`, type: 'button', title: `${d.code}: ${d.message}` },
            sevIcon(d.severity), ' ', h('strong', {}, d.code), ' ', h('span', { class: 'diag-node' }, `cluster ${layout.name}:`), ' ', d.message)),
          action: range ? () => this.revealRange(range) : undefined,
        });
      }
      for (const n of layout.cluster.nodes) {
        if (n.diagnostics.length === 0) continue;
        for (const d of n.diagnostics) {
          total++;
          if (shown >= MAX_DIAG_ROWS) continue;
          shown++;
          const title = titleOf(n);
          rows.push({
            key: JSON.stringify(['n', n.id, title, d.severity, d.code, d.message]),
            build: () => h('li', {}, h('button', { class: `diag-item sev-${d.severity}`, type: 'button', 'data-node-id': n.id, title: `${d.code}: ${d.message}` },
              sevIcon(d.severity), ' ', h('strong', {}, d.code), ' ', h('span', { class: 'diag-node' }, `${title}:`), ' ', d.message)),
            action: () => this.showNode(n.id, d.range),
          });
        }
      }
    }
    const hint = (text: string): Row => ({ key: JSON.stringify(['h', text]), build: () => h('li', { class: 'hint' }, text) });
    if (total > shown) rows.push(hint(l10n.t('… {0} more (see the Problems view)', total - shown)));
    if (total === 0) rows.push(hint(l10n.t('No problems.')));

    // Reconcile: reuse rows by key (a repeated key gets its occurrence number), keep the order.
    const old = this.diagRows;
    const next = new Map<string, HTMLLIElement>();
    const seen = new Map<string, number>();
    let cursor = this.diagList.firstChild;
    for (const row of rows) {
      const n = seen.get(row.key) ?? 0;
      seen.set(row.key, n + 1);
      const key = n ? `${row.key}#${n}` : row.key;
      let li = old.get(key);
      if (li) old.delete(key);
      else li = row.build();
      next.set(key, li);
      if (row.action) this.diagActions.set(li, row.action);
      else this.diagActions.delete(li);
      if (li === cursor) cursor = cursor.nextSibling;
      else this.diagList.insertBefore(li, cursor);
    }
    for (const li of old.values()) li.remove();
    this.diagRows = next;
    const count = String(total);
    if (this.diagCount.textContent !== count) this.diagCount.textContent = count;
  }

  /** Diagnostics list click: expand the group hiding the node, select it, reveal its range. */
  private showNode(id: string, range?: Range): void {
    const found = this.findNode(id);
    if (!found) return;
    const gid = found.layout.groupOf.get(id);
    if (gid && !this.state.expanded.includes(gid)) this.toggleGroup(gid);
    this.select(id, !range);
    if (range) this.revealRange(range, id);
    this.diagram.reveal(id, true);
  }

  // -------------------------------------------------------------------------------------------
  // confirm dialog (window.confirm is not available in webviews)

  private confirm(question: string, detail: string): Promise<boolean> {
    const previous = document.activeElement as HTMLElement | null;
    clear(this.backdrop);
    const ok = h('vscode-button', { 'data-testid': 'confirm-ok', icon: 'trash' }, l10n.t('Remove'));
    const cancel = h('vscode-button', { 'data-testid': 'confirm-cancel', secondary: true }, l10n.t('Cancel'));
    const dialog = h('div', { class: 'dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'dlg-q', 'aria-describedby': 'dlg-d', 'data-testid': 'confirm-dialog' },
      h('p', { id: 'dlg-q', class: 'dialog-q' }, question), h('p', { id: 'dlg-d', class: 'dialog-d' }, detail), h('div', { class: 'row end' }, ok, cancel));
    this.backdrop.appendChild(dialog);
    this.backdrop.hidden = false;
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        this.backdrop.hidden = true;
        clear(this.backdrop);
        if (previous && previous.isConnected) previous.focus();
        resolve(v);
      };
      ok.addEventListener('click', () => done(true));
      cancel.addEventListener('click', () => done(false));
      dialog.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          done(false);
        } else if (e.key === 'Tab') {
          e.preventDefault();
          (document.activeElement === ok ? cancel : ok).focus();
        } else if (e.key === 'Enter' && document.activeElement === ok) {
          e.preventDefault();
          done(true);
        }
      });
      cancel.focus();
    });
  }
}

function legend(): HTMLElement {
  const sample = (cls: string) => s('svg', { width: 34, height: 10, class: `legend-line ${cls}`, 'aria-hidden': 'true', focusable: 'false' },
    s('line', { x1: 1, y1: 5, x2: 28, y2: 5, class: 'edge-line' }),
    s('path', { d: 'M 26 1 L 33 5 L 26 9 z', class: `arrow ${cls === 'edge-request' ? 'arrow-request' : 'arrow-reply'}` }));
  return h('div', { class: 'legend', role: 'note', 'aria-label': l10n.t('Legend: solid arrows are the request path, client to VIP to director to real server; dashed arrows are the direct-routing reply path, real server straight back to the client.') },
    h('span', { class: 'legend-item edge-request' }, sample('edge-request'), ` ${l10n.t('request')}`),
    h('span', { class: 'legend-item edge-reply' }, sample('edge-reply'), ` ${l10n.t('reply (DR, via the router)')}`));
}

// ---------------------------------------------------------------------------------------------

(() => {
  const api = acquireVsCodeApi();
  const report = (message: string) => api.postMessage({ type: 'log', level: 'error', message });
  window.addEventListener('error', (e) => report(`${e.message} at ${e.filename}:${e.lineno}`));
  window.addEventListener('unhandledrejection', (e) => report(`unhandled rejection: ${String(e.reason)}`));
  document.addEventListener('securitypolicyviolation', (e) => report(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`));
  const root = document.getElementById('app');
  if (!root) {
    report('no #app element');
    return;
  }
  try {
    new App(root, api);
  } catch (err) {
    report(`designer failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
})();
