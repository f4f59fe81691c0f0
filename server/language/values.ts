// Parsing of literal values (durations, addresses) shared by the AST builder and the rules.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `5s` → 5000, `500ms` → 500; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2]];
}

/** Milliseconds → the shortest exact spelling (`90000` → `90s`, `60000` → `1m`). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms !== 0 && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** Dotted quad → 32-bit unsigned integer, or undefined if any octet is out of range. */
export function parseIpv4(text: string): number | undefined {
  return ipv4Between(text, 0, text.length);
}

/** parseIpv4 of text.slice(from, to), without the slice. */
function ipv4Between(text: string, from: number, to: number): number | undefined {
  // Four dot-separated runs of 1–3 ASCII digits, each at most 255. A scan rather than
  // split + regex: the rules call this for every address of every host, on every edit.
  let value = 0;
  let octet = 0;
  let digits = 0;
  let parts = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? text.charCodeAt(i) : 46; // the end closes the last part like a dot
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return undefined;
      octet = octet * 10 + (c - 48);
    } else if (c === 46) {
      if (digits === 0 || octet > 255 || ++parts > 4) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else return undefined;
  }
  return parts === 4 ? value : undefined;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export interface Cidr {
  /** The address as written (host bits may be set). */
  address: number;
  prefix: number;
  /** Network address (host bits cleared). */
  network: number;
  broadcast: number;
}

/** `192.168.147.0/24` → Cidr; a bare address gets /32. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash >= 0 && text.indexOf('/', slash + 1) >= 0) return undefined;
  const address = ipv4Between(text, 0, slash < 0 ? text.length : slash);
  const prefix = slash < 0 ? 32 : Number(text.slice(slash + 1));
  if (address === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefixMask(prefix);
  const network = (address & mask) >>> 0;
  const broadcast = (network | (~mask >>> 0)) >>> 0;
  return { address, prefix, network, broadcast };
}

export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Dotted netmask → prefix length, or undefined when the mask is not contiguous. */
export function netmaskToPrefix(text: string): number | undefined {
  const value = parseIpv4(text);
  if (value === undefined) return undefined;
  for (let prefix = 0; prefix <= 32; prefix++) if (prefixMask(prefix) === value) return prefix;
  return undefined;
}

export function inCidr(address: number, cidr: Cidr): boolean {
  return (address & prefixMask(cidr.prefix)) >>> 0 === cidr.network;
}

/** Removes the quotes and backslash escapes of a string literal. */
export function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

// ---- IPv6 ----------------------------------------------------------------------------------

/** Which family an address text is of: a colon makes it IPv6 (the lexer's Ipv6 shape). */
export function addressFamily(text: string): 4 | 6 {
  return text.includes(':') ? 6 : 4;
}

/** RFC 4291 text (hex groups, `::` at most once, no embedded IPv4) → 128-bit value, or undefined. */
export function parseIpv6(text: string): bigint | undefined {
  const double = text.indexOf('::');
  if (double >= 0 && text.indexOf('::', double + 1) >= 0) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (double < 0) {
    const all = groupsOf(text);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  } else {
    const head = groupsOf(text.slice(0, double));
    const tail = groupsOf(text.slice(double + 2));
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

/** The RFC 5952 spelling: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

export interface Cidr6 {
  /** The address as written (host bits may be set). */
  address: bigint;
  prefix: number;
  /** Network address (host bits cleared): the subnet-router anycast address of RFC 4291. */
  network: bigint;
}

const ALL128 = (1n << 128n) - 1n;

function mask6(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL128 << BigInt(128 - prefix)) & ALL128;
}

/** `2001:db8::/64` → Cidr6; a bare address gets /128. */
export function parseCidr6(text: string): Cidr6 | undefined {
  const slash = text.indexOf('/');
  if (slash >= 0 && text.indexOf('/', slash + 1) >= 0) return undefined;
  const address = parseIpv6(slash < 0 ? text : text.slice(0, slash));
  const prefixText = slash < 0 ? '128' : text.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (address === undefined || !(prefix >= 0 && prefix <= 128)) return undefined;
  return { address, prefix, network: address & mask6(prefix) };
}

export function inCidr6(address: bigint, cidr: Cidr6): boolean {
  return (address & mask6(cidr.prefix)) === cidr.network;
}

/** The address of `ADDR` or `ADDR/N` of either family as one comparable key (`4:…`, `6:…`), or undefined. */
export function addressKey(text: string): string | undefined {
  const bare = text.split('/')[0];
  if (addressFamily(bare) === 6) {
    const v = parseIpv6(bare);
    return v === undefined ? undefined : `6:${v.toString(16)}`;
  }
  const v = parseIpv4(bare);
  return v === undefined ? undefined : `4:${v}`;
}
