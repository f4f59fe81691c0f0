// `lvsdr rollback FILE`: undoes the last deploy of the file's cluster that changed something
// and was not rolled back yet, using the backups that deploy left on each host
// (/var/lib/lvs-dr/backup/<deploy-id>/). Hosts go in the reverse of the deploy's apply order.
// Before touching a host, its files must still be what that deploy wrote: a host changed
// since (by hand, or by another deploy) is refused unless `force`.
import { CancelledError, DeployError, errorText } from './errors';
import { guardTarget } from './guard';
import { rollbackHost } from './host-rollback';
import { Journal, JournalHost, journalDirFor, lastDeploy, newDeployId, readJournals, sourceHash, writeJournal } from './journal';
import { readRemote } from './remote-files';
import { Session } from './session';
import { ClusterTarget, EngineOptions } from './types';
import { readFileSync } from 'node:fs';

export interface RollbackResult {
  journal: Journal;
  journalFile?: string;
  /** The deploy that was undone. */
  of?: Journal;
  error?: DeployError | CancelledError;
}

export async function rollbackLast(target: ClusterTarget, opts: EngineOptions & { force?: boolean } = {}): Promise<RollbackResult> {
  guardTarget(target, { files: false });
  const dir = journalDirFor(target.file, opts.journalDir);
  const journals = readJournals(dir);
  const of = lastDeploy(journals, target.cluster, target.kind);
  const id = newDeployId();
  let text = '';
  try {
    text = readFileSync(target.file, 'utf8');
  } catch { /* hashed as empty */ }
  const journal: Journal = {
    version: 1, kind: 'rollback', id, tool: 'lvs-dr-studio', source: target.file, sourceSha256: sourceHash(text),
    cluster: target.cluster, target: target.kind, labId: target.labId, rollbackOf: of?.id,
    startedAt: new Date().toISOString(), outcome: 'running', hosts: [],
  };
  if (!of) {
    journal.outcome = 'failed';
    const error = new DeployError(undefined, 'resolve', `no deploy of cluster ${target.cluster} (${target.kind}) to roll back in ${dir}`);
    journal.error = { step: 'resolve', message: error.message };
    return { journal, error };
  }
  const changed = of.hosts.filter((h) => h.outcome === 'deployed').sort((a, b) => (b.order ?? 0) - (a.order ?? 0));
  const missing = changed.filter((h) => !target.hosts.some((t) => t.name === h.name));
  const s = new Session(target, opts, id);
  for (const h of changed) {
    const jh: JournalHost = { name: h.name, address: h.address, role: h.role, changed: true, hadApply: h.hadApply, outcome: 'not-reached', files: h.files.filter((f) => f.action !== 'unchanged').map((f) => ({ ...f, before: f.after, after: f.before })), steps: [] };
    s.journalHosts.set(h.name, jh);
  }
  const flush = () => {
    journal.hosts = [...s.journalHosts.values()];
    return writeJournal(dir, journal);
  };
  const journalFile = flush();
  const t0 = Date.now();
  let error: DeployError | CancelledError | undefined;
  try {
    if (missing.length) throw new DeployError(missing[0].name, 'resolve', `the file no longer describes ${missing.map((h) => h.name).join(', ')}: cannot connect to roll back`);
    const hosts = changed.map((h) => target.hosts.find((t) => t.name === h.name)!);
    await s.connectAll(hosts);
    await s.lockAll(hosts);
    // Every host must still hold what the deploy wrote (read in parallel).
    const drifted: string[] = [];
    await Promise.all(changed.map(async (h) => {
      const touched = h.files.filter((f) => f.action !== 'unchanged');
      const snap = await s.step(h.name, 'read', () => readRemote(s.remote(h.name), touched.map((f) => f.path), false, s.commandTimeout));
      const drift = touched.filter((f) => {
        const r = snap.files.find((x) => x.path === f.path)!;
        return f.after ? r.state !== 'present' || r.sha256 !== f.after.sha256 : r.state !== 'absent';
      });
      if (drift.length) drifted.push(`${h.name}: ${drift.map((f) => f.path).join(', ')}`);
    }));
    if (drifted.length && !opts.force) {
      const first = changed.find((h) => drifted.some((d) => d.startsWith(`${h.name}:`)))!;
      throw new DeployError(first.name, 'plan', `changed since deploy ${of.id}: ${drifted.join('; ')}; refusing to roll back (use --force to restore the backup anyway)`);
    }
    journal.rolledBack = [];
    for (const h of changed) {
      s.checkCancel(h.name, 'restore');
      try {
        await rollbackHost(s, {
          name: h.name, deployId: of.id,
          entries: h.files.filter((f) => f.action !== 'unchanged').map((f) => ({ path: f.path, before: f.before })),
          restoreFiles: true, undoRuntime: true, hadApply: h.hadApply, removeBackup: true,
        });
        s.journalHosts.get(h.name)!.outcome = 'rolled-back';
        journal.rolledBack.push(h.name);
      } catch (e) {
        s.journalHosts.get(h.name)!.outcome = 'rollback-failed';
        throw e;
      } finally {
        flush();
      }
    }
    journal.outcome = 'success';
  } catch (e) {
    error = e instanceof DeployError || e instanceof CancelledError ? e : new DeployError(undefined, 'rollback', errorText(e));
    journal.outcome = error instanceof CancelledError ? 'cancelled' : 'failed';
    journal.error = { host: error.host, step: error.step, message: error.message };
  } finally {
    await s.unlockAll();
    s.closeAll();
  }
  journal.finishedAt = new Date().toISOString();
  journal.durationMs = Date.now() - t0;
  flush();
  return { journal, journalFile, of, error };
}
