// Hover: docs for keywords and values; for addresses, who owns them and which subnet they are in.
import { Hover, MarkupKind, Position } from 'vscode-languageserver';
import { IToken } from 'chevrotain';
import { formatIpv4, formatIpv6, inCidr, inCidr6, parseCidr6, parseIpv4, parseIpv6 } from '../language/values';
import { Analysis } from './analysis';
import { KEYWORD_RULES, KEYWORD_SECTIONS, LANGUAGE_DOC_URL, RULES_DOC_URL } from './docs-links';
import { ENUMERATIONS, KEYWORD_DOCS, TIMEOUT_DOCS, VALUE_DOCS, valueDoc } from './keyword-docs';
import { toRange } from './positions';
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';

function tokenIndexAt(tokens: IToken[], offset: number): number {
  return tokens.findIndex((t) => offset >= t.startOffset && offset <= (t.endOffset ?? t.startOffset) + 1);
}

export function hover(a: Analysis, position: Position, locale: Locale = 'en'): Hover | null {
  const offset = a.doc.offsetAt(position);
  const index = tokenIndexAt(a.parse.tokens, offset);
  if (index < 0) return null;
  const tok = a.parse.tokens[index];
  const range = toRange(a.doc, { start: tok.startOffset, end: (tok.endOffset ?? tok.startOffset) + 1 });
  const md = (value: string): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range });
  if (tok.tokenType.name === 'Ipv4') return md(describeAddress(a, tok.image, locale));
  if (tok.tokenType.name === 'Ipv6') return md(describeAddress6(a, tok.image, locale));
  const word = tok.image;
  const isKeyword = tok.tokenType.name.endsWith('Kw');
  if (isKeyword && Object.prototype.hasOwnProperty.call(KEYWORD_DOCS, word)) return md(keywordHover(word));
  // A value is described by the keyword it follows (`check tcp` is not `protocol tcp`).
  const value = index > 0 ? valueDoc(a.parse.tokens[index - 1].image, word) : undefined;
  if (value) return md(`**${word}** — ${value.doc ?? value.summary}`);
  // `tcp`, `tcp-fin`, `udp` inside a `timeouts` block.
  if (Object.prototype.hasOwnProperty.call(TIMEOUT_DOCS, word)
    && a.model.clusters.some((cm) => cm.cluster.timeouts && offset >= cm.cluster.timeouts.span.start && offset <= cm.cluster.timeouts.span.end)) {
    return md(`**${word}** — ${TIMEOUT_DOCS[word].doc}`);
  }
  for (const cm of a.model.clusters) {
    const host = cm.directors.get(word) ?? cm.servers.get(word);
    if (host && offset >= cm.cluster.span.start && offset <= cm.cluster.span.end) {
      const services = cm.usedBy.get(word)?.map((s) => s.name.text) ?? [];
      return md([
        `**${host.kind} ${word}**`,
        host.address ? `address ${host.address.value}` : host.address6 ? '' : 'no address',
        host.address6 ? `IPv6 address ${host.address6.value}` : '',
        host.iface ? `interface ${host.iface.value}` : '',
        host.kind === 'director' && host.role ? `role ${host.role.value}${host.priority ? `, priority ${host.priority.value}` : ''}` : '',
        services.length ? `serves ${services.join(', ')}` : '',
      ].filter(Boolean).join('  \n'));
    }
  }
  return null;
}

/** Keywords whose values are an enumeration, and which one (`target os NAME` takes an OS). */
const VALUES_OF: Record<string, keyof typeof VALUE_DOCS> = {
  scheduler: 'scheduler', role: 'role', protocol: 'protocol', check: 'check', 'on-failure': 'on-failure', target: 'os', os: 'os',
};

/** What a keyword means, the values it takes, and where the docs and the rules checking it are. */
export function keywordHover(word: string): string {
  const parts = [`**${word}** — ${KEYWORD_DOCS[word].doc}`];
  const values = Object.prototype.hasOwnProperty.call(VALUES_OF, word) ? VALUES_OF[word] : undefined;
  if (values) parts.push(['Values:', ...ENUMERATIONS[values].map((v) => `- \`${v}\` — ${VALUE_DOCS[values][v].summary}`)].join('\n'));
  const links: string[] = [];
  if (Object.prototype.hasOwnProperty.call(KEYWORD_SECTIONS, word)) links.push(`[Language reference](${LANGUAGE_DOC_URL}#${KEYWORD_SECTIONS[word]})`);
  const rules = Object.prototype.hasOwnProperty.call(KEYWORD_RULES, word) ? KEYWORD_RULES[word] : [];
  if (rules.length) links.push(`rules ${rules.map((r) => `[${r}](${RULES_DOC_URL}#${r.toLowerCase()})`).join(', ')}`);
  if (links.length) parts.push(links.join(' · '));
  return parts.join('\n\n');
}

/** An IPv6 address: its owners, and where it is against the cluster's IPv6 network. */
function describeAddress6(a: Analysis, text: string, locale: Locale): string {
  const [addrText, prefixText] = text.split('/');
  const address = parseIpv6(addrText);
  if (address === undefined) return `\`${text}\` is not a valid IPv6 address.`;
  const canonical = formatIpv6(address);
  const lines: string[] = [];
  for (const cm of a.model.clusters) {
    const owners = cm.addresses6.filter((o) => o.address === address).map((o) => localize(o.what, locale));
    if (owners.length) lines.push(`**${canonical}** — ${[...new Set(owners)].join(', ')} (cluster ${cm.cluster.name.text})`);
    const n = cm.network6;
    if (n && prefixText === undefined) {
      lines.push(inCidr6(address, n)
        ? `in ${formatIpv6(n.network)}/${n.prefix}${address === n.network ? ' — this is its subnet-router anycast address (all-zero host part)' : ''}`
        : `outside the cluster's IPv6 network ${formatIpv6(n.network)}/${n.prefix}`);
    }
    if (prefixText !== undefined && cm.cluster.network6?.value === text && n) {
      lines.push(`IPv6 network ${formatIpv6(n.network)}/${n.prefix}: 2^${128 - n.prefix} addresses`);
    }
  }
  if (lines.length === 0 && prefixText !== undefined && parseCidr6(text)) lines.push(`**${formatIpv6(address)}/${prefixText}**`);
  return lines.length ? [...new Set(lines)].join('  \n') : `**${canonical}** (IPv6)`;
}

function describeAddress(a: Analysis, text: string, locale: Locale): string {
  const [addrText, prefixText] = text.split('/');
  const address = parseIpv4(addrText);
  if (address === undefined) return `\`${text}\` is not a valid IPv4 address.`;
  const lines: string[] = [];
  for (const cm of a.model.clusters) {
    const owners = cm.addresses.filter((o) => o.address === address).map((o) => localize(o.what, locale));
    if (owners.length) lines.push(`**${addrText}** — ${[...new Set(owners)].join(', ')} (cluster ${cm.cluster.name.text})`);
    if (cm.network && prefixText === undefined) {
      const n = cm.network;
      lines.push(inCidr(address, n)
        ? `in ${formatIpv4(n.network)}/${n.prefix} (network ${formatIpv4(n.network)}, broadcast ${formatIpv4(n.broadcast)})${address === n.network || address === n.broadcast ? ' — this is the network/broadcast address itself' : ''}`
        : `outside the cluster network ${formatIpv4(n.network)}/${n.prefix}`);
    }
    if (prefixText !== undefined && cm.cluster.network?.value === text) {
      const n = cm.network!;
      lines.push(`network ${formatIpv4(n.network)}/${n.prefix}: ${2 ** (32 - n.prefix)} addresses, broadcast ${formatIpv4(n.broadcast)}`);
    }
  }
  return lines.length ? [...new Set(lines)].join('  \n') : `**${text}**`;
}
