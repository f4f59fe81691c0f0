// Runtime drift: the snapshot checked against the file and against the DR rules, with stable
// codes like the language's (docs/rules.md, LVS5xx). Each check says only what it can know: a
// VIP "held by none" is reported only when every director answered.
//
// Messages are `t` sources (l10n/server.l10n.zh-cn.json): `message` stays English for scripts
// and `messageLocalized` is added in the reader's language when that is not English, as
// `lvsdr check --format json` does.
import type { ClusterSpec } from '../generate/spec';
import { LIVE_CODES } from '../protocol/live-codes';
import { LiveFinding, LiveSnapshot } from '../protocol/live-snapshot';
import { localizedField } from '../shared/l10n/localize';
import { andMsgs, english, listMsgs, Msg, MsgArg, semicolonMsgs, t } from '../shared/l10n/message';
import type { AssembleInput, LiveHistory } from './types';
import { drainsOf, findVirtual } from './lookup';

const MAX_LISTED = 4;
function listed(items: Msg[]): MsgArg {
  const shown = semicolonMsgs(items.slice(0, MAX_LISTED));
  return items.length > MAX_LISTED ? t`${shown}; and ${items.length - MAX_LISTED} more` : shown;
}

export function runtimeFindings(spec: ClusterSpec, s: LiveSnapshot, input: AssembleInput, history: LiveHistory): LiveFinding[] {
  const out: LiveFinding[] = [];
  const locale = input.locale ?? 'en';
  const add = (code: string, severity: LiveFinding['severity'], msg: Msg, host?: string) =>
    out.push({ code, severity, message: english(msg), ...localizedField('messageLocalized', msg, locale), ...(host ? { host } : {}) });

  const reasons = new Map([...input.directors, ...input.servers].flatMap((r) => (r.error ? [[r.name, r.error] as const] : [])));
  for (const h of [...s.directors, ...s.realServers]) {
    if (!h.reachable) add(LIVE_CODES.unreachable, 'error', t`${h.name} (${h.address}) does not answer: ${reasons.get(h.name) ?? t`no answer`}; its state is unknown`, h.name);
  }

  // VIPs: held by two directors (split brain), or by none while every director answered.
  const allAnswered = s.directors.every((d) => d.reachable);
  for (const vip of spec.vips.map((v) => v.address)) {
    const holders = s.directors.filter((d) => d.vips.includes(vip)).map((d) => d.name);
    if (holders.length > 1) {
      for (const h of holders) add(LIVE_CODES.splitBrain, 'error', t`split brain: the VIP ${vip} is held by ${andMsgs(holders)} at once`, h);
    } else if (holders.length === 0 && allAnswered && spec.directors.some((d) => d.vips.some((p) => p.vip.address === vip))) {
      add(LIVE_CODES.vipOnNone, 'error', t`the VIP ${vip} is held by no director: its services do not answer`);
    }
  }

  for (const d of s.directors) {
    if (!d.reachable) continue;
    if (spec.ha && !d.keepalived) add(LIVE_CODES.keepalivedDown, 'error', spec.directors.length > 1
      ? t`keepalived is not running on ${d.name}: the pair has no standby` : t`keepalived is not running on ${d.name}`, d.name);
    if (d.vrrp === 'FAULT') add(LIVE_CODES.vrrpFault, 'error', t`keepalived on ${d.name} is in FAULT state (an interface or a tracked script is down)`, d.name);
  }

  // Each director's IPVS table against the file (skipped where an ha director's keepalived is
  // down: LVS503 says that, and keepalived empties the table when it stops).
  const drained = new Set(drainsOf(input.directors).map((x) => x.server));
  spec.directors.forEach((ds, i) => {
    const read = input.directors[i].read;
    if (!read || (spec.ha && read.keepalivedPid === undefined)) return;
    const diffs: Msg[] = [];
    for (const svc of spec.services) {
      const v = findVirtual(read.ipvs, svc);
      const key = `${svc.protocol} ${svc.vip.address}:${svc.port}`;
      if (!v) {
        diffs.push(t`${svc.name} (${key}) is missing`);
        continue;
      }
      if (v.scheduler !== svc.scheduler) diffs.push(t`${svc.name}: scheduler ${v.scheduler}, the file says ${svc.scheduler}`);
      const p = svc.persistence?.timeout;
      if ((v.persistence ?? undefined) !== p) diffs.push(t`${svc.name}: persistence ${v.persistence ?? t`none`}, the file says ${p ?? t`none`}`);
      for (const real of svc.reals) {
        const d = v.dests.find((x) => x.address === real.address && x.port === real.port);
        // Absent with a health check: the checker took it out (LVS508), not drift of the table.
        if (!d) {
          if (svc.checks.length === 0) diffs.push(t`${svc.name}: ${real.name} (${real.address}:${real.port}) is missing`);
          continue;
        }
        if (d.weight !== real.weight && !(drained.has(real.name) && d.weight === 0) && !(svc.quiesce && d.weight === 0)) {
          diffs.push(t`${svc.name}: ${real.name} has weight ${d.weight}, the file says ${real.weight}`);
        }
      }
      for (const d of v.dests) {
        if (!svc.reals.some((r) => r.address === d.address && r.port === d.port)) diffs.push(t`${svc.name}: ${d.address}:${d.port} is not in the file`);
      }
    }
    const fileVips = new Set(spec.vips.map((x) => x.address));
    for (const v of read.ipvs) {
      if (fileVips.has(v.vip) && !spec.services.some((svc) => findVirtual([v], svc))) diffs.push(t`${v.protocol} ${v.vip}:${v.port} is not in the file`);
    }
    if (diffs.length) add(LIVE_CODES.ipvsDiffers, 'warning', t`the IPVS table of ${ds.name} differs from the file: ${listed(diffs)}`, ds.name);
  });

  // Real servers: the VIP on lo (/32), the ARP sysctls, the service ports.
  spec.servers.forEach((ss, i) => {
    const st = s.realServers[i];
    if (!st.reachable) return;
    for (const p of ss.loVips) {
      const want = p.vip.address;
      const full = want.includes(':') ? 128 : 32;
      const have = st.loVips?.find((x) => x.address === want);
      if (!have) add(LIVE_CODES.loVipMissing, 'error', t`${ss.name} does not hold the VIP ${want} on lo: it drops the requests the directors send it (rebooted without the persistent lo alias?)`, ss.name);
      else if (have.prefix !== full) add(LIVE_CODES.loVipMissing, 'error', t`${ss.name} holds the VIP ${want} on lo as /${have.prefix}, not /${full}: the whole subnet becomes local`, ss.name);
    }
    if (ss.loVips.length && st.arp && (st.arp.allIgnore < 1 || st.arp.allAnnounce < 2)) {
      add(LIVE_CODES.arpSysctls, 'error', t`${ss.name} answers ARP for the VIP: net.ipv4.conf.all.arp_ignore=${st.arp.allIgnore} (needs ≥ 1), arp_announce=${st.arp.allAnnounce} (needs ≥ 2) (reset by a reboot without the sysctl file?)`, ss.name);
    }
    const closed = st.ports.filter((p) => p.answers === false).map((p) => `${p.protocol}/${p.port}`);
    if (closed.length) add(LIVE_CODES.portClosed, 'warning', t`nothing listens on ${listMsgs(closed)} on ${ss.name}`, ss.name);
  });

  // Out of service for longer than the check interval (on a first read: out now, since unknown).
  const at = Date.parse(s.at);
  for (const svc of s.services) {
    const spc = spec.services.find((x) => x.name === svc.name)!;
    if (!svc.from) continue;
    for (const r of svc.reals) {
      if (r.inService || !r.outSince) continue;
      const ms = at - Date.parse(r.outSince);
      // The slowest check decides how soon a server can come back.
      const every = Math.max(0, ...spc.checks.map((c) => c.every));
      if (history.refreshes <= 1 || ms >= every * 1000) {
        add(LIVE_CODES.outOfService, 'warning', history.refreshes <= 1
          ? t`${r.name} is out of ${svc.name} on ${svc.from}: the health check holds it out`
          : t`${r.name} has been for ${(ms / 1000).toFixed(0)} s (checked every ${every} s) out of ${svc.name} on ${svc.from}: the health check holds it out`, r.name);
      }
    }
  }

  // Runtime overrides (drains): drift until the file says the same or the override is cleared.
  for (const o of s.overrides) {
    const reals = s.services.flatMap((svc) => svc.reals.filter((r) => r.name === o.server));
    if (reals.length && reals.every((r) => r.fileWeight === 0)) continue; // the file agrees
    const notInEffect = reals.filter((r) => r.weight !== null && r.weight !== 0);
    if (notInEffect.length) add(LIVE_CODES.override, 'warning', t`${o.server} is recorded as drained since ${o.since}, but its IPVS weight is ${notInEffect[0].weight!} again (restore or drain it again)`, o.server);
    else add(LIVE_CODES.override, 'information', t`${o.server} is drained (weight 0 since ${o.since}): a runtime override the file does not say; \`lvsdr restore\` clears it`, o.server);
  }
  return out;
}
