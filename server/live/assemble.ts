// The reads of one refresh (one per host) become a LiveSnapshot: directors, real servers, and
// per service the real servers as the VIP's holder sees them. State that needs history (rates
// come from the kernel; "out of service since") is carried in a LiveHistory between refreshes.
import type { DirectorStatus, IpvsService, LiveSnapshot, RealServerStatus, RuntimeOverride, ServiceStatus, VrrpState } from '../protocol/live-snapshot';
import type { DirectorRead, IpvsVirtual } from './parse-director';
import { runtimeFindings } from './findings';
import { drainsOf, findVirtual } from './lookup';
import type { AssembleInput, LiveHistory } from './types';
import { localizedField } from '../shared/l10n/localize';
import { english, Msg, t } from '../shared/l10n/message';

export { newHistory } from './types';
export type { AssembleInput, HostReading, LiveHistory } from './types';

/** The state keepalived is in: its JSON dump where there is one, checked against the VIPs it holds now (the dump is one refresh old). */
export function vrrpState(read: DirectorRead, own: string[], ha: boolean): VrrpState {
  if (read.keepalivedPid === undefined) return 'STOPPED';
  const held = own.filter((a) => read.addresses.includes(a)).length;
  const byVips: VrrpState = own.length === 0 ? 'UNKNOWN' : held === own.length ? 'MASTER' : held === 0 ? 'BACKUP' : 'UNKNOWN';
  const states = read.vrrp?.map((i) => i.state) ?? [];
  if (states.includes('FAULT')) return 'FAULT';
  if (!ha) return byVips;
  if (states.length === 0) return byVips;
  const dumped: VrrpState = states.every((s) => s === 'MASTER') ? 'MASTER' : states.every((s) => s === 'BACKUP') ? 'BACKUP' : 'UNKNOWN';
  // Addresses are read now, the dump a refresh ago: when they disagree the addresses win.
  return byVips !== 'UNKNOWN' && dumped !== byVips ? byVips : dumped;
}

function ipvsOf(table: IpvsVirtual[]): IpvsService[] {
  return table.map((v) => ({
    vip: v.vip, port: v.port, protocol: v.protocol, scheduler: v.scheduler.slice(0, 16),
    ...(v.persistence !== undefined ? { persistence: v.persistence } : {}),
    reals: v.dests.map((d) => ({ address: d.address, port: d.port, forward: d.forward, weight: d.weight, active: d.active, inactive: d.inactive })),
  }));
}

export function assemble(input: AssembleInput, history: LiveHistory): LiveSnapshot {
  const { spec } = input;
  const locale = input.locale ?? 'en';
  // Why a host has no read: English for scripts, and in the reader's language beside it.
  const why = (m: Msg = t`no answer`) => ({ error: english(m), ...localizedField('errorLocalized', m, locale) });
  const clusterVips = spec.vips.map((v) => v.address);
  const directors: DirectorStatus[] = spec.directors.map((ds, i) => {
    const r = input.directors[i];
    const own = ds.vips.map((p) => p.vip.address);
    if (!r.read) {
      return { name: ds.name, address: ds.address, reachable: false, ...why(r.error), keepalived: null, vrrp: 'UNKNOWN', priority: null, vips: [], ipvs: null, timeouts: null };
    }
    const prio = r.read.vrrp?.find((x) => Number.isFinite(x.priority))?.priority;
    return {
      name: ds.name, address: ds.address, reachable: true,
      keepalived: r.read.keepalivedPid !== undefined,
      vrrp: vrrpState(r.read, own, !!spec.ha),
      priority: r.read.keepalivedPid !== undefined && prio !== undefined ? prio : null,
      vips: clusterVips.filter((a) => r.read!.addresses.includes(a)),
      ipvs: ipvsOf(r.read.ipvs),
      timeouts: r.read.timeouts ?? input.timeouts.get(ds.name) ?? null,
    };
  });

  const servers: RealServerStatus[] = spec.servers.map((ss, i) => {
    const r = input.servers[i];
    const ports = [...new Set(spec.services.filter((svc) => svc.reals.some((x) => x.name === ss.name))
      .flatMap((svc) => svc.reals.filter((x) => x.name === ss.name).map((x) => `${svc.protocol} ${x.port}`)))]
      .map((k) => ({ protocol: k.split(' ')[0] as 'tcp' | 'udp', port: Number(k.split(' ')[1]) }));
    if (!r.read) return { name: ss.name, address: ss.address, reachable: false, ...why(r.error), loVips: null, arp: null, ports: ports.map((p) => ({ ...p, answers: null })) };
    return {
      name: ss.name, address: ss.address, reachable: true,
      loVips: r.read.loAddresses, arp: r.read.arp ?? null,
      ports: ports.map((p) => ({ ...p, answers: r.read!.listening?.has(`${p.protocol} ${p.port}`) ?? null })),
    };
  });

  const drains = drainsOf(input.directors);
  const drained = new Set(drains.map((d) => d.server));
  const services: ServiceStatus[] = spec.services.map((svc) => {
    // The table that carries the traffic: the VIP's holder, else the first director that answered.
    const holder = spec.directors.findIndex((_, i) => input.directors[i].read?.addresses.includes(svc.vip.address));
    const idx = holder >= 0 ? holder : input.directors.findIndex((d) => d.read);
    const table = idx >= 0 ? input.directors[idx].read!.ipvs : undefined;
    const virt = table ? findVirtual(table, svc) : undefined;
    return {
      name: svc.name, vip: svc.vip.address, port: svc.port, protocol: svc.protocol,
      from: idx >= 0 ? spec.directors[idx].name : null,
      present: !!virt,
      reals: svc.reals.map((real) => {
        const d = virt?.dests.find((x) => x.address === real.address && x.port === real.port);
        const isDrained = drained.has(real.name);
        // A quiesced service (inhibit_on_failure) keeps a failed real server at weight 0.
        const inService = !!d && !(svc.quiesce && d.weight === 0 && !isDrained);
        const key = `${svc.name} ${real.name}`;
        if (inService || idx < 0) history.outSince.delete(key);
        else if (!history.outSince.has(key)) history.outSince.set(key, input.at);
        const since = history.outSince.get(key);
        return {
          name: real.name, address: real.address, weight: d ? d.weight : null, fileWeight: real.weight,
          active: d?.active ?? 0, inactive: d?.inactive ?? 0, inService, drained: isDrained,
          connsPerSec: d?.cps ?? 0, packetsInPerSec: d?.inPps ?? 0, bytesInPerSec: d?.inBps ?? 0,
          ...(since !== undefined ? { outSince: new Date(since).toISOString() } : {}),
        };
      }),
    };
  });

  const overrides: RuntimeOverride[] = drains.map((d) => ({ kind: 'drain', server: d.server, weight: 0, since: d.since }));
  history.refreshes++;
  const snapshot: LiveSnapshot = {
    v: 1, cluster: spec.name, target: input.target, at: new Date(input.at).toISOString(), ms: input.ms,
    directors, realServers: servers, services, overrides, findings: [],
  };
  snapshot.findings = runtimeFindings(spec, snapshot, input, history);
  return snapshot;
}
