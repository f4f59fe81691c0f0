// What each keyword and enumerated value of the language means, written once: hover shows
// `doc`, completion shows `summary` beside an item (with `doc` as its documentation) and inserts
// `snippet` (the blocks of a cluster take theirs from block-snippets.ts, filled from the cluster). test/unit/keyword-docs.test.ts checks that every keyword the parser accepts
// has an entry here, and every enumerated value of model/topology.ts too.
import { CHECK_TYPES, ON_FAILURE, PROTOCOLS, ROLES, SCHEDULERS, TARGET_OSES } from '../model/topology';
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';

/**
 * A `summary` or `doc` of this file in the reader's language. They are the English source like
 * every `t` message (scripts/l10n-keys.mjs reads them as keys of l10n/server.l10n.zh-cn.json).
 * Completion has no locale parameter, so it reads the process's one (set at `initialize`).
 */
export function docText(text: string, locale: Locale = docsLocale): string {
  return localize({ source: text, args: [] }, locale);
}

let docsLocale: Locale = 'en';
/** The language server's client language, set once at `initialize`. */
export function setDocsLocale(locale: Locale): void {
  docsLocale = locale;
}

export interface KeywordDoc {
  /** One line beside a completion item. */
  summary: string;
  /** The hover text: what the keyword means, with the DR reason where there is one. */
  doc: string;
  /** What completion inserts (a snippet), when more than the keyword itself. */
  snippet?: string;
  /** Completion inserts `keyword ` and opens suggestions again, for its values. */
  retrigger?: boolean;
  /** The completion label, when it is not the keyword alone (`target os`). */
  label?: string;
}

export interface ValueDoc {
  /** One line beside a completion item. */
  summary: string;
  /** The hover text, when it says more than the summary. */
  doc?: string;
}

export const KEYWORD_DOCS: Record<string, KeywordDoc> = {
  cluster: {
    summary: 'an LVS-DR cluster: one L2 segment, its directors, VIPs and real servers',
    doc: 'An LVS-DR cluster: one shared L2 network, its VIP(s), directors, services and real servers.',
    snippet: 'cluster ${1:name} {\n\t$0\n}',
  },
  network: {
    summary: 'the L2 segment (CIDR) the directors and real servers share',
    doc: 'The one L2 segment (CIDR) that directors and real servers share. DR rewrites only the destination MAC, so every real server must be directly reachable from the director on this segment.',
    snippet: 'network ${1:192.168.0.0/24}',
  },
  gateway: {
    summary: "the segment's router (never a director)",
    doc: "The segment's router. Real servers send replies to clients through it, never through a director (in DR the reply bypasses the director).",
    snippet: 'gateway ${1:192.168.0.1}',
  },
  vip: {
    summary: 'a virtual IP address offered by the directors',
    doc: 'A virtual IP address clients connect to. Directors own it (keepalived or an alias); real servers carry it on a loopback alias with /32 and never answer ARP for it. In a service: the VIP (name or address) the service is offered on; defaults to the first VIP.',
    snippet: 'vip ${1:192.168.0.100}',
  },
  director: {
    summary: 'a director (load balancer) running IPVS and keepalived',
    doc: 'An LVS director: holds the VIP, runs IPVS (ipvsadm rules or keepalived virtual_server) and forwards requests to real servers by MAC rewrite (-g).',
  },
  server: {
    summary: 'a real server answering clients directly',
    doc: 'A real server: answers requests sent to the VIP and replies directly to the client.',
  },
  service: {
    summary: 'a virtual service (VIP, protocol, port) and its real servers',
    doc: 'A virtual service: protocol, port and scheduler on a VIP, with its real servers (ipvsadm -A / keepalived virtual_server).',
  },
  address: {
    summary: "the host's address on the cluster network",
    doc: "The host's own address on the cluster network (DIP for a director, RIP for a real server).",
    snippet: 'address $1',
  },
  interface: {
    summary: 'the network interface on the cluster segment',
    doc: 'The network interface on the cluster segment (at most 15 characters).',
    retrigger: true,
  },
  role: {
    summary: 'VRRP role of the director: master or backup',
    doc: 'VRRP initial state of a director: `master` or `backup` (keepalived `state`).',
    retrigger: true,
  },
  priority: {
    summary: 'VRRP priority (1–254, higher wins)',
    doc: 'VRRP priority, 1–254 (255 means address owner). The master should be higher than the backup.',
    snippet: 'priority ${1:100}',
  },
  nopreempt: {
    summary: 'a recovered master does not take the VIPs back',
    doc: 'keepalived `nopreempt`: a recovered higher-priority director does not take the VIP back. Only valid with role backup.',
  },
  ha: {
    summary: 'VRRP failover between the directors (keepalived)',
    doc: 'High availability with keepalived (VRRP): router id, advertisement interval, authentication.',
    snippet: 'ha {\n\trouter-id ${1:51}\n\tadvert ${2:1s}\n\tauth ${3:secret:vrrp}\n}',
  },
  'router-id': {
    summary: 'VRRP virtual router id (1–255, unique on the segment)',
    doc: 'VRRP virtual_router_id, 1–255, the same on both directors and unique on the segment.',
    snippet: 'router-id ${1:51}',
  },
  advert: {
    summary: 'VRRP advertisement interval (e.g. 1s)',
    doc: 'VRRP advertisement interval (advert_int); whole seconds for VRRPv2, identical on both directors.',
    snippet: 'advert ${1:1s}',
  },
  auth: {
    summary: 'VRRP authentication, as a secret reference',
    doc: 'VRRP authentication (auth_pass). Write a reference such as `secret:vrrp-web`, never the password itself. keepalived uses only the first 8 characters.',
    retrigger: true,
  },
  strict: {
    summary: 'keepalived vrrp_strict (RFC compliance)',
    doc: 'keepalived vrrp_strict. Do not use on LVS directors: it installs a filter that drops VIP traffic before IPVS sees it.',
  },
  'no-accept': {
    summary: 'the master does not accept packets for the VIPs it does not own',
    doc: 'keepalived no_accept. Do not use on LVS directors: VIP traffic is dropped before IPVS sees it.',
  },
  unicast: {
    summary: 'VRRP over unicast between the directors instead of multicast',
    doc: 'Send VRRP adverts by unicast to the peer director instead of multicast 224.0.0.18.',
  },
  'sync-daemon': {
    summary: 'the IPVS connection sync daemon on this interface',
    doc: "keepalived lvs_sync_daemon on this interface, bound to the cluster's VRRP instance: the master sends its IPVS connection table to the backup, so established connections survive a failover. It also makes net.ipv4.vs.backup_only work (LVS107).",
    snippet: 'sync-daemon ${1:eth0}',
  },
  'preempt-delay': {
    summary: 'wait before a higher-priority director takes the VIPs back',
    doc: 'keepalived preempt_delay (0–1000 s): a director coming back waits this long before it preempts the master. Acts only on a director whose role is backup (LVS124).',
    snippet: 'preempt-delay ${1:30s}',
  },
  'garp-repeat': {
    summary: 'gratuitous ARPs sent on becoming master',
    doc: 'keepalived garp_master_repeat: how many gratuitous ARPs the new master sends for each VIP, so routers and clients move to it quickly.',
    snippet: 'garp-repeat ${1:5}',
  },
  'garp-interval': {
    summary: 'the pause between gratuitous ARPs',
    doc: 'keepalived vrrp_garp_interval (global_defs): the pause between two gratuitous ARPs (e.g. `100ms`), for switches that drop bursts.',
    snippet: 'garp-interval ${1:100ms}',
  },
  notify: {
    summary: 'a program run on every VRRP state change',
    doc: 'keepalived notify: the program runs as root on every state change of the VRRP instance, with the arguments INSTANCE|GROUP, NAME, STATE (MASTER, BACKUP, FAULT, STOP) and priority. The path must be absolute and writable by root only (enable_script_security).',
    snippet: 'notify "${1:/usr/local/sbin/lvs-notify}"',
  },
  'track-interface': {
    summary: 'an interface whose failure makes this director give up the VIPs',
    doc: 'keepalived track_interface: when this interface goes down the VRRP instance enters FAULT and the peer takes over. One interface per line; repeat the keyword for more.',
    snippet: 'track-interface ${1:eth1}',
  },
  timeouts: {
    summary: 'IPVS connection timeouts: tcp, tcp-fin, udp',
    doc: 'IPVS connection timeouts of the directors (ipvsadm --set, keepalived lvs_timeouts): `tcp` for established TCP, `tcp-fin` after a FIN, `udp` for UDP. An idle TCP connection is forgotten after `tcp`: its next packet is then reset, so keep it above the keep-alive intervals of your clients (LVS121).',
    snippet: 'timeouts { tcp ${1:15m}  tcp-fin ${2:2m}  udp ${3:5m} }',
  },
  protocol: {
    summary: 'tcp or udp',
    doc: 'Transport protocol of the service: `tcp` or `udp` (ipvsadm -t / -u).',
    retrigger: true,
  },
  port: {
    summary: 'the port number',
    doc: 'Port of the service (0 = all ports, needs persistence). In DR the real-server port must equal it. In an `ssh` block: the port sshd listens on.',
    snippet: 'port $1',
  },
  ports: {
    summary: 'several ports served as one firewall-mark service',
    doc: 'Several ports of one protocol (`ports 80 443`) served as one IPVS firewall-mark service: the director marks packets to the VIP on these ports, and persistence holds across them (a client\'s http and https land on the same real server). The mark is chosen for you and stays stable; `fwmark N` pins it.',
    snippet: 'ports ${1:80} ${2:443}',
  },
  fwmark: {
    summary: 'the firewall mark of a multi-port service (1–2147483647)',
    doc: 'Pins the firewall mark of a `ports` service (ipvsadm -f, keepalived virtual_server fwmark). Without it a mark in 256–16383 is derived from the cluster and service names.',
    snippet: 'fwmark ${1:256}',
  },
  quorum: {
    summary: 'real servers that must be up for the service to count as up',
    doc: 'keepalived quorum: the sum of the weights of the real servers in service that the service needs. Below it keepalived reports quorum down (and the sorry server takes over when every real server is gone).',
    snippet: 'quorum ${1:2}',
  },
  hysteresis: {
    summary: 'tolerance around the quorum',
    doc: 'keepalived hysteresis: quorum is lost below quorum − hysteresis and regained at quorum + hysteresis, so a flapping server does not flip the state. Must be below quorum.',
    snippet: 'hysteresis ${1:1}',
  },
  sorry: {
    summary: 'the server that answers while no real server is in service',
    doc: "keepalived sorry_server: a server of this cluster that gets the service's traffic while no real server is in service (a maintenance page). It must be DR-ready itself: `vip-on lo:N` (LVS122).",
    retrigger: true,
  },
  scheduler: {
    summary: 'the IPVS scheduling algorithm',
    doc: 'IPVS scheduling algorithm (ipvsadm -s).',
    retrigger: true,
  },
  persistence: {
    summary: 'client affinity timeout (e.g. 300s)',
    doc: 'Persistent connections: a client keeps going to the same real server for this long (ipvsadm -p, 1 s – 31 days). Optional `netmask` groups clients (-M).',
    snippet: 'persistence ${1:300s}',
  },
  netmask: {
    summary: 'persistence granularity (client netmask)',
    doc: 'Persistence granularity (ipvsadm -M): clients in the same masked network share a real server.',
    snippet: 'netmask ${1:255.255.255.0}',
  },
  'on-failure': {
    summary: 'what happens to a failed real server: remove or quiesce',
    doc: 'What keepalived does with a real server whose check fails: `remove` it, or `quiesce` it (weight 0, inhibit_on_failure).',
    retrigger: true,
  },
  check: {
    summary: 'the health check of the real servers',
    doc: 'Health check of the real servers (keepalived checker): http, https, tcp, udp, ping, dns, script or none. A service may have several checks; a real server is in service while all of them pass. Inside a check, `port N` is the port it connects to: write the service\'s own `port` before the check.',
    retrigger: true,
  },
  path: {
    summary: 'the URL path the check requests',
    doc: 'URL path requested by an http/https check.',
    snippet: 'path "${1:/}"',
  },
  expect: {
    summary: 'the HTTP status the check expects',
    doc: 'HTTP status code an http/https check expects.',
    snippet: 'expect ${1:200}',
  },
  every: {
    summary: 'check interval',
    doc: 'Interval between checks (keepalived delay_loop).',
    snippet: 'every ${1:5s}',
  },
  timeout: {
    summary: 'check timeout',
    doc: 'Connect timeout of a check (keepalived connect_timeout; misc_timeout of a script check).',
    snippet: 'timeout ${1:3s}',
  },
  host: {
    summary: 'the HTTP Host header of the check',
    doc: 'The Host header an http/https check sends (keepalived virtualhost), for real servers that serve several sites.',
    snippet: 'host "${1:www.example.com}"',
  },
  name: {
    summary: 'the name a dns check queries',
    doc: 'The domain name a dns check asks for (keepalived DNS_CHECK name).',
    snippet: 'name "${1:example.com}"',
  },
  type: {
    summary: 'the query type of a dns check (A, AAAA, MX…)',
    doc: 'The query type of a dns check: A, NS, CNAME, SOA, MX, TXT or AAAA (keepalived DNS_CHECK type).',
    snippet: 'type ${1:A}',
  },
  retry: {
    summary: 'failures before a server is taken out',
    doc: 'Failed attempts before a real server is declared down (keepalived retry).',
    snippet: 'retry ${1:3}',
  },
  real: {
    summary: 'a real server of this service',
    doc: 'A real server of this service (ipvsadm -a … -r RIP -g). `real NAME:PORT` names a port, which in DR must equal the service port.',
    retrigger: true,
  },
  weight: {
    summary: 'the real server weight (0–65535)',
    doc: 'Scheduling weight 0–65535 (ipvsadm -w); 0 quiesces the server.',
    snippet: 'weight ${1:1}',
  },
  'vip-on': {
    summary: 'the loopback label carrying the VIP on a real server (e.g. lo:0)',
    doc: 'Loopback alias that carries the VIP on a real server (e.g. `lo:0`), always with a /32 mask so the server accepts packets for the VIP without answering ARP for it.',
    retrigger: true,
  },
  prefix: {
    summary: 'prefix length of the VIP on the loopback',
    doc: 'Prefix length of the VIP on the loopback alias; must be 32.',
    snippet: 'prefix ${1:32}',
  },
  ssh: {
    summary: 'how to reach the hosts for deployment',
    doc: 'SSH settings used by deploy: user, key, known-hosts, port. Per-host blocks override the cluster block.',
    snippet: 'ssh {\n\tuser ${1:root}\n\tkey ${2:~/.ssh/id_ed25519}\n}',
  },
  user: {
    summary: 'the SSH user',
    doc: 'SSH user (root, or a user with passwordless sudo).',
    snippet: 'user ${1:root}',
  },
  key: {
    summary: 'the SSH private key file',
    doc: 'Private key file for SSH.',
    snippet: 'key ${1:~/.ssh/id_ed25519}',
  },
  'known-hosts': {
    summary: 'the known_hosts file to verify host keys',
    doc: 'known_hosts file used to check host keys.',
    snippet: 'known-hosts ${1:~/.ssh/known_hosts}',
  },
  password: {
    summary: 'SSH password, as a secret reference (never inline)',
    doc: 'SSH password: only as a reference (`secret:NAME`), never inline.',
    retrigger: true,
  },
  target: {
    summary: 'the OS whose configuration files are generated',
    doc: '`target os NAME`: which persistence files are generated (rhel7, rhel9, debian, ubuntu).',
    label: 'target os',
    snippet: `target os \${1|${TARGET_OSES.join(',')}|}`,
  },
  os: {
    summary: 'target os NAME',
    doc: '`target os NAME`: rhel7 (ifcfg), rhel9 (NetworkManager keyfiles), debian (interfaces.d), ubuntu.',
  },
  sysctl: {
    summary: 'a kernel setting override (sysctl KEY = VALUE)',
    doc: 'Overrides a kernel setting on this host. The linter checks overrides that break DR (ARP, redirects, proxy_arp, rp_filter).',
    retrigger: true,
  },
  clients: {
    summary: 'who is expected to use the VIPs (addresses, CIDRs or names)',
    doc: 'Addresses or networks expected to use the VIPs. A director or real server must not be a client of its own VIP.',
    snippet: 'clients $1',
  },
  link: {
    summary: 'an extra interface of a multi-homed host: link IFACE ADDRESS/PREFIX',
    doc: 'An extra interface and address of a multi-homed host (`link ens34 10.0.0.5/24`).',
    snippet: 'link $1 $2',
  },
};

/** The entries of a `timeouts` block: names there, not keywords (completion and hover). */
export const TIMEOUT_DOCS: Record<string, KeywordDoc> = {
  tcp: {
    summary: 'idle timeout of an established TCP connection',
    doc: 'How long IPVS keeps an idle established TCP connection (default 15m). After it the connection is forgotten, and its next packet is scheduled anew or reset.',
    snippet: 'tcp ${1:15m}',
  },
  'tcp-fin': {
    summary: 'timeout of a TCP connection after its FIN',
    doc: 'How long IPVS keeps a TCP connection after a FIN (default 2m).',
    snippet: 'tcp-fin ${1:2m}',
  },
  udp: {
    summary: 'idle timeout of a UDP flow',
    doc: 'How long IPVS keeps an idle UDP flow (default 5m); the next datagram after it may go to another real server.',
    snippet: 'udp ${1:5m}',
  },
};

/** Enumerated values by the keyword they follow (`scheduler rr`, `target os rhel7`, `check tcp`). */
export const VALUE_DOCS: Record<'scheduler' | 'role' | 'protocol' | 'os' | 'check' | 'on-failure', Record<string, ValueDoc>> = {
  scheduler: {
    rr: { summary: 'round robin', doc: 'Round robin: requests go to each real server in turn.' },
    wrr: { summary: 'weighted round robin', doc: 'Weighted round robin: in proportion to the weights.' },
    lc: { summary: 'least-connection', doc: 'Least-connection: to the server with the fewest active connections.' },
    wlc: { summary: 'weighted least-connection', doc: 'Weighted least-connection (the IPVS default).' },
    lblc: { summary: 'locality-based least-connection', doc: 'Locality-based least-connection: same destination IP → same server unless overloaded.' },
    lblcr: { summary: 'locality-based least-connection with replication', doc: 'Locality-based least-connection with replication.' },
    dh: { summary: 'destination hashing', doc: 'Destination hashing: by destination address.' },
    sh: { summary: 'source hashing', doc: 'Source hashing: by client address (already pins clients).' },
    sed: { summary: 'shortest expected delay', doc: 'Shortest expected delay.' },
    nq: { summary: 'never queue', doc: 'Never queue: an idle server first, else shortest expected delay.' },
    fo: { summary: 'weighted failover', doc: 'Weighted failover: the available server with the highest weight.' },
    ovf: { summary: 'weighted overflow', doc: 'Weighted overflow: to the highest-weight server until its connections exceed its weight.' },
    mh: { summary: 'maglev hashing', doc: 'Maglev hashing: consistent hashing by source (already pins clients).' },
    twos: { summary: 'weighted random twos choice', doc: 'Weighted random twos choice.' },
  },
  role: {
    master: { summary: 'starts as the VRRP master (holds the VIPs)', doc: 'VRRP state MASTER at start.' },
    backup: { summary: 'takes over the VIPs when the master fails', doc: 'VRRP state BACKUP at start.' },
  },
  protocol: {
    tcp: { summary: 'TCP virtual service (ipvsadm -t)', doc: 'TCP service (ipvsadm -t).' },
    udp: { summary: 'UDP virtual service (ipvsadm -u)', doc: 'UDP service (ipvsadm -u).' },
  },
  os: {
    rhel7: { summary: 'RHEL/CentOS 7: ifcfg network scripts', doc: 'RHEL/CentOS 7: network-scripts ifcfg files.' },
    rhel9: { summary: 'RHEL 9: NetworkManager keyfiles', doc: 'RHEL 9: NetworkManager keyfiles (mode 0600).' },
    debian: { summary: 'Debian: /etc/network/interfaces.d', doc: 'Debian: /etc/network/interfaces.d.' },
    ubuntu: { summary: 'Ubuntu: systemd units', doc: 'Ubuntu: systemd-networkd / unit files (netplan rejects `:` labels).' },
  },
  check: {
    http: { summary: 'HTTP GET, expects a status code' },
    https: { summary: 'HTTPS GET, expects a status code' },
    tcp: { summary: 'TCP connect' },
    udp: { summary: 'UDP probe' },
    ping: { summary: 'ICMP echo' },
    dns: { summary: 'DNS query (name, type)', doc: 'DNS query over UDP (keepalived DNS_CHECK): `name "example.com" type A`; the server is up when it answers.' },
    script: { summary: 'run a program (exit 0 = up)', doc: 'Runs a program as root (keepalived MISC_CHECK): `check script "/usr/local/bin/check-app"`. Exit status 0 means up, any other means down; it is killed after `timeout`.' },
    none: { summary: 'no health check (servers always in service)' },
  },
  'on-failure': {
    remove: { summary: 'remove a failed real server from the pool' },
    quiesce: { summary: 'set its weight to 0 (existing connections drain)' },
  },
};

/** The enumerations of model/topology.ts, by the keyword whose values they are. */
export const ENUMERATIONS: Record<keyof typeof VALUE_DOCS, readonly string[]> = {
  scheduler: SCHEDULERS,
  role: ROLES,
  protocol: PROTOCOLS,
  os: TARGET_OSES,
  check: CHECK_TYPES,
  'on-failure': ON_FAILURE,
};

/** The docs of a value written after `keyword`, if it is one of that keyword's values. */
export function valueDoc(keyword: string, value: string): ValueDoc | undefined {
  const docs = Object.prototype.hasOwnProperty.call(VALUE_DOCS, keyword) ? VALUE_DOCS[keyword as keyof typeof VALUE_DOCS] : undefined;
  return docs && Object.prototype.hasOwnProperty.call(docs, value) ? docs[value] : undefined;
}
