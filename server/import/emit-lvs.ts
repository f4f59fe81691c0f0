// Writes an imported cluster as .lvs text in the formatter's layout, with a comment on every
// value the importer inferred (network from the addresses, names it chose) or could not know
// (gateway, a director's address under multicast VRRP, real servers' interfaces).
// These comments stay English whatever the reader's language: the .lvs is a shared artifact
// (committed, reviewed, read by whoever runs it next), like the files generate writes.
import { formatText } from '../lsp/formatting';
import { NAME_RE } from '../language/names';
import { formatDuration } from '../language/values';
import { ImportedCheck, ImportedCluster } from './imported-cluster';

function ipNum(a: string): number {
  return a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** The smallest /24-or-wider network holding every address, as `A.B.C.0/P`. */
function coveringNetwork(addresses: string[]): string | undefined {
  if (addresses.length === 0) return undefined;
  const nums = addresses.map(ipNum);
  for (let prefix = 24; prefix >= 8; prefix--) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const base = (nums[0] & mask) >>> 0;
    if (nums.every((n) => ((n & mask) >>> 0) === base)) {
      return `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join('.')}/${prefix}`;
    }
  }
  return undefined;
}

function quote(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

function checkLine(c: ImportedCheck): string {
  let line = `check ${c.type}`;
  if (c.type === 'script') line += ` ${quote(c.script ?? '')}`;
  if (c.type === 'http' || c.type === 'https') line += ` path ${quote(c.path ?? '/')} expect ${c.expect ?? 200}`;
  if (c.host !== undefined) line += ` host ${quote(c.host)}`;
  if (c.type === 'dns') line += ` name ${quote(c.dnsName ?? '.')} type ${c.dnsType ?? 'SOA'}`;
  if (c.port !== undefined) line += ` port ${c.port}`;
  if (c.every !== undefined) line += ` every ${formatDuration(c.every * 1000)}`;
  if (c.timeout !== undefined) line += ` timeout ${formatDuration(c.timeout * 1000)}`;
  if (c.retry !== undefined) line += ` retry ${c.retry}`;
  return line;
}

export function emitLvs(cluster: ImportedCluster, name: string): string {
  const out: string[] = [`cluster ${name} {`];
  const vipAddrs = [...new Set([...(cluster.ha?.vips ?? []).map((v) => v.address), ...cluster.services.map((s) => s.vip)])];
  // Real servers and sorry servers are servers of the cluster alike (both hold the VIP on lo).
  const realAddrs = [...new Set(cluster.services.flatMap((s) => [...s.reals.map((r) => r.address), ...(s.sorry ? [s.sorry.address] : [])]))];
  const dirAddrs = cluster.directors.flatMap((d) => (d.address ? [d.address] : []));
  const live = cluster.live;
  const network = coveringNetwork([...vipAddrs, ...realAddrs, ...dirAddrs]);
  if (live?.network) out.push(`network ${live.network}   # read: the director's interface`);
  else out.push(network ? `network ${network}   # inferred: the smallest network holding every address read` : '# network unknown: the addresses read share no /8: add `network A.B.C.D/P`');
  if (live?.gateway) out.push(`gateway ${live.gateway}   # read: the director's default route`);
  else out.push('# gateway unknown: neither keepalived.conf nor the IPVS table names it: add `gateway A.B.C.D`');
  const vipName = new Map<string, string>();
  vipAddrs.forEach((a, i) => vipName.set(a, `vip${i + 1}`));
  const placed = new Map((cluster.ha?.vips ?? []).map((v) => [v.address, v]));
  for (const a of vipAddrs) {
    const p = placed.get(a);
    const iface = p?.label && p.label.includes(':') ? p.label : undefined;
    out.push(`vip ${vipName.get(a)} ${a}${iface ? `  interface ${iface}` : ''}`);
  }
  out.push('');
  const used = new Set<string>();
  const unique = (wanted: string | undefined, fallback: string): string => {
    let n = wanted && NAME_RE.test(wanted) && !used.has(wanted) ? wanted : fallback;
    for (let i = 2; used.has(n); i++) n = `${fallback}-${i}`;
    used.add(n);
    return n;
  };
  /** A host's own lines from the live facts: its gateway, kernel settings and OS when they differ. */
  const hostExtras = (address: string | undefined): string[] => {
    const f = address ? live?.hosts.get(address) : undefined;
    if (!f) return [];
    return [
      f.gateway && f.gateway !== live?.gateway ? `gateway ${f.gateway}` : '',
      ...f.sysctls.map(([k, v]) => `sysctl ${k} = ${v}`),
      f.os && f.os !== live?.os ? `target os ${f.os}` : '',
    ].filter(Boolean);
  };
  const hostLine = (head: string, props: string[], extras: string[], notes: string[]) => {
    const note = notes.length ? `   # ${notes.join('; ')}` : '';
    if (extras.length === 0) out.push(`${head} { ${props.join('  ')} }${note}`);
    else out.push(`${head} {${note}`, props.join('  '), ...extras, '}');
  };
  cluster.directors.forEach((d, i) => {
    const dname = unique(d.name ?? (d.address ? live?.hosts.get(d.address)?.hostname : undefined), `lvs${i + 1}`);
    const props = [d.address ? `address ${d.address}` : '', d.iface ? `interface ${d.iface}` : '', d.role ? `role ${d.role}` : '', d.priority !== undefined ? `priority ${d.priority}` : '', d.nopreempt ? 'nopreempt' : ''].filter(Boolean);
    const notes = [d.name && d.name !== dname ? `named ${dname} (router_id ${d.name} is not a name of the language)` : '', d.address ? '' : 'address unknown (multicast VRRP does not name it): add `address A.B.C.D`'].filter(Boolean);
    hostLine(`director ${dname}`, props, hostExtras(d.address), notes);
  });
  if (cluster.directors.length === 0) out.push('# no director read: the IPVS table does not say where it runs: add `director NAME { address A.B.C.D  interface IF }`');
  if (cluster.ha) {
    const ha = cluster.ha;
    const tuning = [
      ha.syncDaemon ? `sync-daemon ${ha.syncDaemon}` : '',
      ha.preemptDelay !== undefined ? `preempt-delay ${formatDuration(Math.round(ha.preemptDelay * 1000))}` : '',
      ha.garpRepeat !== undefined ? `garp-repeat ${ha.garpRepeat}` : '',
      ha.garpInterval !== undefined ? `garp-interval ${formatDuration(Math.round(ha.garpInterval * 1000))}` : '',
      ha.notify !== undefined ? `notify ${quote(ha.notify)}` : '',
      ...ha.trackInterfaces.map((t) => `track-interface ${t}`),
    ].filter(Boolean).map((x) => `  ${x}`).join('');
    out.push('', `ha { router-id ${ha.routerId}  advert ${ha.advert}s${ha.authSecret ? `  auth secret:${ha.authSecret}` : ''}${ha.unicast ? '  unicast' : ''}${tuning} }`);
  }
  const t = cluster.timeouts;
  if (t && (t.tcp || t.tcpFin || t.udp)) {
    const parts = [t.tcp ? `tcp ${formatDuration(t.tcp * 1000)}` : '', t.tcpFin ? `tcp-fin ${formatDuration(t.tcpFin * 1000)}` : '', t.udp ? `udp ${formatDuration(t.udp * 1000)}` : ''].filter(Boolean);
    out.push('', `timeouts { ${parts.join('  ')} }`);
  }
  const serverName = new Map<string, string>();
  const serverAddrs = [...realAddrs, ...(live?.extraServers ?? []).filter((a) => !realAddrs.includes(a))];
  serverAddrs.forEach((a, i) => serverName.set(a, unique(live?.hosts.get(a)?.hostname, `rs${i + 1}`)));
  cluster.services.forEach((svc, i) => {
    if (svc.fwmark !== undefined) {
      out.push('', `service s${i + 1}-fwmark-${svc.fwmark} {`);
      out.push('# ports unknown: keepalived.conf names only the mark; add `ports P P` (the director\'s firewall rules for this mark say which)');
      out.push(`vip ${vipName.get(svc.vip)}  protocol ${svc.protocol}  fwmark ${svc.fwmark}${svc.scheduler ? `  scheduler ${svc.scheduler}` : ''}`);
    } else {
      out.push('', `service s${i + 1}-${svc.protocol}-${svc.port} {`);
      out.push(`vip ${vipName.get(svc.vip)}  protocol ${svc.protocol}  port ${svc.port}${svc.scheduler ? `  scheduler ${svc.scheduler}` : ''}`);
    }
    if (svc.persistence) out.push(`persistence ${formatDuration(svc.persistence.timeout * 1000)}${svc.persistence.netmask ? ` netmask ${svc.persistence.netmask}` : ''}`);
    if (svc.quiesce) out.push('on-failure quiesce');
    for (const c of svc.checks) out.push(checkLine(c));
    if (svc.quorum !== undefined) out.push(`quorum ${svc.quorum}${svc.hysteresis !== undefined ? `  hysteresis ${svc.hysteresis}` : ''}`);
    if (svc.sorry) out.push(`sorry ${serverName.get(svc.sorry.address)}`);
    for (const r of svc.reals) out.push(`real ${serverName.get(r.address)}${r.port !== svc.port ? `:${r.port}` : ''} weight ${r.weight}`);
    out.push('}');
  });
  if (serverAddrs.length > 0) out.push('');
  for (const a of serverAddrs) {
    const f = live?.hosts.get(a);
    if (!f) {
      out.push(`server ${serverName.get(a)} { address ${a}  vip-on lo:0 }   # inferred: DR real servers hold the VIPs on lo; interface unknown`);
      continue;
    }
    const vipOn = f.vipOn.map((v) => `vip-on ${v.label}${vipAddrs.length > 1 && vipName.has(v.vip) ? ` vip ${vipName.get(v.vip)}` : ''}${v.prefix !== 32 ? ` prefix ${v.prefix}` : ''}`);
    const notes = [f.iface ? '' : 'interface unknown: no interface holds the address', vipOn.length ? '' : 'no VIP on lo was read'].filter(Boolean);
    hostLine(`server ${serverName.get(a)}`, [`address ${a}`, f.iface ? `interface ${f.iface}` : '', ...vipOn].filter(Boolean), hostExtras(a), notes);
  }
  if (live?.os) out.push('', `target os ${live.os}   # read: /etc/os-release`);
  out.push('}', '');
  return formatText(out.join('\n'), { tabSize: 2, insertSpaces: true });
}
