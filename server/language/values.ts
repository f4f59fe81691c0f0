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
