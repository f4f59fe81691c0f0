// LVS060: a value ipvsadm, keepalived or the generators cannot accept (unknown word, out of range).
import { hostWhat } from './util-addressing';
import { listMsgs, Msg, MsgArg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { formatDuration, netmaskToPrefix } from '../../language/values';
import { CHECK_TYPES, ON_FAILURE, PROTOCOLS, ROLES, SCHEDULERS, TARGET_OSES } from '../../model/topology';
import { defineRule, Fix, RuleContext } from '../types';
import { closest, replaceFix } from './util-operational';

/** The query types keepalived's DNS_CHECK knows (check_dns.c). */
const DNS_TYPES = ['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA'] as const;

const MAX_PERSISTENCE_MS = 31 * 86_400_000; // keepalived LVS_MAX_TIMEOUT, ipvsadm -p limit

// Each check tests the value first and builds its message only when it reports: the rule runs
// for every host, service and real on every edit, and almost all values are fine.

function isUnknown(prop: A.Prop<string> | undefined, valid: readonly string[]): prop is A.Prop<string> {
  return prop !== undefined && !valid.includes(prop.value);
}

function outOfRange(prop: A.Prop<number> | undefined, min: number, max: number): prop is A.Prop<number> {
  return prop !== undefined && !(Number.isInteger(prop.value) && prop.value >= min && prop.value <= max);
}

/** Reports a word that is not one of `valid`, offering the closest valid word as a fix. */
function reportEnum(ctx: RuleContext, prop: A.Prop<string>, valid: readonly string[], what: Msg, where: MsgArg, why: Msg, alwaysSuggest = false) {
  const best = closest(prop.value, valid);
  const near = best.distance <= 2 || alwaysSuggest;
  const fixes: Fix[] = near ? [replaceFix(t`Replace with '${best.word}'`, prop.span, best.word, best.distance <= 2)] : [];
  const hint = near ? t` Did you mean '${best.word}'?` : '';
  ctx.report({ span: prop.span, message: t`Unknown ${what} '${prop.value}'${where}: ${why} Valid: ${listMsgs(valid)}.${hint}`, fixes });
}

function reportRange(ctx: RuleContext, prop: A.Prop<number>, min: number, max: number, what: Msg, why: Msg) {
  ctx.report({ span: prop.span, message: t`${what} is ${prop.text}, outside ${min}–${max}: ${why}` });
}

function serviceName(svc: A.Service): Msg {
  return t`service ${svc.name.text}`;
}

function inService(ctx: RuleContext): MsgArg {
  return ctx.service ? t` in service ${ctx.service.name.text}` : '';
}

/** Target OS of a director, server or cluster, all three checked alike. */
function checkTargetOs(ctx: RuleContext, node: A.Director | A.Server | A.Cluster) {
  if (isUnknown(node.targetOs, TARGET_OSES)) {
    const of = node.kind === 'cluster' ? t` of cluster ${node.name.text}` : t` of ${hostWhat(node)}`;
    reportEnum(ctx, node.targetOs, TARGET_OSES, t`target os`, of, t`the generators write files for these systems only.`);
  }
}

export const lvs060 = defineRule({
  code: 'LVS060',
  severity: 'error',
  title: 'Invalid value: unknown scheduler, protocol, check type, DNS query type, role, OS or on-failure; weight, port or persistence out of range',
  nodeKinds: ['service', 'real', 'check', 'director', 'server', 'cluster', 'ssh'],
  check(node, ctx) {
    switch (node.kind) {
      case 'service': {
        if (isUnknown(node.scheduler, SCHEDULERS)) {
          reportEnum(ctx, node.scheduler, SCHEDULERS, t`scheduler`, t` in ${serviceName(node)}`, t`ipvsadm passes the name to the kernel, which needs a module ip_vs_<name>, and keepalived refuses it.`, true);
        }
        if (isUnknown(node.protocol, PROTOCOLS)) reportEnum(ctx, node.protocol, PROTOCOLS, t`protocol`, t` in ${serviceName(node)}`, t`a DR virtual service here is TCP or UDP.`);
        if (isUnknown(node.onFailure, ON_FAILURE)) {
          reportEnum(ctx, node.onFailure, ON_FAILURE, t`on-failure action`, t` in ${serviceName(node)}`, t`a failed real server is either removed from IPVS or quiesced (weight 0, keepalived's inhibit_on_failure).`);
        }
        if (outOfRange(node.port, 0, 65535)) reportRange(ctx, node.port, 0, 65535, t`Port of ${serviceName(node)}`, t`a TCP/UDP port is 16 bits (0 means all ports).`);
        const p = node.persistence;
        if (p) {
          const d = p.value.duration;
          if (d < 1000 || d > MAX_PERSISTENCE_MS) {
            ctx.report({ span: p.span, message: t`Persistence ${p.text} of ${serviceName(node)} is outside 1s–31d: ipvsadm -p and keepalived's persistence_timeout accept 1 to 2678400 seconds.` });
          } else if (d % 1000 !== 0) {
            ctx.report({
              span: p.span,
              message: t`Persistence ${p.text} of ${serviceName(node)} is not a whole number of seconds: ipvsadm -p and keepalived's persistence_timeout take seconds.`,
              fixes: [replaceFix(t`Use ${formatDuration(Math.round(d / 1000) * 1000)}`, p.span, formatDuration(Math.round(d / 1000) * 1000))],
            });
          }
          const mask = p.value.netmask;
          if (mask && netmaskToPrefix(mask.value) === undefined) {
            ctx.report({ span: mask.span, message: t`Persistence netmask ${mask.value} of ${serviceName(node)} is not a contiguous netmask: ipvsadm -M and keepalived's persistence_granularity need one (e.g. 255.255.255.0).` });
          }
        }
        break;
      }
      case 'real': {
        if (outOfRange(node.weight, 0, 65535)) reportRange(ctx, node.weight, 0, 65535, t`Weight of real ${node.name.text}${inService(ctx)}`, t`ipvsadm -w accepts 0 to 65535.`);
        if (outOfRange(node.port, 1, 65535)) reportRange(ctx, node.port, 1, 65535, t`Port of real ${node.name.text}${inService(ctx)}`, t`a real server port is 1 to 65535.`);
        break;
      }
      case 'check': {
        const where = ctx.service ? t` of service ${ctx.service.name.text}` : '';
        if (isUnknown(node.type, CHECK_TYPES)) reportEnum(ctx, node.type, CHECK_TYPES, t`health check type`, inService(ctx), t`the generators only know these checkers.`);
        if (outOfRange(node.expect, 100, 599)) reportRange(ctx, node.expect, 100, 599, t`Expected HTTP status${where}`, t`HTTP status codes are 100 to 599.`);
        if (outOfRange(node.port, 1, 65535)) reportRange(ctx, node.port, 1, 65535, t`Port of the health check${where}`, t`keepalived connect_port is a TCP/UDP port.`);
        if (isUnknown(node.queryType, DNS_TYPES)) reportEnum(ctx, node.queryType, DNS_TYPES, t`DNS query type`, where, t`keepalived's DNS_CHECK sends one of these.`);
        if (node.every && node.every.value <= 0) ctx.report({ span: node.every.span, message: t`Health check interval ${node.every.text}${where} must be longer than zero.` });
        if (node.timeout && node.timeout.value <= 0) ctx.report({ span: node.timeout.span, message: t`Health check timeout ${node.timeout.text}${where} must be longer than zero.` });
        if (node.path && !node.path.value.startsWith('/')) {
          ctx.report({
            span: node.path.span,
            message: t`Health check path ${node.path.text}${where} must start with '/': it is the path of the URL keepalived's HTTP_GET requests.`,
            fixes: [replaceFix(t`Use "/${node.path.value}"`, node.path.span, `"/${node.path.value.replace(/["\\]/g, '\\$&')}"`)],
          });
        }
        break;
      }
      case 'director':
        if (isUnknown(node.role, ROLES)) reportEnum(ctx, node.role, ROLES, t`role`, t` of director ${node.name.text}`, t`keepalived starts a VRRP instance as MASTER or BACKUP.`);
        checkTargetOs(ctx, node);
        break;
      case 'server':
      case 'cluster':
        checkTargetOs(ctx, node);
        break;
      case 'ssh': {
        if (!outOfRange(node.port, 1, 65535)) break;
        const owner = ctx.host ? hostWhat(ctx.host) : t`cluster ${ctx.cluster.cluster.name.text}`;
        reportRange(ctx, node.port, 1, 65535, t`SSH port of ${owner}`, t`a TCP port is 1 to 65535.`);
        break;
      }
    }
  },
});
