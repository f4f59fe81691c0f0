// The diagram: one section per cluster, each a canvas with an SVG edge layer and absolutely
// positioned DOM nodes (focusable, aria-labelled). Only the rows inside the scroll viewport
// (plus a margin) are in the DOM, so a column of 1,000 real servers stays cheap; node elements
// are keyed by id and reused across models, so focus survives re-renders.
//
// Re-renders touch only what changed: node elements and edge paths are keyed and carry a
// signature of what they show; the section header too. Painting never reads the layout of the
// page (no forced synchronous layout): the viewport is computed from the layout model, the
// scroll position (kept from scroll events) and the height of each section's title, which a
// ResizeObserver measures after the browser laid the page out.
import type { DiagramNode } from '../../server/protocol/diagram-model';
import { clear, h, icon, s } from './dom';
import { ClusterLayout, columnsFor, EdgeItem, Item, LayoutPatch, RAIL, TRUNK, visibleItems } from './layout';
import type { LiveMark } from './live';
import {
  ariaLabel, detailLines, diagSummary, diagTooltip, KIND_ICON, memberLine, titleOf, vipOnState, WeightInfo, allWeights, weightsOf, worstSeverity,
} from './nodeinfo';
import * as l10n from './l10n';

export interface DiagramCallbacks {
  /** Click / Space: select the item; `reveal` asks to show its range in the text. */
  select(itemId: string, reveal: boolean): void;
  /** Enter on a node: open its properties form. */
  activate(itemId: string): void;
  /** Delete / Backspace on a node. */
  remove(itemId: string): void;
  /** Expand or collapse a group node. */
  toggleGroup(groupId: string): void;
  /** The width the diagram has (canvas px at the current zoom) changed its number of columns. */
  widthChanged(): void;
  /** The user zoomed (wheel, keys, buttons): the zoom to remember. */
  zoomed(zoom: number): void;
  /** The fit key (0 or F): zoom and lay out so the diagram fits the panel. */
  fit(): void;
}

interface EdgeView {
  el: SVGGElement;
  path: SVGPathElement;
  text?: SVGTextElement;
  shape: EdgeShape;
}

/** What a node element shows now, part by part (fillNode changes only the parts that differ). */
interface NodeParts {
  base: string;
  label: string;
  expanded: string | null;
  headSig: string;
  head?: HTMLElement;
  lines: { sig: string; el: HTMLElement; text?: Text }[];
}

interface SectionView {
  layout: ClusterLayout;
  index: number;
  root: HTMLElement;
  title: HTMLElement;
  canvas: HTMLDivElement;
  svg: SVGSVGElement;
  decorLayer: SVGGElement;
  decorSig: string;
  edgeLayer: SVGGElement;
  prefix: string;
  nodes: Map<string, HTMLElement>;
  /** What each node element shows (signature), and where it is ("x y w h"). */
  sigs: Map<string, string>;
  parts: Map<string, NodeParts>;
  boxes: Map<string, string>;
  weights: Map<string, WeightInfo[]>;
  /** Edge paths in the SVG, by edge key. */
  edges: Map<string, EdgeView>;
  /** Items in the painted range at the last paint. */
  visible: Set<string>;
  headerSig: string;
  sizeSig: string;
  /** Canvas top inside the section, section space below the canvas (canvas px; measured). */
  chromeTop?: number;
  chromeBottom?: number;
}

const OVERSCAN = 400;
/** Section chrome before the first measurement (title, paddings, border), canvas px. */
const CHROME_TOP = 38;
const CHROME_BOTTOM = 13;

export class DiagramView {
  private sections: SectionView[] = [];
  private selectedId: string | undefined;
  private focusId: string | undefined;
  private frame = 0;
  private zoom = 1;
  /** Scroll position and viewport size of the scroller (kept from events, never read while painting). */
  private scrollY = 0;
  private scrollX = 0;
  private viewH = 0;
  /** Top of the host inside the scrolled content (visual px). */
  private hostY = 0;
  private chrome = { top: CHROME_TOP, bottom: CHROME_BOTTOM };
  private readonly resizes: ResizeObserver;
  /** Columns the current width allows (a change asks the app to lay out again). */
  private columns = 0;
  /** Live marks per node id (empty: not live). */
  private live = new Map<string, LiveMark>();
  /** Items rendered by the last paint (ids), for tests and for keyboard moves. */
  rendered = 0;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly host: HTMLElement,
    private readonly cb: DiagramCallbacks,
  ) {
    scroller.addEventListener('scroll', () => {
      this.scrollY = scroller.scrollTop;
      this.scrollX = scroller.scrollLeft;
      this.schedulePaint();
    }, { passive: true });
    window.addEventListener('resize', () => this.schedulePaint());
    // Runs after the browser's layout, so reading geometry here forces nothing.
    this.resizes = new ResizeObserver(() => this.measure());
    this.resizes.observe(scroller);
    this.resizes.observe(host);
    host.addEventListener('keydown', (e) => this.onKey(e));
    scroller.addEventListener('keydown', (e) => this.onViewKey(e));
    // Ctrl+wheel (and a pinch, which arrives as one) zooms around the pointer; a plain wheel scrolls.
    scroller.addEventListener('wheel', (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const r = scroller.getBoundingClientRect();
      this.zoomAt(this.zoom * Math.exp(-e.deltaY / 400), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    this.enablePanning();
    host.addEventListener('click', (e) => {
      const el = (e.target as Element).closest<HTMLElement>('.node');
      if (!el) return;
      const id = el.dataset.nodeId!;
      this.focusId = id;
      if (el.dataset.kind === 'group') this.cb.toggleGroup(id);
      this.cb.select(id, el.dataset.kind !== 'group');
    });
    host.addEventListener('dblclick', (e) => {
      const el = (e.target as Element).closest<HTMLElement>('.node');
      if (el && el.dataset.kind !== 'group') this.cb.activate(el.dataset.nodeId!);
    });
    host.addEventListener('focusin', (e) => {
      const el = (e.target as Element).closest<HTMLElement>('.node');
      if (el) this.setRoving(el.dataset.nodeId!);
    });
  }

  // -------------------------------------------------------------------------------------------
  // model → sections

  /** New layouts (sections created, updated, removed); `paint` false leaves the nodes to a later paint. */
  setLayouts(layouts: ClusterLayout[], paint = true): void {
    const old = new Map(this.sections.map((sv) => [sv.layout.name, sv]));
    const next: SectionView[] = [];
    layouts.forEach((layout, index) => {
      let sv = old.get(layout.name);
      old.delete(layout.name);
      if (!sv) {
        sv = this.createSection(layout, index);
        this.resizes.observe(sv.root);
      }
      sv.layout = layout;
      sv.index = index;
      sv.weights = weightsByServer(layout);
      this.updateSectionHeader(sv);
      const size = `${layout.width} ${layout.height}`;
      if (sv.sizeSig !== size) {
        sv.sizeSig = size;
        sv.canvas.style.width = `${layout.width}px`;
        sv.canvas.style.height = `${layout.height}px`;
        sv.svg.setAttribute('width', String(layout.width));
        sv.svg.setAttribute('height', String(layout.height));
        sv.svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
      }
      this.paintDecor(sv);
      next.push(sv);
    });
    for (const sv of old.values()) {
      this.resizes.unobserve(sv.root);
      sv.root.remove();
    }
    // keep DOM order = model order (appendChild moves: only the sections out of place)
    next.forEach((sv, i) => {
      if (this.host.children[i] !== sv.root) this.host.insertBefore(sv.root, this.host.children[i] ?? null);
    });
    this.sections = next;
    if (paint) this.paint();
  }

  /**
   * The next model of the same structure (patchLayout: the same items in the same places, the
   * same sections): redraws the rendered nodes and edges the patches name and, when its facts
   * changed, a section's header. Nothing else is touched; the viewport is not painted again.
   */
  update(layouts: ClusterLayout[], patches: LayoutPatch[]): void {
    if (layouts.length !== this.sections.length || patches.length !== layouts.length || layouts.some((l, i) => l.name !== this.sections[i].layout.name)) {
      this.setLayouts(layouts);
      return;
    }
    this.sections.forEach((sv, i) => {
      const patch = patches[i];
      sv.layout = layouts[i];
      if (patch.weights.size > 64) sv.weights = weightsByServer(sv.layout);
      else if (patch.weights.size) {
        // the services are items of the layout (never grouped): their nodes are at hand
        const services = new Map<string, DiagramNode>();
        for (const item of sv.layout.items) if (item.node?.kind === 'service') services.set(item.id, item.node);
        for (const id of patch.weights) sv.weights.set(id, weightsOf(sv.layout.cluster, id, services));
      }
      if (patch.header) this.updateSectionHeader(sv);
      for (const id of patch.items) {
        const item = sv.nodes.has(id) ? sv.layout.byId.get(id) : undefined;
        if (item) this.renderItem(sv, item);
      }
      for (const e of patch.edges) {
        const view = sv.edges.get(e.key);
        const shape = view ? edgeShape(sv.layout, e) : undefined;
        if (view && shape) updateEdge(view, shape, sv.prefix);
      }
    });
  }

  private createSection(layout: ClusterLayout, index: number): SectionView {
    const title = h('h2', { class: 'cluster-title' });
    const svg = s('svg', { class: 'edges', 'aria-hidden': 'true', focusable: 'false' });
    const defs = s('defs');
    const marker = (id: string, cls: string) =>
      s('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' },
        s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cls }));
    const prefix = `c${index}-${Math.random().toString(36).slice(2, 8)}`;
    defs.append(marker(`${prefix}-req`, 'arrow arrow-request'), marker(`${prefix}-rep`, 'arrow arrow-reply'));
    svg.appendChild(defs);
    const decorLayer = s('g', { class: 'decor' });
    const edgeLayer = s('g', { 'data-prefix': prefix });
    svg.append(decorLayer, edgeLayer);
    const canvas = h('div', { class: 'canvas' }, svg);
    const root = h('section', { class: 'cluster', 'data-cluster': layout.name, role: 'group', 'aria-label': `cluster ${layout.name}` }, title, canvas);
    return {
      layout, index, root, title, canvas, svg, decorLayer, decorSig: '', edgeLayer, prefix, nodes: new Map(), sigs: new Map(), parts: new Map(), boxes: new Map(), weights: new Map(),
      edges: new Map(), visible: new Set(), headerSig: '', sizeSig: '',
    };
  }

  private updateSectionHeader(sv: SectionView): void {
    const c = sv.layout.cluster;
    const facts: string[] = [];
    if (c.network) facts.push(l10n.t('network {0}', c.network));
    if (c.gateway) facts.push(l10n.t('gateway {0}', c.gateway));
    const counts = new Map<string, number>();
    for (const n of c.nodes) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
    facts.push(l10n.t('{0} directors, {1} services, {2} real servers', counts.get('director') ?? 0, counts.get('service') ?? 0, counts.get('server') ?? 0));
    const own = c.diagnostics ?? [];
    const sig = JSON.stringify([c.name, facts, own]);
    if (sig === sv.headerSig) return;
    sv.headerSig = sig;
    clear(sv.title);
    sv.title.append(icon('type-hierarchy'), ' ', h('span', { class: 'cluster-name' }, l10n.t('cluster {0}', c.name)));
    sv.title.append(h('span', { class: 'cluster-facts' }, facts.join(' · ')));
    if (own.length) {
      const b = this.badge(own);
      if (b) {
        b.setAttribute('title', `${l10n.t('Cluster-level findings:')}\n${b.getAttribute('title') ?? ''}`);
        sv.title.append(b);
      }
      facts.push(diagSummary(own));
    }
    sv.root.setAttribute('aria-label', `${l10n.t('cluster {0}', c.name)}, ${facts.join(', ')}`);
  }

  // -------------------------------------------------------------------------------------------
  // painting (virtualised)

  schedulePaint(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  /**
   * After a layout of the page (ResizeObserver): the viewport size, the scroll position and where
   * each section's canvas starts. Repaints when the painted range may have moved.
   */
  private measure(): void {
    const z = this.zoom;
    const viewH = this.scroller.clientHeight;
    const scrollY = this.scroller.scrollTop;
    const sr = this.scroller.getBoundingClientRect();
    const hostY = this.host.getBoundingClientRect().top - sr.top + scrollY;
    let changed = viewH !== this.viewH || scrollY !== this.scrollY || Math.abs(hostY - this.hostY) > 0.5;
    this.viewH = viewH;
    this.scrollY = scrollY;
    this.scrollX = this.scroller.scrollLeft;
    this.hostY = hostY;
    for (const sv of this.sections) {
      if (!sv.root.isConnected) continue;
      const r = sv.root.getBoundingClientRect();
      const c = sv.canvas.getBoundingClientRect();
      if (r.height === 0) continue;
      const top = (c.top - r.top) / z;
      const bottom = (r.bottom - c.bottom) / z;
      if (sv.chromeTop === undefined || sv.chromeBottom === undefined || Math.abs(top - sv.chromeTop) > 0.5 || Math.abs(bottom - sv.chromeBottom) > 0.5) changed = true;
      sv.chromeTop = top;
      sv.chromeBottom = bottom;
      this.chrome = { top, bottom };
    }
    if (this.checkColumns()) return;
    if (changed) this.schedulePaint();
  }

  paint(): void {
    const z = this.zoom;
    const viewH = this.viewH || window.innerHeight;
    // The viewport in host coordinates (canvas px): sections are stacked in the host.
    const viewTop = (this.scrollY - this.hostY) / z;
    const viewBottom = viewTop + viewH / z;
    let offset = 0;
    let count = 0;
    let rovingShown = false;
    for (const sv of this.sections) {
      const canvasTop = offset + (sv.chromeTop ?? this.chrome.top);
      offset = canvasTop + sv.layout.height + (sv.chromeBottom ?? this.chrome.bottom);
      const visible = visibleItems(sv.layout.items, viewTop - canvasTop - OVERSCAN, viewBottom - canvasTop + OVERSCAN);
      const ids = new Set(visible.map((i) => i.id));
      // remove what scrolled away (never the focused element: it would lose focus)
      for (const [id, el] of sv.nodes) {
        if (!ids.has(id) && !(el === document.activeElement && sv.layout.byId.has(id))) {
          el.remove();
          sv.nodes.delete(id);
          sv.sigs.delete(id);
          sv.parts.delete(id);
          sv.boxes.delete(id);
        }
      }
      for (const item of visible) {
        this.renderItem(sv, item);
        count++;
      }
      sv.visible = ids;
      this.paintEdges(sv, ids);
      for (const [id, el] of sv.nodes) {
        const roving = id === this.focusId;
        if (roving) rovingShown = true;
        setTabIndex(el, roving ? 0 : -1);
        this.applySelection(sv, id, el);
      }
    }
    if (!rovingShown) {
      const first = this.sections.find((sv) => sv.nodes.size > 0);
      const el = first ? first.nodes.values().next().value : undefined;
      if (el) setTabIndex(el, 0);
    }
    this.rendered = count;
  }

  private applySelection(sv: SectionView, id: string, el: HTMLElement): void {
    const sel = this.selectedId;
    const isSel = sel === id;
    const contains = !isSel && sel !== undefined && sv.layout.shownBy.get(sel) === id;
    el.classList.toggle('selected', isSel);
    el.classList.toggle('contains-selected', contains);
    if (isSel || contains) {
      if (el.getAttribute('aria-current') !== 'true') el.setAttribute('aria-current', 'true');
    } else if (el.hasAttribute('aria-current')) el.removeAttribute('aria-current');
  }

  private renderItem(sv: SectionView, item: Item): void {
    const sig = this.signature(sv, item);
    let el = sv.nodes.get(item.id);
    if (!el) {
      el = h('div', { class: 'node', role: 'button', tabindex: -1 });
      sv.nodes.set(item.id, el);
      sv.canvas.appendChild(el);
    }
    const box = `${item.x} ${item.y} ${item.w} ${item.h}`;
    if (sv.boxes.get(item.id) !== box) {
      sv.boxes.set(item.id, box);
      el.style.left = `${item.x}px`;
      el.style.top = `${item.y}px`;
      el.style.width = `${item.w}px`;
      el.style.height = `${item.h}px`;
    }
    if (sv.sigs.get(item.id) === sig) return;
    sv.sigs.set(item.id, sig);
    this.fillNode(sv, item, el);
  }

  private signature(sv: SectionView, item: Item): string {
    if (item.group) return JSON.stringify([item.group.label, item.group.expanded, item.group.diagnostics.length, worstSeverity(item.group.diagnostics)]);
    if (item.router) return JSON.stringify(['router', item.router]);
    const n = item.node!;
    return JSON.stringify([n.label, n.props, n.diagnostics, sv.weights.get(n.id), item.memberOf ?? '', this.live.get(n.id)?.sig ?? '']);
  }

  /**
   * Writes what the item shows into its element, touching only the parts that differ from what
   * the element shows now (class, aria attributes, the head row, each line).
   */
  private fillNode(sv: SectionView, item: Item, el: HTMLElement): void {
    let parts = sv.parts.get(item.id);
    if (!parts) {
      parts = { base: '', label: '', expanded: null, headSig: '', lines: [] };
      sv.parts.set(item.id, parts);
    }
    if (el.dataset.nodeId !== item.id) el.dataset.nodeId = item.id;
    if (el.dataset.kind !== item.kind) el.dataset.kind = item.kind;
    let diags: DiagramNode['diagnostics'];
    let label: string;
    let expanded: string | null = null;
    let iconName: string;
    let title: string;
    let lines: { text: string; icon?: string; live?: boolean }[];
    let liveCls = '';
    let liveBadge: string | undefined;
    let liveFindings: LiveMark['findings'] = [];
    if (item.group) {
      const g = item.group;
      diags = g.diagnostics;
      expanded = String(g.expanded);
      const summary = diagSummary(g.diagnostics);
      label = `${g.service ? l10n.t('group {0} in service {1}', g.label, g.service) : l10n.t('group {0}', g.label)}, ${g.expanded ? l10n.t('expanded') : l10n.t('collapsed')}${summary ? `, ${summary}` : ''}`;
      iconName = KIND_ICON.group;
      title = g.label;
      lines = [{ icon: g.expanded ? 'chevron-down' : 'chevron-right', text: ` ${g.expanded ? l10n.t('expanded · Enter collapses') : l10n.t('collapsed · Enter expands')}` }];
    } else if (item.router) {
      const r = item.router;
      diags = [];
      iconName = KIND_ICON.router;
      title = l10n.t('router');
      lines = [{ text: r.address ? l10n.t('gateway {0}', r.address) : l10n.t('no gateway in the file') }];
      label = l10n.t("router, the cluster's gateway {0}: clients reach the VIPs through it, and the real servers reply to the clients through it", r.address ?? l10n.t('(not set)'));
    } else {
      const n = item.node!;
      const weights = sv.weights.get(n.id) ?? [];
      diags = n.diagnostics;
      label = ariaLabel(n, weights);
      iconName = KIND_ICON[n.kind] ?? 'circle';
      title = titleOf(n);
      lines = item.memberOf ? [{ text: memberLine(n, weights) }] : detailLines(n, weights).map((text) => ({ text }));
      const mark = this.live.get(n.id);
      if (mark) {
        // live: the state replaces the last design line (the member row keeps its one line)
        const liveLine = { text: mark.line, live: true };
        if (item.memberOf) lines = [liveLine];
        else lines = [...lines.slice(0, Math.max(1, lines.length - 1)), liveLine];
        label += `, ${l10n.t('live: {0}', mark.line)}${mark.findings.length ? `, ${mark.findings.map((f) => `${f.code} ${f.message}`).join('; ')}` : ''}`;
        liveCls = ` ${mark.cls}`;
        liveBadge = mark.badge;
        liveFindings = mark.findings;
      }
    }
    const sev = worstSeverity(liveFindings.length ? [...diags, ...liveFindings] : diags);
    const base = `node kind-${item.kind}${item.memberOf ? ' member' : ''}${sev ? ` sev-${sev}` : ''}${liveCls}`;
    if (parts.base !== base) {
      parts.base = base;
      el.className = base;
      this.applySelection(sv, item.id, el);
    }
    if (parts.expanded !== expanded) {
      parts.expanded = expanded;
      if (expanded === null) el.removeAttribute('aria-expanded');
      else el.setAttribute('aria-expanded', expanded);
    }
    if (parts.label !== label) {
      parts.label = label;
      el.setAttribute('aria-label', label);
    }
    const headSig = JSON.stringify([iconName, title, diags.length ? [diags.length, sev, diags.slice(0, 31)] : 0, liveBadge ?? '', liveFindings.map((f) => f.message)]);
    if (parts.headSig !== headSig || !parts.head) {
      parts.headSig = headSig;
      const all = liveFindings.length ? [...diags, ...liveFindings] : diags;
      const head = h('div', { class: 'node-head' }, icon(iconName), h('span', { class: 'node-title' }, title), loBadge(item),
        liveBadge ? h('span', { class: 'live-badge', 'data-testid': 'live-badge' }, liveBadge) : null, this.badge(all));
      if (parts.head) el.replaceChild(head, parts.head);
      else el.insertBefore(head, el.firstChild);
      parts.head = head;
    }
    lines.forEach((line, i) => {
      const sig = `${line.icon ?? ''}|${line.live ? 'live' : ''}|${line.text}`;
      const cur = parts!.lines[i];
      if (cur && cur.sig === sig) return;
      if (cur && !line.icon && cur.text) {
        // a text-only line: change the text, not the element
        cur.text.data = line.text;
        cur.sig = sig;
        return;
      }
      const text = document.createTextNode(line.text);
      const lineEl = h('div', { class: line.live ? 'node-line live-line' : 'node-line' }, line.icon ? icon(line.icon) : null, text);
      if (cur) el.replaceChild(lineEl, cur.el);
      else el.appendChild(lineEl);
      parts!.lines[i] = { sig, el: lineEl, text: line.icon ? undefined : text };
    });
    for (const extra of parts.lines.splice(lines.length)) extra.el.remove();
  }

  private badge(diags: DiagramNode['diagnostics']): HTMLElement | null {
    if (diags.length === 0) return null;
    const sev = worstSeverity(diags)!;
    const b = h('vscode-badge', { class: `node-badge sev-${sev}`, variant: 'counter', title: diagTooltip(diags.slice(0, 30)) + (diags.length > 30 ? `\n${l10n.t('… {0} more', diags.length - 30)}` : ''), 'aria-hidden': 'true' },
      icon(sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'info'), ` ${diags.length}`);
    return b;
  }

  /**
   * The edges with an end in the painted range. Paths are keyed by edge: only the edges that
   * appear, disappear, move or change their label or severity touch the SVG.
   */
  private paintEdges(sv: SectionView, visible: Set<string>): void {
    const layer = sv.edgeLayer;
    const shown = new Set<string>();
    for (const e of sv.layout.edges) {
      if (!visible.has(e.from) && !visible.has(e.to)) continue;
      const shape = edgeShape(sv.layout, e);
      if (!shape) continue;
      shown.add(e.key);
      const cur = sv.edges.get(e.key);
      if (cur) {
        updateEdge(cur, shape, sv.prefix);
      } else {
        const view = edgeView(shape, sv.prefix);
        layer.appendChild(view.el);
        sv.edges.set(e.key, view);
      }
    }
    for (const [key, view] of sv.edges) {
      if (shown.has(key)) continue;
      view.el.remove();
      sv.edges.delete(key);
    }
  }

  /** The fixed lines and frames of the picture (segment, VRRP pair, reply rail, trunk), redrawn when they move. */
  private paintDecor(sv: SectionView): void {
    const d = sv.layout.decor;
    const sig = JSON.stringify(d);
    if (sig === sv.decorSig) return;
    sv.decorSig = sig;
    clear(sv.decorLayer);
    for (const f of d.frames) {
      sv.decorLayer.append(
        s('rect', { x: f.x, y: f.y, width: f.w, height: f.h, rx: 6, class: `frame frame-${f.kind}` }),
        s('text', { x: f.x + 10, y: f.y + 15, class: `frame-caption frame-caption-${f.kind}` }, f.caption),
      );
    }
    if (d.trunk) {
      const t = d.trunk;
      sv.decorLayer.append(s('path', { d: `M ${t.fromX} ${t.top} V ${t.top + 14} H ${t.x} V ${t.bottom}`, class: 'trunk edge-line' }));
    }
    if (d.rail) {
      const r = d.rail;
      sv.decorLayer.append(
        s('path', { d: `M ${r.x} ${r.bottom} V ${r.routerY} H ${r.routerX - 2}`, class: 'rail edge-line', 'marker-end': `url(#${sv.prefix}-rep)` }),
        s('text', { x: r.x + 4, y: r.routerY - 6, class: 'rail-caption' }, r.routerX - r.x > 250 ? l10n.t('DR reply: real servers → router → clients') : l10n.t('DR replies')),
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // selection, focus, keyboard

  setSelected(itemId: string | undefined): void {
    this.selectedId = itemId;
    for (const sv of this.sections) for (const [id, el] of sv.nodes) this.applySelection(sv, id, el);
  }

  private setRoving(id: string): void {
    this.focusId = id;
    for (const sv of this.sections) for (const [nid, el] of sv.nodes) setTabIndex(el, nid === id ? 0 : -1);
  }

  private findItem(id: string): { sv: SectionView; item: Item } | undefined {
    for (const sv of this.sections) {
      const shown = sv.layout.shownBy.get(id) ?? (sv.layout.byId.has(id) ? id : undefined);
      const item = shown ? sv.layout.byId.get(shown) : undefined;
      if (item) return { sv, item };
    }
    return undefined;
  }

  /** Scrolls the item (or the group that shows it) into view, renders it; optionally focuses it. */
  reveal(id: string, focus: boolean): boolean {
    const found = this.findItem(id);
    if (!found) return false;
    const { sv, item } = found;
    const scRect = this.scroller.getBoundingClientRect();
    const cRect = sv.canvas.getBoundingClientRect();
    const z = this.zoom;
    const top = cRect.top - scRect.top + this.scroller.scrollTop + item.y * z;
    const left = cRect.left - scRect.left + this.scroller.scrollLeft + item.x * z;
    const vh = this.scroller.clientHeight;
    const vw = this.scroller.clientWidth;
    if (top < this.scroller.scrollTop || top + item.h * z > this.scroller.scrollTop + vh) this.scroller.scrollTop = Math.max(0, top - vh / 2 + (item.h * z) / 2);
    if (left < this.scroller.scrollLeft || left + item.w * z > this.scroller.scrollLeft + vw) this.scroller.scrollLeft = Math.max(0, left - 24);
    this.syncScroll();
    this.paint();
    if (focus) {
      this.focusId = item.id;
      const el = sv.nodes.get(item.id);
      if (el) {
        this.setRoving(item.id);
        el.focus({ preventScroll: true });
      }
    }
    return true;
  }

  /** Scrolls the diagram (restoring the saved position) and paints what is then in view. */
  scrollTo(top: number, left: number): void {
    if (top === this.scrollY && left === this.scrollX) return;
    this.scroller.scrollTop = top;
    this.scroller.scrollLeft = left;
    this.syncScroll();
    this.paint();
  }

  /** After scrolling from script: the position the browser settled on (clamped). */
  private syncScroll(): void {
    this.scrollY = this.scroller.scrollTop;
    this.scrollX = this.scroller.scrollLeft;
  }

  /** CSS zoom of the whole diagram (0.3–1.5); a change of the columns it allows lays the diagram out again. */
  setZoom(z: number): number {
    this.zoom = Math.min(1.5, Math.max(0.3, Math.round(z * 100) / 100));
    this.host.style.zoom = String(this.zoom);
    this.scroller.dataset.zoom = String(this.zoom);
    if (!this.checkColumns()) this.paint();
    return this.zoom;
  }

  getZoom(): number {
    return this.zoom;
  }

  /** The panel's size for the diagram (visual px). */
  viewport(): { width: number; height: number } {
    return { width: Math.max(1, this.scroller.clientWidth - 4), height: Math.max(1, this.scroller.clientHeight - 4) };
  }

  /** Canvas px available across at the current zoom (what the layout wraps to). */
  availableWidth(zoom = this.zoom): number {
    return this.viewport().width / zoom;
  }

  /** Tells the app when the width allows another number of columns; true when it did. */
  private checkColumns(): boolean {
    const cols = columnsFor(this.availableWidth());
    if (cols === this.columns) return false;
    this.columns = cols;
    this.cb.widthChanged();
    return true;
  }

  /** Zooms keeping the diagram point under (px, py) (visual px inside the panel) where it is. */
  zoomAt(z: number, px?: number, py?: number): void {
    const old = this.zoom;
    const vp = this.viewport();
    const x = px ?? vp.width / 2;
    const y = py ?? vp.height / 2;
    const cx = (this.scroller.scrollLeft + x) / old;
    const cy = (this.scroller.scrollTop + y) / old;
    const now = this.setZoom(z);
    this.scroller.scrollLeft = Math.max(0, cx * now - x);
    this.scroller.scrollTop = Math.max(0, cy * now - y);
    this.syncScroll();
    this.paint();
    this.cb.zoomed(now);
  }

  /** Drag on the background pans (a node click still selects: a drag starts only off the nodes). */
  private enablePanning(): void {
    let drag: { id: number; x: number; y: number; left: number; top: number } | undefined;
    this.scroller.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('.node, .cluster-title')) return;
      drag = { id: e.pointerId, x: e.clientX, y: e.clientY, left: this.scroller.scrollLeft, top: this.scroller.scrollTop };
      this.scroller.setPointerCapture(e.pointerId);
      this.scroller.classList.add('panning');
    });
    this.scroller.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      this.scroller.scrollLeft = drag.left - (e.clientX - drag.x);
      this.scroller.scrollTop = drag.top - (e.clientY - drag.y);
    });
    const end = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      drag = undefined;
      this.scroller.classList.remove('panning');
      if (this.scroller.hasPointerCapture(e.pointerId)) this.scroller.releasePointerCapture(e.pointerId);
    };
    this.scroller.addEventListener('pointerup', end);
    this.scroller.addEventListener('pointercancel', end);
  }

  /**
   * Keys on the diagram panel: + and - zoom, 0 (or F) fits, the arrows pan when the panel itself
   * has the focus (on a node they move between nodes, see onKey).
   */
  private onViewKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const onNode = !!(e.target as Element).closest('.node');
    const step = 60;
    switch (e.key) {
      case '+':
      case '=':
        e.preventDefault();
        this.zoomAt(this.zoom + 0.1);
        return;
      case '-':
      case '_':
        e.preventDefault();
        this.zoomAt(this.zoom - 0.1);
        return;
      case '0':
      case 'f':
      case 'F':
        e.preventDefault();
        this.cb.fit();
        return;
    }
    if (onNode || e.target !== this.scroller) return;
    const pan: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const d = pan[e.key];
    if (!d) return;
    e.preventDefault();
    this.scroller.scrollLeft += d[0];
    this.scroller.scrollTop += d[1];
    this.syncScroll();
    this.schedulePaint();
  }

  /** New live marks (empty map: not live): redraws the rendered nodes whose mark changed. */
  setLive(marks: Map<string, LiveMark>): number {
    const old = this.live;
    this.live = marks;
    let redrawn = 0;
    for (const sv of this.sections) {
      for (const id of sv.nodes.keys()) {
        if (old.get(id)?.sig === marks.get(id)?.sig) continue;
        const item = sv.layout.byId.get(id);
        if (item) {
          this.renderItem(sv, item);
          redrawn++;
        }
      }
    }
    return redrawn;
  }

  scrollToCluster(name: string): void {
    const sv = this.sections.find((x) => x.layout.name === name);
    if (!sv) return;
    const top = sv.root.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top + this.scroller.scrollTop;
    this.scroller.scrollTop = Math.max(0, top - 4);
    this.syncScroll();
    this.paint();
    const first = sv.layout.nav[0];
    if (first) this.reveal(first.id, true);
  }

  /** All items in keyboard order, across clusters. */
  private navList(): { sv: SectionView; item: Item }[] {
    return this.sections.flatMap((sv) => sv.layout.nav.map((item) => ({ sv, item })));
  }

  private onKey(e: KeyboardEvent): void {
    const el = (e.target as Element).closest<HTMLElement>('.node');
    if (!el || e.altKey || e.ctrlKey || e.metaKey) return;
    const id = el.dataset.nodeId!;
    const kind = el.dataset.kind;
    const move = (target: Item | undefined) => {
      if (!target) return false;
      e.preventDefault();
      this.reveal(target.id, true);
      this.cb.select(target.id, false);
      return true;
    };
    switch (e.key) {
      case 'Tab': {
        const list = this.navList();
        const i = list.findIndex((x) => x.item.id === id);
        if (i < 0) return;
        move(list[i + (e.shiftKey ? -1 : 1)]?.item);
        return;
      }
      case 'ArrowDown':
      case 'ArrowUp':
      case 'ArrowLeft':
      case 'ArrowRight': {
        const found = this.findItem(id);
        if (!found) return;
        move(neighbour(found.sv.layout.nav, found.item, e.key));
        return;
      }
      case 'Home':
      case 'End': {
        const list = this.navList();
        move(e.key === 'Home' ? list[0]?.item : list[list.length - 1]?.item);
        return;
      }
      case 'Enter':
        e.preventDefault();
        if (kind === 'group') this.cb.toggleGroup(id);
        else this.cb.activate(id);
        return;
      case ' ':
        e.preventDefault();
        if (kind === 'group') this.cb.toggleGroup(id);
        this.cb.select(id, kind !== 'group');
        return;
      case 'Delete':
      case 'Backspace':
        if (kind === 'group') return;
        e.preventDefault();
        this.cb.remove(id);
        return;
    }
  }

  /** The DOM element of a node if it is rendered (tests, focus restore). */
  elementOf(id: string): HTMLElement | undefined {
    for (const sv of this.sections) {
      const el = sv.nodes.get(id);
      if (el) return el;
    }
    return undefined;
  }
}

/** A real server's `lo` badge: the VIP on its loopback, or its absence (which breaks DR). */
function loBadge(item: Item): HTMLElement | null {
  const n = item.node;
  if (!n || n.kind !== 'server' || item.memberOf) return null;
  const vip = vipOnState(n);
  return vip.on
    ? h('span', { class: 'lo-badge', title: l10n.t('The VIP is on the loopback ({0}): the server accepts the packets the director forwards and answers from the VIP', vip.label ?? 'lo') }, vip.label ?? 'lo')
    : h('span', { class: 'lo-badge missing', title: l10n.t('No VIP on the loopback: the server drops what the director forwards to it') }, l10n.t('no lo VIP'));
}

/**
 * The node the arrow key leads to from `at`: up and down, the nearest node above or below (the
 * closest row first, then the closest across); left and right, the nearest in the same row.
 */
function neighbour(items: Item[], at: Item, key: string): Item | undefined {
  const cx = at.x + at.w / 2;
  const cy = at.y + at.h / 2;
  let best: Item | undefined;
  let bestScore = Infinity;
  for (const it of items) {
    if (it === at) continue;
    const x = it.x + it.w / 2;
    const y = it.y + it.h / 2;
    let score: number;
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      const dy = key === 'ArrowDown' ? it.y - (at.y + at.h) : at.y - (it.y + it.h);
      if (dy < 0) continue;
      score = dy * 10 + Math.abs(x - cx);
    } else {
      if (Math.abs(y - cy) > at.h / 2) continue;
      const dx = key === 'ArrowRight' ? x - cx : cx - x;
      if (dx <= 0) continue;
      score = dx;
    }
    if (score < bestScore) {
      bestScore = score;
      best = it;
    }
  }
  return best;
}

function setTabIndex(el: HTMLElement, v: number): void {
  if (el.tabIndex !== v) el.tabIndex = v;
}

/** The services sending to each server of the layout, with the weights. */
function weightsByServer(layout: ClusterLayout): Map<string, WeightInfo[]> {
  return allWeights(layout.cluster, new Map<string, DiagramNode>(layout.cluster.nodes.map((n) => [n.id, n])));
}

interface EdgeShape {
  /** Everything the element shows: equal signatures, equal elements. */
  sig: string;
  cls: string;
  d: string;
  reply: boolean;
  label: string;
  lx: number;
  ly: number;
}

/** The path of an edge in the picture, or undefined when an end is not laid out. */
function edgeShape(layout: ClusterLayout, e: EdgeItem): EdgeShape | undefined {
  const cls = `edge edge-${e.kind}${e.severity ? ` edge-sev-${e.severity}` : ''}`;
  const from = e.from === TRUNK ? undefined : layout.byId.get(e.from);
  const to = e.to === RAIL ? undefined : layout.byId.get(e.to);
  const done = (d: string, reply: boolean, label = '', lx = 0, ly = 0): EdgeShape => ({ sig: `${cls}|${d}|${label}`, cls, d, reply, label, lx, ly });
  if (e.to === RAIL) {
    // DR reply: the real server to the rail on the left, which runs up to the router.
    if (!from) return undefined;
    const x = from.x + from.w - 18;
    const lane = from.y + from.h + 10;
    return done(`M ${x} ${from.y + from.h} V ${lane} H ${layout.decor.rail?.x ?? 12}`, true);
  }
  if (!to) return undefined;
  if (e.from === TRUNK) {
    // director → service: from the trunk into the service's left side.
    const y = to.y + to.h / 2;
    return done(`M ${layout.decor.trunk?.x ?? 30} ${y} H ${to.x - 2}`, false);
  }
  if (!from) return undefined;
  if (e.kind === 'reply') {
    // router → clients, beside the request line.
    const x = from.x + from.w / 2 + 28;
    return done(`M ${x} ${from.y} V ${to.y + to.h + 2}`, true);
  }
  const label = e.count > 1 ? `×${e.count}` : e.weight !== undefined ? `w ${e.weight}` : '';
  if (from.kind === 'service' || from.kind === 'group') {
    // service → real server: a bus down the service's left, along above the server's row, into it.
    const bx = from.x + 22;
    const by = to.y - 14;
    const tx = to.x + 24;
    return done(`M ${bx} ${from.y + from.h} V ${by} H ${tx} V ${to.y - 2}`, false, label, tx + 6, to.y - 3);
  }
  // straight down (clients → router → VIP → director), bending halfway when the ends are apart
  const x1 = from.x + from.w / 2;
  const y1 = from.y + from.h;
  const x2 = to.x + to.w / 2;
  const y2 = to.y - 2;
  const my = Math.round((y1 + y2) / 2);
  const d = x1 === x2 ? `M ${x1} ${y1} V ${y2}` : `M ${x1} ${y1} V ${my} H ${x2} V ${y2}`;
  return done(d, false, label, x2 + 6, y2 - 3);
}

function marker(shape: EdgeShape, prefix: string): string {
  return `url(#${prefix}-${shape.reply ? 'rep' : 'req'})`;
}

function edgeLabel(shape: EdgeShape): SVGTextElement {
  return s('text', { x: shape.lx, y: shape.ly, class: 'edge-label' }, shape.label);
}

function edgeView(shape: EdgeShape, prefix: string): EdgeView {
  const el = s('g', { class: shape.cls });
  const path = s('path', { d: shape.d, class: 'edge-line', 'marker-end': marker(shape, prefix) });
  el.appendChild(path);
  const text = shape.label ? edgeLabel(shape) : undefined;
  if (text) el.appendChild(text);
  return { el, path, text, shape };
}

/** Changes only the attributes and the text of the edge that differ. */
function updateEdge(view: EdgeView, shape: EdgeShape, prefix: string): void {
  const old = view.shape;
  if (old.sig === shape.sig) return;
  if (old.cls !== shape.cls) view.el.setAttribute('class', shape.cls);
  if (old.d !== shape.d) view.path.setAttribute('d', shape.d);
  if (old.reply !== shape.reply) view.path.setAttribute('marker-end', marker(shape, prefix));
  if (!shape.label) {
    view.text?.remove();
    view.text = undefined;
  } else if (!view.text) {
    view.text = edgeLabel(shape);
    view.el.appendChild(view.text);
  } else {
    if (old.lx !== shape.lx) view.text.setAttribute('x', String(shape.lx));
    if (old.ly !== shape.ly) view.text.setAttribute('y', String(shape.ly));
    if (old.label !== shape.label) view.text.textContent = shape.label;
  }
  view.shape = shape;
}
