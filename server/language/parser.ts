// Chevrotain grammar of the .lvs language (the EBNF in docs/language.md mirrors it rule by rule).
// Error recovery is on: a typo inside one block leaves the rest of the file parsed.
//
// An EmbeddedActionsParser: the rules build the AST directly, with no CST (decisions.md,
// "Parsing without a CST"). What a rule contributes under error recovery:
// - every rule invocation counts, however it ended: the partial node of a sub-rule abandoned by
//   an exception is kept when its call unwinds (`sub`);
// - a node's span covers the real tokens of the rule and of its sub-rules, kept in one frame per
//   rule invocation;
// - a cluster or block without a real name is dropped with everything in it, so issues found
//   inside a block wait in that block's list until the block is kept.
import { EmbeddedActionsParser, ILookaheadStrategy, IOrAlt, IToken, ParserMethod, Rule, TokenType } from 'chevrotain';
import * as A from './ast';
import * as B from './build-ast';
import { t } from '../shared/l10n/message';
import { PrecomputedLookahead } from './lookahead';
import { recordedRule } from './recorded-grammar';
import * as T from './tokens';

interface ClusterState { ast: A.Cluster; name?: IToken; open?: IToken; issues: B.BuildIssue[] }
interface HostState { ast: A.Host; name?: IToken; open?: IToken; issues: B.BuildIssue[] }
interface ServiceState { ast: A.Service; name?: IToken; open?: IToken; issues: B.BuildIssue[] }
interface VipTokens { kw?: IToken; name?: IToken; addr?: IToken; ifaceKw?: IToken; iface?: IToken }
interface PairTokens { kw?: IToken; value?: IToken }
interface LinkTokens { iface?: IToken; addr?: IToken }

/** Placeholder of the name and spans of a block under construction; set when the block is kept. */
const UNSET = undefined as unknown as A.Ident & A.Span;

function newCluster(): A.Cluster {
  return {
    kind: 'cluster', name: UNSET, span: UNSET, body: UNSET,
    vips: [], directors: [], servers: [], services: [], clients: [], sysctls: [],
  };
}

/** A host with the keys in the order the AST has always had; name and spans are set when kept. */
function newHost(kind: 'director' | 'server'): A.Host {
  return kind === 'director'
    ? { kind, name: UNSET, span: UNSET, body: UNSET, sysctls: [], links: [] }
    : { kind, name: UNSET, span: UNSET, body: UNSET, sysctls: [], links: [], vipOn: [] };
}

function newService(): A.Service {
  return { kind: 'service', name: UNSET, span: UNSET, body: UNSET, checks: [], reals: [] };
}

/** chevrotain's own grammar recording, which LvsParser replaces by a table when it can. */
const chevrotainRecorder = EmbeddedActionsParser.prototype as unknown as {
  enableRecording(): void;
  topLevelRuleRecord(name: string, def: () => void): Rule;
  disableRecording(): void;
};

/** chevrotain's phase of performSelfAnalysis that computes the follow sets error recovery reads. */
export const FOLLOWS_PHASE = 'computeAllProdsFollows';

/** chevrotain's runner of each phase of performSelfAnalysis (its PerformanceTracer). */
const chevrotainPhases = EmbeddedActionsParser.prototype as unknown as {
  TRACE_INIT<R>(phase: string, impl: () => R): R;
};

/** Tokens of lookahead the grammar needs at most (chevrotain's `maxLookahead`). */
export const MAX_LOOKAHEAD = 3;

export class LvsParser extends EmbeddedActionsParser {
  /** Span frames, one per rule invocation on the stack: first start and last end offset of its real tokens. */
  private frameStart: number[] = [];
  private frameEnd: number[] = [];
  private depth = 0;

  /** The result: clusters kept so far and the issues of the kept blocks, in tree order. */
  clusters: A.Cluster[] = [];
  issues: B.BuildIssue[] = [];

  // The token record or node under construction of each rule (no rule contains itself).
  private cl!: ClusterState;
  private host: HostState = { ast: newHost('server'), name: undefined, open: undefined, issues: [] };
  private svc: ServiceState = { ast: newService(), name: undefined, open: undefined, issues: [] };
  private pair!: PairTokens;
  private vip!: VipTokens;
  private vo: B.VipOnTokens = { kw: undefined, label: undefined, prefixKw: undefined, prefix: undefined, vipKw: undefined, ipv4: undefined, name: undefined };
  private sc!: B.SysctlTokens;
  private link!: LinkTokens;
  private per!: B.PersistenceTokens;
  private chk!: B.CheckTokens;
  private rr: B.RealTokens = { kw: undefined, name: undefined, label: undefined, weightKw: undefined, weight: undefined };
  private haT!: B.HaTokens;
  private tmo!: B.TimeoutTokens;
  private portsT!: IToken[];
  private sshT!: B.SshTokens;
  private target!: PairTokens;
  private clients!: IToken[];

  /** Whether construction records the grammar by running the rules (chevrotain's own way). */
  private readonly recordGrammar: boolean;

  /**
   * `checkGrammar` runs chevrotain's grammar validations (ambiguities, left recursion…) on the
   * grammar recorded from the rules. The shared instance skips them: they take a good part of a
   * CLI start-up and cannot fail at run time for a grammar that passed them once, which
   * test/unit/parser.test.ts checks. It also takes the rules' grammar (recorded-grammar.ts) and
   * the lookahead (lookahead.ts) from tables made ahead of time; `record` and `lookahead` are
   * for the tests that make those tables.
   */
  constructor(setup: { checkGrammar?: boolean; record?: boolean; lookahead?: ILookaheadStrategy } = {}) {
    const lookaheadStrategy = setup.lookahead ?? new PrecomputedLookahead({ maxLookahead: MAX_LOOKAHEAD });
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: MAX_LOOKAHEAD, skipValidations: !setup.checkGrammar, lookaheadStrategy });
    this.recordGrammar = setup.record === true || setup.checkGrammar === true;
    this.performSelfAnalysis();
  }

  /** Whether chevrotain's recording methods are installed (a rule is being recorded). */
  private recorderOn = false;

  // chevrotain's performSelfAnalysis records the grammar with three internal methods of its
  // parser: enableRecording (installs recording versions of CONSUME, OR… on the instance),
  // topLevelRuleRecord (runs one rule) and disableRecording (deletes them again, which costs
  // more than the rest). A rule the table has is taken from it; the recorder is installed only
  // when a rule must be recorded (`record` set, or a rule the table lacks).

  protected enableRecording(): void {
    this.RECORDING_PHASE = true;
  }

  protected topLevelRuleRecord(name: string, def: () => void): Rule {
    const fromTable = this.recordGrammar ? undefined : recordedRule(name);
    if (fromTable) return fromTable;
    if (!this.recorderOn) chevrotainRecorder.enableRecording.call(this);
    this.recorderOn = true;
    return chevrotainRecorder.topLevelRuleRecord.call(this, name, def);
  }

  protected disableRecording(): void {
    if (this.recorderOn) chevrotainRecorder.disableRecording.call(this);
    this.recorderOn = false;
    this.RECORDING_PHASE = false;
  }

  // chevrotain computes the follow set of every rule reference while the parser is built (its
  // FOLLOWS_PHASE, the largest part of the construction once the grammar comes from tables), but
  // only error recovery reads them (`resyncFollows`), and a file without a syntax error never
  // recovers. The phase runs on the first read instead.
  protected TRACE_INIT<R>(phase: string, impl: () => R): R {
    if (phase !== FOLLOWS_PHASE) return chevrotainPhases.TRACE_INIT.call(this, phase, impl) as R;
    Object.defineProperty(this, 'resyncFollows', {
      configurable: true,
      enumerable: true,
      get: () => {
        Object.defineProperty(this, 'resyncFollows', { configurable: true, enumerable: true, writable: true, value: {} });
        impl();
        return (this as unknown as { resyncFollows: unknown }).resyncFollows;
      },
    });
    return undefined as R;
  }

  /** Starts a parse of a new token vector. */
  begin(tokens: IToken[]): void {
    this.input = tokens;
    this.depth = 0;
    this.clusters = [];
    this.issues = [];
  }

  // ---- span frames -------------------------------------------------------------------------

  private enter(): void {
    if (this.RECORDING_PHASE) return;
    const d = ++this.depth;
    this.frameStart[d] = NaN;
    this.frameEnd[d] = NaN;
  }

  /** Adds a consumed token to the current frame; returns it unless error recovery inserted it. */
  private tk(t: IToken): IToken | undefined {
    if (this.RECORDING_PHASE) return undefined;
    const start = t.startOffset;
    if (start !== start || t.isInsertedInRecovery) return undefined;
    const d = this.depth;
    const end = t.endOffset as number;
    if (this.frameStart[d] !== this.frameStart[d]) {
      this.frameStart[d] = start;
      this.frameEnd[d] = end;
    } else if (this.frameEnd[d] < end) this.frameEnd[d] = end;
    return t;
  }

  /** After a sub-rule returned (normally or recovered) to the rule at depth d: merges its frame. */
  private leave(d: number): void {
    if (this.RECORDING_PHASE) return;
    const c = d + 1;
    const start = this.frameStart[c];
    if (start === start) {
      if (this.frameStart[d] !== this.frameStart[d]) {
        this.frameStart[d] = start;
        this.frameEnd[d] = this.frameEnd[c];
      } else if (this.frameEnd[d] < this.frameEnd[c]) this.frameEnd[d] = this.frameEnd[c];
    }
    this.depth = d;
  }

  /** Span of the sub-rule that just returned to the current rule (its frame is still intact). */
  private childSpan(): A.Span | undefined {
    const c = this.depth + 1;
    const start = this.frameStart[c];
    return start === start ? { start, end: this.frameEnd[c] + 1 } : undefined;
  }

  /**
   * Calls a sub-rule and, however it ends (returned, recovered, or abandoned by an exception its
   * callers handle), merges its span frame and keeps its node: chevrotain's CST attaches the
   * partial node of a failed sub-rule to its parent before the exception moves on, and the AST
   * was built from that tree.
   */
  private sub<R>(rule: ParserMethod<[], R>, keep?: (this: LvsParser) => void, second = false): R {
    const d = this.depth;
    try {
      return second ? this.SUBRULE2(rule) : this.SUBRULE(rule);
    } finally {
      this.leave(d);
      if (keep !== undefined && !this.RECORDING_PHASE) keep.call(this);
    }
  }

  /** Records the first token consumed in a place of a token record. */
  private first<K extends string>(r: Partial<Record<K, IToken>>, key: K, t: IToken): void {
    if (this.RECORDING_PHASE) return;
    this.tk(t);
    if (r[key] === undefined) r[key] = t;
  }

  // ---- grammar -----------------------------------------------------------------------------

  public file = this.RULE('file', () => {
    this.enter();
    this.MANY(() => this.sub(this.cluster, this.keepCluster));
  });

  private keepCluster() {
    const s = this.cl;
    const span = this.childSpan();
    const name = B.ident(s.name);
    if (!name || !span) return;
    const c = s.ast;
    c.name = name;
    c.span = span;
    c.body = { start: s.open ? s.open.startOffset : name.span.end, end: span.end };
    this.clusters.push(c);
    for (const i of s.issues) this.issues.push(i);
  }

  private cluster = this.RULE('cluster', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.cl = { ast: newCluster(), issues: [] };
    this.tk(this.CONSUME(T.ClusterKw));
    const name = this.CONSUME(T.Name);
    if (!this.RECORDING_PHASE) this.cl.name = this.tk(name);
    const open = this.CONSUME(T.LCurly);
    if (!this.RECORDING_PHASE) this.cl.open = this.tk(open);
    this.MANY(this.clusterItems);
    this.tk(this.CONSUME(T.RCurly));
  });

  private clusterItems = () => this.sub(this.clusterItem);
  private clusterItemAlts?: IOrAlt<void>[];

  private clusterItem = this.RULE('clusterItem', () => {
    this.enter();
    this.OR(this.clusterItemAlts ??= [
      { ALT: () => this.sub(this.networkProp, this.keepNetwork) },
      { ALT: () => this.sub(this.gatewayProp, this.keepGateway) },
      { ALT: () => this.sub(this.vipDecl, this.keepVip) },
      { ALT: () => this.sub(this.directorDecl, this.keepHost) },
      { ALT: () => this.sub(this.serverDecl, this.keepHost) },
      { ALT: () => this.sub(this.serviceDecl, this.keepService) },
      { ALT: () => this.sub(this.haBlock, this.keepClusterHa) },
      { ALT: () => this.sub(this.sshBlock, this.keepClusterSsh) },
      { ALT: () => this.sub(this.targetProp, this.keepClusterTarget) },
      { ALT: () => this.sub(this.clientsProp, this.keepClients) },
      { ALT: () => this.sub(this.timeoutsBlock, this.keepTimeouts) },
    ]);
  });

  /** A `keyword value` property of the cluster, kept by its own rule (network, gateway, target). */
  // One network and one gateway per address family: the IPv6 ones have keys of their own.
  private keepNetwork() {
    if (this.pair.value?.tokenType === T.Ipv6) this.keepClusterPair('network6', 'network (IPv6)');
    else this.keepClusterPair('network', 'network');
  }

  private keepGateway() {
    if (this.pair.value?.tokenType === T.Ipv6) this.keepClusterPair('gateway6', 'gateway (IPv6)');
    else this.keepClusterPair('gateway', 'gateway');
  }

  private keepClusterTarget() {
    this.keepClusterPair('targetOs', 'target os');
  }

  private keepClusterPair(key: 'network' | 'network6' | 'gateway' | 'gateway6' | 'targetOs', what: string) {
    const r = this.pair;
    const v = B.real(r.value);
    B.setOnce(this.cl.issues, this.cl.ast, key, B.prop(B.real(r.kw), v, v?.image ?? ''), what);
  }

  private keyValue(kw: TokenType, value: TokenType) {
    this.enter();
    if (!this.RECORDING_PHASE) this.pair = {};
    const k = this.CONSUME(kw);
    if (!this.RECORDING_PHASE) this.pair.kw = this.tk(k);
    const v = this.CONSUME(value);
    if (!this.RECORDING_PHASE) this.pair.value = this.tk(v);
  }

  private networkProp = this.RULE('networkProp', () => this.keyValue(T.NetworkKw, T.IpAddress));

  private gatewayProp = this.RULE('gatewayProp', () => this.keyValue(T.GatewayKw, T.IpAddress));

  private vipDecl = this.RULE('vipDecl', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.vip = {};
    const kw = this.CONSUME(T.VipKw);
    if (!this.RECORDING_PHASE) this.vip.kw = this.tk(kw);
    this.OPTION(() => {
      const n = this.CONSUME(T.Name);
      if (!this.RECORDING_PHASE) this.vip.name = this.tk(n);
    });
    const addr = this.CONSUME(T.IpAddress);
    if (!this.RECORDING_PHASE) this.vip.addr = this.tk(addr);
    this.OPTION2(() => {
      const k = this.CONSUME(T.InterfaceKw);
      if (!this.RECORDING_PHASE) this.vip.ifaceKw = this.tk(k);
      const t = this.sub(this.ifaceName);
      if (!this.RECORDING_PHASE) this.vip.iface = t;
    });
  });

  private keepVip() {
    const r = this.vip;
    const span = this.childSpan();
    const addr = r.addr;
    if (!addr || !span) return;
    const iface = r.iface;
    this.cl.ast.vips.push({
      kind: 'vip', name: B.ident(r.name), span,
      address: B.prop(r.kw, addr, addr.image)!,
      iface: iface ? B.prop(r.ifaceKw, iface, iface.image) : undefined,
    });
  }

  private ifaceNameAlts?: IOrAlt<IToken>[];

  /** The real token of an interface name (VLAN interfaces, `eth0.100`, lex as dotted names). */
  private ifaceName = this.RULE('ifaceName', (): IToken | undefined => {
    this.enter();
    const t = this.OR(this.ifaceNameAlts ??= [
      { ALT: () => this.CONSUME(T.Label) },
      { ALT: () => this.CONSUME(T.Name) },
      { ALT: () => this.CONSUME(T.DottedName) },
    ]);
    return this.tk(t);
  });

  private directorDecl = this.RULE('directorDecl', () => this.hostBlock(T.DirectorKw, 'director'));

  private serverDecl = this.RULE('serverDecl', () => this.hostBlock(T.ServerKw, 'server'));

  private hostBlock(kw: TokenType, kind: 'director' | 'server') {
    this.enter();
    if (!this.RECORDING_PHASE) {
      const h = this.host;
      h.ast = newHost(kind);
      h.name = h.open = undefined;
      h.issues.length = 0;
    }
    this.tk(this.CONSUME(kw));
    const name = this.CONSUME(T.Name);
    if (!this.RECORDING_PHASE) this.host.name = this.tk(name);
    const open = this.CONSUME(T.LCurly);
    if (!this.RECORDING_PHASE) this.host.open = this.tk(open);
    this.MANY(this.hostItems);
    this.tk(this.CONSUME(T.RCurly));
  }

  private keepHost() {
    const s = this.host;
    const span = this.childSpan();
    const name = B.ident(s.name);
    if (!name || !span) return;
    const h = s.ast;
    h.name = name;
    h.span = span;
    h.body = { start: s.open ? s.open.startOffset : name.span.end, end: span.end };
    if (h.kind === 'director') this.cl.ast.directors.push(h);
    else this.cl.ast.servers.push(h);
    for (const i of s.issues) this.cl.issues.push(i);
  }

  private hostItems = () => this.sub(this.hostItem);
  private hostItemAlts?: IOrAlt<void>[];

  /** Properties of directors and servers; those that do not belong are reported. */
  private hostItem = this.RULE('hostItem', () => {
    this.enter();
    this.OR(this.hostItemAlts ??= [
      { ALT: () => { const k = this.tk(this.CONSUME(T.AddressKw)); const v = this.tk(this.CONSUME(T.IpAddress)); this.hostProp('address', 'address', k, v); } },
      { ALT: () => {
        const k = this.tk(this.CONSUME(T.InterfaceKw));
        const t = this.sub(this.ifaceName);
        if (this.RECORDING_PHASE) return;
        const h = this.host;
        B.setOnce(h.issues, h.ast, 'iface', B.prop(k, t, t?.image ?? ''), 'interface');
      } },
      { ALT: () => { const k = this.tk(this.CONSUME(T.GatewayKw)); const v = this.tk(this.CONSUME2(T.IpAddress)); this.hostProp('gateway', 'gateway', k, v); } },
      { ALT: () => { const k = this.tk(this.CONSUME(T.RoleKw)); const v = this.tk(this.CONSUME(T.Name)); this.directorProp('role', k, v); } },
      { ALT: () => { const k = this.tk(this.CONSUME(T.PriorityKw)); const v = this.tk(this.CONSUME(T.NumberLit)); this.directorProp('priority', k, v); } },
      { ALT: () => {
        const k = this.tk(this.CONSUME(T.NopreemptKw));
        if (this.RECORDING_PHASE) return;
        const p = B.flag(k);
        const h = this.host;
        if (h.ast.kind === 'director') B.setOnce(h.issues, h.ast, 'nopreempt', p, 'nopreempt');
        else if (p) B.notIn(h.issues, h.ast, 'nopreempt', p.full);
      } },
      { ALT: () => this.sub(this.vipOnProp, this.keepVipOn) },
      { ALT: () => this.sub(this.sysctlProp, this.keepSysctl) },
      { ALT: () => this.sub(this.linkProp, this.keepLink) },
      { ALT: () => this.sub(this.sshBlock, this.keepHostSsh) },
      { ALT: () => this.sub(this.targetProp, this.keepHostTarget) },
    ]);
  });

  private keepVipOn() {
    const v = B.vipOn(this.vo, this.childSpan());
    const h = this.host;
    if (h.ast.kind === 'server') { if (v) h.ast.vipOn.push(v); }
    else if (v) B.notIn(h.issues, h.ast, 'vip-on', v.span);
  }

  private keepSysctl() {
    const s = B.sysctl(this.sc, this.childSpan());
    if (s) this.host.ast.sysctls.push(s);
  }

  private keepLink() {
    const { iface, addr } = this.link;
    const span = this.childSpan();
    if (iface && addr && span) this.host.ast.links.push({ kind: 'link', iface: B.prop(undefined, iface, iface.image)!, address: B.prop(undefined, addr, addr.image)!, span });
  }

  private keepHostSsh() {
    const s = B.ssh(this.sshT, this.childSpan());
    const h = this.host;
    if (h.ast.ssh) h.issues.push(B.issue(t`'ssh' is given twice in this block; the first one is used.`, s.span));
    else h.ast.ssh = s;
  }

  private keepHostTarget() {
    const v = B.real(this.pair.value);
    B.setOnce(this.host.issues, this.host.ast, 'targetOs', B.prop(B.real(this.pair.kw), v, v?.image ?? ''), 'target os');
  }

  /** `address` and `gateway` of a host: one of each per address family. */
  private hostProp(key: 'address' | 'gateway', what: string, k: IToken | undefined, v: IToken | undefined) {
    if (this.RECORDING_PHASE) return;
    const six = v?.tokenType === T.Ipv6;
    B.setOnce(this.host.issues, this.host.ast, six ? `${key}6` : key, B.prop(k, v, v?.image ?? ''), six ? `${what} (IPv6)` : what);
  }

  private directorProp(what: 'role' | 'priority', k: IToken | undefined, v: IToken | undefined) {
    if (this.RECORDING_PHASE) return;
    const p = B.prop<string | number>(k, v, what === 'priority' ? Number(v?.image) : v?.image ?? '');
    const h = this.host;
    if (h.ast.kind === 'director') B.setOnce(h.issues, h.ast as unknown as Record<string, A.Prop<string | number>>, what, p, what);
    else if (p) B.notIn(h.issues, h.ast, what, p.full);
  }

  private vipOnAlts?: IOrAlt<void>[];
  private vipOnVipAlts?: IOrAlt<void>[];

  private vipOnProp = this.RULE('vipOnProp', () => {
    this.enter();
    if (!this.RECORDING_PHASE) {
      const r = this.vo;
      r.kw = r.label = r.prefixKw = r.prefix = r.vipKw = r.ipv4 = r.name = undefined;
    }
    const kw = this.CONSUME(T.VipOnKw);
    if (!this.RECORDING_PHASE) this.vo.kw = this.tk(kw);
    const label = this.sub(this.ifaceName);
    if (!this.RECORDING_PHASE) this.vo.label = label;
    this.MANY(() => {
      this.OR(this.vipOnAlts ??= [
        { ALT: () => { this.first(this.vo, 'prefixKw', this.CONSUME(T.PrefixKw)); this.first(this.vo, 'prefix', this.CONSUME(T.NumberLit)); } },
        { ALT: () => {
          this.first(this.vo, 'vipKw', this.CONSUME(T.VipKw));
          this.OR2(this.vipOnVipAlts ??= [
            { ALT: () => this.first(this.vo, 'ipv4', this.CONSUME(T.IpAddress)) },
            { ALT: () => this.first(this.vo, 'name', this.CONSUME(T.Identifier)) },
          ]);
        } },
      ]);
    });
  });

  private sysctlProp = this.RULE('sysctlProp', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.sc = {};
    const kw = this.CONSUME(T.SysctlKw);
    if (!this.RECORDING_PHASE) this.sc.kw = this.tk(kw);
    const key = this.CONSUME(T.DottedName);
    if (!this.RECORDING_PHASE) this.sc.key = this.tk(key);
    this.OPTION(() => this.tk(this.CONSUME(T.Equals)));
    const value = this.OR([
      { ALT: () => this.CONSUME(T.NumberLit) },
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.StringLit) },
    ]);
    if (!this.RECORDING_PHASE) this.sc.value = this.tk(value);
  });

  private linkProp = this.RULE('linkProp', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.link = {};
    this.tk(this.CONSUME(T.LinkKw));
    const iface = this.sub(this.ifaceName);
    if (!this.RECORDING_PHASE) this.link.iface = iface;
    const addr = this.CONSUME(T.Ipv4);
    if (!this.RECORDING_PHASE) this.link.addr = this.tk(addr);
  });

  private serviceDecl = this.RULE('serviceDecl', () => {
    this.enter();
    if (!this.RECORDING_PHASE) {
      const s = this.svc;
      s.ast = newService();
      s.name = s.open = undefined;
      s.issues.length = 0;
    }
    this.tk(this.CONSUME(T.ServiceKw));
    const name = this.CONSUME(T.Name);
    if (!this.RECORDING_PHASE) this.svc.name = this.tk(name);
    const open = this.CONSUME(T.LCurly);
    if (!this.RECORDING_PHASE) this.svc.open = this.tk(open);
    this.MANY(this.serviceItems);
    this.tk(this.CONSUME(T.RCurly));
  });

  private keepService() {
    const s = this.svc;
    const span = this.childSpan();
    const name = B.ident(s.name);
    if (!name || !span) return;
    const svc = s.ast;
    svc.name = name;
    svc.span = span;
    svc.body = { start: s.open ? s.open.startOffset : name.span.end, end: span.end };
    this.cl.ast.services.push(svc);
    for (const i of s.issues) this.cl.issues.push(i);
  }

  private serviceItems = () => this.sub(this.serviceItem);
  private serviceItemAlts?: IOrAlt<void>[];
  private serviceVipAlts?: IOrAlt<IToken>[];

  private serviceItem = this.RULE('serviceItem', () => {
    this.enter();
    this.OR(this.serviceItemAlts ??= [
      { ALT: () => {
        const k = this.tk(this.CONSUME(T.VipKw));
        const v = this.tk(this.OR2(this.serviceVipAlts ??= [{ ALT: () => this.CONSUME(T.IpAddress) }, { ALT: () => this.CONSUME(T.Identifier) }]));
        this.serviceProp('vip', 'vip', k, v);
      } },
      { ALT: () => { const k = this.tk(this.CONSUME(T.ProtocolKw)); const v = this.tk(this.CONSUME(T.Name)); this.serviceProp('protocol', 'protocol', k, v); } },
      { ALT: () => { const k = this.tk(this.CONSUME(T.PortKw)); const v = this.tk(this.CONSUME(T.NumberLit)); this.serviceProp('port', 'port', k, v); } },
      { ALT: () => this.sub(this.portsProp, this.keepPorts) },
      { ALT: () => { const k = this.tk(this.CONSUME(T.FwmarkKw)); const v = this.tk(this.CONSUME2(T.NumberLit)); this.serviceProp('fwmark', 'fwmark', k, v); } },
      { ALT: () => { const k = this.tk(this.CONSUME(T.QuorumKw)); const v = this.tk(this.CONSUME3(T.NumberLit)); this.serviceProp('quorum', 'quorum', k, v); } },
      { ALT: () => { const k = this.tk(this.CONSUME(T.HysteresisKw)); const v = this.tk(this.CONSUME4(T.NumberLit)); this.serviceProp('hysteresis', 'hysteresis', k, v); } },
      { ALT: () => { const k = this.tk(this.CONSUME(T.SorryKw)); const v = this.tk(this.CONSUME2(T.Identifier)); this.serviceProp('sorry', 'sorry', k, v); } },
      { ALT: () => { const k = this.tk(this.CONSUME(T.SchedulerKw)); const v = this.tk(this.CONSUME2(T.Name)); this.serviceProp('scheduler', 'scheduler', k, v); } },
      { ALT: () => this.sub(this.persistenceProp, this.keepPersistence) },
      { ALT: () => { const k = this.tk(this.CONSUME(T.OnFailureKw)); const v = this.tk(this.CONSUME3(T.Name)); this.serviceProp('onFailure', 'on-failure', k, v); } },
      { ALT: () => this.sub(this.checkProp, this.keepCheck) },
      { ALT: () => this.sub(this.realRef, this.keepRealRef) },
    ]);
  });

  private keepPersistence() {
    B.setOnce(this.svc.issues, this.svc.ast, 'persistence', B.persistence(this.per), 'persistence');
  }

  private keepCheck() {
    const c = B.check(this.chk, this.childSpan());
    if (c) this.svc.ast.checks.push(c);
  }

  private portsProp = this.RULE('portsProp', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.portsT = [];
    const kw = this.CONSUME(T.PortsKw);
    if (!this.RECORDING_PHASE) this.portsT.push(kw);
    this.AT_LEAST_ONE(() => {
      const t = this.CONSUME(T.NumberLit);
      if (!this.RECORDING_PHASE) this.portsT.push(t);
    });
  });

  private keepPorts() {
    const [kw, ...values] = this.portsT;
    B.setOnce(this.svc.issues, this.svc.ast, 'ports', B.numberList(kw, values), 'ports');
  }

  private keepRealRef() {
    const r = B.realRef(this.rr, this.childSpan(), this.svc.issues);
    if (r) this.svc.ast.reals.push(r);
  }

  /** A `keyword value` line of a service; the value is the token's text unless given. */
  private serviceProp(
    key: 'vip' | 'protocol' | 'port' | 'fwmark' | 'quorum' | 'hysteresis' | 'sorry' | 'scheduler' | 'onFailure', what: string,
    k: IToken | undefined, t: IToken | undefined,
  ) {
    if (this.RECORDING_PHASE) return;
    const s = this.svc;
    const numeric = key === 'port' || key === 'fwmark' || key === 'quorum' || key === 'hysteresis';
    const value = numeric ? Number(t?.image) : t?.image ?? '';
    B.setOnce(s.issues, s.ast as unknown as Record<string, A.Prop<unknown>>, key, B.prop<unknown>(k, t, value), what);
  }

  private persistenceProp = this.RULE('persistenceProp', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.per = {};
    const kw = this.CONSUME(T.PersistenceKw);
    if (!this.RECORDING_PHASE) this.per.kw = this.tk(kw);
    const dur = this.CONSUME(T.Duration);
    if (!this.RECORDING_PHASE) this.per.duration = this.tk(dur);
    this.OPTION(() => {
      const k = this.CONSUME(T.NetmaskKw);
      if (!this.RECORDING_PHASE) this.per.netmaskKw = this.tk(k);
      const m = this.CONSUME(T.Ipv4);
      if (!this.RECORDING_PHASE) this.per.mask = this.tk(m);
    });
  });

  private checkAlts?: IOrAlt<void>[];

  private checkProp = this.RULE('checkProp', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.chk = { durations: [], numbers: [] };
    const kw = this.CONSUME(T.CheckKw);
    if (!this.RECORDING_PHASE) this.chk.kw = this.tk(kw);
    const type = this.CONSUME(T.Identifier);
    if (!this.RECORDING_PHASE) this.chk.type = this.tk(type);
    this.MANY(() => {
      this.OR(this.checkAlts ??= [
        { ALT: () => { this.first(this.chk, 'pathKw', this.CONSUME(T.PathKw)); this.first(this.chk, 'path', this.CONSUME(T.StringLit)); } },
        { ALT: () => { this.first(this.chk, 'expectKw', this.CONSUME(T.ExpectKw)); this.checkValue('numbers', this.CONSUME(T.NumberLit)); } },
        { ALT: () => { this.first(this.chk, 'everyKw', this.CONSUME(T.EveryKw)); this.checkValue('durations', this.CONSUME(T.Duration)); } },
        { ALT: () => { this.first(this.chk, 'timeoutKw', this.CONSUME(T.TimeoutKw)); this.checkValue('durations', this.CONSUME2(T.Duration)); } },
        { ALT: () => { this.first(this.chk, 'retryKw', this.CONSUME(T.RetryKw)); this.checkValue('numbers', this.CONSUME2(T.NumberLit)); } },
        { ALT: () => { this.first(this.chk, 'portKw', this.CONSUME(T.PortKw)); this.checkValue('numbers', this.CONSUME3(T.NumberLit)); } },
        { ALT: () => { this.first(this.chk, 'hostKw', this.CONSUME(T.HostKw)); this.first(this.chk, 'host', this.CONSUME2(T.StringLit)); } },
        { ALT: () => { this.first(this.chk, 'nameKw', this.CONSUME(T.NameKw)); this.first(this.chk, 'name', this.CONSUME3(T.StringLit)); } },
        { ALT: () => { this.first(this.chk, 'typeKw', this.CONSUME(T.TypeKw)); this.first(this.chk, 'queryType', this.CONSUME2(T.Identifier)); } },
        // `check script "PATH"`: the program to run, right after the type.
        { ALT: () => this.first(this.chk, 'script', this.CONSUME4(T.StringLit)) },
        { ALT: () => this.first(this.chk, 'script', this.CONSUME(T.PathLit)) },
      ]);
    });
  });

  private checkValue(list: 'numbers' | 'durations', t: IToken) {
    if (this.RECORDING_PHASE) return;
    const r = this.tk(t);
    if (r) this.chk[list].push(r);
  }

  private realRefAlts?: IOrAlt<void>[];

  private realRef = this.RULE('realRef', () => {
    this.enter();
    if (!this.RECORDING_PHASE) {
      const r = this.rr;
      r.kw = r.name = r.label = r.weightKw = r.weight = undefined;
    }
    const kw = this.CONSUME(T.RealKw);
    if (!this.RECORDING_PHASE) this.rr.kw = this.tk(kw);
    // `real web1` or `real web1:8080` (ipvsadm's RIP:PORT form); a `port` keyword here would be
    // ambiguous with the service's own `port` line.
    this.OR(this.realRefAlts ??= [
      { ALT: () => this.first(this.rr, 'name', this.CONSUME(T.Identifier)) },
      { ALT: () => this.first(this.rr, 'label', this.CONSUME(T.Label)) },
    ]);
    this.OPTION(() => {
      this.first(this.rr, 'weightKw', this.CONSUME(T.WeightKw));
      this.first(this.rr, 'weight', this.CONSUME(T.NumberLit));
    });
  });

  private haBlock = this.RULE('haBlock', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.haT = {};
    this.tk(this.CONSUME(T.HaKw));
    this.tk(this.CONSUME(T.LCurly));
    this.MANY(() => {
      this.OR([
        { ALT: () => { this.first(this.haT, 'routerIdKw', this.CONSUME(T.RouterIdKw)); this.first(this.haT, 'routerId', this.CONSUME(T.NumberLit)); } },
        { ALT: () => { this.first(this.haT, 'advertKw', this.CONSUME(T.AdvertKw)); this.first(this.haT, 'advert', this.CONSUME(T.Duration)); } },
        { ALT: () => {
          this.first(this.haT, 'authKw', this.CONSUME(T.AuthKw));
          this.OR2([
            { ALT: () => this.first(this.haT, 'secret', this.CONSUME(T.SecretRef)) },
            { ALT: () => this.first(this.haT, 'string', this.CONSUME(T.StringLit)) },
          ]);
        } },
        { ALT: () => this.first(this.haT, 'strict', this.CONSUME(T.StrictKw)) },
        { ALT: () => this.first(this.haT, 'noAccept', this.CONSUME(T.NoAcceptKw)) },
        { ALT: () => this.first(this.haT, 'unicast', this.CONSUME(T.UnicastKw)) },
        { ALT: () => {
          this.first(this.haT, 'syncDaemonKw', this.CONSUME(T.SyncDaemonKw));
          const t = this.sub(this.ifaceName);
          if (!this.RECORDING_PHASE && t) this.haT.syncDaemon ??= t;
        } },
        { ALT: () => { this.first(this.haT, 'preemptDelayKw', this.CONSUME(T.PreemptDelayKw)); this.first(this.haT, 'preemptDelay', this.CONSUME2(T.Duration)); } },
        { ALT: () => { this.first(this.haT, 'garpRepeatKw', this.CONSUME(T.GarpRepeatKw)); this.first(this.haT, 'garpRepeat', this.CONSUME2(T.NumberLit)); } },
        { ALT: () => { this.first(this.haT, 'garpIntervalKw', this.CONSUME(T.GarpIntervalKw)); this.first(this.haT, 'garpInterval', this.CONSUME3(T.Duration)); } },
        { ALT: () => {
          this.first(this.haT, 'notifyKw', this.CONSUME(T.NotifyKw));
          this.OR3([
            { ALT: () => this.first(this.haT, 'notify', this.CONSUME2(T.StringLit)) },
            { ALT: () => this.first(this.haT, 'notify', this.CONSUME(T.PathLit)) },
          ]);
        } },
        { ALT: () => {
          const k = this.CONSUME(T.TrackInterfaceKw);
          const t = this.sub(this.ifaceName, undefined, true);
          if (this.RECORDING_PHASE) return;
          this.tk(k);
          if (t) (this.haT.tracks ??= []).push([k, t]);
        } },
      ]);
    });
    this.tk(this.CONSUME(T.RCurly));
  });

  private keepClusterHa() {
    const c = this.cl;
    const span = this.childSpan();
    if (c.ast.ha) c.issues.push(B.issue(t`'ha' is given twice in this cluster; the first one is used.`, span ?? this.clusterNameSpan()));
    else c.ast.ha = B.ha(this.haT, span);
  }

  private timeoutsBlock = this.RULE('timeoutsBlock', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.tmo = { entries: [] };
    const kw = this.CONSUME(T.TimeoutsKw);
    if (!this.RECORDING_PHASE) this.tmo.kw = this.tk(kw);
    this.tk(this.CONSUME(T.LCurly));
    // `tcp`, `tcp-fin`, `udp` are names here (they are values elsewhere: `protocol tcp`).
    this.MANY(() => {
      const k = this.CONSUME(T.Identifier);
      const v = this.CONSUME(T.Duration);
      if (this.RECORDING_PHASE) return;
      const key = this.tk(k);
      const value = this.tk(v);
      if (key) this.tmo.entries.push([key, value]);
    });
    this.tk(this.CONSUME(T.RCurly));
  });

  private keepTimeouts() {
    const c = this.cl;
    const span = this.childSpan();
    if (!span) return;
    if (c.ast.timeouts) c.issues.push(B.issue(t`'timeouts' is given twice in this cluster; the first one is used.`, span));
    else c.ast.timeouts = B.timeouts(this.tmo, span, c.issues);
  }

  private sshBlock = this.RULE('sshBlock', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.sshT = { values: [] };
    this.tk(this.CONSUME(T.SshKw));
    this.tk(this.CONSUME(T.LCurly));
    this.MANY(() => {
      this.OR([
        { ALT: () => { this.first(this.sshT, 'userKw', this.CONSUME(T.UserKw)); this.first(this.sshT, 'user', this.CONSUME(T.Identifier)); } },
        { ALT: () => {
          this.first(this.sshT, 'keyKw', this.CONSUME(T.KeyKw));
          this.OR2([{ ALT: () => this.sshValue(this.CONSUME(T.PathLit)) }, { ALT: () => this.sshValue(this.CONSUME(T.StringLit)) }]);
        } },
        { ALT: () => {
          this.first(this.sshT, 'knownHostsKw', this.CONSUME(T.KnownHostsKw));
          this.OR3([{ ALT: () => this.sshValue(this.CONSUME2(T.PathLit)) }, { ALT: () => this.sshValue(this.CONSUME2(T.StringLit)) }]);
        } },
        { ALT: () => {
          this.first(this.sshT, 'passwordKw', this.CONSUME(T.PasswordKw));
          this.OR4([{ ALT: () => this.sshValue(this.CONSUME(T.SecretRef)) }, { ALT: () => this.sshValue(this.CONSUME3(T.StringLit)) }]);
        } },
        { ALT: () => { this.first(this.sshT, 'portKw', this.CONSUME(T.PortKw)); this.first(this.sshT, 'port', this.CONSUME(T.NumberLit)); } },
      ]);
    });
    this.tk(this.CONSUME(T.RCurly));
  });

  private sshValue(t: IToken) {
    if (this.RECORDING_PHASE) return;
    const r = this.tk(t);
    if (r) this.sshT.values.push(r);
  }

  private clusterNameSpan(): A.Span {
    const name = this.cl.name;
    return name ? B.spanOf(name) : { start: 0, end: 0 };
  }

  private keepClusterSsh() {
    const c = this.cl;
    const span = this.childSpan();
    if (c.ast.ssh) c.issues.push(B.issue(t`'ssh' is given twice in this cluster; the first one is used.`, span ?? this.clusterNameSpan()));
    else c.ast.ssh = B.ssh(this.sshT, span);
  }

  private targetProp = this.RULE('targetProp', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.pair = {};
    const kw = this.CONSUME(T.TargetKw);
    if (!this.RECORDING_PHASE) this.pair.kw = this.tk(kw);
    this.tk(this.CONSUME(T.OsKw));
    const v = this.CONSUME(T.Identifier);
    if (!this.RECORDING_PHASE) this.pair.value = this.tk(v);
  });

  private clientsProp = this.RULE('clientsProp', () => {
    this.enter();
    if (!this.RECORDING_PHASE) this.clients = [];
    this.tk(this.CONSUME(T.ClientsKw));
    this.AT_LEAST_ONE(() => {
      const t = this.OR([{ ALT: () => this.CONSUME(T.IpAddress) }, { ALT: () => this.CONSUME(T.Identifier) }]);
      if (this.RECORDING_PHASE) return;
      const r = this.tk(t);
      if (r) this.clients.push(r);
    });
  });

  private keepClients() {
    const list = this.cl.ast.clients;
    for (const t of this.clients) list.push({ kind: 'client', value: B.prop(undefined, t, t.image)!, span: B.spanOf(t) });
    list.sort((a, b) => a.span.start - b.span.start);
  }
}

/** One parser instance is reused: chevrotain parsers are stateful but cheap to reset. */
export const lvsParser = new LvsParser();

export interface ParsedTokens {
  ast: A.LvsFile;
  /** Structural issues (duplicates, misplaced properties), in the order of the tree. */
  issues: B.BuildIssue[];
}

/** Parses a token vector; syntax errors are left in `lvsParser.errors`. */
export function parseTokens(tokens: IToken[]): ParsedTokens {
  lvsParser.begin(tokens);
  lvsParser.file();
  return { ast: { kind: 'file', clusters: lvsParser.clusters }, issues: lvsParser.issues };
}
