// LVS012: an address or prefix that does not exist (an IPv4 octet above 255, a prefix above /32;
// an IPv6 text with more than eight groups or two `::`, a prefix above /128).
// The lexer reads any four dot-separated runs of up to three digits as an address, so that a
// typo such as 192.168.147.300 is one token with a clear message here instead of a syntax error;
// every other rule skips an address it cannot parse, so without this one the typo would pass.
import { hostWhat } from './util-addressing';
import { Msg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { parseCidr, parseCidr6, parseIpv4, parseIpv6 } from '../../language/values';
import { defineRule, RuleContext } from '../types';

/** The shape of the lexer's Ipv4 token: a name (a VIP's or a server's) never has it. */
const ADDRESS_SHAPE = /^\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?$/;

/** The shape of the lexer's Ipv6 token. */
const ADDRESS6_SHAPE = /^[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}(?:\/\d{1,3})?$/;

function checkAddress6(prop: A.Prop<string>, what: Msg, ctx: RuleContext, prefixAllowed: boolean): void {
  const hasPrefix = prop.value.includes('/');
  if (hasPrefix ? parseCidr6(prop.value) !== undefined : parseIpv6(prop.value) !== undefined) {
    if (hasPrefix && !prefixAllowed) ctx.report({ span: prop.span, message: t`${what} ${prop.value} takes no prefix: write the address alone.` });
    return;
  }
  const [address, prefix] = prop.value.split('/');
  const why = parseIpv6(address) === undefined
    ? t`${address} is not an IPv6 address: it takes eight groups of up to four hex digits, or fewer with one '::' standing for the zero groups`
    : t`/${prefix} is not an IPv6 prefix length: it must be 0–128`;
  ctx.report({ span: prop.span, message: t`${what} ${prop.value}: ${why}. Every other check skips a value it cannot read, so this one must be fixed first.` });
}

function checkAddress(prop: A.Prop<string> | undefined, what: Msg, ctx: RuleContext, prefixAllowed: boolean): void {
  if (prop && ADDRESS6_SHAPE.test(prop.value)) checkAddress6(prop, what, ctx, prefixAllowed);
  if (!prop || !ADDRESS_SHAPE.test(prop.value)) return;
  const hasPrefix = prop.value.includes('/');
  if (hasPrefix ? parseCidr(prop.value) !== undefined : parseIpv4(prop.value) !== undefined) {
    if (hasPrefix && !prefixAllowed) ctx.report({ span: prop.span, message: t`${what} ${prop.value} takes no prefix: write the address alone.` });
    return;
  }
  const [address, prefix] = prop.value.split('/');
  const why = parseIpv4(address) === undefined
    ? t`${address} is not an IPv4 address: each of its four parts must be 0–255`
    : t`/${prefix} is not an IPv4 prefix length: it must be 0–32`;
  ctx.report({ span: prop.span, message: t`${what} ${prop.value}: ${why}. Every other check skips a value it cannot read, so this one must be fixed first.` });
}

export const lvs012 = defineRule({
  code: 'LVS012',
  severity: 'error',
  title: 'Not an address or prefix (an IPv4 octet above 255, a prefix above /32 or /128, a malformed IPv6 text)',
  nodeKinds: ['cluster', 'director', 'server', 'service'],
  check(node, ctx) {
    switch (node.kind) {
      case 'cluster':
        checkAddress(node.network, t`The cluster network`, ctx, true);
        checkAddress(node.gateway, t`The cluster gateway`, ctx, false);
        checkAddress(node.network6, t`The cluster network`, ctx, true);
        checkAddress(node.gateway6, t`The cluster gateway`, ctx, false);
        for (const vip of node.vips) checkAddress(vip.address, t`The VIP`, ctx, true);
        for (const c of node.clients) checkAddress(c.value, t`The client`, ctx, true);
        return;
      case 'director':
      case 'server': {
        const who = hostWhat(node);
        checkAddress(node.address, t`The address of ${who}`, ctx, false);
        checkAddress(node.gateway, t`The gateway of ${who}`, ctx, false);
        checkAddress(node.address6, t`The address of ${who}`, ctx, false);
        checkAddress(node.gateway6, t`The gateway of ${who}`, ctx, false);
        for (const l of node.links) checkAddress(l.address, t`The link ${l.iface.value} of ${who}`, ctx, true);
        if (node.kind === 'server') for (const v of node.vipOn) checkAddress(v.vip, t`The VIP on ${v.label.value} of ${who}`, ctx, false);
        return;
      }
      case 'service':
        checkAddress(node.vip, t`The VIP of service ${node.name.text}`, ctx, false);
        checkAddress(node.persistence?.value.netmask, t`The persistence netmask of service ${node.name.text}`, ctx, false);
        return;
    }
  },
});
