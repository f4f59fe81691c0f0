// Contracts between the rule registry and the rule modules (one module per code, in rules/).
import * as A from '../language/ast';
import { ClusterModel, FileModel } from '../model/topology';
import { Msg } from '../shared/l10n/message';

export type Severity = 'error' | 'warning' | 'information';

export interface SpanEdit {
  span: A.Span;
  newText: string;
}

/** A quick fix: edits on the document text that remove the finding. */
export interface Fix {
  /** Rendered in the reader's language by the LSP (code-actions.ts). */
  title: Msg;
  edits: SpanEdit[];
  preferred?: boolean;
}

export interface Finding {
  code: string;
  severity: Severity;
  /** The message in English (CLI JSON `message`, logs, tests)… */
  message: string;
  /** …and its one definition, rendered in the reader's language where one is shown. */
  msg: Msg;
  span: A.Span;
  fixes: Fix[];
}

/** Node kinds a rule can ask to be called for, with their AST type. */
export interface NodeKinds {
  cluster: A.Cluster;
  director: A.Director;
  server: A.Server;
  service: A.Service;
  real: A.RealRef;
  vip: A.Vip;
  ha: A.Ha;
  timeouts: A.Timeouts;
  check: A.HealthCheck;
  sysctl: A.Sysctl;
  vipOn: A.VipOn;
  ssh: A.SshSettings;
  client: A.ClientEntry;
  link: A.ExtraLink;
}
export type NodeKind = keyof NodeKinds;

export interface RuleContext {
  text: string;
  file: FileModel;
  cluster: ClusterModel;
  /** The director or server whose block contains the node (for sysctl, vipOn, ssh, link). */
  host?: A.Host;
  /** The service containing the node (for real, check). */
  service?: A.Service;
  report(finding: { span: A.Span; message: Msg; fixes?: Fix[]; severity?: Severity }): void;
}

export interface Rule<K extends NodeKind = NodeKind> {
  /** Stable code, e.g. `LVS020`; documented in docs/rules.md#lvs020. */
  code: string;
  severity: Severity;
  /** One line saying what the rule catches (hover, docs index). */
  title: string;
  nodeKinds: readonly K[];
  check(node: NodeKinds[K], ctx: RuleContext): void;
}

/** Helper so a rule module can be typed by the kinds it inspects. */
export function defineRule<K extends NodeKind>(rule: Rule<K>): Rule<K> {
  return rule;
}
