// Hover: docs for keywords and values; for addresses, who owns them and which subnet they are in.
import { Hover, MarkupKind, Position } from 'vscode-languageserver';
import { IToken } from 'chevrotain';
import { formatIpv4, formatIpv6, inCidr, inCidr6, parseCidr6, parseIpv4, parseIpv6 } from '../language/values';
import { Analysis } from './analysis';
import { KEYWORD_RULES, KEYWORD_SECTIONS, LANGUAGE_DOC_URL, RULES_DOC_URL } from './docs-links';
import { docText, ENUMERATIONS, KEYWORD_DOCS, TIMEOUT_DOCS, VALUE_DOCS, valueDoc } from './keyword-docs';
import { t } from '../shared/l10n/message';
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
  if (isKeyword && Object.prototype.hasOwnProperty.call(KEYWORD_DOCS, word)) return md(keywordHover(word, locale));
  // A value is described by the keyword it follows (`check tcp` is not `protocol tcp`).
  const value = index > 0 ? valueDoc(a.parse.tokens[index - 1].image, word) : undefined;
  if (value) return md(`**${word}** — ${docText(value.doc ?? value.summary, locale)}`);
  // `tcp`, `tcp-fin`, `udp` inside a `timeouts` block.
  if (Object.prototype.hasOwnProperty.call(TIMEOUT_DOCS, word)
    && a.model.clusters.some((cm) => cm.cluster.timeouts && offset >= cm.cluster.timeouts.span.start && offset <= cm.cluster.timeouts.span.end)) {
    return md(`**${word}** — ${docText(TIMEOUT_DOCS[word].doc, locale)}`);
  }
  for (const cm of a.model.clusters) {
    const host = cm.directors.get(word) ?? cm.servers.get(word);
    if (host && offset >= cm.cluster.span.start && offset <= cm.cluster.span.end) {
      const services = cm.usedBy.get(word)?.map((s) => s.name.text) ?? [];
      const l = (m: Parameters<typeof localize>[0]) => localize(m, locale);
      return md([
        `**${l(host.kind === 'director' ? t`director ${word}` : t`server ${word}`)}**`,
        host.address ? `address ${host.address.value}` : host.address6 ? '' : l(t`no address`),
        host.address6 ? `IPv6 address ${host.address6.value}` : '',
        host.iface ? `interface ${host.iface.value}` : '',
        host.kind === 'director' && host.role ? `role ${host.role.value}${host.priority ? `, priority ${host.priority.value}` : ''}` : '',
        services.length ? l(t`serves ${services.join(', ')}`) : '',
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
export function keywordHover(word: string, locale: Locale = 'en'): string {
  const parts = [`**${word}** — ${docText(KEYWORD_DOCS[word].doc, locale)}`];
  const values = Object.prototype.hasOwnProperty.call(VALUES_OF, word) ? VALUES_OF[word] : undefined;
  if (values) parts.push([localize(t`Values:`, locale), ...ENUMERATIONS[values].map((v) => `- \`${v}\` — ${docText(VALUE_DOCS[values][v].summary, locale)}`)].join('\n'));
  const links: string[] = [];
  if (Object.prototype.hasOwnProperty.call(KEYWORD_SECTIONS, word)) links.push(`[${localize(t`Language reference`, locale)}](${LANGUAGE_DOC_URL}#${KEYWORD_SECTIONS[word]})`);
  const rules = Object.prototype.hasOwnProperty.call(KEYWORD_RULES, word) ? KEYWORD_RULES[word] : [];
  if (rules.length) links.push(`${localize(t`rules`, locale)} ${rules.map((r) => `[${r}](${RULES_DOC_URL}#${r.toLowerCase()})`).join(', ')}`);
  if (links.length) parts.push(links.join(' · '));
  return parts.join('\n\n');
}

/** An IPv6 address: its owners, and where it is against the cluster's IPv6 network. */
function describeAddress6(a: Analysis, text: string, locale: Locale): string {
  const [addrText, prefixText] = text.split('/');
  const address = parseIpv6(addrText);
  if (address === undefined) return localize(t`\`${text}\` is not a valid IPv6 address.`, locale);
  const canonical = formatIpv6(address);
  const lines: string[] = [];
  for (const cm of a.model.clusters) {
    const owners = cm.addresses6.filter((o) => o.address === address).map((o) => localize(o.what, locale));
    if (owners.length) lines.push(`**${canonical}** — ${[...new Set(owners)].join(', ')} (${localize(t`cluster ${cm.cluster.name.text}`, locale)})`);
    const n = cm.network6;
    if (n && prefixText === undefined) {
      const net = `${formatIpv6(n.network)}/${n.prefix}`;
      lines.push(localize(inCidr6(address, n)
        ? (address === n.network ? t`in ${net} — this is its subnet-router anycast address (all-zero host part)` : t`in ${net}`)
        : t`outside the cluster's IPv6 network ${net}`, locale));
    }
    if (prefixText !== undefined && cm.cluster.network6?.value === text && n) {
      lines.push(localize(t`IPv6 network ${formatIpv6(n.network)}/${n.prefix}: 2^${128 - n.prefix} addresses`, locale));
    }
  }
  if (lines.length === 0 && prefixText !== undefined && parseCidr6(text)) lines.push(`**${formatIpv6(address)}/${prefixText}**`);
  return lines.length ? [...new Set(lines)].join('  \n') : `**${canonical}** (IPv6)`;
}

function describeAddress(a: Analysis, text: string, locale: Locale): string {
  const [addrText, prefixText] = text.split('/');
  const address = parseIpv4(addrText);
  if (address === undefined) return localize(t`\`${text}\` is not a valid IPv4 address.`, locale);
  const lines: string[] = [];
  for (const cm of a.model.clusters) {
    const owners = cm.addresses.filter((o) => o.address === address).map((o) => localize(o.what, locale));
    if (owners.length) lines.push(`**${addrText}** — ${[...new Set(owners)].join(', ')} (${localize(t`cluster ${cm.cluster.name.text}`, locale)})`);
    if (cm.network && prefixText === undefined) {
      const n = cm.network;
      const net = `${formatIpv4(n.network)}/${n.prefix}`;
      const inside = address === n.network || address === n.broadcast
        ? t`in ${net} (network ${formatIpv4(n.network)}, broadcast ${formatIpv4(n.broadcast)}) — this is the network/broadcast address itself`
        : t`in ${net} (network ${formatIpv4(n.network)}, broadcast ${formatIpv4(n.broadcast)})`;
      lines.push(localize(inCidr(address, n) ? inside : t`outside the cluster network ${net}`, locale));
    }
    if (prefixText !== undefined && cm.cluster.network?.value === text) {
      const n = cm.network!;
      lines.push(localize(t`network ${formatIpv4(n.network)}/${n.prefix}: ${2 ** (32 - n.prefix)} addresses, broadcast ${formatIpv4(n.broadcast)}`, locale));
    }
  }
  return lines.length ? [...new Set(lines)].join('  \n') : `**${text}**`;
}
