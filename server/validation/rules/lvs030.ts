// LVS030: every real server used by a service holds the VIP on a loopback alias (seed rule 3).
// Without it the server drops the packets the director forwards (their destination is the VIP).
import { listMsgs, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { serviceVip } from '../../model/topology';
import { defineRule } from '../types';
import { appendToBlock, findVip, isLoopbackLabel, vipRef } from './util-addressing';

/** First `lo:N` label the server does not use yet. */
export function freeLoopbackLabel(server: A.Server): string {
  const used = new Set(server.vipOn.filter((v) => isLoopbackLabel(v.label.value)).map((v) => v.label.value));
  for (let n = 0; ; n++) if (!used.has(`lo:${n}`)) return `lo:${n}`;
}

export const lvs030 = defineRule({
  code: 'LVS030',
  severity: 'error',
  title: 'Real server has no VIP on a loopback alias',
  nodeKinds: ['server'],
  check(server, ctx) {
    const services = ctx.cluster.usedBy.get(server.name.text);
    if (!services || services.length === 0) return;
    if (server.vipOn.length === 0) {
      const label = freeLoopbackLabel(server);
      const edit = appendToBlock(ctx.text, server.body, `vip-on ${label}`);
      ctx.report({
        span: server.name.span,
        message: t`Real server ${server.name.text} serves ${listMsgs(services.map((s) => s.name.text))} but has no 'vip-on lo:N': in direct routing the forwarded packets are still addressed to the VIP, so the server drops them unless it holds the VIP on a loopback alias.`,
        fixes: [{ title: t`Add 'vip-on ${label}'`, edits: [{ span: { start: edit.start, end: edit.end }, newText: edit.newText }], preferred: true }],
      });
      return;
    }
    // Every vip-on names a VIP (`vip X`): each VIP the server serves needs one of its own.
    // A vip-on on another interface counts as present here; LVS032 reports its label.
    if (server.vipOn.some((v) => !v.vip)) return;
    const missing: A.Vip[] = [];
    for (const svc of services) {
      const vip = serviceVip(ctx.cluster, svc);
      if (!vip || missing.includes(vip)) continue;
      const covered = server.vipOn.some((v) => findVip(ctx.cluster, v.vip!.value) === vip);
      if (!covered) missing.push(vip);
    }
    if (missing.length === 0) return;
    const taken = new Set(server.vipOn.map((v) => v.label.value));
    const items = missing.map((vip) => {
      let n = 0;
      while (taken.has(`lo:${n}`)) n++;
      taken.add(`lo:${n}`);
      return `vip-on lo:${n} vip ${vipRef(vip)}`;
    });
    const names = listMsgs(missing.map((v) => (v.name ? `${v.name.text} (${v.address.value})` : v.address.value)));
    const edit = appendToBlock(ctx.text, server.body, items.join(' '));
    ctx.report({
      span: server.name.span,
      message: t`Real server ${server.name.text} serves VIP ${names} but holds no 'vip-on' for it: packets the director forwards for that VIP are dropped unless the server has it on a loopback alias.`,
      fixes: [{ title: t`Add ${listMsgs(items.map((i) => `'${i}'`))}`, edits: [{ span: { start: edit.start, end: edit.end }, newText: edit.newText }], preferred: true }],
    });
  },
});
