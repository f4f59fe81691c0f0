// `lvsdr rollback FILE`: undoes the last deploy of the file's cluster that changed something
// and was not rolled back yet, using the backups that deploy left on each host
// (/var/lib/lvs-dr/backup/<deploy-id>/). Hosts go in the reverse of the deploy's apply order.
// Before touching a host, its files must still be what that deploy wrote: a host changed
// since (by hand, or by another deploy) is refused unless `force`.
// `deployId` names the deploy instead: any finished one not rolled back yet, or one left at
// `running` by a process that is gone (interrupted.ts). Of an interrupted deploy, every host
// it began to change is rolled back from the backup it left (a host without a complete backup
// was never written: only the partial backup is removed), and its journal is marked rolled
// back by this run.
import { CancelledError, DeployError, wordsOf } from './errors';
import { guardTarget } from './guard';
import { rollbackHost } from './host-rollback';
import { backupDir, discardBackupScript } from './backup';
import { sq } from '../shared/shell-quote';
import { failureText } from './remote';
import { isInterrupted, thisRunner } from '../shared/run-liveness';
import { disarmSwitch, firedText } from './dead-man-switch';
import { confirmTimeout } from './switch-hooks';
import { Journal, JournalHost, journalDirFor, lastDeploy, newDeployId, readJournals, sourceHash, writeJournal } from './journal';
import { readRemote } from './remote-files';
import { Session } from './session';
import { ClusterTarget, EngineOptions } from './types';
import { readFileSync } from 'node:fs';
import { holdBackups, releaseBackups, VrrpChange } from './vrrp-change-order';
import { settleMaster } from './vrrp-bridge';
import { listMsgs, t } from '../shared/l10n/message';

export interface RollbackResult {
  journal: Journal;
  journalFile?: string;
  /** The deploy that was undone. */
  of?: Journal;
  error?: DeployError | CancelledError;
}

/** The deploy `--deploy ID` names, or why it cannot be rolled back. */
function namedDeploy(journals: Journal[], id: string, target: ClusterTarget): Journal | string {
  const j = journals.find((x) => x.kind === 'deploy' && x.id === id);
  if (!j) return `no deploy ${id} in the journal`;
  if (j.cluster !== target.cluster || j.target !== target.kind) return `deploy ${id} is of cluster ${j.cluster} (${j.target}), not ${target.cluster} (${target.kind})`;
  if (j.rolledBackBy || journals.some((x) => x.kind === 'rollback' && x.outcome === 'success' && x.rollbackOf === id)) return `deploy ${id} was rolled back already`;
  if (j.outcome === 'running' && !isInterrupted(j)) return `deploy ${id} is still running (PID ${j.runner?.pid ?? '?'} on ${j.runner?.hostname ?? 'another machine'}); it rolls back by itself when cancelled`;
  return j;
}

/** Hosts to roll back, newest first: those the deploy changed, and of an interrupted one, those it began to change. */
function hostsToUndo(of: Journal): JournalHost[] {
  const interrupted = of.outcome === 'running';
  return of.hosts
    .filter((h) => h.outcome === 'deployed' || h.outcome === 'rollback-failed' || (interrupted && h.order !== undefined && h.outcome !== 'rolled-back'))
    .sort((a, b) => (b.order ?? 0) - (a.order ?? 0));
}

/**
 * The VRRP change the deploy made, when this rollback undoes it on the master and a backup
 * (vrrp-change-order.ts): only the backups this rollback touches are held.
 */
function vrrpChangeToUndo(of: Journal): VrrpChange | undefined {
  const hosts = hostsToUndo(of);
  if (!of.vrrp || !hosts.some((h) => h.role === 'master')) return undefined;
  const hold = of.vrrp.hold.filter((n) => hosts.some((h) => h.name === n));
  return hold.length ? { keys: of.vrrp.keys, hold } : undefined;
}

/** The master(s) first, the rest in the order they had (newest first). */
function mastersFirst(hosts: JournalHost[]): JournalHost[] {
  return [...hosts.filter((h) => h.role === 'master'), ...hosts.filter((h) => h.role !== 'master')];
}

/** Whether the host holds the complete backup of `deployId` (its rollback-new.sh is written last). */
async function hasCompleteBackup(s: Session, host: string, deployId: string): Promise<boolean> {
  const r = await s.remote(host).run(`if [ -f ${sq(`${backupDir(deployId)}/rollback-new.sh`)} ]; then echo complete; else echo none; fi`, s.commandTimeout);
  if (r.code !== 0) throw new DeployError(host, 'read', t`cannot look for the backup: ${failureText(r)}`);
  return r.stdout.trim() === 'complete';
}

export async function rollbackLast(target: ClusterTarget, opts: EngineOptions & { force?: boolean; deployId?: string } = {}): Promise<RollbackResult> {
  guardTarget(target, { files: false });
  const dir = journalDirFor(target.file, opts.journalDir);
  const journals = readJournals(dir);
  const named = opts.deployId ? namedDeploy(journals, opts.deployId, target) : undefined;
  const of = opts.deployId ? (typeof named === 'string' ? undefined : named) : lastDeploy(journals, target.cluster, target.kind);
  const id = newDeployId();
  let text = '';
  try {
    text = readFileSync(target.file, 'utf8');
  } catch { /* hashed as empty */ }
  const journal: Journal = {
    version: 1, kind: 'rollback', id, tool: 'lvs-dr-studio', source: target.file, sourceSha256: sourceHash(text),
    cluster: target.cluster, target: target.kind, labId: target.labId, rollbackOf: of?.id,
    startedAt: new Date().toISOString(), outcome: 'running', hosts: [], runner: thisRunner(),
  };
  if (!of) {
    journal.outcome = 'failed';
    const why = typeof named === 'string' ? t`${named} (${dir})` : t`no deploy of cluster ${target.cluster} (${target.kind}) to roll back in ${dir}`;
    const error = new DeployError(undefined, 'resolve', why);
    journal.error = { step: 'resolve', message: error.message };
    return { journal, error };
  }
  const interrupted = of.outcome === 'running';
  const vrrp = vrrpChangeToUndo(of);
  const changed = vrrp ? mastersFirst(hostsToUndo(of)) : hostsToUndo(of);
  const missing = changed.filter((h) => !target.hosts.some((t) => t.name === h.name));
  const s = new Session(target, opts, id);
  /** Backup directors held (keepalived stopped) for a VRRP change being undone. */
  const held: string[] = [];
  for (const h of changed) {
    const jh: JournalHost = { name: h.name, address: h.address, role: h.role, changed: true, hadApply: h.hadApply, outcome: 'not-reached', files: h.files.filter((f) => f.action !== 'unchanged').map((f) => ({ ...f, before: f.after, after: f.before })), steps: [] };
    s.journalHosts.set(h.name, jh);
  }
  const flush = () => {
    journal.hosts = [...s.journalHosts.values()];
    journal.log = s.log;
    return writeJournal(dir, journal);
  };
  const journalFile = flush();
  const t0 = Date.now();
  let error: DeployError | CancelledError | undefined;
  try {
    if (missing.length) throw new DeployError(missing[0].name, 'resolve', t`the file no longer describes ${listMsgs(missing.map((h) => h.name))}: cannot connect to roll back`);
    // Of an interrupted deploy every host it locked is locked (its stale lock broken) and released
    // here, also those it never changed: no lock of the dead process stays behind.
    const hosts = (interrupted ? of.hosts : changed).flatMap((h) => target.hosts.filter((t) => t.name === h.name));
    await s.connectAll(hosts);
    await s.lockAll(hosts);
    // Every host must still hold what the deploy wrote (read in parallel).
    const drifted: string[] = [];
    await Promise.all(changed.map(async (h) => {
      // A host the deploy did not finish may hold either generation, or a mix: its backup decides.
      if (h.outcome !== 'deployed') return;
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
      throw new DeployError(first.name, 'plan', t`changed since deploy ${of.id}: ${drifted.join('; ')}; refusing to roll back (use --force to restore the backup anyway)`);
    }
    journal.rolledBack = [];
    // A VRRP change is undone in the deploy's safe order: backups held, the master first
    // (through the bridge), then the backups, whose restored apply.sh starts keepalived with
    // the settings the master has again; the master settles, the backups are released.
    if (vrrp) await holdBackups(s, vrrp, held);
    const bridged: string[] = [];
    for (const h of changed) {
      s.checkCancel(h.name, 'restore');
      try {
        if (h.outcome !== 'deployed') {
          // Its dead man's switch may still be armed: disarmed first, it cannot race this
          // rollback (a switch that fired already restored the host; the steps below are idempotent).
          const st = await disarmSwitch(s.remote(h.name), of.id, confirmTimeout(opts), s.commandTimeout);
          if (st.state === 'fired') s.info(h.name, 'rollback', firedText(st));
        }
        if (h.outcome !== 'deployed' && !(await hasCompleteBackup(s, h.name, of.id))) {
          // The backup never completed, so nothing was uploaded: drop what the backup left.
          await s.step(h.name, 'restore', async () => {
            const d = await s.remote(h.name).run(discardBackupScript(of.id), s.commandTimeout);
            if (d.code !== 0) throw new DeployError(h.name, 'restore', t`cannot remove the partial backup: ${failureText(d)}`);
          }, () => 'no complete backup: the deploy wrote nothing here; partial backup removed');
          s.journalHosts.get(h.name)!.outcome = 'rolled-back';
          journal.rolledBack.push(h.name);
          continue;
        }
        if (await rollbackHost(s, {
          name: h.name, deployId: of.id,
          entries: h.files.filter((f) => f.action !== 'unchanged').map((f) => ({ path: f.path, before: f.before })),
          restoreFiles: true, undoRuntime: true, hadApply: h.hadApply, removeBackup: true, bridge: !!vrrp && h.role === 'master',
        })) bridged.push(h.name);
        s.journalHosts.get(h.name)!.outcome = 'rolled-back';
        journal.rolledBack.push(h.name);
      } catch (e) {
        s.journalHosts.get(h.name)!.outcome = 'rollback-failed';
        throw e;
      } finally {
        flush();
      }
    }
    for (const name of bridged) await settleMaster(s, name);
    journal.outcome = 'success';
    if (interrupted) markRolledBack(dir, of, journal);
  } catch (e) {
    error = e instanceof DeployError || e instanceof CancelledError ? e : new DeployError(undefined, 'rollback', wordsOf(e));
    journal.outcome = error instanceof CancelledError ? 'cancelled' : 'failed';
    journal.error = { host: error.host, step: error.step, message: error.message };
  } finally {
    const failed = await releaseBackups(s, held.splice(0));
    if (failed.length && !error) {
      error = new DeployError(failed[0], 'release', t`keepalived could not be started again on ${listMsgs(failed)}`);
      journal.outcome = 'failed';
      journal.error = { host: error.host, step: error.step, message: error.message };
    }
    await s.unlockAll();
    s.closeAll();
  }
  journal.finishedAt = new Date().toISOString();
  journal.durationMs = Date.now() - t0;
  flush();
  return { journal, journalFile, of, error };
}

/** The interrupted deploy's own journal says it was rolled back, and by which run. */
function markRolledBack(dir: string, of: Journal, by: Journal): void {
  of.outcome = 'cancelled';
  of.rolledBackBy = by.id;
  of.rolledBack = by.rolledBack;
  of.error ??= { step: 'apply', message: `interrupted: its process went away before it could roll back; rolled back by ${by.id}` };
  for (const h of of.hosts) if (by.rolledBack?.includes(h.name)) h.outcome = 'rolled-back';
  of.finishedAt ??= by.finishedAt ?? new Date().toISOString();
  writeJournal(dir, of);
}
