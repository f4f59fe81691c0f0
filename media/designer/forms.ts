// The properties panel: the facts of the selected node and, per kind, the edits the designer
// offers (weight per service and vip-on for a real server; role and priority for a director;
// protocol, port, scheduler and "Add real server" for a service). Every edit is an intent; the
// webview checks the values first with the intent's own field schemas (inline errors), the
// extension and the server check the whole intent again.
// When the text does not parse, every control is disabled.
import * as v from 'valibot';
import { inCidr, parseCidr, parseIpv4 } from '../../server/language/values';
import { DesignerIntent, Scheduler } from '../../server/protocol/designer-intent';
import { fieldProblem, FormField } from './field-problems';
import type { DiagramCluster, DiagramModel, DiagramNode } from '../../server/protocol/diagram-model';
import { clear, h, icon } from './dom';
import type { GroupInfo, RouterInfo } from './layout';
import type { LiveMark } from './live';
import { diagSummary, kindTitle, nameOf, propText, titleOf, vipOnState, weightsOf } from './nodeinfo';
import * as l10n from './l10n';

export interface FormContext {
  model: DiagramModel;
  cluster: DiagramCluster;
  readOnly: boolean;
  /** Field values the user typed, kept across re-renders (key → text). */
  draft: Map<string, string>;
  sendIntent(intent: DesignerIntent): void;
  requestRemove(node: DiagramNode): void;
  toggleGroup(groupId: string): void;
  selectNode(nodeId: string): void;
  /** The live mark of a node when the designer is live. */
  liveOf(nodeId: string): LiveMark | undefined;
  /** Drain or restore a real server on the running cluster (the extension previews and confirms). */
  serverAction(action: 'drain' | 'restore', server: string): void;
  /** A controlled failover of the cluster (the extension previews and confirms). */
  failover(): void;
}

type TextField = HTMLElementTagNameMap['vscode-textfield'];

let uid = 0;

function field(ctx: FormContext, key: string, label: string, value: string, opts: { testid?: string; placeholder?: string; numeric?: boolean } = {}) {
  const id = `f${++uid}`;
  const input = h('vscode-textfield', {
    id, name: key, 'data-testid': opts.testid, placeholder: opts.placeholder, disabled: ctx.readOnly, inputmode: opts.numeric ? 'numeric' : undefined,
  }) as TextField;
  input.value = ctx.draft.get(key) ?? value;
  input.disabled = ctx.readOnly;
  input.addEventListener('input', () => ctx.draft.set(key, input.value));
  const error = h('div', { class: 'field-error', role: 'alert', 'data-testid': opts.testid ? `${opts.testid}-error` : undefined, hidden: true });
  const group = h('vscode-form-group', { variant: 'vertical', class: 'field' }, h('vscode-label', { for: id }, label), input, error);
  const setError = (msg: string | undefined) => {
    input.invalid = !!msg;
    error.textContent = msg ?? '';
    error.hidden = !msg;
    if (msg) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  return { group, input, setError };
}

function select(ctx: FormContext, key: string, label: string, value: string, options: readonly string[], testid?: string) {
  const id = `f${++uid}`;
  const current = ctx.draft.get(key) ?? value;
  const sel = h('vscode-single-select', { id, name: key, 'data-testid': testid, disabled: ctx.readOnly });
  const opts = options.includes(current) || !current ? options : [current, ...options];
  for (const o of opts) sel.appendChild(h('vscode-option', { value: o, selected: o === current }, o));
  sel.disabled = ctx.readOnly;
  sel.addEventListener('change', () => ctx.draft.set(key, sel.value));
  const group = h('vscode-form-group', { variant: 'vertical', class: 'field' }, h('vscode-label', { for: id }, label), sel);
  return { group, sel };
}

function button(ctx: FormContext, label: string, testid: string, onClick: () => void, opts: { icon?: string; secondary?: boolean } = {}) {
  const b = h('vscode-button', { 'data-testid': testid, disabled: ctx.readOnly, icon: opts.icon, secondary: opts.secondary });
  b.appendChild(document.createTextNode(label));
  b.disabled = ctx.readOnly;
  b.addEventListener('click', () => {
    if (!ctx.readOnly) onClick();
  });
  return b;
}

/** A number typed in a field, checked with the intent field's schema (Weight, Port, Priority). */
function numberField(text: string, field: FormField & ('weight' | 'port' | 'priority')): { value?: number; error?: string } {
  const t = text.trim();
  const n = /^-?\d+(?:\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
  const error = fieldProblem(field, n, t);
  return error ? { error } : { value: n };
}

/** Submits on Enter inside any text field of the form. */
function onEnter(form: HTMLElement, submit: () => void): void {
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.target as Element).tagName === 'VSCODE-TEXTFIELD') {
      e.preventDefault();
      submit();
    }
  });
}

const SCHEDULER_WORDS: Record<string, () => string> = {
  rr: () => l10n.t('round robin'), wrr: () => l10n.t('weighted round robin'), lc: () => l10n.t('least connections'), wlc: () => l10n.t('weighted least connections'),
  lblc: () => l10n.t('locality-based least connections'), lblcr: () => l10n.t('locality-based least connections with replication'), dh: () => l10n.t('destination hashing'),
  sh: () => l10n.t('source hashing'), sed: () => l10n.t('shortest expected delay'), nq: () => l10n.t('never queue'), fo: () => l10n.t('weighted failover'), ovf: () => l10n.t('weighted overflow'),
  mh: () => l10n.t('Maglev hashing'), twos: () => l10n.t('weighted random twos choice'),
};

/** The facts of a node in words a network admin uses (never the model's own property names). */
export function factRows(node: DiagramNode, cluster: DiagramCluster): [string, string][] {
  const t = (f: string) => propText(node, f);
  const rows: [string, string | undefined][] = [];
  switch (node.kind) {
    case 'server': {
      const byNode = new Map(cluster.nodes.map((n) => [n.id, n]));
      const weights = weightsOf(cluster, node.id, byNode);
      const vip = vipOnState(node);
      const vips = [...new Set(weights.map((w) => propText(byNode.get(w.serviceId)!, 'vip')).filter(Boolean))];
      rows.push(...addressRows(t));
      rows.push([l10n.t('Default gateway'), t('gateway') ? l10n.t('{0} (replies to clients go out through it)', t('gateway')!) : l10n.t('not set')]);
      rows.push([l10n.t('VIP on loopback'), vip.on ? `${vip.label ?? l10n.t('yes')}${vips.length ? l10n.t(' carrying {0}/32', vips.join(', ')) : ''}` : l10n.t('none: it would drop the requests the director forwards')]);
      rows.push([l10n.t('In services'), weights.length ? weights.map((w) => l10n.t('{0} (weight {1})', w.service, w.weight ?? 1)).join(', ') : l10n.t('none: no service sends to it')]);
      break;
    }
    case 'director':
      rows.push(...addressRows(t));
      rows.push([l10n.t('Role in the VRRP pair'), t('role') === 'master' ? l10n.t('master (holds the VIPs when both run)') : l10n.t('backup (takes the VIPs when the master fails)')]);
      rows.push([l10n.t('VRRP priority'), t('priority')]);
      break;
    case 'service': {
      const sched = t('scheduler') ?? 'wlc';
      rows.push([t('fwmark') ? l10n.t('Protocol and ports') : l10n.t('Protocol and port'), `${t('protocol') ?? 'tcp'} ${t('port') ?? l10n.t('(no port)')}`], ['VIP', t('vip') ?? l10n.t('none')]);
      if (t('fwmark')) rows.push([l10n.t('Firewall mark'), l10n.t('{0} (the director marks these ports; IPVS serves them as one service, persistence holds across them)', t('fwmark')!)]);
      rows.push([l10n.t('Scheduler'), SCHEDULER_WORDS[sched] ? `${sched} (${SCHEDULER_WORDS[sched]()})` : sched]);
      rows.push([l10n.t('Persistence'), t('persistence') ? l10n.t('{0} (a client sticks to one server)', t('persistence')!) : l10n.t('none')]);
      rows.push([l10n.t('Health check'), t('check') ?? l10n.t('none')]);
      if (t('quorum')) rows.push([l10n.t('Quorum'), l10n.t('{0} (total weight of the servers in service the service needs)', t('quorum')!)]);
      if (t('sorry')) rows.push([l10n.t('Sorry server'), l10n.t('{0} (answers while no real server is in service)', t('sorry')!)]);
      break;
    }
    case 'vip':
      rows.push([l10n.t('Address'), t('address') ?? node.label], [l10n.t('Name'), t('name')], [l10n.t('Interface on the director'), t('iface') ?? l10n.t("the director's interface")]);
      break;
    case 'client':
      rows.push([l10n.t('Clients'), t('clients') ?? l10n.t('anyone (the VIPs are reached through the router)')]);
      break;
  }
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
}

/** Address, IPv6 address and interface of a host. */
function addressRows(t: (f: string) => string | undefined): [string, string | undefined][] {
  return [
    [l10n.t('Address'), t('address') ?? l10n.t('not set')],
    ...(t('address6') ? [[l10n.t('IPv6 address'), t('address6')] as [string, string]] : []),
    [l10n.t('Interface'), t('iface') ?? l10n.t('not set')],
  ];
}

function factsTable(rows: [string, string][]): HTMLElement {
  return h('table', { class: 'facts', 'data-testid': 'facts' }, h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)))));
}

/** The router's panel: the cluster's gateway and why it matters in DR. */
export function renderRouter(container: HTMLElement, router: RouterInfo): void {
  clear(container);
  container.append(
    h('h3', { class: 'props-title', 'data-testid': 'props-title' }, l10n.t('router (the cluster gateway)')),
    factsTable([
      [l10n.t('Address'), router.address ?? l10n.t('not set: write "gateway ADDRESS" in the cluster')],
      [l10n.t('Segment'), router.network ?? l10n.t('not set')],
    ]),
    h('p', { class: 'hint' }, l10n.t('Clients reach the VIPs through this router. In direct routing the real servers answer the clients through it too, not through the director.')),
  );
}

/** The live state of a node, as facts (when the designer is live). */
function liveRows(mark: LiveMark): [string, string][] {
  const rows: [string, string][] = [[l10n.t('Now'), mark.line]];
  for (const f of mark.findings) rows.push([`${f.code} (${f.severity})`, f.message]);
  return rows;
}

/** Address and interface of a host, editable (a setHostAddress intent). */
function hostForm(node: DiagramNode, ctx: FormContext, kind: 'server' | 'director'): HTMLElement {
  const name = nameOf(node);
  const form = h('form', { class: 'props-form', 'aria-label': kind === 'server' ? l10n.t('address and interface of real server {0}', name) : l10n.t('address and interface of director {0}', name) });
  form.addEventListener('submit', (e) => e.preventDefault());
  const address = field(ctx, `${node.id}/address`, l10n.t('Address'), propText(node, 'address') ?? '', { testid: 'host-address', placeholder: ctx.cluster.network ? l10n.t('in {0}', ctx.cluster.network) : '192.168.0.10' });
  const iface = field(ctx, `${node.id}/iface`, l10n.t('Interface'), propText(node, 'iface') ?? '', { testid: 'host-iface', placeholder: 'eth0' });
  const apply = () => {
    const a = address.input.value.trim();
    const i = iface.input.value.trim();
    const aErr = a && a !== (propText(node, 'address') ?? '') ? fieldProblem('address', a) : undefined;
    const iErr = i && i !== (propText(node, 'iface') ?? '') ? fieldProblem('iface', i) : undefined;
    address.setError(aErr);
    iface.setError(iErr);
    if (aErr || iErr) return;
    const change: { address?: string; iface?: string } = {};
    if (a && a !== (propText(node, 'address') ?? '')) change.address = a;
    if (i && i !== (propText(node, 'iface') ?? '')) change.iface = i;
    if (!change.address && !change.iface) return;
    ctx.draft.delete(`${node.id}/address`);
    ctx.draft.delete(`${node.id}/iface`);
    ctx.sendIntent({ type: 'setHostAddress', cluster: ctx.cluster.name, host: name, kind, ...change });
  };
  onEnter(form, apply);
  form.append(h('div', { class: 'row' }, address.group, iface.group), h('div', { class: 'row' }, button(ctx, l10n.t('Set address and interface'), 'host-apply', apply, { secondary: true })));
  return form;
}

function diagList(ctx: FormContext, node: DiagramNode): HTMLElement | null {
  if (node.diagnostics.length === 0) return null;
  return h('ul', { class: 'node-diags' }, ...node.diagnostics.map((d) =>
    h('li', { class: `sev-${d.severity}` }, icon(d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info'), ' ', h('strong', {}, d.code), ' ', d.message)));
}

export function renderGroup(container: HTMLElement, group: GroupInfo, ctx: FormContext): void {
  clear(container);
  container.append(
    h('h3', { class: 'props-title' }, icon('layers'), ' ', group.label),
    h('p', {}, `${group.service ? l10n.t('{0} real servers sent to by service {1}.', group.members.length, group.service) : l10n.t('{0} real servers.', group.members.length)} ${diagSummary(group.diagnostics) || l10n.t('No findings.')}`),
  );
  const b = h('vscode-button', { 'data-testid': 'group-toggle', icon: group.expanded ? 'chevron-up' : 'chevron-down' }, group.expanded ? l10n.t('Collapse') : l10n.t('Expand'));
  b.addEventListener('click', () => ctx.toggleGroup(group.id));
  container.appendChild(b);
}

export function renderProperties(container: HTMLElement, node: DiagramNode | undefined, ctx: FormContext): void {
  clear(container);
  if (!node) {
    container.append(h('p', { class: 'hint' }, l10n.t('Select a node (click, or Tab to it) to see its properties. Enter opens the form, Delete removes the node.')));
    return;
  }
  const name = nameOf(node);
  container.append(h('h3', { class: 'props-title', 'data-testid': 'props-title' }, `${kindTitle(node.kind)} ${titleOf(node)}`));
  const diags = diagList(ctx, node);
  if (diags) container.append(diags);
  container.append(factsTable(factRows(node, ctx.cluster)));
  const mark = ctx.liveOf(node.id);
  if (mark) container.append(h('h4', { class: 'live-heading' }, icon('pulse'), ` ${l10n.t('Running now')}`), factsTable(liveRows(mark)));
  if (ctx.readOnly) container.append(h('p', { class: 'hint' }, l10n.t('Editing is disabled until the text parses again.')));
  const cluster = ctx.cluster.name;

  if (node.kind === 'server') {
    const byNode = new Map(ctx.cluster.nodes.map((n) => [n.id, n]));
    const weights = weightsOf(ctx.cluster, node.id, byNode);
    const form = h('form', { class: 'props-form', 'aria-label': l10n.t('edit real server {0}', name) });
    form.addEventListener('submit', (e) => e.preventDefault());
    for (const w of weights) {
      const key = `${node.id}/weight/${w.service}`;
      const f = field(ctx, key, l10n.t('Weight in service {0}', w.service), w.weight === undefined ? '' : String(w.weight), { testid: `weight-${w.service}`, numeric: true });
      const apply = () => {
        const r = numberField(f.input.value, 'weight');
        f.setError(r.error);
        if (r.value === undefined) return;
        ctx.draft.delete(key);
        ctx.sendIntent({ type: 'setWeight', cluster, service: w.service, server: name, weight: r.value });
      };
      onEnter(f.group, apply);
      form.append(h('div', { class: 'row' }, f.group, button(ctx, l10n.t('Set'), `set-weight-${w.service}`, apply, { secondary: true })));
    }
    if (weights.length === 0) form.append(h('p', { class: 'hint' }, l10n.t('No service sends to this server yet.')));
    form.append(hostForm(node, ctx, 'server'));
    const vip = vipOnState(node);
    const cb = h('vscode-checkbox', { 'data-testid': 'vip-on', checked: vip.on, disabled: ctx.readOnly, label: vip.label ? l10n.t('VIP on the loopback ({0})', vip.label) : l10n.t('VIP on the loopback') });
    (cb as HTMLElementTagNameMap['vscode-checkbox']).checked = vip.on;
    (cb as HTMLElementTagNameMap['vscode-checkbox']).disabled = ctx.readOnly;
    cb.addEventListener('change', () => {
      if (ctx.readOnly) return;
      ctx.sendIntent({ type: 'toggleVipOn', cluster, server: name, enabled: (cb as HTMLElementTagNameMap['vscode-checkbox']).checked });
    });
    form.append(h('div', { class: 'row' }, cb));
    container.append(form);
    if (mark) {
      const drained = mark.cls === 'live-drained';
      const act = h('vscode-button', { 'data-testid': drained ? 'live-restore' : 'live-drain', icon: drained ? 'debug-start' : 'debug-pause', secondary: true },
        drained ? l10n.t('Restore on the cluster…') : l10n.t('Drain on the cluster…'));
      act.addEventListener('click', () => ctx.serverAction(drained ? 'restore' : 'drain', name));
      container.append(h('div', { class: 'row' }, act));
    }
  } else if (node.kind === 'director') {
    const form = h('form', { class: 'props-form', 'aria-label': l10n.t('edit director {0}', name) });
    form.addEventListener('submit', (e) => e.preventDefault());
    const role = select(ctx, `${node.id}/role`, l10n.t('Role'), propText(node, 'role') ?? 'backup', ['master', 'backup'], 'director-role');
    const prio = field(ctx, `${node.id}/priority`, l10n.t('VRRP priority'), propText(node, 'priority') ?? '', { testid: 'director-priority', numeric: true });
    const apply = () => {
      const r = role.sel.value === 'master' ? 'master' : 'backup';
      let priority: number | undefined;
      if (prio.input.value.trim() !== '') {
        const p = numberField(prio.input.value, 'priority');
        prio.setError(p.error);
        if (p.value === undefined) return;
        priority = p.value;
      } else prio.setError(undefined);
      ctx.draft.delete(`${node.id}/role`);
      ctx.draft.delete(`${node.id}/priority`);
      ctx.sendIntent({ type: 'setRole', cluster, director: name, role: r, ...(priority !== undefined ? { priority } : {}) });
    };
    onEnter(form, apply);
    form.append(role.group, prio.group, h('div', { class: 'row' }, button(ctx, l10n.t('Apply'), 'director-apply', apply)));
    container.append(form, hostForm(node, ctx, 'director'));
    if (mark) {
      const fo = h('vscode-button', { 'data-testid': 'live-failover', icon: 'arrow-swap', secondary: true }, l10n.t('Fail over and back…'));
      fo.addEventListener('click', () => ctx.failover());
      container.append(h('div', { class: 'row' }, fo));
    }
  } else if (node.kind === 'service') {
    container.append(serviceForm(node, ctx), addServerForm(node, ctx));
  }

  if (node.kind !== 'client') {
    container.append(h('div', { class: 'row danger' }, button(ctx, l10n.t('Remove {0}…', kindTitle(node.kind)), 'remove-node', () => ctx.requestRemove(node), { icon: 'trash', secondary: true })));
  }
}

function serviceForm(node: DiagramNode, ctx: FormContext): HTMLElement {
  const name = nameOf(node);
  const cluster = ctx.cluster.name;
  const form = h('form', { class: 'props-form', 'aria-label': l10n.t('edit service {0}', name) });
  form.addEventListener('submit', (e) => e.preventDefault());
  const proto = select(ctx, `${node.id}/protocol`, l10n.t('Protocol'), propText(node, 'protocol') ?? 'tcp', ['tcp', 'udp'], 'service-protocol');
  const port = field(ctx, `${node.id}/port`, l10n.t('Port'), propText(node, 'port') ?? '', { testid: 'service-port', numeric: true });
  const applyPP = () => {
    const p = numberField(port.input.value, 'port');
    port.setError(p.error);
    if (p.value === undefined) return;
    ctx.draft.delete(`${node.id}/protocol`);
    ctx.draft.delete(`${node.id}/port`);
    ctx.sendIntent({ type: 'setProtocolPort', cluster, service: name, protocol: proto.sel.value === 'udp' ? 'udp' : 'tcp', port: p.value });
  };
  onEnter(port.group, applyPP);
  const sched = select(ctx, `${node.id}/scheduler`, l10n.t('Scheduler'), propText(node, 'scheduler') ?? 'wlc', Scheduler.options, 'service-scheduler');
  const applySched = () => {
    ctx.draft.delete(`${node.id}/scheduler`);
    ctx.sendIntent({ type: 'setScheduler', cluster, service: name, scheduler: sched.sel.value as v.InferOutput<typeof Scheduler> });
  };
  form.append(
    h('div', { class: 'row' }, proto.group, port.group),
    h('div', { class: 'row' }, button(ctx, l10n.t('Set protocol and port'), 'service-apply-port', applyPP, { secondary: true })),
    h('div', { class: 'row' }, sched.group, button(ctx, l10n.t('Set'), 'service-apply-scheduler', applySched, { secondary: true })),
  );
  return form;
}

/** Addresses and names already taken in the cluster (nodes, VIPs, gateway). */
function taken(cluster: DiagramCluster): { names: Set<string>; addresses: Set<number> } {
  const names = new Set<string>();
  const addresses = new Set<number>();
  for (const n of cluster.nodes) {
    if (n.kind === 'server' || n.kind === 'director') names.add(nameOf(n));
    const a = parseIpv4(propText(n, 'address') ?? (n.kind === 'vip' ? n.label : ''));
    if (a !== undefined) addresses.add(a);
  }
  const gw = cluster.gateway ? parseIpv4(cluster.gateway) : undefined;
  if (gw !== undefined) addresses.add(gw);
  return { names, addresses };
}

export interface AddServerInput {
  name: string;
  address: string;
  weight: string;
  iface: string;
}

/** Validation of the "Add real server" form (exported for reuse by tests in the webview). */
export function validateAddServer(cluster: DiagramCluster, input: AddServerInput): Partial<Record<keyof AddServerInput, string>> {
  const errors: Partial<Record<keyof AddServerInput, string>> = {};
  const { names, addresses } = taken(cluster);
  const name = input.name.trim();
  if (!name) errors.name = l10n.t('A name is required');
  else if (fieldProblem('serverName', name)) errors.name = fieldProblem('serverName', name);
  else if (names.has(name)) errors.name = l10n.t('{0} is already a server or director in cluster {1}', name, cluster.name);
  const addr = parseIpv4(input.address.trim());
  const net = cluster.network ? parseCidr(cluster.network) : undefined;
  if (!input.address.trim()) errors.address = l10n.t('An IPv4 address is required');
  else if (addr === undefined) errors.address = l10n.t('Not an IPv4 address (e.g. 192.168.147.7)');
  else if (net && !inCidr(addr, net)) errors.address = l10n.t('Must be inside the cluster network {0} (DR needs one L2 segment)', cluster.network ?? '');
  else if (net && net.prefix <= 30 && (addr === net.network || addr === net.broadcast)) errors.address = l10n.t('The network or broadcast address of {0} is not a host', cluster.network ?? '');
  else if (addresses.has(addr)) errors.address = l10n.t('{0} is already used in cluster {1}', input.address.trim(), cluster.name);
  const w = numberField(input.weight, 'weight');
  if (w.error) errors.weight = w.error;
  if (input.iface.trim()) errors.iface = fieldProblem('iface', input.iface.trim());
  return errors;
}

function addServerForm(node: DiagramNode, ctx: FormContext): HTMLElement {
  const service = nameOf(node);
  const key = (k: string) => `${node.id}/add/${k}`;
  const form = h('form', { class: 'props-form add-server', 'aria-label': l10n.t('add a real server to service {0}', service), 'data-testid': 'add-server-form' });
  form.addEventListener('submit', (e) => e.preventDefault());
  const name = field(ctx, key('name'), l10n.t('Name'), '', { testid: 'add-server-name', placeholder: 'web3' });
  const address = field(ctx, key('address'), l10n.t('Address'), '', { testid: 'add-server-address', placeholder: ctx.cluster.network ? l10n.t('in {0}', ctx.cluster.network) : '192.168.0.10' });
  const weight = field(ctx, key('weight'), l10n.t('Weight'), '1', { testid: 'add-server-weight', numeric: true });
  const iface = field(ctx, key('iface'), l10n.t('Interface (optional)'), '', { testid: 'add-server-iface', placeholder: 'eth0' });
  const submit = () => {
    const input = { name: name.input.value, address: address.input.value, weight: weight.input.value, iface: iface.input.value };
    const errors = validateAddServer(ctx.cluster, input);
    name.setError(errors.name);
    address.setError(errors.address);
    weight.setError(errors.weight);
    iface.setError(errors.iface);
    const firstBad = errors.name ? name : errors.address ? address : errors.weight ? weight : errors.iface ? iface : undefined;
    if (firstBad) {
      firstBad.input.focus();
      return;
    }
    for (const k of ['name', 'address', 'weight', 'iface']) ctx.draft.delete(key(k));
    ctx.sendIntent({
      type: 'addRealServer', cluster: ctx.cluster.name, service, name: input.name.trim(), address: input.address.trim(),
      weight: Number(input.weight.trim()), ...(input.iface.trim() ? { iface: input.iface.trim() } : {}),
    });
  };
  onEnter(form, submit);
  form.append(
    h('h4', {}, icon('add'), ` ${l10n.t('Add real server to {0}', service)}`),
    name.group, address.group, h('div', { class: 'row' }, weight.group, iface.group),
    h('div', { class: 'row' }, button(ctx, l10n.t('Add real server'), 'add-server-submit', submit, { icon: 'add' })),
  );
  return form;
}
