// The front end as it was before the parser built its AST directly (commit 9f574a9): chevrotain's
// Lexer, a CstParser and a CST → AST pass. Frozen as the reference that the fast front end
// (language/lexer.ts, language/parser.ts) must match output for output; see
// front-end-equivalence.test.ts. A deliberate change of the language changes both. The wording
// and placing of parse errors did not change, so it uses parse.ts's own.
import { CstElement, CstNode, CstParser, IToken } from 'chevrotain';
import * as A from '../../../server/language/ast';
import { LvsFile, Span } from '../../../server/language/ast';
import { describeParseError, errorSpan } from '../../../server/language/parse';
import { english } from '../../../server/shared/l10n/message';
import * as T from '../../../server/language/tokens';
import { referenceLexer } from '../../../server/language/tokens';
import { parseDuration, unquote } from '../../../server/language/values';
class LvsParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: 'onlyOffset' });
    this.performSelfAnalysis();
  }

  public file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.cluster));
  });

  public cluster = this.RULE('cluster', () => {
    this.CONSUME(T.ClusterKw);
    this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.clusterItem));
    this.CONSUME(T.RCurly);
  });

  private clusterItem = this.RULE('clusterItem', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.networkProp) },
      { ALT: () => this.SUBRULE(this.gatewayProp) },
      { ALT: () => this.SUBRULE(this.vipDecl) },
      { ALT: () => this.SUBRULE(this.directorDecl) },
      { ALT: () => this.SUBRULE(this.serverDecl) },
      { ALT: () => this.SUBRULE(this.serviceDecl) },
      { ALT: () => this.SUBRULE(this.haBlock) },
      { ALT: () => this.SUBRULE(this.sshBlock) },
      { ALT: () => this.SUBRULE(this.targetProp) },
      { ALT: () => this.SUBRULE(this.clientsProp) },
      { ALT: () => this.SUBRULE(this.timeoutsBlock) },
    ]);
  });

  private timeoutsBlock = this.RULE('timeoutsBlock', () => {
    this.CONSUME(T.TimeoutsKw);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Duration);
    });
    this.CONSUME(T.RCurly);
  });

  private portsProp = this.RULE('portsProp', () => {
    this.CONSUME(T.PortsKw);
    this.AT_LEAST_ONE(() => this.CONSUME(T.NumberLit));
  });

  private networkProp = this.RULE('networkProp', () => {
    this.CONSUME(T.NetworkKw);
    this.CONSUME(T.IpAddress);
  });

  private gatewayProp = this.RULE('gatewayProp', () => {
    this.CONSUME(T.GatewayKw);
    this.CONSUME(T.IpAddress);
  });

  private vipDecl = this.RULE('vipDecl', () => {
    this.CONSUME(T.VipKw);
    this.OPTION(() => this.CONSUME(T.Name));
    this.CONSUME(T.IpAddress);
    this.OPTION2(() => {
      this.CONSUME(T.InterfaceKw);
      this.SUBRULE(this.ifaceName);
    });
  });

  private ifaceName = this.RULE('ifaceName', () => {
    // VLAN interfaces (`eth0.100`) lex as dotted names.
    this.OR([{ ALT: () => this.CONSUME(T.Label) }, { ALT: () => this.CONSUME(T.Name) }, { ALT: () => this.CONSUME(T.DottedName) }]);
  });

  private directorDecl = this.RULE('directorDecl', () => {
    this.CONSUME(T.DirectorKw);
    this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.hostItem));
    this.CONSUME(T.RCurly);
  });

  private serverDecl = this.RULE('serverDecl', () => {
    this.CONSUME(T.ServerKw);
    this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.hostItem));
    this.CONSUME(T.RCurly);
  });

  /** Properties of directors and servers; the AST builder reports those that do not belong. */
  private hostItem = this.RULE('hostItem', () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.AddressKw); this.CONSUME(T.IpAddress); } },
      { ALT: () => { this.CONSUME(T.InterfaceKw); this.SUBRULE(this.ifaceName); } },
      { ALT: () => { this.CONSUME(T.GatewayKw); this.CONSUME2(T.IpAddress); } },
      { ALT: () => { this.CONSUME(T.RoleKw); this.CONSUME(T.Name); } },
      { ALT: () => { this.CONSUME(T.PriorityKw); this.CONSUME(T.NumberLit); } },
      { ALT: () => this.CONSUME(T.NopreemptKw) },
      { ALT: () => this.SUBRULE(this.vipOnProp) },
      { ALT: () => this.SUBRULE(this.sysctlProp) },
      { ALT: () => this.SUBRULE(this.linkProp) },
      { ALT: () => this.SUBRULE(this.sshBlock) },
      { ALT: () => this.SUBRULE(this.targetProp) },
    ]);
  });

  private vipOnProp = this.RULE('vipOnProp', () => {
    this.CONSUME(T.VipOnKw);
    this.SUBRULE(this.ifaceName);
    this.MANY(() => {
      this.OR([
        { ALT: () => { this.CONSUME(T.PrefixKw); this.CONSUME(T.NumberLit); } },
        { ALT: () => { this.CONSUME(T.VipKw); this.OR2([{ ALT: () => this.CONSUME(T.IpAddress) }, { ALT: () => this.CONSUME(T.Identifier) }]); } },
      ]);
    });
  });

  private sysctlProp = this.RULE('sysctlProp', () => {
    this.CONSUME(T.SysctlKw);
    this.CONSUME(T.DottedName);
    this.OPTION(() => this.CONSUME(T.Equals));
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLit) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.StringLit) },
    ]);
  });

  private linkProp = this.RULE('linkProp', () => {
    this.CONSUME(T.LinkKw);
    this.SUBRULE(this.ifaceName);
    this.CONSUME(T.Ipv4);
  });

  private serviceDecl = this.RULE('serviceDecl', () => {
    this.CONSUME(T.ServiceKw);
    this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    this.MANY(() => this.SUBRULE(this.serviceItem));
    this.CONSUME(T.RCurly);
  });

  private serviceItem = this.RULE('serviceItem', () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.VipKw); this.OR2([{ ALT: () => this.CONSUME(T.IpAddress) }, { ALT: () => this.CONSUME(T.Identifier) }]); } },
      { ALT: () => { this.CONSUME(T.ProtocolKw); this.CONSUME(T.Name); } },
      { ALT: () => { this.CONSUME(T.PortKw); this.CONSUME(T.NumberLit); } },
      { ALT: () => this.SUBRULE(this.portsProp) },
      { ALT: () => { this.CONSUME(T.FwmarkKw); this.CONSUME2(T.NumberLit); } },
      { ALT: () => { this.CONSUME(T.QuorumKw); this.CONSUME3(T.NumberLit); } },
      { ALT: () => { this.CONSUME(T.HysteresisKw); this.CONSUME4(T.NumberLit); } },
      { ALT: () => { this.CONSUME(T.SorryKw); this.CONSUME2(T.Identifier); } },
      { ALT: () => { this.CONSUME(T.SchedulerKw); this.CONSUME2(T.Name); } },
      { ALT: () => this.SUBRULE(this.persistenceProp) },
      { ALT: () => { this.CONSUME(T.OnFailureKw); this.CONSUME3(T.Name); } },
      { ALT: () => this.SUBRULE(this.checkProp) },
      { ALT: () => this.SUBRULE(this.realRef) },
    ]);
  });

  private persistenceProp = this.RULE('persistenceProp', () => {
    this.CONSUME(T.PersistenceKw);
    this.CONSUME(T.Duration);
    this.OPTION(() => {
      this.CONSUME(T.NetmaskKw);
      this.CONSUME(T.Ipv4);
    });
  });

  private checkProp = this.RULE('checkProp', () => {
    this.CONSUME(T.CheckKw);
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.OR([
        { ALT: () => { this.CONSUME(T.PathKw); this.CONSUME(T.StringLit); } },
        { ALT: () => { this.CONSUME(T.ExpectKw); this.CONSUME(T.NumberLit); } },
        { ALT: () => { this.CONSUME(T.EveryKw); this.CONSUME(T.Duration); } },
        { ALT: () => { this.CONSUME(T.TimeoutKw); this.CONSUME2(T.Duration); } },
        { ALT: () => { this.CONSUME(T.RetryKw); this.CONSUME2(T.NumberLit); } },
        { ALT: () => { this.CONSUME(T.PortKw); this.CONSUME3(T.NumberLit); } },
        { ALT: () => { this.CONSUME(T.HostKw); this.CONSUME2(T.StringLit); } },
        { ALT: () => { this.CONSUME(T.NameKw); this.CONSUME3(T.StringLit); } },
        { ALT: () => { this.CONSUME(T.TypeKw); this.CONSUME2(T.Identifier); } },
        { ALT: () => this.CONSUME4(T.StringLit) },
        { ALT: () => this.CONSUME(T.PathLit) },
      ]);
    });
  });

  private realRef = this.RULE('realRef', () => {
    this.CONSUME(T.RealKw);
    // `real web1` or `real web1:8080` (ipvsadm's RIP:PORT form); a `port` keyword here would be
    // ambiguous with the service's own `port` line.
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.Label) }]);
    this.OPTION(() => {
      this.CONSUME(T.WeightKw);
      this.CONSUME(T.NumberLit);
    });
  });

  private haBlock = this.RULE('haBlock', () => {
    this.CONSUME(T.HaKw);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => { this.CONSUME(T.RouterIdKw); this.CONSUME(T.NumberLit); } },
        { ALT: () => { this.CONSUME(T.AdvertKw); this.CONSUME(T.Duration); } },
        { ALT: () => { this.CONSUME(T.AuthKw); this.OR2([{ ALT: () => this.CONSUME(T.SecretRef) }, { ALT: () => this.CONSUME(T.StringLit) }]); } },
        { ALT: () => this.CONSUME(T.StrictKw) },
        { ALT: () => this.CONSUME(T.NoAcceptKw) },
        { ALT: () => this.CONSUME(T.UnicastKw) },
        { ALT: () => { this.CONSUME(T.SyncDaemonKw); this.SUBRULE(this.ifaceName); } },
        { ALT: () => { this.CONSUME(T.PreemptDelayKw); this.CONSUME2(T.Duration); } },
        { ALT: () => { this.CONSUME(T.GarpRepeatKw); this.CONSUME2(T.NumberLit); } },
        { ALT: () => { this.CONSUME(T.GarpIntervalKw); this.CONSUME3(T.Duration); } },
        { ALT: () => { this.CONSUME(T.NotifyKw); this.OR3([{ ALT: () => this.CONSUME2(T.StringLit) }, { ALT: () => this.CONSUME(T.PathLit) }]); } },
        { ALT: () => { this.CONSUME(T.TrackInterfaceKw); this.SUBRULE2(this.ifaceName); } },
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  private sshBlock = this.RULE('sshBlock', () => {
    this.CONSUME(T.SshKw);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => { this.CONSUME(T.UserKw); this.CONSUME(T.Identifier); } },
        { ALT: () => { this.CONSUME(T.KeyKw); this.OR2([{ ALT: () => this.CONSUME(T.PathLit) }, { ALT: () => this.CONSUME(T.StringLit) }]); } },
        { ALT: () => { this.CONSUME(T.KnownHostsKw); this.OR3([{ ALT: () => this.CONSUME2(T.PathLit) }, { ALT: () => this.CONSUME2(T.StringLit) }]); } },
        { ALT: () => { this.CONSUME(T.PasswordKw); this.OR4([{ ALT: () => this.CONSUME(T.SecretRef) }, { ALT: () => this.CONSUME3(T.StringLit) }]); } },
        { ALT: () => { this.CONSUME(T.PortKw); this.CONSUME(T.NumberLit); } },
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  private targetProp = this.RULE('targetProp', () => {
    this.CONSUME(T.TargetKw);
    this.CONSUME(T.OsKw);
    this.CONSUME(T.Identifier);
  });

  private clientsProp = this.RULE('clientsProp', () => {
    this.CONSUME(T.ClientsKw);
    this.AT_LEAST_ONE(() => {
      this.OR([{ ALT: () => this.CONSUME(T.IpAddress) }, { ALT: () => this.CONSUME(T.Identifier) }]);
    });
  });
}

const cstParser = new LvsParser();

interface BuildIssue {
  message: string;
  span: A.Span;
}

type Children = Record<string, CstElement[] | undefined>;

function isToken(el: CstElement): el is IToken {
  return (el as IToken).image !== undefined;
}

function realToken(tok: IToken | undefined): IToken | undefined {
  if (!tok || tok.isInsertedInRecovery || Number.isNaN(tok.startOffset)) return undefined;
  return tok;
}

function tok(ch: Children, name: string, index = 0): IToken | undefined {
  const list = ch[name];
  const el = list?.[index];
  return el && isToken(el) ? realToken(el) : undefined;
}

/** The real tokens directly in a node, in text order. */
function ownTokens(ch: Children): IToken[] {
  const out: IToken[] = [];
  for (const list of Object.values(ch)) for (const el of list ?? []) if (isToken(el) && realToken(el)) out.push(el);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

/** The token right after the first `kw` token among the node's own tokens, if of one of `types`. */
function valueAfter(ch: Children, kw: string, types: string[]): IToken | undefined {
  const list = ownTokens(ch);
  const i = list.findIndex((t) => t.tokenType.name === kw);
  const v = i >= 0 ? list[i + 1] : undefined;
  return v && types.includes(v.tokenType.name) ? v : undefined;
}

function nodes(ch: Children, name: string): CstNode[] {
  return (ch[name] ?? []).filter((el): el is CstNode => !isToken(el));
}

function spanOf(t: IToken): A.Span {
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

function cover(a: A.Span, b?: A.Span): A.Span {
  if (!b) return a;
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Span of the real tokens under a CST node: chevrotain's tracked location, else a walk. */
function nodeSpan(node: CstNode): A.Span | undefined {
  const loc = node.location;
  if (loc && Number.isFinite(loc.startOffset) && Number.isFinite(loc.endOffset) && !node.recoveredNode) {
    return { start: loc.startOffset, end: (loc.endOffset as number) + 1 };
  }
  return walkSpan(node);
}

function walkSpan(node: CstNode): A.Span | undefined {
  let start = Infinity;
  let end = -Infinity;
  const walk = (n: CstNode) => {
    for (const list of Object.values(n.children)) {
      for (const el of list ?? []) {
        if (isToken(el)) {
          const t = realToken(el);
          if (t) {
            start = Math.min(start, t.startOffset);
            end = Math.max(end, (t.endOffset ?? t.startOffset) + 1);
          }
        } else walk(el);
      }
    }
  };
  walk(node);
  return start === Infinity ? undefined : { start, end };
}

function prop<T>(kw: IToken | undefined, valueTok: IToken | undefined, value: T): A.Prop<T> | undefined {
  if (!valueTok) return undefined;
  const span = spanOf(valueTok);
  return { value, text: valueTok.image, span, full: kw ? cover(spanOf(kw), span) : span };
}

function flag(kw: IToken | undefined): A.Prop<true> | undefined {
  if (!kw) return undefined;
  const span = spanOf(kw);
  return { value: true, text: kw.image, span, full: span };
}

function ident(t: IToken | undefined): A.Ident | undefined {
  return t ? { text: t.image, span: spanOf(t) } : undefined;
}

function secretValue(t: IToken): A.SecretValue {
  if (t.tokenType.name === 'SecretRef') {
    const colon = t.image.indexOf(':');
    return { kind: 'reference', source: t.image.slice(0, colon) as A.SecretValue['source'], value: t.image.slice(colon + 1) };
  }
  return { kind: 'inline', value: unquote(t.image) };
}

function stringOrPath(t: IToken): string {
  return t.tokenType.name === 'StringLit' ? unquote(t.image) : t.image;
}

class AstBuilder {
  readonly issues: BuildIssue[] = [];

  /** Keeps the first of two equal properties in one block and reports the second. */
  private set<K extends string, V extends { full: A.Span } | undefined>(target: Partial<Record<K, V>>, key: K, value: V, what: string) {
    if (!value) return;
    if (target[key]) {
      this.issues.push({ message: `'${what}' is given twice in this block; the first one is used.`, span: value.full });
      return;
    }
    target[key] = value;
  }

  file(cst: CstNode): A.LvsFile {
    const clusters: A.Cluster[] = [];
    for (const c of nodes(cst.children, 'cluster')) {
      const cluster = this.cluster(c);
      if (cluster) clusters.push(cluster);
    }
    return { kind: 'file', clusters };
  }

  private cluster(node: CstNode): A.Cluster | undefined {
    const ch = node.children;
    const name = ident(tok(ch, 'Name'));
    const span = nodeSpan(node);
    if (!name || !span) return undefined;
    const open = tok(ch, 'LCurly');
    const cluster: A.Cluster = {
      kind: 'cluster', name, span, body: { start: open ? open.startOffset : name.span.end, end: span.end },
      vips: [], directors: [], servers: [], services: [], clients: [], sysctls: [],
    };
    for (const item of nodes(ch, 'clusterItem')) {
      for (const [ruleName, list] of Object.entries(item.children)) {
        for (const el of list ?? []) {
          if (isToken(el)) continue;
          this.clusterItem(cluster, ruleName, el);
        }
      }
    }
    return cluster;
  }

  private clusterItem(cluster: A.Cluster, rule: string, node: CstNode) {
    const ch = node.children;
    switch (rule) {
      case 'networkProp':
        if (tok(ch, 'IpAddress')?.tokenType === T.Ipv6) this.set(cluster, 'network6', prop(tok(ch, 'NetworkKw'), tok(ch, 'IpAddress'), tok(ch, 'IpAddress')?.image ?? ''), 'network (IPv6)');
        else this.set(cluster, 'network', prop(tok(ch, 'NetworkKw'), tok(ch, 'IpAddress'), tok(ch, 'IpAddress')?.image ?? ''), 'network');
        break;
      case 'gatewayProp':
        if (tok(ch, 'IpAddress')?.tokenType === T.Ipv6) this.set(cluster, 'gateway6', prop(tok(ch, 'GatewayKw'), tok(ch, 'IpAddress'), tok(ch, 'IpAddress')?.image ?? ''), 'gateway (IPv6)');
        else this.set(cluster, 'gateway', prop(tok(ch, 'GatewayKw'), tok(ch, 'IpAddress'), tok(ch, 'IpAddress')?.image ?? ''), 'gateway');
        break;
      case 'vipDecl': {
        const addr = tok(ch, 'IpAddress');
        const span = nodeSpan(node);
        if (!addr || !span) break;
        const iface = this.ifaceToken(ch);
        cluster.vips.push({
          kind: 'vip', name: ident(tok(ch, 'Name')), span,
          address: prop(tok(ch, 'VipKw'), addr, addr.image)!,
          iface: iface ? prop(tok(ch, 'InterfaceKw'), iface, iface.image) : undefined,
        });
        break;
      }
      case 'directorDecl':
      case 'serverDecl': {
        const host = this.host(node, rule === 'directorDecl' ? 'director' : 'server');
        if (host?.kind === 'director') cluster.directors.push(host);
        else if (host?.kind === 'server') cluster.servers.push(host);
        break;
      }
      case 'serviceDecl': {
        const service = this.service(node);
        if (service) cluster.services.push(service);
        break;
      }
      case 'haBlock':
        if (cluster.ha) this.issues.push({ message: "'ha' is given twice in this cluster; the first one is used.", span: nodeSpan(node) ?? cluster.name.span });
        else cluster.ha = this.ha(node);
        break;
      case 'sshBlock':
        if (cluster.ssh) this.issues.push({ message: "'ssh' is given twice in this cluster; the first one is used.", span: nodeSpan(node) ?? cluster.name.span });
        else cluster.ssh = this.ssh(node);
        break;
      case 'targetProp':
        this.set(cluster, 'targetOs', prop(tok(ch, 'TargetKw'), tok(ch, 'Identifier'), tok(ch, 'Identifier')?.image ?? ''), 'target os');
        break;
      case 'timeoutsBlock': {
        const span = nodeSpan(node);
        if (!span) break;
        if (cluster.timeouts) {
          this.issues.push({ message: "'timeouts' is given twice in this cluster; the first one is used.", span });
          break;
        }
        const t: A.Timeouts = { kind: 'timeouts', span };
        const keys: Record<string, 'tcp' | 'tcpFin' | 'udp'> = { tcp: 'tcp', 'tcp-fin': 'tcpFin', udp: 'udp' };
        const list = ownTokens(ch);
        list.forEach((k, i) => {
          if (k.tokenType.name !== 'Identifier') return;
          const key = keys[k.image];
          if (!key) {
            this.issues.push({ message: `'${k.image}' is not an IPVS timeout: use tcp, tcp-fin or udp.`, span: spanOf(k) });
            return;
          }
          const v = list[i + 1]?.tokenType.name === 'Duration' ? list[i + 1] : undefined;
          this.set(t, key, prop(k, v, parseDuration(v?.image ?? '') ?? 0), k.image);
        });
        cluster.timeouts = t;
        break;
      }
      case 'clientsProp':
        for (const list of [ch.IpAddress ?? [], ch.Identifier ?? []]) {
          for (const el of list) {
            const t = isToken(el) ? realToken(el) : undefined;
            if (t) cluster.clients.push({ kind: 'client', value: prop(undefined, t, t.image)!, span: spanOf(t) });
          }
        }
        cluster.clients.sort((a, b) => a.span.start - b.span.start);
        break;
    }
  }

  private ifaceToken(ch: Children): IToken | undefined {
    const n = nodes(ch, 'ifaceName')[0];
    return n ? tok(n.children, 'Label') ?? tok(n.children, 'Name') ?? tok(n.children, 'DottedName') : undefined;
  }

  private host(node: CstNode, kind: 'director' | 'server'): A.Host | undefined {
    const ch = node.children;
    const name = ident(tok(ch, 'Name'));
    const span = nodeSpan(node);
    if (!name || !span) return undefined;
    const open = tok(ch, 'LCurly');
    const base = { name, span, body: { start: open ? open.startOffset : name.span.end, end: span.end }, sysctls: [], links: [] };
    const host: A.Host = kind === 'director' ? { kind, ...base } : { kind, ...base, vipOn: [] };
    for (const item of nodes(ch, 'hostItem')) this.hostItem(host, item);
    return host;
  }

  private notIn(host: A.Host, what: string, span: A.Span) {
    const where = host.kind === 'director' ? 'a director' : 'a server';
    const belongs = host.kind === 'director' ? 'servers' : 'directors';
    this.issues.push({ message: `'${what}' is not valid in ${where} (only in ${belongs}).`, span });
  }

  private hostItem(host: A.Host, item: CstNode) {
    const ch = item.children;
    const sub = (name: string) => nodes(ch, name)[0];
    if (tok(ch, 'AddressKw')) {
      const t = tok(ch, 'IpAddress');
      if (t?.tokenType === T.Ipv6) this.set(host, 'address6', prop(tok(ch, 'AddressKw'), t, t.image), 'address (IPv6)');
      else this.set(host, 'address', prop(tok(ch, 'AddressKw'), t, t?.image ?? ''), 'address');
    } else if (tok(ch, 'InterfaceKw')) {
      const t = this.ifaceToken(ch);
      this.set(host, 'iface', prop(tok(ch, 'InterfaceKw'), t, t?.image ?? ''), 'interface');
    } else if (tok(ch, 'GatewayKw')) {
      const t = tok(ch, 'IpAddress', 0) ?? tok(ch, 'IpAddress', 1);
      if (t?.tokenType === T.Ipv6) this.set(host, 'gateway6', prop(tok(ch, 'GatewayKw'), t, t.image), 'gateway (IPv6)');
      else this.set(host, 'gateway', prop(tok(ch, 'GatewayKw'), t, t?.image ?? ''), 'gateway');
    } else if (tok(ch, 'RoleKw')) {
      const p = prop(tok(ch, 'RoleKw'), tok(ch, 'Name'), tok(ch, 'Name')?.image ?? '');
      if (host.kind === 'director') this.set(host, 'role', p, 'role');
      else if (p) this.notIn(host, 'role', p.full);
    } else if (tok(ch, 'PriorityKw')) {
      const t = tok(ch, 'NumberLit');
      const p = prop(tok(ch, 'PriorityKw'), t, Number(t?.image));
      if (host.kind === 'director') this.set(host, 'priority', p, 'priority');
      else if (p) this.notIn(host, 'priority', p.full);
    } else if (tok(ch, 'NopreemptKw')) {
      const p = flag(tok(ch, 'NopreemptKw'));
      if (host.kind === 'director') this.set(host, 'nopreempt', p, 'nopreempt');
      else if (p) this.notIn(host, 'nopreempt', p.full);
    } else if (sub('vipOnProp')) {
      const v = this.vipOn(sub('vipOnProp'));
      if (host.kind === 'server') { if (v) host.vipOn.push(v); }
      else if (v) this.notIn(host, 'vip-on', v.span);
    } else if (sub('sysctlProp')) {
      const s = this.sysctl(sub('sysctlProp'));
      if (s) host.sysctls.push(s);
    } else if (sub('linkProp')) {
      const n = sub('linkProp');
      const lc = n.children;
      const iface = this.ifaceToken(lc);
      const addr = tok(lc, 'Ipv4');
      const span = nodeSpan(n);
      if (iface && addr && span) host.links.push({ kind: 'link', iface: prop(undefined, iface, iface.image)!, address: prop(undefined, addr, addr.image)!, span });
    } else if (sub('sshBlock')) {
      const s = this.ssh(sub('sshBlock'));
      if (host.ssh) this.issues.push({ message: "'ssh' is given twice in this block; the first one is used.", span: s.span });
      else host.ssh = s;
    } else if (sub('targetProp')) {
      const tc = sub('targetProp').children;
      this.set(host, 'targetOs', prop(tok(tc, 'TargetKw'), tok(tc, 'Identifier'), tok(tc, 'Identifier')?.image ?? ''), 'target os');
    }
  }

  private vipOn(node: CstNode): A.VipOn | undefined {
    const ch = node.children;
    const label = this.ifaceToken(ch);
    const span = nodeSpan(node);
    if (!label || !span) return undefined;
    const prefixTok = tok(ch, 'NumberLit');
    const vipTok = tok(ch, 'IpAddress') ?? tok(ch, 'Identifier');
    return {
      kind: 'vipOn', span,
      label: prop(tok(ch, 'VipOnKw'), label, label.image)!,
      prefix: prop(tok(ch, 'PrefixKw'), prefixTok, Number(prefixTok?.image)),
      vip: prop(tok(ch, 'VipKw'), vipTok, vipTok?.image ?? ''),
    };
  }

  private sysctl(node: CstNode): A.Sysctl | undefined {
    const ch = node.children;
    const key = tok(ch, 'DottedName');
    const value = tok(ch, 'NumberLit') ?? tok(ch, 'Identifier') ?? tok(ch, 'StringLit');
    const span = nodeSpan(node);
    if (!key || !value || !span) return undefined;
    return {
      kind: 'sysctl', span,
      key: prop(tok(ch, 'SysctlKw'), key, key.image)!,
      value: prop(undefined, value, value.tokenType.name === 'StringLit' ? unquote(value.image) : value.image)!,
    };
  }

  private service(node: CstNode): A.Service | undefined {
    const ch = node.children;
    const name = ident(tok(ch, 'Name'));
    const span = nodeSpan(node);
    if (!name || !span) return undefined;
    const open = tok(ch, 'LCurly');
    const svc: A.Service = { kind: 'service', name, span, body: { start: open ? open.startOffset : name.span.end, end: span.end }, checks: [], reals: [] };
    for (const item of nodes(ch, 'serviceItem')) {
      const ic = item.children;
      const sub = (n: string) => nodes(ic, n)[0];
      if (tok(ic, 'VipKw')) {
        const t = tok(ic, 'IpAddress') ?? tok(ic, 'Identifier');
        this.set(svc, 'vip', prop(tok(ic, 'VipKw'), t, t?.image ?? ''), 'vip');
      } else if (tok(ic, 'ProtocolKw')) {
        this.set(svc, 'protocol', prop(tok(ic, 'ProtocolKw'), tok(ic, 'Name'), tok(ic, 'Name')?.image ?? ''), 'protocol');
      } else if (tok(ic, 'PortKw')) {
        const t = tok(ic, 'NumberLit');
        this.set(svc, 'port', prop(tok(ic, 'PortKw'), t, Number(t?.image)), 'port');
      } else if (tok(ic, 'FwmarkKw') || tok(ic, 'QuorumKw') || tok(ic, 'HysteresisKw')) {
        const [kwName, key] = tok(ic, 'FwmarkKw') ? ['FwmarkKw', 'fwmark'] as const : tok(ic, 'QuorumKw') ? ['QuorumKw', 'quorum'] as const : ['HysteresisKw', 'hysteresis'] as const;
        const t = tok(ic, 'NumberLit');
        this.set(svc, key, prop(tok(ic, kwName), t, Number(t?.image)), key);
      } else if (tok(ic, 'SorryKw')) {
        const t = tok(ic, 'Identifier');
        this.set(svc, 'sorry', prop(tok(ic, 'SorryKw'), t, t?.image ?? ''), 'sorry');
      } else if (sub('portsProp')) {
        const pc = sub('portsProp').children;
        const values = (pc.NumberLit ?? []).filter(isToken).map(realToken).filter((t): t is IToken => !!t);
        if (values.length > 0) {
          const span = { start: values[0].startOffset, end: values[values.length - 1].endOffset! + 1 };
          const k = tok(pc, 'PortsKw');
          const ports: A.Prop<number[]> = { value: values.map((t) => Number(t.image)), text: values.map((t) => t.image).join(' '), span, full: k ? cover(spanOf(k), span) : span };
          this.set(svc, 'ports', ports, 'ports');
        }
      } else if (tok(ic, 'SchedulerKw')) {
        const t = tok(ic, 'Name', 0) ?? tok(ic, 'Name', 1);
        this.set(svc, 'scheduler', prop(tok(ic, 'SchedulerKw'), t, t?.image ?? ''), 'scheduler');
      } else if (tok(ic, 'OnFailureKw')) {
        const list = (ic.Name ?? []).filter(isToken).map(realToken);
        const t = list.find((x) => x);
        this.set(svc, 'onFailure', prop(tok(ic, 'OnFailureKw'), t, t?.image ?? ''), 'on-failure');
      } else if (sub('persistenceProp')) {
        const pc = sub('persistenceProp').children;
        const d = tok(pc, 'Duration');
        const mask = tok(pc, 'Ipv4');
        const netmask = prop(tok(pc, 'NetmaskKw'), mask, mask?.image ?? '');
        const p = prop(tok(pc, 'PersistenceKw'), d, { duration: parseDuration(d?.image ?? '') ?? 0, netmask });
        if (p && netmask) p.full = cover(p.full, netmask.full);
        this.set(svc, 'persistence', p, 'persistence');
      } else if (sub('checkProp')) {
        const c = this.check(sub('checkProp'));
        if (c) svc.checks.push(c);
      } else if (sub('realRef')) {
        const r = this.realRef(sub('realRef'));
        if (r) svc.reals.push(r);
      }
    }
    return svc;
  }

  private check(node: CstNode): A.HealthCheck | undefined {
    const ch = node.children;
    const type = tok(ch, 'Identifier');
    const span = nodeSpan(node);
    if (!type || !span) return undefined;
    const kw = (name: string) => tok(ch, name);
    const num = (t: IToken | undefined) => Number(t?.image);
    const durations = (ch.Duration ?? []).filter(isToken).map(realToken);
    const numbers = (ch.NumberLit ?? []).filter(isToken).map(realToken);
    // Each keyword is followed by its value; match them by position in the text.
    const after = (k: IToken | undefined, list: (IToken | undefined)[]) =>
      k ? list.find((t) => t && t.startOffset > k.startOffset && !list.some((o) => o && o.startOffset > k.startOffset && o.startOffset < t.startOffset)) : undefined;
    const pathTok = valueAfter(ch, 'PathKw', ['StringLit']);
    const portTok = after(kw('PortKw'), numbers);
    const hostTok = valueAfter(ch, 'HostKw', ['StringLit']);
    const nameTok = valueAfter(ch, 'NameKw', ['StringLit']);
    const typeTok = valueAfter(ch, 'TypeKw', ['Identifier']);
    // The script: the first string or path that no keyword takes.
    const own = ownTokens(ch);
    const scriptTok = own.find((t, i) => (t.tokenType.name === 'StringLit' || t.tokenType.name === 'PathLit')
      && !['PathKw', 'HostKw', 'NameKw'].includes(own[i - 1]?.tokenType.name ?? ''));
    const everyTok = after(kw('EveryKw'), durations);
    const timeoutTok = after(kw('TimeoutKw'), durations);
    const expectTok = after(kw('ExpectKw'), numbers);
    const retryTok = after(kw('RetryKw'), numbers);
    return {
      kind: 'check', span,
      type: prop(tok(ch, 'CheckKw'), type, type.image)!,
      path: prop(kw('PathKw'), pathTok, pathTok ? unquote(pathTok.image) : ''),
      expect: kw('ExpectKw') ? prop(kw('ExpectKw'), expectTok, num(expectTok)) : undefined,
      every: kw('EveryKw') ? prop(kw('EveryKw'), everyTok, parseDuration(everyTok?.image ?? '') ?? 0) : undefined,
      timeout: kw('TimeoutKw') ? prop(kw('TimeoutKw'), timeoutTok, parseDuration(timeoutTok?.image ?? '') ?? 0) : undefined,
      retry: kw('RetryKw') ? prop(kw('RetryKw'), retryTok, num(retryTok)) : undefined,
      port: kw('PortKw') ? prop(kw('PortKw'), portTok, num(portTok)) : undefined,
      host: prop(kw('HostKw'), hostTok, hostTok ? unquote(hostTok.image) : ''),
      name: prop(kw('NameKw'), nameTok, nameTok ? unquote(nameTok.image) : ''),
      queryType: prop(kw('TypeKw'), typeTok, typeTok?.image ?? ''),
      script: scriptTok ? prop(undefined, scriptTok, scriptTok.tokenType.name === 'StringLit' ? unquote(scriptTok.image) : scriptTok.image) : undefined,
    };
  }

  private realRef(node: CstNode): A.RealRef | undefined {
    const ch = node.children;
    const nameTok = tok(ch, 'Identifier') ?? tok(ch, 'Label');
    const span = nodeSpan(node);
    if (!nameTok || !span) return undefined;
    const ref: A.RealRef = { kind: 'real', name: ident(nameTok)!, span };
    // `real web1:8080` names a real-server port (ipvsadm's -r RIP:PORT); DR forbids remapping.
    if (nameTok.tokenType.name === 'Label') {
      const colon = nameTok.image.indexOf(':');
      const portText = nameTok.image.slice(colon + 1);
      ref.name = { text: nameTok.image.slice(0, colon), span: { start: nameTok.startOffset, end: nameTok.startOffset + colon } };
      const portSpan = { start: nameTok.startOffset + colon + 1, end: nameTok.startOffset + nameTok.image.length };
      if (/^\d+$/.test(portText)) ref.port = { value: Number(portText), text: portText, span: portSpan, full: { start: portSpan.start - 1, end: portSpan.end } };
      else this.issues.push({ message: `'${portText}' is not a port number.`, span: portSpan });
    }
    const w = tok(ch, 'NumberLit');
    ref.weight = prop(tok(ch, 'WeightKw'), w, Number(w?.image));
    return ref;
  }

  private ha(node: CstNode): A.Ha {
    const ch = node.children;
    const ha = { kind: 'ha', span: nodeSpan(node)! } as A.Ha;
    const rid = valueAfter(ch, 'RouterIdKw', ['NumberLit']);
    ha.routerId = prop(tok(ch, 'RouterIdKw'), rid, Number(rid?.image));
    const adv = valueAfter(ch, 'AdvertKw', ['Duration']);
    ha.advert = prop(tok(ch, 'AdvertKw'), adv, parseDuration(adv?.image ?? '') ?? 0);
    const auth = valueAfter(ch, 'AuthKw', ['SecretRef', 'StringLit']);
    ha.auth = auth ? prop(tok(ch, 'AuthKw'), auth, secretValue(auth)) : undefined;
    ha.strict = flag(tok(ch, 'StrictKw'));
    ha.noAccept = flag(tok(ch, 'NoAcceptKw'));
    ha.unicast = flag(tok(ch, 'UnicastKw'));
    // Interface names sit in ifaceName sub-nodes: each belongs to the keyword just before it.
    const own = ownTokens(ch);
    const ifaces = nodes(ch, 'ifaceName')
      .map((n) => tok(n.children, 'Label') ?? tok(n.children, 'Name') ?? tok(n.children, 'DottedName'))
      .filter((t): t is IToken => !!t)
      .map((t) => ({ t, kw: [...own].reverse().find((k) => k.startOffset < t.startOffset) }));
    const sd = ifaces.find((x) => x.kw?.tokenType.name === 'SyncDaemonKw')?.t;
    ha.syncDaemon = prop(tok(ch, 'SyncDaemonKw'), sd, sd?.image ?? '');
    const pd = valueAfter(ch, 'PreemptDelayKw', ['Duration']);
    ha.preemptDelay = prop(tok(ch, 'PreemptDelayKw'), pd, parseDuration(pd?.image ?? '') ?? 0);
    const gr = valueAfter(ch, 'GarpRepeatKw', ['NumberLit']);
    ha.garpRepeat = prop(tok(ch, 'GarpRepeatKw'), gr, Number(gr?.image));
    const gi = valueAfter(ch, 'GarpIntervalKw', ['Duration']);
    ha.garpInterval = prop(tok(ch, 'GarpIntervalKw'), gi, parseDuration(gi?.image ?? '') ?? 0);
    const nt = valueAfter(ch, 'NotifyKw', ['StringLit', 'PathLit']);
    ha.notify = nt ? prop(tok(ch, 'NotifyKw'), nt, nt.tokenType.name === 'StringLit' ? unquote(nt.image) : nt.image) : undefined;
    ha.trackInterfaces = [];
    for (const x of ifaces) if (x.kw?.tokenType.name === 'TrackInterfaceKw') ha.trackInterfaces.push(prop(x.kw, x.t, x.t.image)!);
    return ha;
  }

  private ssh(node: CstNode): A.SshSettings {
    const ch = node.children;
    const ssh: A.SshSettings = { kind: 'ssh', span: nodeSpan(node)! };
    const user = tok(ch, 'Identifier');
    ssh.user = prop(tok(ch, 'UserKw'), user, user?.image ?? '');
    // Value tokens of the same type (paths, strings) are told apart by the keyword before them.
    const values = [...(ch.PathLit ?? []), ...(ch.StringLit ?? []), ...(ch.SecretRef ?? [])]
      .filter(isToken).map(realToken).filter((t): t is IToken => !!t).sort((a, b) => a.startOffset - b.startOffset);
    const valueAfter = (k: IToken | undefined) => (k ? values.find((v) => v.startOffset > k.startOffset) : undefined);
    const keyKw = tok(ch, 'KeyKw');
    const khKw = tok(ch, 'KnownHostsKw');
    const pwKw = tok(ch, 'PasswordKw');
    const keyTok = valueAfter(keyKw);
    const khTok = valueAfter(khKw);
    const pwTok = valueAfter(pwKw);
    ssh.key = keyTok ? prop(keyKw, keyTok, stringOrPath(keyTok)) : undefined;
    ssh.knownHosts = khTok ? prop(khKw, khTok, stringOrPath(khTok)) : undefined;
    ssh.password = pwTok ? prop(pwKw, pwTok, secretValue(pwTok)) : undefined;
    const port = tok(ch, 'NumberLit');
    ssh.port = prop(tok(ch, 'PortKw'), port, Number(port?.image));
    return ssh;
  }
}

interface SyntaxIssue {
  message: string;
  span: Span;
}

interface ParseResult {
  ast: LvsFile;
  /** Lexer, parser and structural issues, all reported as LVS001. */
  issues: SyntaxIssue[];
  tokens: IToken[];
  comments: IToken[];
}

export function referenceParse(text: string): ParseResult {
  const lexed = referenceLexer().tokenize(text);
  for (const t of lexed.tokens) t.endOffset = t.startOffset + t.image.length - 1;
  for (const t of (lexed.groups.comments ?? [])) t.endOffset = t.startOffset + t.image.length - 1;
  const issues: SyntaxIssue[] = [];
  for (const e of lexed.errors) {
    const bad = text.substr(e.offset, e.length);
    issues.push({ message: `Unexpected character${bad.length > 1 ? 's' : ''} '${bad}'.`, span: { start: e.offset, end: e.offset + Math.max(1, e.length) } });
  }
  cstParser.input = lexed.tokens;
  const cst = cstParser.file();
  for (const e of cstParser.errors) {
    issues.push({ message: english(describeParseError(e.message, e.token)), span: errorSpan(e.token, (e as { previousToken?: IToken }).previousToken, text) });
  }
  const builder = new AstBuilder();
  const ast = builder.file(cst);
  issues.push(...builder.issues);
  issues.sort((a, b) => a.span.start - b.span.start);
  return { ast, issues, tokens: lexed.tokens, comments: (lexed.groups.comments as IToken[] | undefined) ?? [] };
}
