// `lvsdr drift FILE`: compares what the hosts hold now with what the file would generate now,
// and tells, for each difference, whether the host changed since the last deploy (its file is
// not what the journal says was deployed) or the .lvs file changed since (the host still holds
// what was deployed, the file now generates something else). Read-only: no lock, no write.
import { guardTarget } from './guard';
import { deployedState, journalDirFor, readJournals } from './journal';
import { planDeploy } from './engine';
import { ClusterTarget, EngineOptions } from './types';

export type DriftStatus = 'in-sync' | 'missing' | 'differs' | 'mode' | 'leftover';

export interface DriftFile {
  path: string;
  status: DriftStatus;
  remote?: string;
  generated?: string;
  deployed?: string;
  /** Who moved: the host (changed by hand) or the file (not deployed yet). */
  cause?: 'host' | 'file' | 'unknown';
}

export interface DriftResult {
  inSync: boolean;
  /** The deploy the comparison with the journal used. */
  deployId?: string;
  hosts: Array<{ name: string; files: DriftFile[] }>;
}

export async function drift(target: ClusterTarget, opts: EngineOptions = {}): Promise<DriftResult> {
  guardTarget(target);
  const plan = await planDeploy(target, opts);
  const state = deployedState(readJournals(journalDirFor(target.file, opts.journalDir)), target.cluster, target.kind);
  const hosts = plan.hosts.map((p) => {
    const deployed = state.files.get(p.host.name);
    const files: DriftFile[] = p.files.map((f) => {
      const d = deployed?.get(f.path);
      const base = { path: f.path, remote: f.before?.sha256, generated: f.after?.sha256, deployed: d };
      const cause = (): DriftFile['cause'] => (d === undefined ? 'unknown' : f.before?.sha256 === d ? 'file' : 'host');
      switch (f.action) {
        case 'unchanged': return { ...base, status: 'in-sync' };
        case 'add': return { ...base, status: 'missing', cause: cause() };
        case 'remove': return { ...base, status: 'leftover', cause: 'file' };
        default: return { ...base, status: f.modeOnly ? 'mode' : 'differs', cause: cause() };
      }
    });
    return { name: p.host.name, files };
  });
  return { inSync: hosts.every((h) => h.files.every((f) => f.status === 'in-sync')), deployId: state.journal?.id, hosts };
}
