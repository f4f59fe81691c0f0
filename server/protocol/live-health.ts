// A cluster's health in one word, from a live snapshot: what the status bar and `lvsdr status`
// say (all in service, N out, split brain, unreachable). Without valibot, like live-codes.ts.
import { LIVE_CODES } from './live-codes';
import type { LiveSnapshot } from './live-snapshot';

/** The health the status bar shows, in words: all in service, N out, split brain, unreachable. */
export type ClusterHealth =
  | { kind: 'ok'; inService: number }
  | { kind: 'degraded'; out: number; total: number }
  | { kind: 'split-brain'; messages: string[] }
  | { kind: 'unreachable'; hosts: string[] };

/** One summary of a snapshot (shared by the status bar, the hosts view and the CLI's text output). */
export function clusterHealth(s: LiveSnapshot): ClusterHealth {
  const split = s.findings.filter((f) => f.code === LIVE_CODES.splitBrain).map((f) => f.messageLocalized ?? f.message);
  if (split.length > 0) return { kind: 'split-brain', messages: split };
  const down = [...s.directors, ...s.realServers].filter((h) => !h.reachable).map((h) => h.name);
  if (down.length > 0) return { kind: 'unreachable', hosts: down };
  const reals = s.services.flatMap((svc) => svc.reals);
  const out = reals.filter((r) => !r.inService).length;
  return out === 0 ? { kind: 'ok', inService: reals.length } : { kind: 'degraded', out, total: reals.length };
}
