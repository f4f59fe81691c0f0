// Chevrotain grammar of the .lvs language (the EBNF in docs/language.md mirrors it rule by rule).
// Error recovery is on: a typo inside one block leaves the rest of the file parsed.
import { CstNode, CstParser, IToken } from 'chevrotain';
import * as T from './tokens';

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
    ]);
  });

  private networkProp = this.RULE('networkProp', () => {
    this.CONSUME(T.NetworkKw);
    this.CONSUME(T.Ipv4);
  });

  private gatewayProp = this.RULE('gatewayProp', () => {
    this.CONSUME(T.GatewayKw);
    this.CONSUME(T.Ipv4);
  });

  private vipDecl = this.RULE('vipDecl', () => {
    this.CONSUME(T.VipKw);
    this.OPTION(() => this.CONSUME(T.Name));
    this.CONSUME(T.Ipv4);
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
      { ALT: () => { this.CONSUME(T.AddressKw); this.CONSUME(T.Ipv4); } },
      { ALT: () => { this.CONSUME(T.InterfaceKw); this.SUBRULE(this.ifaceName); } },
      { ALT: () => { this.CONSUME(T.GatewayKw); this.CONSUME2(T.Ipv4); } },
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
        { ALT: () => { this.CONSUME(T.VipKw); this.OR2([{ ALT: () => this.CONSUME(T.Ipv4) }, { ALT: () => this.CONSUME(T.Identifier) }]); } },
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
      { ALT: () => { this.CONSUME(T.VipKw); this.OR2([{ ALT: () => this.CONSUME(T.Ipv4) }, { ALT: () => this.CONSUME(T.Identifier) }]); } },
      { ALT: () => { this.CONSUME(T.ProtocolKw); this.CONSUME(T.Name); } },
      { ALT: () => { this.CONSUME(T.PortKw); this.CONSUME(T.NumberLit); } },
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
      this.OR([{ ALT: () => this.CONSUME(T.Ipv4) }, { ALT: () => this.CONSUME(T.Identifier) }]);
    });
  });
}

/** One parser instance is reused: chevrotain parsers are stateful but cheap to reset. */
export const lvsParser = new LvsParser();

export function parseCst(tokens: IToken[]): CstNode {
  lvsParser.input = tokens;
  return lvsParser.file();
}
