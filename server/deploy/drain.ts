// Gentle removal of real servers. Before any host changes, a real server that the new file no
// longer balances (removed from a service, or its service gone) is drained on every director
// that still has it: weight 0 (no new connections), then wait until its active connections
// reach 0 or the drain timeout passes. apply.sh (or keepalived's reload) removes it afterwards.
// A rollback puts the old weight back.
import { DeployError } from './errors';
import { assertNoProblems, endpointProblems, serviceKeyProblems } from './guard';
import { sq } from '../shared/shell-quote';
import { failureText, RemoteHost } from './remote';
import { t } from '../shared/l10n/message';

export interface LiveDest {
  key: string;
  real: string;
  weight: number;
}

export interface DrainItem extends LiveDest {
  /** Directors whose table has this destination. */
  directors: string[];
}

/** `-a -t 192.168.147.100:80 -r 192.168.147.4:80 -g -w 1` → destination. */
export function parseSaveLine(line: string): LiveDest | undefined {
  const f = line.trim().split(/\s+/);
  if (f[0] !== '-a' || (f[1] !== '-t' && f[1] !== '-u') || f[3] !== '-r' || !f[4]) return undefined;
  const wi = f.indexOf('-w');
  const weight = wi > 0 ? Number(f[wi + 1]) : 1;
  return { key: `${f[1]} ${f[2]}`, real: f[4], weight: Number.isFinite(weight) ? weight : 1 };
}

/**
 * Destinations to drain: live on a director, on one of the cluster's VIPs, and not wanted by
 * the new configuration (service gone, or real server gone from it).
 */
export function drainsFor(
  live: Map<string, string[]>,
  wanted: Array<{ key: string; reals: string[] }>,
  vips: string[],
): DrainItem[] {
  const want = new Set(wanted.flatMap((s) => s.reals.map((r) => `${s.key} ${r}`)));
  const items = new Map<string, DrainItem>();
  for (const [director, lines] of live) {
    for (const line of lines) {
      const d = parseSaveLine(line);
      if (!d) continue;
      const vip = d.key.slice(3).split(':')[0];
      if (!vips.includes(vip) || want.has(`${d.key} ${d.real}`)) continue;
      const id = `${d.key} ${d.real}`;
      const item = items.get(id) ?? { ...d, directors: [] };
      if (d.weight > item.weight) item.weight = d.weight;
      item.directors.push(director);
      items.set(id, item);
    }
  }
  return [...items.values()];
}

function destArgs(key: string, real: string): string {
  assertNoProblems([...serviceKeyProblems(key), ...endpointProblems(real, t`real server`)]);
  const [flag, addr] = key.split(' ');
  return `${flag} ${sq(addr)} -r ${sq(real)}`;
}

export function setWeightScript(items: Array<{ key: string; real: string; weight: number }>): string {
  return items.map((i) => {
    const args = destArgs(i.key, i.real);
    const [flag, addr] = i.key.split(' ');
    return `if ipvsadm -L -n ${flag} ${sq(addr)} 2>/dev/null | grep -qF -- ${sq(` ${i.real} `)}; then ipvsadm -e ${args} -g -w ${sq(i.weight)}; fi`;
  }).join('\n') || ':';
}

/** Active connections per `key real` on one director (`ipvsadm -L -n` of each service). */
export function activeScript(items: Array<{ key: string }>): string {
  const keys = [...new Set(items.map((i) => i.key))];
  return keys.map((k) => {
    assertNoProblems(serviceKeyProblems(k));
    const [flag, addr] = k.split(' ');
    return `echo ${sq(`@@SVC ${k}`)}; ipvsadm -L -n ${flag} ${sq(addr)} 2>/dev/null || true`;
  }).join('\n') || ':';
}

export function parseActive(out: string): Map<string, number> {
  const res = new Map<string, number>();
  let key = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('@@SVC ')) {
      key = line.slice(6).trim();
      continue;
    }
    const f = line.trim().split(/\s+/);
    if (f[0] === '->' && f.length >= 6 && /^\d+$/.test(f[4])) res.set(`${key} ${f[1]}`, Number(f[4]));
  }
  return res;
}

export async function setWeights(h: RemoteHost, items: Array<{ key: string; real: string; weight: number }>, timeoutMs?: number): Promise<void> {
  const r = await h.run(setWeightScript(items), timeoutMs);
  if (r.code !== 0) throw new DeployError(h.name, 'drain', t`cannot set weights: ${failureText(r)}`);
}

export async function activeConnections(h: RemoteHost, items: Array<{ key: string }>, timeoutMs?: number): Promise<Map<string, number>> {
  const r = await h.run(activeScript(items), timeoutMs);
  if (r.code !== 0) throw new DeployError(h.name, 'drain', t`cannot read active connections: ${failureText(r)}`);
  return parseActive(r.stdout);
}
