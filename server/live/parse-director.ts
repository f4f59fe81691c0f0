// A director's read (read-scripts.ts) as data: keepalived's pid and JSON state, the addresses
// held, the IPVS table (/proc/net/ip_vs, hexadecimal), the kernel's rate estimates and the
// timeouts. Remote output is untrusted: anything malformed is skipped, never thrown.
import { markedLines } from '../deploy/remote';
import { KEEPALIVED_JSON, OVERRIDES_FILE } from './read-scripts';
import type { IpvsTimeouts, VrrpState } from '../protocol/live-snapshot';

export interface IpvsDest {
  address: string;
  port: number;
  forward: 'route' | 'masq' | 'tunnel' | 'other';
  weight: number;
  active: number;
  inactive: number;
  /** Kernel estimates, per second. */
  cps: number;
  inPps: number;
  inBps: number;
}

export interface IpvsVirtual {
  protocol: 'tcp' | 'udp';
  vip: string;
  port: number;
  scheduler: string;
  persistence?: number;
  dests: IpvsDest[];
}

export interface VrrpInstance {
  name: string;
  state: VrrpState;
  priority: number;
}

export interface DirectorRead {
  keepalivedPid?: number;
  /** `keepalived --signum=JSON`; null when the build has no JSON. */
  jsonSignal?: number | null;
  /** The instances of keepalived's JSON dump, when there was one. */
  vrrp?: VrrpInstance[];
  /** Every address on the host (without prefix). */
  addresses: string[];
  ipvs: IpvsVirtual[];
  timeouts?: { tcp: number; tcpFin: number; udp: number };
  /** The kernel's rate estimates, when this read had them (`proto vip:port real:port`). */
  rates?: Map<string, { cps: number; inPps: number; inBps: number }>;
  /** The drains recorded on this director (read-scripts.ts OVERRIDES_FILE). */
  overrides: DrainRecord[];
}

export interface DrainRecord {
  server: string;
  address: string;
  since: string;
}

/** `drain NAME ADDRESS SINCE` lines; anything else is ignored. */
export function parseOverrides(lines: string[]): DrainRecord[] {
  const out: DrainRecord[] = [];
  for (const l of lines) {
    const m = /^drain ([A-Za-z0-9_.-]{1,64}) ([0-9A-Fa-f:.]{2,45}) (\d{4}-\d\d-\d\dT[0-9:.]+Z)$/.exec(l.trim());
    if (m) out.push({ server: m[1], address: m[2], since: m[3] });
  }
  return out;
}

function hexV4(h: string): string | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(h)) return undefined;
  return [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16)).join('.');
}

/** `C0A89364:0050` or `[2001:db8::1]:0050` → address and port. */
function hexEndpoint(s: string): { address: string; port: number } | undefined {
  const i = s.lastIndexOf(':');
  if (i < 0) return undefined;
  const port = parseInt(s.slice(i + 1), 16);
  const a = s.slice(0, i);
  const address = a.startsWith('[') ? a.slice(1, -1) : hexV4(a);
  return address && Number.isInteger(port) ? { address, port } : undefined;
}

const FORWARD: Record<string, IpvsDest['forward']> = { Route: 'route', Masq: 'masq', Tunnel: 'tunnel' };

/** /proc/net/ip_vs: `TCP  C0A89364:0050 rr persistent 360` then `  -> C0A89304:0050 Route 1 0 3`. */
export function parseProcIpvs(lines: string[]): IpvsVirtual[] {
  const out: IpvsVirtual[] = [];
  let cur: IpvsVirtual | undefined;
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if ((f[0] === 'TCP' || f[0] === 'UDP') && f.length >= 3) {
      const ep = hexEndpoint(f[1]);
      cur = undefined;
      if (!ep) continue;
      const pi = f.indexOf('persistent');
      cur = { protocol: f[0] === 'TCP' ? 'tcp' : 'udp', vip: ep.address, port: ep.port, scheduler: f[2], dests: [] };
      if (pi > 0 && /^\d+$/.test(f[pi + 1] ?? '')) cur.persistence = Number(f[pi + 1]);
      out.push(cur);
    } else if (f[0] === '->' && cur && f.length >= 6 && f[1] !== 'RemoteAddress:Port') {
      const ep = hexEndpoint(f[1]);
      const [w, a, i] = [Number(f[3]), Number(f[4]), Number(f[5])];
      if (!ep || ![w, a, i].every(Number.isFinite)) continue;
      cur.dests.push({ ...ep, forward: FORWARD[f[2]] ?? 'other', weight: w, active: a, inactive: i, cps: 0, inPps: 0, inBps: 0 });
    } else if (f[0] === 'FWM') {
      cur = undefined; // fwmark services are not the file's (yet); their reals are skipped
    }
  }
  return out;
}

/** `ipvsadm -Ln --rate --exact`: CPS, InPPS, OutPPS, InBPS, OutBPS per service and real. */
export function parseRates(lines: string[]): Map<string, { cps: number; inPps: number; inBps: number }> {
  const rates = new Map<string, { cps: number; inPps: number; inBps: number }>();
  let svc = '';
  const endpoint = (s: string) => s.replace(/^\[(.*)\](:\d+)$/, '$1$2');
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    const nums = f.slice(2, 7).map(Number);
    if (f.length < 7 || !nums.every(Number.isFinite)) continue;
    const v = { cps: nums[0], inPps: nums[1], inBps: nums[3] };
    if (f[0] === 'TCP' || f[0] === 'UDP') svc = `${f[0].toLowerCase()} ${endpoint(f[1])}`;
    else if (f[0] === '->' && svc) rates.set(`${svc} ${endpoint(f[1])}`, v);
  }
  return rates;
}

const STATES: Record<number, VrrpState> = { 0: 'UNKNOWN', 1: 'BACKUP', 2: 'MASTER', 3: 'FAULT' };

/** keepalived's JSON dump: `[{"data": {"iname", "state", "effective_priority", …}, "stats": …}]`. */
export function parseKeepalivedJson(text: string): VrrpInstance[] | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined; // absent, or caught while keepalived was writing it
  }
  if (!Array.isArray(doc)) return undefined;
  const out: VrrpInstance[] = [];
  for (const item of doc) {
    const d = (item as { data?: Record<string, unknown> } | null)?.data;
    if (!d || typeof d !== 'object') continue;
    const state = typeof d.state === 'number' ? STATES[d.state] ?? 'UNKNOWN' : 'UNKNOWN';
    const prio = typeof d.effective_priority === 'number' ? d.effective_priority : typeof d.base_priority === 'number' ? d.base_priority : NaN;
    out.push({ name: String(d.iname ?? ''), state, priority: prio });
  }
  return out;
}

/** Puts the rates on the read's IPVS destinations. */
export function applyRates(read: DirectorRead, rates: NonNullable<DirectorRead['rates']>): void {
  for (const v of read.ipvs) {
    for (const d of v.dests) {
      const r = rates.get(`${v.protocol} ${v.vip}:${v.port} ${d.address}:${d.port}`);
      if (r) Object.assign(d, r);
    }
  }
}

export function parseTimeouts(lines: string[]): IpvsTimeouts | undefined {
  for (const l of lines) {
    const m = /Timeout \(tcp tcpfin udp\):\s*(\d+)\s+(\d+)\s+(\d+)/.exec(l);
    if (m) return { tcp: Number(m[1]), tcpFin: Number(m[2]), udp: Number(m[3]) };
  }
  return undefined;
}

/** Addresses of `ip -o addr show` lines (`2: vec0    inet 192.168.147.6/24 …`). */
export function parseAddresses(lines: string[]): Array<{ dev: string; address: string; prefix: number }> {
  const out: Array<{ dev: string; address: string; prefix: number }> = [];
  for (const l of lines) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+inet6?\s+([0-9A-Fa-f:.]+)\/(\d+)/.exec(l);
    if (m) out.push({ dev: m[1], address: m[2], prefix: Number(m[3]) });
  }
  return out;
}

/** `head -v` output: the lines of each file after its `==> FILE <==` line. */
export function splitHeadFiles(lines: string[]): Map<string, string[]> {
  const files = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const l of lines) {
    const m = /^==> (.+) <==$/.exec(l);
    if (m) files.set(m[1], (cur = []));
    else cur?.push(l);
  }
  return files;
}

/** Local IPv4 addresses from /proc/net/fib_trie: a leaf `|-- A.B.C.D` followed by `/32 host LOCAL`. */
export function parseFibTrieLocal(lines: string[]): string[] {
  const out = new Set<string>();
  let last = '';
  for (const l of lines) {
    const leaf = /\|-- (\d+\.\d+\.\d+\.\d+)\s*$/.exec(l);
    if (leaf) last = leaf[1];
    else if (/\/32 host LOCAL/.test(l) && last) out.add(last);
  }
  return [...out];
}

/** /proc/net/if_inet6 (`20010db8000000000000000000000001 02 40 00 80 eth0`) → addresses in RFC 5952 form. */
export function parseIfInet6(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const hex = l.trim().split(/\s+/)[0] ?? '';
    if (!/^[0-9a-f]{32}$/i.test(hex)) continue;
    const groups = hex.match(/.{4}/g)!.map((g) => parseInt(g, 16).toString(16));
    // The longest run (≥ 2) of zero groups becomes `::`.
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; i++) {
      let j = i;
      while (j < 8 && groups[j] === '0') j++;
      if (j - i > bestLen) [best, bestLen] = [i, j - i];
    }
    out.push(best < 0 ? groups.join(':') : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`);
  }
  return out;
}

export function parseDirectorRead(out: string): DirectorRead {
  const sections = new Map(markedLines(out).map((s) => [s.words[0], s.body] as const));
  // The reader (directorLoopScript) prints the files with head, each after a `==> FILE <==` line.
  const files = splitHeadFiles(sections.get('files') ?? []);
  const pidText = (sections.get('keepalived') ?? [])[0]?.trim() ?? 'none';
  const read: DirectorRead = {
    keepalivedPid: /^\d+$/.test(pidText) ? Number(pidText) : undefined,
    addresses: [...parseFibTrieLocal(files.get('/proc/net/fib_trie') ?? []), ...parseIfInet6(files.get('/proc/net/if_inet6') ?? [])],
    ipvs: parseProcIpvs(files.get('/proc/net/ip_vs') ?? []),
    overrides: parseOverrides(files.get(OVERRIDES_FILE) ?? []),
  };
  const signum = sections.get('signum');
  if (signum) {
    const s = signum[0]?.trim() ?? '';
    read.jsonSignal = /^\d+$/.test(s) ? Number(s) : null;
  }
  const json = files.get(KEEPALIVED_JSON);
  if (json && json.join('').trim()) read.vrrp = parseKeepalivedJson(json.join('\n'));
  const rate = sections.get('rate');
  if (rate) {
    read.rates = parseRates(rate);
    applyRates(read, read.rates);
  }
  const t = sections.get('timeout');
  if (t) read.timeouts = parseTimeouts(t);
  return read;
}
