// Context-aware completion. The context comes from the token stream, not the AST, so it works
// in half-typed and broken text: a small walker replays the tokens before the cursor, tracking
// the block each `{` opened (cluster, director, server, service, ha, ssh) and the statement being
// written in the innermost block (its keyword and how many of its values are still missing).
import { IToken } from 'chevrotain';
import { Command, CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, Position, Range } from 'vscode-languageserver';
import { tokenize } from '../language/lexer';
import { confKey } from '../model/sysctl';
import { Analysis } from './analysis';
import { docText, ENUMERATIONS, KEYWORD_DOCS, TIMEOUT_DOCS, VALUE_DOCS } from './keyword-docs';
import { CLUSTER_TEMPLATE, ClusterFacts, directorSnippet, serverSnippet, serviceSnippet } from './block-snippets';
import { BlockKind, GRAMMAR } from './statement-grammar';

/** Statements whose value is a name, which may be spelt like a keyword (`director ha`, `interface link`). */
const NAME_VALUES = new Set(['cluster', 'director', 'server', 'service', 'role', 'protocol', 'scheduler', 'on-failure', 'interface', 'vip-on', 'link', 'sync-daemon', 'track-interface']);

/** Blocks that only ever sit directly in a cluster: seeing one inside another block means a `}` is missing. */
const CLUSTER_CHILD_BLOCKS = new Set(['director', 'server', 'service', 'ha']);

// ---------------------------------------------------------------------------------------------
// Token walker

export interface ServerInfo {
  name: string;
  address?: string;
  iface?: string;
  role?: string;
  priority?: string;
}

/** Data collected per block over the whole file (shared between snapshots). */
export interface BlockInfo {
  kind: BlockKind;
  name?: string;
  /** cluster: its servers and directors and its named VIPs. */
  servers: ServerInfo[];
  directors: ServerInfo[];
  vips: { name?: string; address?: string }[];
  /** cluster: its network, every address written in it, and its services' names. */
  network?: string;
  used: string[];
  services: string[];
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
  return { kind, servers: [], directors: [], vips: [], reals: [], used: [], services: [], cluster };
}

function has(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** An address token of either family. */
function isAddress(t: IToken): boolean {
  return t.tokenType.name === 'Ipv4' || t.tokenType.name === 'Ipv6';
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
    } else if (st.many && (isAddress(t) || (name === 'Identifier' && !has(grammar, word)))) {
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
      if (!isAddress(t) && !st.vipNamed) {
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
      if (kw === 'interface' && info.host) info.host.iface = img;
      if (kw === 'role' && info.host) info.host.role = img;
      if (kw === 'priority' && info.host) info.host.priority = img;
      // A dual-stack cluster's new hosts get an IPv4 address first; an IPv6-only cluster an IPv6 one.
      if (kw === 'network' && info.kind === 'cluster' && (!info.network || info.network.includes(':'))) info.network = img;
      if (kw === 'clients') st.many = true;
    }
    const cluster = info.kind === 'cluster' ? info : info.cluster;
    if (isAddress(t) && cluster) cluster.used.push(img);
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
    if (kind === 'service' && declared && clusterInfo) clusterInfo.services.push(declared);
    // The statement that opened the block is over once the block closes.
    frame.stmt = { pending: 0, index: 0, line: st.line };
    this.frames.push({ info, stmt: { pending: 0, index: 0, line: st.line } });
  }
}

// ---------------------------------------------------------------------------------------------
// Item tables

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
  const cluster = kind === 'cluster' ? frame.info : undefined;
  // Trailing keywords of the statement just written come first (`check http ` → path, every…).
  const spec = st.head && has(GRAMMAR[kind], st.head) ? GRAMMAR[kind][st.head] : undefined;
  if (spec?.subs) for (const sub of Object.keys(spec.subs)) out.push(keywordItem(sub, range, `0${out.length.toString().padStart(2, '0')}`));
  for (const kw of Object.keys(GRAMMAR[kind])) out.push(keywordItem(kw, range, `1${out.length.toString().padStart(2, '0')}`, cluster));
  if (kind === 'file') out.push(templateItem(range));
  // One item per label: a sub-keyword and a statement of the same name are one word to type.
  return out.filter((item, i) => out.findIndex((o) => o.label === item.label) === i);
}

/** The snippet of a block keyword filled from the cluster it is written in. */
function clusterSnippet(kw: string, cluster: ClusterFacts): string | undefined {
  if (kw === 'director') return directorSnippet(cluster);
  if (kw === 'server') return serverSnippet(cluster);
  if (kw === 'service') return serviceSnippet(cluster);
  return undefined;
}

function templateItem(range: Range): CompletionItem {
  return {
    label: 'lvs-cluster',
    kind: CompletionItemKind.Snippet,
    detail: 'a whole cluster: two directors, VRRP, a checked service, two real servers',
    documentation: { kind: MarkupKind.Markdown, value: 'The classic LVS-DR cluster: two directors in hot standby (VRRP), one HTTP service with a health check, two real servers carrying the VIP on `lo:0`, SSH settings and the target OS.' },
    sortText: '200',
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: CLUSTER_TEMPLATE },
  };
}

function keywordItem(kw: string, range: Range, sortText: string, cluster?: ClusterFacts): CompletionItem {
  const def = KEYWORD_DOCS[kw] ?? TIMEOUT_DOCS[kw];
  const label = def.label ?? kw;
  const item: CompletionItem = {
    label, kind: CompletionItemKind.Keyword, detail: docText(def.summary), documentation: { kind: MarkupKind.Markdown, value: docText(def.doc) }, sortText, filterText: label,
  };
  const snippet = (cluster && clusterSnippet(kw, cluster)) ?? def.snippet;
  if (snippet) {
    item.insertTextFormat = InsertTextFormat.Snippet;
    item.textEdit = { range, newText: snippet };
  } else if (def.retrigger) {
    item.textEdit = { range, newText: `${label} ` };
    item.command = RETRIGGER;
  } else {
    item.textEdit = { range, newText: label };
  }
  return item;
}

/** The values of an enumerated keyword (`scheduler`, `role`, `os`…), in model order. */
function enumItems(keyword: keyof typeof VALUE_DOCS, range: Range): CompletionItem[] {
  return ENUMERATIONS[keyword].map((v, i) => {
    const doc = VALUE_DOCS[keyword][v];
    return {
      label: v,
      kind: CompletionItemKind.EnumMember,
      detail: docText(doc.summary),
      documentation: doc.doc ? { kind: MarkupKind.Markdown, value: docText(doc.doc) } : undefined,
      sortText: String(i).padStart(2, '0'),
      textEdit: { range, newText: v },
    };
  });
}

function valueItems(frame: Frame, frames: Frame[], walker: ContextWalker, range: Range): CompletionItem[] {
  const st = frame.stmt;
  const kw = st.current!;
  const kind = frame.info.kind;
  const cluster = kind === 'cluster' ? frame.info : frame.info.cluster ?? frames.find((f) => f.info.kind === 'cluster')?.info;
  switch (kw) {
    case 'scheduler':
      return enumItems('scheduler', range);
    case 'role':
      return enumItems('role', range);
    case 'protocol':
      return enumItems('protocol', range);
    case 'check':
      return enumItems('check', range);
    case 'on-failure':
      return enumItems('on-failure', range);
    case 'target':
      if (st.index === 0) return [{ label: 'os', kind: CompletionItemKind.Keyword, detail: KEYWORD_DOCS.os.summary, textEdit: { range, newText: 'os ' }, command: RETRIGGER }];
      return enumItems('os', range);
    case 'real': {
      if (kind !== 'service') return [];
      const listed = new Set(frame.info.reals);
      return (cluster?.servers ?? []).filter((s, i, all) => all.findIndex((o) => o.name === s.name) === i).map((s) => ({
        label: s.name,
        kind: CompletionItemKind.Reference,
        detail: s.address ? `real server · ${s.address}` : 'real server',
        documentation: {
          kind: MarkupKind.Markdown,
          value: `Real server \`${s.name}\`${s.address ? ` at ${s.address}` : ''}.${listed.has(s.name) ? ' Already in this service.' : ''}`,
        },
        sortText: `${listed.has(s.name) ? 1 : 0}${s.name}`,
        textEdit: { range, newText: s.name },
      }));
    }
    case 'sorry': {
      if (kind !== 'service') return [];
      // A server of the cluster that is not among this service's real servers.
      const listed = new Set(frame.info.reals);
      return (cluster?.servers ?? []).filter((s, i, all) => all.findIndex((o) => o.name === s.name) === i).map((s) => ({
        label: s.name,
        kind: CompletionItemKind.Reference,
        detail: s.address ? `sorry server · ${s.address}` : 'sorry server',
        sortText: `${listed.has(s.name) ? 1 : 0}${s.name}`,
        textEdit: { range, newText: s.name },
      }));
    }
    case 'sync-daemon':
    case 'track-interface':
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
          const key = confKey(iface, leaf);
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
