// LVS110: a director or real server listed among the clients of its own VIPs.
import { hostWhat } from './util-addressing';
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { inCidr, parseCidr, parseIpv4 } from '../../language/values';
import { defineRule } from '../types';
import { quoteList } from './util-operational';

function hostAddresses(host: A.Host): number[] {
  const out: number[] = [];
  const a = host.address ? parseIpv4(host.address.value) : undefined;
  if (a !== undefined) out.push(a);
  for (const l of host.links) {
    const c = parseCidr(l.address.value);
    if (c) out.push(c.address);
  }
  return out;
}

export const lvs110 = defineRule({
  code: 'LVS110',
  severity: 'warning',
  title: 'A director or real server listed as a client of its own VIP',
  nodeKinds: ['client'],
  check(entry, ctx) {
    const c = ctx.cluster.cluster;
    const hosts: A.Host[] = [...c.directors, ...c.servers];
    const value = entry.value.value;
    const why = t`a real server answers its own request locally (the VIP is on its lo), and a director connecting to its VIP gets replies that loop back to it, so these connections fail or never balance.`;
    const named = hosts.find((h) => h.name.text === value);
    if (named) {
      ctx.report({ span: entry.value.span, message: t`Client '${value}' is ${hostWhat(named)} of this cluster: ${why}` });
      return;
    }
    const cidr = parseCidr(value);
    if (!cidr) return;
    const inside = hosts.filter((h) => hostAddresses(h).some((a) => (value.includes('/') ? inCidr(a, cidr) : a === cidr.address)));
    if (inside.length === 0) return;
    const names = inside.map((h) => hostWhat(h));
    const what = value.includes('/') ? t`Client range ${value} contains ${quoteList(names)}` : t`Client ${value} is the address of ${names[0]}`;
    ctx.report({ span: entry.value.span, message: t`${what}: ${why}` });
  },
});
