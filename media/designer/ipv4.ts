// IPv4 helpers for the webview's own validation (the server validates again).
export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export interface Cidr {
  base: number;
  prefix: number;
  text: string;
}

export function parseCidr(text: string | undefined): Cidr | undefined {
  if (!text) return undefined;
  const m = /^(.+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const addr = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (addr === undefined || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (addr & mask) >>> 0, prefix, text: text.trim() };
}

export function inCidr(addr: number, cidr: Cidr): boolean {
  const mask = cidr.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.prefix)) >>> 0;
  return ((addr & mask) >>> 0) === cidr.base;
}

/** Network and broadcast addresses cannot be hosts (prefixes up to /30). */
export function isHostAddress(addr: number, cidr: Cidr): boolean {
  if (cidr.prefix >= 31) return true;
  const mask = (0xffffffff << (32 - cidr.prefix)) >>> 0;
  const host = (addr & ~mask) >>> 0;
  return host !== 0 && host !== (~mask >>> 0);
}
