// Tiny DOM helpers. DSL values only ever reach the page as text (createTextNode, textContent,
// setAttribute): never through innerHTML.
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

function applyAttrs(e: Element, attrs?: Attrs): void {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(e: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  applyAttrs(e, attrs);
  append(e, children);
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  applyAttrs(e, attrs);
  append(e, children);
  return e;
}

/** A codicon (font icon from @vscode/codicons, loaded with a <link>). */
export function icon(name: string, extraClass = ''): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}${extraClass ? ' ' + extraClass : ''}`, 'aria-hidden': 'true' });
}

export function clear(e: Element): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}
