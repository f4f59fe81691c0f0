// LVS070: VRRP settings keepalived rejects or that leave the pair without exactly one master.
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { formatDuration } from '../../language/values';
import { defineRule, RuleContext } from '../types';
import { appendToBlock, insertAfterOpenBrace, keywordSpan, replaceEdit, replaceFix } from './util-operational';

/** A router id no other cluster of the file uses, starting at 51 (keepalived's sample value). */
export function freeRouterId(ctx: RuleContext, exclude?: A.Ha): number {
  const used = new Set(ctx.file.clusters.map((c) => c.cluster.ha).filter((h) => h && h !== exclude).map((h) => h!.routerId?.value));
  for (let id = 51; id <= 255; id++) if (!used.has(id)) return id;
  for (let id = 1; id < 51; id++) if (!used.has(id)) return id;
  return 51;
}

function checkHa(ha: A.Ha, ctx: RuleContext) {
  const cluster = ctx.cluster.cluster;
  const dirs = cluster.directors;
  const rid = ha.routerId;
  if (!rid) {
    const id = freeRouterId(ctx, ha);
    ctx.report({
      span: keywordSpan(ha.span, 'ha'),
      message: t`The ha block of cluster ${cluster.name.text} has no router-id: both directors must share one VRRP virtual_router_id (1–255), unique on the segment.`,
      fixes: [{ title: t`Add router-id ${id}`, edits: [insertAfterOpenBrace(ctx.text, ha.span.start, `router-id ${id}`)], preferred: true }],
    });
  } else if (!Number.isInteger(rid.value) || rid.value < 1 || rid.value > 255) {
    ctx.report({ span: rid.span, message: t`router-id ${rid.text} is outside 1–255: keepalived's virtual_router_id is one byte and 0 is reserved.` });
  }

  const adv = ha.advert;
  if (adv) {
    const ms = adv.value;
    const seconds = Math.min(255, Math.max(1, Math.round(ms / 1000)));
    const fix = [replaceFix(t`Use advert ${formatDuration(seconds * 1000)}`, adv.span, formatDuration(seconds * 1000))];
    if (ms < 1000 || ms > 255_000) {
      ctx.report({ span: adv.span, message: t`advert ${adv.text} is outside 1s–255s: VRRPv2 (keepalived's default) sends adverts every 1 to 255 whole seconds.`, fixes: fix });
    } else if (ms % 1000 !== 0) {
      ctx.report({
        span: adv.span,
        message: t`advert ${adv.text} is not a whole number of seconds: VRRPv2 carries the interval in seconds, keepalived rounds it, and a peer with a different interval has its adverts dropped (two masters).`,
        fixes: fix,
      });
    }
  }

  if (dirs.length > 2) {
    for (const d of dirs.slice(2)) {
      ctx.report({ span: d.name.span, message: t`Director ${d.name.text} is a third director in an ha pair: this tool generates one master and one backup, so a VRRP instance with more peers is not supported.` });
    }
  }
  if (dirs.length === 2) {
    const masters = dirs.filter((d) => d.role?.value === 'master');
    if (masters.length > 1) {
      for (const d of masters.slice(1)) {
        ctx.report({
          span: d.role!.span,
          message: t`Directors ${masters[0].name.text} and ${d.name.text} both have role master: exactly one director of the ha pair starts as MASTER, the other as BACKUP.`,
          fixes: [replaceFix(t`Make ${d.name.text} the backup`, d.role!.span, 'backup')],
        });
      }
    } else if (masters.length === 0 && dirs.some((d) => d.role) && !dirs.some((d) => d.nopreempt)) {
      // Both BACKUP is keepalived's documented non-preemptive setup only together with nopreempt.
      // With no role written at all, the first director is the master (the documented default).
      const first = dirs[0];
      const edit = first.role ? replaceEdit(first.role.span, 'master') : appendToBlock(ctx.text, first.body, 'role master');
      ctx.report({
        span: first.role?.span ?? first.name.span,
        message: t`Neither ${dirs[0].name.text} nor ${dirs[1].name.text} has role master: exactly one director of the ha pair must start as MASTER (both BACKUP is only meant for a non-preemptive pair with nopreempt); otherwise the VIP is down until the election timer runs out and the roles written here mean nothing.`,
        fixes: [{ title: t`Make ${first.name.text} the master`, edits: [edit], preferred: true }],
      });
    }
  }
}

export const lvs070 = defineRule({
  code: 'LVS070',
  severity: 'error',
  title: 'HA settings invalid: master count, priority, router-id, advert interval, more than two directors',
  nodeKinds: ['ha', 'director'],
  check(node, ctx) {
    if (node.kind === 'ha') {
      checkHa(node, ctx);
      return;
    }
    const p = node.priority;
    if (p && (!Number.isInteger(p.value) || p.value < 1 || p.value > 254)) {
      ctx.report({
        span: p.span,
        message: t`Priority ${p.text} of director ${node.name.text} is outside 1–254: VRRP priorities are one byte, 0 means "leaving" and 255 is reserved for the address owner.`,
      });
    }
  },
});
