// Context-aware completion. The context comes from the token stream, not the AST, so it works
// in half-typed and broken text: a small walker replays the tokens before the cursor, tracking
// the block each `{` opened (cluster, director, server, service, ha, ssh) and the statement being
// written in the innermost block (its keyword and how many of its values are still missing).
import { IToken } from 'chevrotain';
import { Command, CompletionItem, CompletionItemKind, InsertTextFormat, Position, Range } from 'vscode-languageserver';
import { tokenize } from '../language/lexer';
import { CHECK_TYPES, ON_FAILURE, PROTOCOLS, ROLES, SCHEDULERS, TARGET_OSES } from '../model/topology';
import { Analysis } from './analysis';

// ---------------------------------------------------------------------------------------------
// Statement grammar (a flattened view of parser.ts, enough to know what comes next)

export type BlockKind = 'file' | 'cluster' | 'director' | 'server' | 'service' | 'ha' | 'ssh' | 'unknown';

interface StmtSpec {
  /** Values that follow the keyword (`target os NAME` counts `os` as a value). */
  values: number;
  /** Optional trailing keywords of the statement with their value counts (`check http every 5s`). */
  subs?: Record<string, number>;
  /** The block a following `{` opens. */
  block?: BlockKind;
}

const HOST_COMMON_HEAD: Record<string, StmtSpec> = {
  address: { values: 1 },
  interface: { values: 1 },
  gateway: { values: 1 },
};
const HOST_COMMON_TAIL: Record<string, StmtSpec> = {
  sysctl: { values: 2 },
  link: { values: 2 },
  ssh: { values: 0, block: 'ssh' },
  target: { values: 2 },
};

const GRAMMAR: Record<BlockKind, Record<string, StmtSpec>> = {
  file: { cluster: { values: 1, block: 'cluster' } },
  cluster: {
    network: { values: 1 },
    gateway: { values: 1 },
    vip: { values: 1, subs: { interface: 1 } },
    director: { values: 1, block: 'director' },
    server: { values: 1, block: 'server' },
    service: { values: 1, block: 'service' },
    ha: { values: 0, block: 'ha' },
    ssh: { values: 0, block: 'ssh' },
    target: { values: 2 },
    clients: { values: 1 },
  },
  director: { ...HOST_COMMON_HEAD, role: { values: 1 }, priority: { values: 1 }, nopreempt: { values: 0 }, ...HOST_COMMON_TAIL },
  server: { ...HOST_COMMON_HEAD, 'vip-on': { values: 1, subs: { prefix: 1, vip: 1 } }, ...HOST_COMMON_TAIL },
  service: {
    vip: { values: 1 },
    protocol: { values: 1 },
    port: { values: 1 },
    scheduler: { values: 1 },
    persistence: { values: 1, subs: { netmask: 1 } },
    'on-failure': { values: 1 },
    check: { values: 1, subs: { path: 1, expect: 1, every: 1, timeout: 1, retry: 1 } },
    real: { values: 1, subs: { weight: 1, port: 1 } },
  },
  ha: {
    'router-id': { values: 1 },
    advert: { values: 1 },
    auth: { values: 1 },
    strict: { values: 0 },
    'no-accept': { values: 0 },
    unicast: { values: 0 },
  },
  ssh: { user: { values: 1 }, key: { values: 1 }, 'known-hosts': { values: 1 }, password: { values: 1 }, port: { values: 1 } },
  unknown: {},
};

/** Statements whose value is a name, which may be spelt like a keyword (`director ha`, `interface link`). */
const NAME_VALUES = new Set(['cluster', 'director', 'server', 'service', 'role', 'protocol', 'scheduler', 'on-failure', 'interface', 'vip-on', 'link']);

/** Blocks that only ever sit directly in a cluster: seeing one inside another block means a `}` is missing. */
const CLUSTER_CHILD_BLOCKS = new Set(['director', 'server', 'service', 'ha']);

// ---------------------------------------------------------------------------------------------
// Token walker

export interface ServerInfo {
  name: string;
  address?: string;
}

/** Data collected per block over the whole file (shared between snapshots). */
export interface BlockInfo {
  kind: BlockKind;
  name?: string;
  /** cluster: its servers and directors and its named VIPs. */
  servers: ServerInfo[];
  directors: ServerInfo[];
  vips: { name?: string; address?: string }[];
  /** service: the names on its `real` lines. */
  reals: string[];
  /** director/server: its address (shared with the cluster's lists). */
  host?: ServerInfo;
  cluster?: BlockInfo;
}

/** The statement being written in a block. */
export interface StmtState {
  head?: string;
  /** The keyword whose values are being read: the head or one of its sub-keywords. */
  current?: string;
  /** Values still expected after `current`. */
  pending: number;
  /** Values of `current` read so far. */
  index: number;
  /** Line of the keyword `current` (a missing value does not swallow the next line's keyword). */
  line: number;
  /** `vip NAME ADDRESS` in a cluster: a name was read, the address is still due. */
  vipNamed?: boolean;
  /** `clients A B C`: the values after the first one. */
  many?: boolean;
  /** The name given to a block-opening statement (`director lvs1`), for the block `{` opens. */
  declared?: string;
}

export interface Frame {
  info: BlockInfo;
  stmt: StmtState;
}

function newInfo(kind: BlockKind, cluster?: BlockInfo): BlockInfo {
  return { kind, servers: [], directors: [], vips: [], reals: [], cluster };
}

function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function isIpv4(t: IToken): boolean {
  return t.tokenType.name === 'Ipv4';
}

/** Replays tokens, keeping the stack of open blocks and each block's current statement. */
export class ContextWalker {
  /** Line of an offset (tokens carry offsets only: the lexer skips line tracking for speed). */
  constructor(private readonly lineOf: (offset: number) => number = () => 0) {}

  frames: Frame[] = [{ info: newInfo('file'), stmt: { pending: 0, index: 0, line: 0 } }];
  /** Interface names and labels seen anywhere (after interface, vip-on and link). */
  readonly interfaces = new Set<string>();

  private get top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  /** The cursor ends the statement being written: what follows it starts afresh. */
  interrupt(): void {
    const st = this.top.stmt;
    if (st.pending > 0) this.top.stmt = { pending: 0, index: 0, line: st.line };
  }

  snapshot(): Frame[] {
    return this.frames.map((f) => ({ info: f.info, stmt: { ...f.stmt } }));
  }

  feed(t: IToken): void {
    const name = t.tokenType.name;
    if (name === 'LCurly') return this.open();
    if (name === 'RCurly') {
      if (this.frames.length > 1) this.frames.pop();
      this.top.stmt = { pending: 0, index: 0, line: this.lineOf(t.startOffset) };
      return;
    }
    const frame = this.top;
    const st = frame.stmt;
    const grammar = GRAMMAR[frame.info.kind];
    const line = this.lineOf(t.startOffset);
    const word = t.image;

    if (st.pending > 0) {
      // A statement keyword where no keyword can be the value, or on a later line, means the
      // value was left out: start over there.
      const spec = st.head && has(grammar, st.head) ? grammar[st.head] : undefined;
      const isStatement = name !== 'Identifier' && (has(grammar, word) || (!!spec?.subs && has(spec.subs, word)));
      const restart = isStatement && (line > st.line || !NAME_VALUES.has(st.current ?? ''));
      if (!restart) {
        if (name === 'Equals' && st.current === 'sysctl') return;
        this.value(frame, t);
        return;
      }
    } else if (st.many && (isIpv4(t) || (name === 'Identifier' && !has(grammar, word)))) {
      return; // one more `clients` entry
    }

    const spec = st.head && has(grammar, st.head) ? grammar[st.head] : undefined;
    if (spec?.subs && has(spec.subs, word)) {
      frame.stmt = { ...st, current: word, pending: spec.subs[word], index: 0, line, many: false };
      return;
    }
    // A block that only lives in a cluster, written inside another block: close the blocks up to the cluster.
    if (CLUSTER_CHILD_BLOCKS.has(word) && name !== 'Identifier' && !has(grammar, word) && this.frames.some((f) => f.info.kind === 'cluster')) {
      while (this.top.info.kind !== 'cluster') this.frames.pop();
      return this.feed(t);
    }
    if (word === 'cluster' && frame.info.kind !== 'file' && name !== 'Identifier') {
      this.frames.length = 1;
      return this.feed(t);
    }
    const own = has(grammar, word) ? grammar[word] : undefined;
    frame.stmt = { head: word, current: word, pending: own ? own.values : 0, index: 0, line };
  }

  private value(frame: Frame, t: IToken) {
    const st = frame.stmt;
    const info = frame.info;
    const kw = st.current;
    const img = t.image;
    if (kw === 'vip' && st.head === 'vip' && info.kind === 'cluster') {
      if (!isIpv4(t) && !st.vipNamed) {
        st.vipNamed = true;
        info.vips.push({ name: img });
        st.index++;
        return;
      }
      if (st.vipNamed) info.vips[info.vips.length - 1].address = img;
      else info.vips.push({ address: img });
    }
    if (st.head === kw) {
      // Remember the name for the block its `{` will open.
      if ((kw === 'director' || kw === 'server' || kw === 'service' || kw === 'cluster') && st.index === 0) st.declared = img;
      if (kw === 'real' && info.kind === 'service') info.reals.push(img);
      if (kw === 'address' && info.host) info.host.address = img;
      if (kw === 'clients') st.many = true;
    }
    if ((kw === 'interface' || kw === 'vip-on' || (kw === 'link' && st.index === 0)) && /^[A-Za-z_]/.test(img)) this.interfaces.add(img);
    st.index++;
    st.pending--;
  }

  private open() {
    const frame = this.top;
    const st = frame.stmt;
    const grammar = GRAMMAR[frame.info.kind];
    const spec = st.head && has(grammar, st.head) ? grammar[st.head] : undefined;
    const kind: BlockKind = spec?.block ?? 'unknown';
    const declared = st.declared;
    const clusterInfo = frame.info.kind === 'cluster' ? frame.info : frame.info.cluster;
    const info = newInfo(kind, kind === 'cluster' ? undefined : clusterInfo);
    info.name = declared;
    if ((kind === 'server' || kind === 'director') && declared) {
      info.host = { name: declared };
      if (clusterInfo) (kind === 'server' ? clusterInfo.servers : clusterInfo.directors).push(info.host);
    }
    // The statement that opened the block is over once the block closes.
    frame.stmt = { pending: 0, index: 0, line: st.line };
    this.frames.push({ info, stmt: { pending: 0, index: 0, line: st.line } });
  }
}

// ---------------------------------------------------------------------------------------------
// Item tables

const SCHEDULER_DOCS: Record<string, string> = {
  rr: 'round robin',
  wrr: 'weighted round robin',
  lc: 'least-connection',
  wlc: 'weighted least-connection',
  lblc: 'locality-based least-connection',
  lblcr: 'locality-based least-connection with replication',
  dh: 'destination hashing',
  sh: 'source hashing',
  sed: 'shortest expected delay',
  nq: 'never queue',
  fo: 'weighted failover',
  ovf: 'weighted overflow',
  mh: 'maglev hashing',
  twos: 'weighted random twos choice',
};

const ENUM_DOCS: Record<string, Record<string, string>> = {
  role: { master: 'starts as the VRRP master (holds the VIPs)', backup: 'takes over the VIPs when the master fails' },
  protocol: { tcp: 'TCP virtual service (ipvsadm -t)', udp: 'UDP virtual service (ipvsadm -u)' },
  os: {
    rhel7: 'RHEL/CentOS 7: ifcfg network scripts',
    rhel9: 'RHEL 9: NetworkManager keyfiles',
    debian: 'Debian: /etc/network/interfaces',
    ubuntu: 'Ubuntu: netplan',
  },
  check: {
    http: 'HTTP GET, expects a status code',
    https: 'HTTPS GET, expects a status code',
    tcp: 'TCP connect',
    udp: 'UDP probe',
    ping: 'ICMP echo',
    none: 'no health check (servers always in service)',
  },
  'on-failure': { remove: 'remove a failed real server from the pool', quiesce: 'set its weight to 0 (existing connections drain)' },
};

const SYSCTL_KEYS: [string, string][] = [
  ['net.ipv4.conf.all.arp_ignore', 'real servers: 1 = answer ARP only for addresses on the receiving interface'],
  ['net.ipv4.conf.all.arp_announce', 'real servers: 2 = never announce the VIP as ARP source'],
  ['net.ipv4.conf.lo.arp_ignore', 'real servers: ARP behaviour of the loopback carrying the VIP'],
  ['net.ipv4.conf.lo.arp_announce', 'real servers: ARP announcements of the loopback carrying the VIP'],
  ['net.ipv4.conf.all.send_redirects', 'directors: 0 = no ICMP redirects to the real servers'],
  ['net.ipv4.conf.default.send_redirects', 'directors: ICMP redirects of interfaces created later'],
  ['net.ipv4.ip_forward', 'directors: 0 in DR (the director does not route replies)'],
  ['net.ipv4.conf.all.rp_filter', 'reverse-path filter (strict mode can drop DR traffic)'],
  ['net.ipv4.conf.default.rp_filter', 'reverse-path filter of interfaces created later'],
  ['net.ipv4.vs.expire_quiescent_template', '1 = expire persistence templates of quiesced (weight 0) servers'],
  ['net.ipv4.vs.expire_nodest_conn', '1 = drop connections to removed real servers at once'],
  ['net.ipv4.vs.backup_only', '1 = director only runs the sync backup daemon, no forwarding'],
  ['net.ipv4.vs.conntrack', 'keep netfilter connection tracking for IPVS connections'],
  ['net.ipv4.vs.sloppy_tcp', 'accept TCP connections not started with SYN (failover of sessions)'],
];

const IFACE_SYSCTLS: [string, string][] = [
  ['arp_ignore', 'ARP reply mode of this interface'],
  ['arp_announce', 'ARP announce mode of this interface'],
  ['send_redirects', 'ICMP redirects from this interface'],
  ['rp_filter', 'reverse-path filter of this interface'],
];

interface KeywordDef {
  detail: string;
  /** Snippet inserted for the keyword (a plain `kw ` plus re-trigger when values complete). */
  snippet?: string;
  /** Values of this keyword are completed: insert `kw ` and open suggestions again. */
  retrigger?: boolean;
  label?: string;
}

const SCHED_CHOICE = SCHEDULERS.join(',');

const KEYWORDS: Record<string, KeywordDef> = {
  cluster: { detail: 'an LVS-DR cluster: one L2 segment, its directors, VIPs and real servers', snippet: 'cluster ${1:name} {\n\t$0\n}' },
  network: { detail: 'the L2 segment (CIDR) the directors and real servers share', snippet: 'network ${1:192.168.0.0/24}' },
  gateway: { detail: "the segment's router (never a director)", snippet: 'gateway ${1:192.168.0.1}' },
  vip: { detail: 'a virtual IP address offered by the directors', snippet: 'vip ${1:192.168.0.100}' },
  director: {
    detail: 'a director (load balancer) running IPVS and keepalived',
    snippet: 'director ${1:name} {\n\taddress $2\n\tinterface $3\n\trole ${4|master,backup|}\n\tpriority $5\n}',
  },
  server: {
    detail: 'a real server answering clients directly',
    snippet: 'server ${1:name} {\n\taddress $2\n\tinterface $3\n\tvip-on ${4:lo:0}\n}',
  },
  service: {
    detail: 'a virtual service (VIP, protocol, port) and its real servers',
    snippet: `service \${1:name} {\n\tprotocol \${2|tcp,udp|}\n\tport \${3:80}\n\tscheduler \${4|${SCHED_CHOICE}|}\n\treal $5\n}`,
  },
  ha: { detail: 'VRRP failover between the directors (keepalived)', snippet: 'ha {\n\trouter-id ${1:51}\n\tadvert ${2:1s}\n\tauth ${3:secret:vrrp}\n}' },
  ssh: { detail: 'how to reach the hosts for deployment', snippet: 'ssh {\n\tuser ${1:root}\n\tkey ${2:~/.ssh/id_ed25519}\n}' },
  target: { label: 'target os', detail: 'the OS whose configuration files are generated', snippet: 'target os ${1|rhel7,rhel9,debian,ubuntu|}' },
  clients: { detail: 'who is expected to use the VIPs (addresses, CIDRs or names)', snippet: 'clients $1' },
  address: { detail: "the host's address on the cluster network", snippet: 'address $1' },
  interface: { detail: 'the network interface on the cluster segment', retrigger: true },
  role: { detail: 'VRRP role of the director: master or backup', retrigger: true },
  priority: { detail: 'VRRP priority (1–254, higher wins)', snippet: 'priority ${1:100}' },
  nopreempt: { detail: 'a recovered master does not take the VIPs back' },
  'vip-on': { detail: 'the loopback label carrying the VIP on a real server (e.g. lo:0)', retrigger: true },
  sysctl: { detail: 'a kernel setting override (sysctl KEY = VALUE)', retrigger: true },
  link: { detail: 'an extra interface of a multi-homed host: link IFACE ADDRESS/PREFIX', snippet: 'link $1 $2' },
  protocol: { detail: 'tcp or udp', retrigger: true },
  port: { detail: 'the port number', snippet: 'port $1' },
  scheduler: { detail: 'the IPVS scheduling algorithm', retrigger: true },
  persistence: { detail: 'client affinity timeout (e.g. 300s)', snippet: 'persistence ${1:300s}' },
  'on-failure': { detail: 'what happens to a failed real server: remove or quiesce', retrigger: true },
  check: { detail: 'the health check of the real servers', retrigger: true },
  real: { detail: 'a real server of this service', retrigger: true },
  'router-id': { detail: 'VRRP virtual router id (1–255, unique on the segment)', snippet: 'router-id ${1:51}' },
  advert: { detail: 'VRRP advertisement interval (e.g. 1s)', snippet: 'advert ${1:1s}' },
  auth: { detail: 'VRRP authentication, as a secret reference', retrigger: true },
  strict: { detail: 'keepalived vrrp_strict (RFC compliance)' },
  'no-accept': { detail: 'the master does not accept packets for the VIPs it does not own' },
  unicast: { detail: 'VRRP over unicast between the directors instead of multicast' },
  user: { detail: 'the SSH user', snippet: 'user ${1:root}' },
  key: { detail: 'the SSH private key file', snippet: 'key ${1:~/.ssh/id_ed25519}' },
  'known-hosts': { detail: 'the known_hosts file to verify host keys', snippet: 'known-hosts ${1:~/.ssh/known_hosts}' },
  password: { detail: 'SSH password, as a secret reference (never inline)', retrigger: true },
  path: { detail: 'the URL path the check requests', snippet: 'path "${1:/}"' },
  expect: { detail: 'the HTTP status the check expects', snippet: 'expect ${1:200}' },
  every: { detail: 'check interval', snippet: 'every ${1:5s}' },
  timeout: { detail: 'check timeout', snippet: 'timeout ${1:3s}' },
  retry: { detail: 'failures before a server is taken out', snippet: 'retry ${1:3}' },
  weight: { detail: 'the real server weight (0–65535)', snippet: 'weight ${1:1}' },
  netmask: { detail: 'persistence granularity (client netmask)', snippet: 'netmask ${1:255.255.255.0}' },
  prefix: { detail: 'prefix length of the VIP on the loopback', snippet: 'prefix ${1:32}' },
};

const RETRIGGER: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

// ---------------------------------------------------------------------------------------------
// Entry point

export function complete(a: Analysis, position: Position): CompletionItem[] {
  const text = a.doc.getText();
  const offset = a.doc.offsetAt(position);
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const linePrefix = text.slice(lineStart, offset);
  if (inCommentOrString(linePrefix)) return [];
  const partial = /[A-Za-z0-9_.:\/-]*$/.exec(linePrefix)![0];
  const wordStart = offset - partial.length;
  const range: Range = { start: a.doc.positionAt(wordStart), end: position };

  const tokens = tokensOf(a, text);
  const walker = new ContextWalker((o) => a.doc.positionAt(o).line);
  let frames: Frame[] | undefined;
  for (const t of tokens) {
    // Inside a longer token (a path, a string): nothing sensible to offer.
    if (t.startOffset < wordStart && (t.endOffset ?? t.startOffset) + 1 > wordStart) return [];
    if (t.startOffset >= wordStart && t.startOffset < offset) continue; // the word being typed
    if (!frames && t.startOffset >= wordStart) {
      frames = walker.snapshot();
      walker.interrupt();
    }
    walker.feed(t);
  }
  frames ??= walker.snapshot();
  return itemsFor(frames, walker, range);
}

function tokensOf(a: Analysis, text: string): IToken[] {
  const tokens = a.parse?.tokens;
  return tokens ?? tokenize(text).tokens;
}

/** True when the line up to the cursor ends inside a comment or an (unterminated) string. */
function inCommentOrString(prefix: string): boolean {
  let inString = false;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '#') return true;
  }
  return inString;
}

function itemsFor(frames: Frame[], walker: ContextWalker, range: Range): CompletionItem[] {
  const frame = frames[frames.length - 1];
  const st = frame.stmt;
  const kind = frame.info.kind;
  if (st.pending > 0 && st.current) return valueItems(frame, frames, walker, range);
  if (kind === 'unknown') return [];
  const out: CompletionItem[] = [];
  // Trailing keywords of the statement just written come first (`check http ` → path, every…).
  const spec = st.head && has(GRAMMAR[kind], st.head) ? GRAMMAR[kind][st.head] : undefined;
  if (spec?.subs) for (const sub of Object.keys(spec.subs)) out.push(keywordItem(sub, range, `0${out.length.toString().padStart(2, '0')}`));
  for (const kw of Object.keys(GRAMMAR[kind])) out.push(keywordItem(kw, range, `1${out.length.toString().padStart(2, '0')}`));
  return out;
}

function keywordItem(kw: string, range: Range, sortText: string): CompletionItem {
  const def = KEYWORDS[kw] ?? { detail: kw };
  const label = def.label ?? kw;
  const item: CompletionItem = { label, kind: CompletionItemKind.Keyword, detail: def.detail, sortText, filterText: label };
  if (def.snippet) {
    item.insertTextFormat = InsertTextFormat.Snippet;
    item.textEdit = { range, newText: def.snippet };
  } else if (def.retrigger) {
    item.textEdit = { range, newText: `${label} ` };
    item.command = RETRIGGER;
  } else {
    item.textEdit = { range, newText: label };
  }
  return item;
}

function enumItems(values: readonly string[], docs: Record<string, string>, range: Range): CompletionItem[] {
  return values.map((v, i) => ({
    label: v,
    kind: CompletionItemKind.EnumMember,
    detail: docs[v],
    sortText: String(i).padStart(2, '0'),
    textEdit: { range, newText: v },
  }));
}

function valueItems(frame: Frame, frames: Frame[], walker: ContextWalker, range: Range): CompletionItem[] {
  const st = frame.stmt;
  const kw = st.current!;
  const kind = frame.info.kind;
  const cluster = kind === 'cluster' ? frame.info : frame.info.cluster ?? frames.find((f) => f.info.kind === 'cluster')?.info;
  switch (kw) {
    case 'scheduler':
      return enumItems(SCHEDULERS, SCHEDULER_DOCS, range);
    case 'role':
      return enumItems(ROLES, ENUM_DOCS.role, range);
    case 'protocol':
      return enumItems(PROTOCOLS, ENUM_DOCS.protocol, range);
    case 'check':
      return enumItems(CHECK_TYPES, ENUM_DOCS.check, range);
    case 'on-failure':
      return enumItems(ON_FAILURE, ENUM_DOCS['on-failure'], range);
    case 'target':
      if (st.index === 0) return [{ label: 'os', kind: CompletionItemKind.Keyword, detail: 'target os NAME', textEdit: { range, newText: 'os ' }, command: RETRIGGER }];
      return enumItems(TARGET_OSES, ENUM_DOCS.os, range);
    case 'real': {
      if (kind !== 'service') return [];
      const listed = new Set(frame.info.reals);
      return (cluster?.servers ?? []).filter((s, i, all) => all.findIndex((o) => o.name === s.name) === i).map((s) => ({
        label: s.name,
        kind: CompletionItemKind.Reference,
        detail: s.address,
        documentation: listed.has(s.name) ? `server ${s.name} (already in this service)` : `server ${s.name}`,
        sortText: `${listed.has(s.name) ? 1 : 0}${s.name}`,
        textEdit: { range, newText: s.name },
      }));
    }
    case 'interface':
    case 'vip-on':
    case 'link': {
      if (kw === 'link' && st.index > 0) return [];
      const names = [...walker.interfaces];
      if (kw === 'vip-on' && !names.includes('lo:0')) names.push('lo:0');
      return names.sort().map((n) => ({
        label: n,
        kind: CompletionItemKind.Value,
        detail: n.includes(':') ? 'interface label' : 'interface',
        textEdit: { range, newText: n },
      }));
    }
    case 'sysctl': {
      if (st.index > 0) return [];
      const items: CompletionItem[] = SYSCTL_KEYS.map(([key, doc], i) => ({
        label: key,
        kind: CompletionItemKind.Property,
        detail: doc,
        sortText: `0${String(i).padStart(2, '0')}`,
        textEdit: { range, newText: key },
      }));
      const ifaces = new Set([...walker.interfaces].map((n) => n.split(':')[0]).filter((n) => n !== 'all' && n !== 'default'));
      for (const iface of [...ifaces].sort()) {
        for (const [leaf, doc] of IFACE_SYSCTLS) {
          const key = `net.ipv4.conf.${iface}.${leaf}`;
          if (!items.some((i) => i.label === key)) items.push({ label: key, kind: CompletionItemKind.Property, detail: `${doc} (${iface})`, sortText: `1${key}`, textEdit: { range, newText: key } });
        }
      }
      return items;
    }
    case 'vip': {
      // A service's (or a vip-on's) VIP: the cluster's VIPs by name, else by address.
      if (kind === 'cluster') return [];
      return (cluster?.vips ?? []).filter((v) => v.name || v.address).map((v) => ({
        label: v.name ?? v.address!,
        kind: v.name ? CompletionItemKind.Reference : CompletionItemKind.Value,
        detail: v.name ? v.address : 'VIP',
        textEdit: { range, newText: v.name ?? v.address! },
      }));
    }
    case 'auth':
    case 'password':
      return [
        { label: 'secret:', kind: CompletionItemKind.Snippet, detail: 'a secret from the secret store', insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: 'secret:${1:name}' } },
        { label: 'env:', kind: CompletionItemKind.Snippet, detail: 'an environment variable', insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: 'env:${1:VAR}' } },
        { label: 'file:', kind: CompletionItemKind.Snippet, detail: 'the contents of a file', insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: 'file:${1:/path}' } },
      ];
    default:
      return [];
  }
}
