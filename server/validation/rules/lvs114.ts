// LVS114: the same real server listed twice in one service.
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { defineRule } from '../types';
import { removalFix } from './util-operational';

/** First reference of each name per service, built once (services can list thousands of servers). */
const firstRefs = new WeakMap<A.Service, Map<string, A.RealRef>>();
function firstRef(svc: A.Service, name: string): A.RealRef | undefined {
  let map = firstRefs.get(svc);
  if (!map) {
    map = new Map();
    for (const r of svc.reals) if (!map.has(r.name.text)) map.set(r.name.text, r);
    firstRefs.set(svc, map);
  }
  return map.get(name);
}

export const lvs114 = defineRule({
  code: 'LVS114',
  severity: 'warning',
  title: 'Real server listed twice in one service',
  nodeKinds: ['real'],
  check(ref, ctx) {
    const svc = ctx.service;
    if (!svc) return;
    const first = firstRef(svc, ref.name.text);
    if (!first || first === ref) return;
    ctx.report({
      span: ref.name.span,
      message: t`Real server ${ref.name.text} is listed twice in service ${svc.name.text}: ipvsadm -a rejects the second entry ("Destination already exists") and keepalived silently drops it, so its weight${ref.weight ? ` ${ref.weight.value}` : ''} is never used.`,
      fixes: [removalFix(t`Remove the duplicate line`, ctx.text, ref.span)],
    });
  },
});
