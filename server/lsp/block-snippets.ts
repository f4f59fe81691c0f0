// Snippets of the blocks a cluster holds (director, server, service) and of a whole cluster.
// Their placeholders come from the cluster being edited: a free address of its network, the next
// free name in the series its hosts already use, the interface its hosts already use, and the
// VRRP role a new director most likely takes (backup once a master exists).
import { addressKey, formatIpv4, formatIpv6, parseCidr, parseCidr6, parseIpv4 } from '../language/values';
import { PROTOCOLS, ROLES, SCHEDULERS, TARGET_OSES } from '../model/topology';

export interface HostFacts {
  name: string;
  address?: string;
  iface?: string;
  role?: string;
  priority?: string;
}

/** What the walker learnt about the cluster being edited (the whole file, not only before the cursor). */
export interface ClusterFacts {
  network?: string;
  /** Every address written in the cluster (hosts, VIPs, gateway, links), with or without a prefix. */
  used: string[];
  directors: HostFacts[];
  servers: HostFacts[];
  services: string[];
}

/** Escapes text taken from the document so the snippet syntax cannot read it as a tab stop. */
function esc(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

function choice(n: number, values: readonly string[]): string {
  return `\${${n}|${values.map((v) => v.replace(/[$}\\,|]/g, '\\$&')).join(',')}|}`;
}

/** The next name of the series the existing names use (`lvs1`, `lvs2` → `lvs3`), else `base1`. */
export function nextName(existing: string[], base: string): string {
  const taken = new Set(existing);
  const series = new Map<string, number>();
  for (const name of existing) {
    const m = /^(.*?)(\d+)$/.exec(name);
    if (m) series.set(m[1], Math.max(series.get(m[1]) ?? 0, Number(m[2])));
  }
  // The series with the most members is the naming convention of this cluster.
  let prefix = base;
  let next = 1;
  let best = 0;
  for (const [p, max] of series) {
    const members = existing.filter((n) => n.startsWith(p) && /^\d+$/.test(n.slice(p.length))).length;
    if (members > best) { best = members; prefix = p; next = max + 1; }
  }
  while (taken.has(`${prefix}${next}`)) next++;
  return `${prefix}${next}`;
}

/** The lowest host address of the network not written anywhere in the cluster. */
export function freeAddress(network: string | undefined, used: string[]): string | undefined {
  if (network?.includes(':')) {
    const net6 = parseCidr6(network);
    if (!net6 || net6.prefix > 126) return undefined;
    const taken = new Set(used.map((u) => addressKey(u)));
    // The lowest addresses after the subnet-router anycast one (a few hundred at most are written).
    for (let a = net6.network + 1n; a < net6.network + 1n + BigInt(used.length + 1); a++) {
      const text = formatIpv6(a);
      if (!taken.has(addressKey(text))) return text;
    }
    return undefined;
  }
  const cidr = network ? parseCidr(network) : undefined;
  if (!cidr || cidr.prefix > 30) return undefined;
  const taken = new Set(used.map((u) => parseIpv4(u.split('/')[0])).filter((v): v is number => v !== undefined));
  for (let a = cidr.network + 1; a < cidr.broadcast; a++) if (!taken.has(a)) return formatIpv4(a);
  return undefined;
}

/** The interface most hosts of the cluster use. */
function usualInterface(c: ClusterFacts): string | undefined {
  const count = new Map<string, number>();
  for (const h of [...c.directors, ...c.servers]) if (h.iface) count.set(h.iface, (count.get(h.iface) ?? 0) + 1);
  return [...count].sort((x, y) => y[1] - x[1])[0]?.[0];
}

function placeholder(n: number, value: string | undefined): string {
  return value ? `\${${n}:${esc(value)}}` : `\${${n}}`;
}

export function directorSnippet(c: ClusterFacts): string {
  const hasMaster = c.directors.some((d) => d.role === 'master');
  const roles = hasMaster ? [...ROLES].reverse() : [...ROLES];
  const priorities = c.directors.map((d) => Number(d.priority)).filter((p) => Number.isInteger(p) && p > 1);
  const priority = hasMaster && priorities.length ? String(Math.max(1, Math.min(...priorities) - 10)) : '100';
  return [
    `director ${placeholder(1, nextName(c.directors.map((d) => d.name), 'lvs'))} {`,
    `\taddress ${placeholder(2, freeAddress(c.network, c.used))}`,
    `\tinterface ${placeholder(3, usualInterface(c) ?? 'eth0')}`,
    `\trole ${choice(4, roles)}`,
    `\tpriority ${placeholder(5, priority)}`,
    '}',
  ].join('\n');
}

export function serverSnippet(c: ClusterFacts): string {
  return [
    `server ${placeholder(1, nextName(c.servers.map((s) => s.name), 'web'))} {`,
    `\taddress ${placeholder(2, freeAddress(c.network, c.used))}`,
    `\tinterface ${placeholder(3, usualInterface(c) ?? 'eth0')}`,
    '\tvip-on ${4:lo:0}',
    '}',
  ].join('\n');
}

export function serviceSnippet(c: ClusterFacts): string {
  const name = c.services.includes('http') ? nextName(c.services, 'service') : 'http';
  const servers = [...new Set(c.servers.map((s) => s.name))];
  return [
    `service ${placeholder(1, name)} {`,
    `\tprotocol ${choice(2, PROTOCOLS)}`,
    '\tport ${3:80}',
    `\tscheduler ${choice(4, SCHEDULERS)}`,
    `\treal ${servers.length ? choice(5, servers) : '${5}'}`,
    '}',
  ].join('\n');
}

/** A whole cluster like the classic guide's: two directors with VRRP, one checked service, two real servers. */
export const CLUSTER_TEMPLATE = [
  '# ${1:web}: two directors in hot standby in front of two real servers.',
  'cluster ${1:web} {',
  '\tnetwork ${2:192.168.147.0/24}',
  '\tgateway ${3:192.168.147.2}',
  '\tvip ${4:192.168.147.100}',
  '',
  '\tdirector ${5:lvs1} { address ${6:192.168.147.6}  interface ${7:ens33}  role master  priority ${8:100} }',
  '\tdirector ${9:lvs2} { address ${10:192.168.147.5}  interface $7  role backup  priority ${11:90} }',
  '',
  '\tha { router-id ${12:51}  advert ${13:1s}  auth secret:${14:vrrp-web} }',
  '',
  '\tservice ${15:http} {',
  `\t\tprotocol \${16:tcp}  port \${17:80}  scheduler ${choice(18, SCHEDULERS)}`,
  '\t\tcheck ${19:http} path "${20:/}" expect ${21:200} every ${22:5s} timeout ${23:3s}',
  '\t\treal ${24:web1} weight ${25:1}',
  '\t\treal ${26:web2} weight ${27:1}',
  '\t}',
  '',
  '\tserver $24 { address ${28:192.168.147.4}  interface ${29:ens33}  vip-on ${30:lo:0} }',
  '\tserver $26 { address ${31:192.168.147.3}  interface $29  vip-on $30 }',
  '',
  '\tssh { user ${32:root}  key ${33:~/.ssh/id_ed25519}  known-hosts ${34:~/.ssh/known_hosts} }',
  `\ttarget os ${choice(35, TARGET_OSES)}`,
  '}',
  '$0',
].join('\n');
