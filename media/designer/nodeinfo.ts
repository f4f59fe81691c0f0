// What a node shows: its DSL name, the facts from `props`, its lines of text, its aria-label.
// Props are a loose record from the server; a few spellings are accepted per fact.
import type { DiagramCluster, DiagramNode, NodeDiagnostic } from '../../server/protocol/diagram-model';
import * as l10n from './l10n';

type PropValue = string | number | boolean;

const ALIASES: Record<string, string[]> = {
  name: ['name'],
  address: ['address', 'ip'],
  iface: ['interface', 'iface'],
  role: ['role'],
  priority: ['priority'],
  state: ['vrrpState', 'state', 'vrrp'],
  protocol: ['protocol'],
  port: ['port'],
  scheduler: ['scheduler'],
  vipOn: ['vipOn', 'vip-on', 'vipon', 'loopback'],
  vip: ['vip', 'vipAddress'],
  persistence: ['persistence'],
  gateway: ['gateway'],
};

export function prop(node: DiagramNode, fact: keyof typeof ALIASES | string): PropValue | undefined {
  const keys = ALIASES[fact] ?? [fact];
  for (const k of keys) {
    const v = node.props[k];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

export function propText(node: DiagramNode, fact: string): string | undefined {
  const v = prop(node, fact);
  return v === undefined ? undefined : String(v);
}

/** The DSL name used in intents (`server web1` → web1). */
export function nameOf(node: DiagramNode): string {
  const n = prop(node, 'name');
  if (typeof n === 'string' && n) return n;
  if (node.label) return node.label;
  const parts = node.id.split('/');
  return parts.slice(2).join('/') || node.id;
}

/** The title shown on a node: VIPs by name (else address), clients by label, others by name. */
export function titleOf(node: DiagramNode): string {
  if (node.kind === 'vip') return propText(node, 'name') ?? node.label;
  // The model's label is the language-neutral 'Clients'; the title is worded here, from the bundle.
  if (node.kind === 'client') return l10n.t('Clients');
  return nameOf(node);
}

/** vip-on as a boolean plus the loopback label when there is one (`lo:0`). */
export function vipOnState(node: DiagramNode): { on: boolean; label?: string } {
  const v = prop(node, 'vipOn');
  if (v === undefined || v === false || v === 'false' || v === 'none' || v === 'off') return { on: false };
  if (v === true || v === 'true') return { on: true };
  return { on: true, label: String(v) };
}

const KIND_TITLE: Record<string, () => string> = {
  client: () => l10n.t('clients'),
  vip: () => 'VIP',
  director: () => l10n.t('director'),
  service: () => l10n.t('service'),
  server: () => l10n.t('real server'),
  group: () => l10n.t('group'),
  router: () => l10n.t('router'),
};

/** What a node is, in words ("real server"), in the display language. */
export function kindTitle(kind: string): string {
  return KIND_TITLE[kind]?.() ?? kind;
}

export const KIND_ICON: Record<string, string> = {
  client: 'globe',
  vip: 'broadcast',
  director: 'server-process',
  service: 'symbol-interface',
  server: 'server',
  group: 'layers',
  router: 'arrow-swap',
};

export interface WeightInfo {
  service: string;
  serviceId: string;
  weight?: number;
}

/** The services that send to a server, with the weight of each (request edges service → server). */
export function weightsOf(cluster: DiagramCluster, nodeId: string, byId: Map<string, DiagramNode>): WeightInfo[] {
  const out: WeightInfo[] = [];
  for (const e of cluster.edges) {
    if (e.kind !== 'request' || e.to !== nodeId) continue;
    const from = byId.get(e.from);
    if (!from || from.kind !== 'service') continue;
    out.push({ service: nameOf(from), serviceId: from.id, weight: e.weight });
  }
  return out;
}

/** weightsOf for every server of the cluster in one pass over the edges. */
export function allWeights(cluster: DiagramCluster, byId: Map<string, DiagramNode>): Map<string, WeightInfo[]> {
  const out = new Map<string, WeightInfo[]>();
  for (const e of cluster.edges) {
    if (e.kind !== 'request') continue;
    const from = byId.get(e.from);
    if (!from || from.kind !== 'service') continue;
    const list = out.get(e.to) ?? [];
    list.push({ service: nameOf(from), serviceId: from.id, weight: e.weight });
    out.set(e.to, list);
  }
  return out;
}

/** Lines shown under a node's title. */
export function detailLines(node: DiagramNode, weights: WeightInfo[]): string[] {
  const t = (f: string) => propText(node, f);
  switch (node.kind) {
    case 'director': {
      const role = t('role') ?? l10n.t('role ?');
      const prio = t('priority');
      return [
        [t('address'), t('address6'), t('iface')].filter(Boolean).join(' · ') || l10n.t('no address'),
        `${role}${prio ? ` · ${l10n.t('priority {0}', prio)}` : ''}`,
      ];
    }
    case 'service': {
      const proto = t('protocol') ?? 'tcp';
      const port = t('port') ?? '?';
      return [`${proto}/${port} · ${t('scheduler') ?? l10n.t('scheduler ?')}`, t('vip') ? l10n.t('on {0}', t('vip')!) : ''].filter(Boolean);
    }
    case 'server': {
      const w = weights.length === 0 ? l10n.t('in no service') : weights.map((x) => (weights.length === 1 ? l10n.t('weight {0}', x.weight ?? '?') : `${x.service}:${x.weight ?? '?'}`)).join(' ');
      return [
        [t('address'), t('address6'), t('iface')].filter(Boolean).join(' · ') || l10n.t('no address'),
        w,
      ];
    }
    case 'vip':
      return [[propText(node, 'name') ? t('address') ?? node.label : l10n.t('virtual IP'), t('iface') ? l10n.t('on {0}', t('iface')!) : l10n.t('on the master')].join(' · ')];
    case 'client':
      return [t('clients') ?? l10n.t('any client')];
    default:
      return [];
  }
}

/** The one line of a member row of an expanded group: address, weight(s), vip-on. */
export function memberLine(node: DiagramNode, weights: WeightInfo[]): string {
  const vip = vipOnState(node);
  const w = weights.map((x) => (weights.length === 1 ? `w ${x.weight ?? '?'}` : `${x.service}:${x.weight ?? '?'}`)).join(' ');
  return [propText(node, 'address') ?? l10n.t('no address'), w, vip.on ? vip.label ?? 'vip-on' : l10n.t('no vip-on')].filter(Boolean).join(' · ');
}

export function diagSummary(diags: NodeDiagnostic[]): string {
  if (diags.length === 0) return '';
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.filter((d) => d.severity === 'warning').length;
  const other = diags.length - errors - warnings;
  const parts: string[] = [];
  if (errors) parts.push(errors > 1 ? l10n.t('{0} errors', errors) : l10n.t('1 error'));
  if (warnings) parts.push(warnings > 1 ? l10n.t('{0} warnings', warnings) : l10n.t('1 warning'));
  if (other) parts.push(other > 1 ? l10n.t('{0} notes', other) : l10n.t('1 note'));
  return parts.join(', ');
}

export function worstSeverity(diags: NodeDiagnostic[]): 'error' | 'warning' | 'information' | undefined {
  if (diags.some((d) => d.severity === 'error')) return 'error';
  if (diags.some((d) => d.severity === 'warning')) return 'warning';
  return diags.length ? 'information' : undefined;
}

/** e.g. "director lvs1, master, priority 100, 192.168.147.6". */
export function ariaLabel(node: DiagramNode, weights: WeightInfo[]): string {
  const t = (f: string) => propText(node, f);
  const parts: string[] = [];
  switch (node.kind) {
    case 'director':
      parts.push(l10n.t('director {0}', nameOf(node)));
      if (t('role')) parts.push(t('role')!);
      if (t('priority')) parts.push(l10n.t('priority {0}', t('priority')!));
      if (t('address')) parts.push(t('address')!);
      break;
    case 'server': {
      parts.push(l10n.t('real server {0}', nameOf(node)));
      if (t('address')) parts.push(t('address')!);
      if (t('iface')) parts.push(l10n.t('interface {0}', t('iface')!));
      for (const w of weights) parts.push(weights.length === 1 ? l10n.t('weight {0}', w.weight ?? l10n.t('unknown')) : l10n.t('weight {0} in {1}', w.weight ?? l10n.t('unknown'), w.service));
      const vip = vipOnState(node);
      parts.push(vip.on ? l10n.t('VIP on {0}', vip.label ?? l10n.t('loopback')) : l10n.t('no VIP on loopback'));
      break;
    }
    case 'service':
      parts.push(l10n.t('service {0}', nameOf(node)));
      parts.push(l10n.t('{0} port {1}', t('protocol') ?? 'tcp', t('port') ?? l10n.t('unknown')));
      if (t('scheduler')) parts.push(l10n.t('scheduler {0}', t('scheduler')!));
      break;
    case 'vip':
      parts.push(`VIP ${t('name') ?? node.label}`);
      if (t('address') && t('address') !== (t('name') ?? node.label)) parts.push(t('address')!);
      break;
    case 'client':
      parts.push(t('clients') ? l10n.t('clients {0}', t('clients')!) : l10n.t('clients: anyone'));
      break;
  }
  const d = diagSummary(node.diagnostics);
  if (d) parts.push(d);
  return parts.join(', ');
}

export function diagTooltip(diags: NodeDiagnostic[]): string {
  return diags.map((d) => `${d.code} (${d.severity}): ${d.message}`).join('\n');
}
