// LVS012: an IPv4 address or prefix that does not exist (an octet above 255, a prefix above /32).
// The lexer reads any four dot-separated runs of up to three digits as an address, so that a
// typo such as 192.168.147.300 is one token with a clear message here instead of a syntax error;
// every other rule skips an address it cannot parse, so without this one the typo would pass.
import * as A from '../../language/ast';
import { parseCidr, parseIpv4 } from '../../language/values';
import { defineRule, RuleContext } from '../types';

/** The shape of the lexer's Ipv4 token: a name (a VIP's or a server's) never has it. */
const ADDRESS_SHAPE = /^\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?$/;

function checkAddress(prop: A.Prop<string> | undefined, what: string, ctx: RuleContext, prefixAllowed: boolean): void {
  if (!prop || !ADDRESS_SHAPE.test(prop.value)) return;
  const hasPrefix = prop.value.includes('/');
  if (hasPrefix ? parseCidr(prop.value) !== undefined : parseIpv4(prop.value) !== undefined) {
    if (hasPrefix && !prefixAllowed) ctx.report({ span: prop.span, message: `${what} ${prop.value} takes no prefix: write the address alone.` });
    return;
  }
  const [address, prefix] = prop.value.split('/');
  const why = parseIpv4(address) === undefined
    ? `${address} is not an IPv4 address: each of its four parts must be 0–255`
    : `/${prefix} is not an IPv4 prefix length: it must be 0–32`;
  ctx.report({ span: prop.span, message: `${what} ${prop.value}: ${why}. Every other check skips a value it cannot read, so this one must be fixed first.` });
}

export const lvs012 = defineRule({
  code: 'LVS012',
  severity: 'error',
  title: 'Not an IPv4 address or prefix (an octet above 255, a prefix above /32)',
  nodeKinds: ['cluster', 'director', 'server', 'service'],
  check(node, ctx) {
    switch (node.kind) {
      case 'cluster':
        checkAddress(node.network, 'The cluster network', ctx, true);
        checkAddress(node.gateway, 'The cluster gateway', ctx, false);
        for (const vip of node.vips) checkAddress(vip.address, 'The VIP', ctx, true);
        for (const c of node.clients) checkAddress(c.value, 'The client', ctx, true);
        return;
      case 'director':
      case 'server': {
        const who = `${node.kind} ${node.name.text}`;
        checkAddress(node.address, `The address of ${who}`, ctx, false);
        checkAddress(node.gateway, `The gateway of ${who}`, ctx, false);
        for (const l of node.links) checkAddress(l.address, `The link ${l.iface.value} of ${who}`, ctx, true);
        if (node.kind === 'server') for (const v of node.vipOn) checkAddress(v.vip, `The VIP of ${who}'s ${v.label.value}`, ctx, false);
        return;
      }
      case 'service':
        checkAddress(node.vip, `The VIP of service ${node.name.text}`, ctx, false);
        checkAddress(node.persistence?.value.netmask, `The persistence netmask of service ${node.name.text}`, ctx, false);
        return;
    }
  },
});
