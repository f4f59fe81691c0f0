// Small helpers shared by the addressing rules (LVS010–LVS052).
import * as A from '../../language/ast';
export { editDistance } from '../../language/edit-distance';
import { Cidr, Cidr6, formatIpv4, formatIpv6, parseCidr, parseIpv4, parseIpv6 } from '../../language/values';
import { ClusterModel } from '../../model/topology';
import { Fix } from '../types';
import { Msg, t } from '../../shared/l10n/message';

/** The address of a value written as `A.B.C.D` or `A.B.C.D/N` (the prefix is ignored). */
export function addressOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // A plain address needs no Cidr object: rules call this for every host on every edit.
  return text.includes('/') ? parseCidr(text)?.address : parseIpv4(text);
}

/** The IPv6 address of a value written as `ADDR` or `ADDR/N`, or undefined (also for IPv4). */
export function address6Of(text: string | undefined): bigint | undefined {
  if (text === undefined || !text.includes(':')) return undefined;
  return parseIpv6(text.split('/')[0]);
}

/** `2001:db8::/64` for messages. */
export function formatCidr6(cidr: Cidr6): string {
  return `${formatIpv6(cidr.network)}/${cidr.prefix}`;
}

/** `192.168.147.0/24` as written for messages. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** True when the address is the network or broadcast address of a subnet that has both. */
export function isNetworkOrBroadcast(address: number, cidr: Cidr): 'network' | 'broadcast' | undefined {
  if (cidr.prefix >= 31) return undefined; // /31 and /32 have no network or broadcast address
  if (address === cidr.network) return 'network';
  if (address === cidr.broadcast) return 'broadcast';
  return undefined;
}

/** Interface name without its alias suffix: `ens33:1` → `ens33`. */
export function ifaceBase(label: string): string {
  const colon = label.indexOf(':');
  return colon < 0 ? label : label.slice(0, colon);
}

/** True for a loopback label (`lo`, `lo:0`, `lo:vip1`). */
export function isLoopbackLabel(label: string): boolean {
  return ifaceBase(label) === 'lo';
}

/** The host's main interface (the default the sysctl model uses when none is written). */
export function hostIface(host: A.Host): string {
  return host.iface ? ifaceBase(host.iface.value) : 'eth0';
}

/** `director lvs1` / `server web1`. */
export function hostWhat(host: A.Host): Msg {
  return host.kind === 'director' ? t`director ${host.name.text}` : t`server ${host.name.text}`;
}

/** The VIP a `vip NAME|ADDRESS` reference points to. */
export function findVip(model: ClusterModel, ref: string): A.Vip | undefined {
  return model.cluster.vips.find((v) => v.name?.text === ref || v.address.value === ref);
}

/** How a VIP is named in messages and in inserted text (its name if it has one). */
export function vipRef(vip: A.Vip): string {
  return vip.name?.text ?? vip.address.value;
}

/**
 * Edit that adds a property line at the end of a block (`{ ... }`): on a one-line block the
 * text goes after the last item on the same line; on a multi-line block it gets its own line,
 * indented like the line before it.
 */
export function appendToBlock(text: string, body: A.Span, item: string): A.Span & { newText: string } {
  const close = body.end - 1; // the `}`
  let p = close;
  while (p > body.start + 1 && /\s/.test(text[p - 1])) p--;
  const inner = text.slice(body.start, close);
  if (!inner.includes('\n')) return { start: p, end: p, newText: ` ${item}` };
  const lineStart = text.lastIndexOf('\n', close - 1) + 1;
  const closeIndent = text.slice(lineStart, close);
  if (/^[ \t]*$/.test(closeIndent)) {
    // `}` alone on its line: insert a line before it, indented like the previous item line.
    const prevEnd = lineStart - 1;
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    const prevLine = text.slice(prevStart, prevEnd);
    const opensBlock = prevStart <= body.start || prevLine.trim() === '';
    const indent = opensBlock ? `${closeIndent}  ` : (/^[ \t]*/.exec(prevLine)?.[0] ?? `${closeIndent}  `);
    return { start: lineStart, end: lineStart, newText: `${indent}${item}\n` };
  }
  // `}` after the last item on the same line.
  return { start: p, end: p, newText: ` ${item}` };
}

/** A fix that sets a property value to a new text. */
export function replaceFix(title: Msg, span: A.Span, newText: string, preferred = true): Fix {
  return { title, edits: [{ span, newText }], preferred };
}

/** Deletes a span together with the blanks just before it (`lo:0 prefix 24` → `lo:0`). */
export function deleteWithLeadingSpace(text: string, span: A.Span): A.Span {
  let start = span.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { start, end: span.end };
}
