// The diagram: one section per cluster, each a canvas with an SVG edge layer and absolutely
// positioned DOM nodes (focusable, aria-labelled). Only the rows inside the scroll viewport
// (plus a margin) are in the DOM, so a column of 1,000 real servers stays cheap; node elements
// are keyed by id and reused across models, so focus survives re-renders.
import type { DiagramNode } from '../../server/diagram/protocol';
import { clear, h, icon, s } from './dom';
import { ClusterLayout, EdgeItem, Item, TOP, visibleItems } from './layout';
import {
  ariaLabel, detailLines, diagSummary, diagTooltip, KIND_ICON, memberLine, titleOf, WeightInfo, allWeights, worstSeverity,
} from './nodeinfo';

export interface DiagramCallbacks {
  /** Click / Space: select the item; `reveal` asks to show its range in the text. */
  select(itemId: string, reveal: boolean): void;
  /** Enter on a node: open its properties form. */
  activate(itemId: string): void;
  /** Delete / Backspace on a node. */
  remove(itemId: string): void;
  /** Expand or collapse a group node. */
  toggleGroup(groupId: string): void;
}

interface SectionView {
  layout: ClusterLayout;
  index: number;
  root: HTMLElement;
  title: HTMLElement;
  canvas: HTMLDivElement;
  svg: SVGSVGElement;
  edgeLayer: SVGGElement;
  nodes: Map<string, HTMLElement>;
  sigs: Map<string, string>;
  weights: Map<string, WeightInfo[]>;
}

const OVERSCAN = 400;

export class DiagramView {
  private sections: SectionView[] = [];
  private selectedId: string | undefined;
  private focusId: string | undefined;
  private frame = 0;
  private zoom = 1;
  /** Items rendered by the last paint (ids), for tests and for keyboard moves. */
  rendered = 0;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly host: HTMLElement,
    private readonly cb: DiagramCallbacks,
  ) {
    scroller.addEventListener('scroll', () => this.schedulePaint(), { passive: true });
    window.addEventListener('resize', () => this.schedulePaint());
    host.addEventListener('keydown', (e) => this.onKey(e));
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

  setLayouts(layouts: ClusterLayout[]): void {
    const old = new Map(this.sections.map((sv) => [sv.layout.name, sv]));
    const next: SectionView[] = [];
    layouts.forEach((layout, index) => {
      let sv = old.get(layout.name);
      old.delete(layout.name);
      if (!sv) sv = this.createSection(layout, index);
      sv.layout = layout;
      sv.index = index;
      sv.weights = allWeights(layout.cluster, new Map<string, DiagramNode>(layout.cluster.nodes.map((n) => [n.id, n])));
      this.updateSectionHeader(sv);
      sv.canvas.style.width = `${layout.width}px`;
      sv.canvas.style.height = `${layout.height}px`;
      sv.svg.setAttribute('width', String(layout.width));
      sv.svg.setAttribute('height', String(layout.height));
      sv.svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
      next.push(sv);
    });
    for (const sv of old.values()) sv.root.remove();
    // keep DOM order = model order
    for (const sv of next) this.host.appendChild(sv.root);
    this.sections = next;
    this.paint();
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
    const edgeLayer = s('g', { 'data-prefix': prefix });
    svg.appendChild(edgeLayer);
    const canvas = h('div', { class: 'canvas' }, svg);
    const root = h('section', { class: 'cluster', 'data-cluster': layout.name, role: 'group', 'aria-label': `cluster ${layout.name}` }, title, canvas);
    return { layout, index, root, title, canvas, svg, edgeLayer, nodes: new Map(), sigs: new Map(), weights: new Map() };
  }

  private updateSectionHeader(sv: SectionView): void {
    const c = sv.layout.cluster;
    clear(sv.title);
    sv.title.append(icon('type-hierarchy'), ' ', h('span', { class: 'cluster-name' }, `cluster ${c.name}`));
    const facts: string[] = [];
    if (c.network) facts.push(`network ${c.network}`);
    if (c.gateway) facts.push(`gateway ${c.gateway}`);
    const counts = new Map<string, number>();
    for (const n of c.nodes) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
    facts.push(`${counts.get('director') ?? 0} directors, ${counts.get('service') ?? 0} services, ${counts.get('server') ?? 0} real servers`);
    sv.title.append(h('span', { class: 'cluster-facts' }, facts.join(' · ')));
    const own = c.diagnostics ?? [];
    if (own.length) {
      const b = this.badge(own);
      if (b) {
        b.setAttribute('title', `Cluster-level findings:\n${b.getAttribute('title') ?? ''}`);
        sv.title.append(b);
      }
      facts.push(diagSummary(own));
    }
    sv.root.setAttribute('aria-label', `cluster ${c.name}, ${facts.join(', ')}`);
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

  paint(): void {
    const viewTop = this.scroller.getBoundingClientRect().top;
    const viewH = this.scroller.clientHeight || window.innerHeight;
    let count = 0;
    let rovingShown = false;
    for (const sv of this.sections) {
      // Bounding rects are in zoomed (visual) pixels; item coordinates are canvas pixels.
      const canvasTop = sv.canvas.getBoundingClientRect().top - viewTop;
      const top = -canvasTop / this.zoom - OVERSCAN;
      const bottom = (-canvasTop + viewH) / this.zoom + OVERSCAN;
      const visible = visibleItems(sv.layout.items, top, bottom);
      const ids = new Set(visible.map((i) => i.id));
      // remove what scrolled away (never the focused element: it would lose focus)
      for (const [id, el] of sv.nodes) {
        if (!ids.has(id) && !(el === document.activeElement && sv.layout.byId.has(id))) {
          el.remove();
          sv.nodes.delete(id);
          sv.sigs.delete(id);
        }
      }
      for (const item of visible) {
        this.renderItem(sv, item);
        count++;
      }
      this.paintEdges(sv, ids);
      for (const [id, el] of sv.nodes) {
        const roving = id === this.focusId;
        if (roving) rovingShown = true;
        el.tabIndex = roving ? 0 : -1;
        this.applySelection(sv, id, el);
      }
    }
    if (!rovingShown) {
      const first = this.sections.find((sv) => sv.nodes.size > 0);
      const el = first ? [...first.nodes.values()][0] : undefined;
      if (el) el.tabIndex = 0;
    }
    this.rendered = count;
  }

  private applySelection(sv: SectionView, id: string, el: HTMLElement): void {
    const sel = this.selectedId;
    const isSel = sel === id;
    const contains = !isSel && sel !== undefined && sv.layout.shownBy.get(sel) === id;
    el.classList.toggle('selected', isSel);
    el.classList.toggle('contains-selected', contains);
    if (isSel || contains) el.setAttribute('aria-current', 'true');
    else el.removeAttribute('aria-current');
  }

  private renderItem(sv: SectionView, item: Item): void {
    const sig = this.signature(sv, item);
    let el = sv.nodes.get(item.id);
    if (!el) {
      el = h('div', { class: 'node', role: 'button', tabindex: -1 });
      sv.nodes.set(item.id, el);
      sv.canvas.appendChild(el);
    }
    el.style.left = `${item.x}px`;
    el.style.top = `${item.y}px`;
    el.style.width = `${item.w}px`;
    el.style.height = `${item.h}px`;
    if (sv.sigs.get(item.id) === sig) return;
    sv.sigs.set(item.id, sig);
    this.fillNode(sv, item, el);
  }

  private signature(sv: SectionView, item: Item): string {
    if (item.group) return JSON.stringify([item.group.label, item.group.expanded, item.group.diagnostics.length, worstSeverity(item.group.diagnostics)]);
    const n = item.node!;
    return JSON.stringify([n.label, n.props, n.diagnostics, sv.weights.get(n.id), item.memberOf ?? '']);
  }

  private fillNode(sv: SectionView, item: Item, el: HTMLElement): void {
    clear(el);
    el.dataset.nodeId = item.id;
    el.dataset.kind = item.kind;
    el.className = `node kind-${item.kind}${item.memberOf ? ' member' : ''}`;
    if (item.group) {
      const g = item.group;
      const sev = worstSeverity(g.diagnostics);
      if (sev) el.classList.add(`sev-${sev}`);
      el.setAttribute('aria-expanded', String(g.expanded));
      const summary = diagSummary(g.diagnostics);
      el.setAttribute('aria-label', `group ${g.label}${g.service ? ` in service ${g.service}` : ''}, ${g.expanded ? 'expanded' : 'collapsed'}${summary ? `, ${summary}` : ''}`);
      el.append(
        h('div', { class: 'node-head' }, icon(KIND_ICON.group), h('span', { class: 'node-title' }, g.label), this.badge(g.diagnostics)),
        h('div', { class: 'node-line' }, icon(g.expanded ? 'chevron-down' : 'chevron-right'), g.expanded ? ' expanded · Enter collapses' : ' collapsed · Enter expands'),
      );
      return;
    }
    const n = item.node!;
    const weights = sv.weights.get(n.id) ?? [];
    el.removeAttribute('aria-expanded');
    const sev = worstSeverity(n.diagnostics);
    if (sev) el.classList.add(`sev-${sev}`);
    el.setAttribute('aria-label', ariaLabel(n, weights));
    const lines = detailLines(n, weights);
    el.append(h('div', { class: 'node-head' }, icon(KIND_ICON[n.kind] ?? 'circle'), h('span', { class: 'node-title' }, titleOf(n)), this.badge(n.diagnostics)));
    if (item.memberOf) el.append(h('div', { class: 'node-line' }, memberLine(n, weights)));
    else for (const line of lines) el.append(h('div', { class: 'node-line' }, line));
  }

  private badge(diags: DiagramNode['diagnostics']): HTMLElement | null {
    if (diags.length === 0) return null;
    const sev = worstSeverity(diags)!;
    const b = h('vscode-badge', { class: `node-badge sev-${sev}`, variant: 'counter', title: diagTooltip(diags.slice(0, 30)) + (diags.length > 30 ? `\n… ${diags.length - 30} more` : ''), 'aria-hidden': 'true' },
      icon(sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'info'), ` ${diags.length}`);
    return b;
  }

  private paintEdges(sv: SectionView, visible: Set<string>): void {
    const layer = sv.edgeLayer;
    clear(layer);
    const prefix = layer.getAttribute('data-prefix')!;
    const { byId } = sv.layout;
    for (const e of sv.layout.edges) {
      const from = byId.get(e.from);
      const to = byId.get(e.to);
      if (!from || !to) continue;
      const show = e.kind === 'reply' ? visible.has(from.id) : visible.has(to.id) || (visible.has(from.id) && !to.memberOf);
      if (!show) continue;
      layer.appendChild(this.edgePath(sv, e, from, to, prefix));
    }
  }

  private edgePath(sv: SectionView, e: EdgeItem, from: Item, to: Item, prefix: string): SVGGElement {
    const g = s('g', { class: `edge edge-${e.kind}${e.severity ? ` edge-sev-${e.severity}` : ''}` });
    if (e.kind === 'reply') {
      // DR reply: real server → straight back to the client, not through the director.
      const x1 = from.x + from.w;
      const y1 = from.y + from.h / 2;
      const bus = sv.layout.busX;
      const band = TOP / 2;
      const cx = to.x + to.w / 2 + 24;
      const d = `M ${x1} ${y1} H ${bus} V ${band} H ${cx} V ${to.y - 2}`;
      g.appendChild(s('path', { d, class: 'edge-line', 'marker-end': `url(#${prefix}-rep)` }));
      return g;
    }
    const x1 = from.x + from.w;
    const y1 = from.y + from.h / 2;
    const x2 = to.x - 2;
    const y2 = to.y + to.h / 2;
    const dx = Math.max(24, (x2 - x1) / 2);
    g.appendChild(s('path', { d: `M ${x1} ${y1} C ${x1 + dx} ${y1}, ${x2 - dx} ${y2}, ${x2} ${y2}`, class: 'edge-line', 'marker-end': `url(#${prefix}-req)` }));
    const label = e.count > 1 ? `×${e.count}` : e.weight !== undefined ? `w ${e.weight}` : '';
    if (label) g.appendChild(s('text', { x: x2 - 8, y: y2 - 5, 'text-anchor': 'end', class: 'edge-label' }, label));
    return g;
  }

  // -------------------------------------------------------------------------------------------
  // selection, focus, keyboard

  setSelected(itemId: string | undefined): void {
    this.selectedId = itemId;
    for (const sv of this.sections) for (const [id, el] of sv.nodes) this.applySelection(sv, id, el);
  }

  private setRoving(id: string): void {
    this.focusId = id;
    for (const sv of this.sections) for (const [nid, el] of sv.nodes) el.tabIndex = nid === id ? 0 : -1;
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

  /** CSS zoom of the whole diagram (0.3–1.5). */
  setZoom(z: number): number {
    this.zoom = Math.min(1.5, Math.max(0.3, Math.round(z * 100) / 100));
    this.host.style.zoom = String(this.zoom);
    this.paint();
    return this.zoom;
  }

  getZoom(): number {
    return this.zoom;
  }

  /** The zoom at which the widest cluster fits the viewport width (never above 1). */
  fitZoom(): number {
    const widest = Math.max(1, ...this.sections.map((sv) => sv.layout.width));
    return Math.min(1, (this.scroller.clientWidth - 4) / widest);
  }

  scrollToCluster(name: string): void {
    const sv = this.sections.find((x) => x.layout.name === name);
    if (!sv) return;
    const top = sv.root.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top + this.scroller.scrollTop;
    this.scroller.scrollTop = Math.max(0, top - 4);
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
      case 'ArrowUp': {
        const found = this.findItem(id);
        if (!found) return;
        const col = found.sv.layout.nav.filter((x) => x.tier === found.item.tier);
        const i = col.findIndex((x) => x.id === id);
        move(col[i + (e.key === 'ArrowDown' ? 1 : -1)]);
        return;
      }
      case 'ArrowLeft':
      case 'ArrowRight': {
        const found = this.findItem(id);
        if (!found) return;
        const tier = found.item.tier + (e.key === 'ArrowRight' ? 1 : -1);
        const col = found.sv.layout.nav.filter((x) => x.tier === tier);
        const cy = found.item.y + found.item.h / 2;
        let best: Item | undefined;
        for (const x of col) if (!best || Math.abs(x.y + x.h / 2 - cy) < Math.abs(best.y + best.h / 2 - cy)) best = x;
        move(best);
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
