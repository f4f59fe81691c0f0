// Runs every registered rule over a parsed file. Rules declare the node kinds they inspect;
// the registry walks each cluster once and calls them with the node and its context.
import * as A from '../language/ast';
import { parse, ParseResult } from '../language/parse';
import { buildModel, ClusterModel, FileModel } from '../model/topology';
import { allRules } from './rules';
import { english, t } from '../shared/l10n/message';
import { Finding, NodeKind, NodeKinds, Rule, RuleContext } from './types';

export const SYNTAX_CODE = 'LVS001';

export interface ValidationResult {
  parse: ParseResult;
  model: FileModel;
  findings: Finding[];
}

/** Rules grouped by the node kind they inspect, built once. */
const rulesByKind = new Map<NodeKind, Rule[]>();
for (const rule of allRules) {
  for (const kind of rule.nodeKinds) {
    const list = rulesByKind.get(kind) ?? [];
    list.push(rule as Rule);
    rulesByKind.set(kind, list);
  }
}

export function findRule(code: string): Rule | undefined {
  return allRules.find((r) => r.code === code) as Rule | undefined;
}

export function validateText(text: string, isCancelled: () => boolean = () => false): ValidationResult {
  const parsed = parse(text);
  const model = buildModel(parsed.ast);
  const findings: Finding[] = parsed.issues.map((i) => ({ code: SYNTAX_CODE, severity: 'error', message: i.message, msg: i.msg, span: i.span, fixes: [] }));
  findings.push(...runRules(text, model, isCancelled));
  findings.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return { parse: parsed, model, findings };
}

/** The rule findings for a built model, unsorted (validateText merges and sorts them). */
export function runRules(text: string, model: FileModel, isCancelled: () => boolean = () => false): Finding[] {
  const findings: Finding[] = [];
  for (const cluster of model.clusters) {
    if (isCancelled()) break;
    runCluster(text, model, cluster, findings);
  }
  return findings;
}

function runCluster(text: string, file: FileModel, cluster: ClusterModel, out: Finding[]) {
  // One context object for the whole cluster, updated per node and rule: validation of a
  // large file calls thousands of rules, and a fresh object plus closure per call is GC work.
  // The walk below sets ctx.host and ctx.service as it enters and leaves hosts and services.
  let current: Rule | undefined;
  const ctx: RuleContext = {
    text, file, cluster, host: undefined, service: undefined,
    report: (f) => out.push({ code: current!.code, severity: f.severity ?? current!.severity, message: english(f.message), msg: f.message, span: f.span, fixes: f.fixes ?? [] }),
  };
  const visit = <K extends NodeKind>(kind: K, node: NodeKinds[K] | undefined) => {
    if (!node) return;
    const rules = rulesByKind.get(kind);
    if (!rules) return;
    for (const rule of rules) {
      current = rule;
      try {
        rule.check(node, ctx);
      } catch (err) {
        // A rule bug must never take the other diagnostics down with it.
        const msg = t`Internal error in rule ${rule.code}: ${String(err)}`;
        out.push({ code: rule.code, severity: 'information', message: english(msg), msg, span: cluster.cluster.name.span, fixes: [] });
      }
    }
  };
  const visitHost = (host: A.Host) => {
    ctx.host = undefined;
    visit(host.kind, host as never);
    ctx.host = host;
    for (const s of host.sysctls) visit('sysctl', s);
    for (const l of host.links) visit('link', l);
    visit('ssh', host.ssh);
    if (host.kind === 'server') for (const v of host.vipOn) visit('vipOn', v);
    ctx.host = undefined;
  };
  const c = cluster.cluster;
  visit('cluster', c);
  for (const v of c.vips) visit('vip', v);
  visit('ha', c.ha);
  visit('timeouts', c.timeouts);
  visit('ssh', c.ssh);
  for (const cl of c.clients) visit('client', cl);
  for (const host of c.directors) visitHost(host);
  for (const host of c.servers) visitHost(host);
  for (const svc of c.services) {
    visit('service', svc);
    ctx.service = svc;
    for (const ch of svc.checks) visit('check', ch);
    for (const r of svc.reals) visit('real', r);
    ctx.service = undefined;
  }
}
