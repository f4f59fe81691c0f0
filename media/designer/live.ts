// The live overlay: what each node of the diagram shows of the cluster's running state (from the
// live snapshot the extension posts), as a small mark per node id — a class for the colour, one
// line of words, a badge. Computing the marks is one pass over the snapshot; the diagram then
// redraws only the nodes in view whose mark changed. Pure: no DOM.
import type { LiveView } from '../../server/protocol/designer-live';
import type { LiveFinding, LiveSnapshot } from '../../server/protocol/live-snapshot';
import * as l10n from './l10n';

export interface LiveMark {
  /** CSS class of the state (live-master, live-backup, live-in, live-out, live-drained, …). */
  cls: string;
  /** The line of words shown in the node, e.g. "MASTER · holds 192.168.147.100". */
  line: string;
  /** A short badge (MASTER, DRAINED, OUT). */
  badge?: string;
  /** Runtime findings on the host. */
  findings: LiveFinding[];
  /** Same marks, same string (the diagram compares these). */
  sig: string;
}

function mark(cls: string, line: string, badge: string | undefined, findings: LiveFinding[]): LiveMark {
  return { cls, line, badge, findings, sig: `${cls}|${line}|${badge ?? ''}|${findings.map((f) => `${f.code}:${f.message}`).join('|')}` };
}

/** Marks per node id for the clusters of the view; ids are `<cluster>/<kind>/<name>` as in the model. */
export function liveMarks(view: LiveView): Map<string, LiveMark> {
  const marks = new Map<string, LiveMark>();
  if (view.status === 'off') return marks;
  for (const c of view.clusters) addCluster(marks, c);
  return marks;
}

function addCluster(marks: Map<string, LiveMark>, c: LiveSnapshot): void {
  const id = (kind: string, name: string) => `${c.cluster}/${kind}/${name}`;
  const byHost = new Map<string, LiveFinding[]>();
  for (const f of c.findings) {
    if (!f.host) continue;
    const list = byHost.get(f.host) ?? [];
    // Shown in the display language: the extension runs lvsdr in it.
    list.push({ ...f, message: f.messageLocalized ?? f.message });
    byHost.set(f.host, list);
  }
  const holders = new Map<string, string[]>();
  for (const d of c.directors) {
    for (const vip of d.vips) holders.set(vip, [...(holders.get(vip) ?? []), d.name]);
    const findings = byHost.get(d.name) ?? [];
    if (!d.reachable) marks.set(id('director', d.name), mark('live-unreachable', l10n.t('unreachable: state unknown'), l10n.t('UNREACHABLE'), findings));
    else if (d.keepalived === false) marks.set(id('director', d.name), mark('live-stopped', l10n.t('keepalived is not running'), l10n.t('STOPPED'), findings));
    else {
      const holds = d.vips.length ? l10n.t('holds {0}', d.vips.join(', ')) : l10n.t('holds no VIP');
      marks.set(id('director', d.name), mark(`live-${d.vrrp.toLowerCase()}`, holds, d.vrrp, findings));
    }
  }
  // VIPs: who holds each (the address is the VIP node's name unless the VIP is named; both ids are set).
  const vipAddresses = new Set<string>([...holders.keys(), ...c.services.map((s) => s.vip ?? '').filter(Boolean)]);
  for (const address of vipAddresses) {
    const who = holders.get(address) ?? [];
    const m = who.length === 1 ? mark('live-held', l10n.t('held by {0}', who[0]), undefined, [])
      : who.length === 0 ? mark('live-unheld', l10n.t('held by no director'), l10n.t('NOT HELD'), [])
        : mark('live-split', l10n.t('held by {0}: split brain', who.join(', ')), l10n.t('SPLIT BRAIN'), []);
    marks.set(id('vip', address), m);
  }
  // Real servers: summed over the services that send to them.
  const reals = new Map<string, { active: number; inactive: number; cps: number; hasCps: boolean; inService: number; total: number; drained: boolean }>();
  for (const s of c.services) {
    for (const r of s.reals) {
      const a = reals.get(r.name) ?? { active: 0, inactive: 0, cps: 0, hasCps: false, inService: 0, total: 0, drained: false };
      a.active += r.active;
      a.inactive += r.inactive;
      if (r.connsPerSec !== undefined) {
        a.cps += Math.round(r.connsPerSec * 10) / 10;
        a.hasCps = true;
      }
      a.total++;
      if (r.inService) a.inService++;
      if (r.drained) a.drained = true;
      reals.set(r.name, a);
    }
  }
  const unreachable = new Set((c.realServers ?? []).filter((r) => !r.reachable).map((r) => r.name));
  for (const [name, a] of reals) {
    const findings = byHost.get(name) ?? [];
    if (unreachable.has(name)) {
      marks.set(id('server', name), mark('live-unreachable', l10n.t('unreachable · IPVS: {0} active', a.active), l10n.t('UNREACHABLE'), findings));
      continue;
    }
    const traffic = `${l10n.t('{0} active, {1} inactive', a.active, a.inactive)}${a.hasCps ? ` · ${a.cps}/s` : ''}`;
    let m: LiveMark;
    if (a.drained) m = mark('live-drained', traffic, l10n.t('DRAINED'), findings);
    else if (a.inService === 0) m = mark('live-out', l10n.t('health check failed · {0}', traffic), l10n.t('OUT'), findings);
    else if (a.inService < a.total) m = mark('live-partial', l10n.t('in {0} of {1} services · {2}', a.inService, a.total, traffic), l10n.t('PARTLY OUT'), findings);
    else m = mark('live-in', traffic, l10n.t('IN'), findings);
    marks.set(id('server', name), m);
  }
  // Hosts with findings but no other live mark (a server no service uses).
  for (const [host, findings] of byHost) {
    for (const kind of ['server', 'director']) {
      if (!marks.has(id(kind, host))) marks.set(id(kind, host), mark('live-finding', findings[0].message, undefined, findings));
    }
  }
}

/** One line for the toolbar: "live: lab · 2 s ago" or why not. */
export function liveSummary(view: LiveView): string {
  switch (view.status) {
    case 'off':
      return '';
    case 'connecting':
      return l10n.t('connecting to {0}…', view.target ?? l10n.t('the target'));
    case 'error':
      return l10n.t('live state unavailable: {0}', view.message ?? l10n.t('unknown error'));
    case 'live': {
      const out = view.clusters.reduce((n, c) => n + c.services.reduce((m, s) => m + s.reals.filter((r) => !r.inService).length, 0), 0);
      const findings = view.clusters.reduce((n, c) => n + c.findings.length, 0);
      return `${l10n.t('live: {0}', view.target ?? l10n.t('target'))} · ${out ? l10n.t('{0} out of service', out) : l10n.t('all in service')}`
        + (findings ? ` · ${findings === 1 ? l10n.t('1 finding') : l10n.t('{0} findings', findings)}` : '');
    }
  }
}
