// Rolling back one host changed in this run (or by the deploy `lvsdr rollback` undoes), in the
// order of the rollback contract of the generated scripts (rollback-script.ts):
//   1. stop a step still running from a dropped connection (its whole session);
//   2. restore the previous files (delete those that were absent), check their sha256;
//   3. when the host had an apply.sh before and the restored one converges (CONVERGES_MARK: it
//      removes the VIPs, IPVS services and sysctls it owns that its file does not have), skip
//      the teardown: step 4 alone brings the runtime back, and what both deployments share
//      (the VIP on lo, the IPVS service, keepalived) never goes away, so no request fails.
//      Otherwise run the kept copy of the NEW rollback.sh (undo the runtime state apply.sh
//      created); it stops keepalived when the start marker is there (a deployment started
//      keepalived). When keepalived already ran before this deploy, this deploy did not start
//      it, whatever the marker says (an earlier deployment may have left it): the marker is set
//      aside so rollback.sh reloads keepalived, never stops it;
//   4. if the host had an apply.sh before, run it (the restored previous one) to bring the
//      runtime back to the previous deployment; then put back the marker as it was before the
//      deploy, so a later rollback of that deployment still knows who started keepalived;
//   5. remove the run's backup directory (only when everything above succeeded).
import { CONVERGES_MARK } from '../generate';
import { DeployError } from './errors';
import { backupDir, KEEPALIVED_START_MARKER, restoreHost, RestoreEntry } from './backup';
import { sq } from '../shared/shell-quote';
import { APPLY_SH, failureText, VERIFY_SH } from './remote';
import { runScript, stopOrphanScript } from './scripts';
import { Session } from './session';
import { summarizeOutput } from './host-apply';
import { bridgeScript } from './vrrp-bridge';
import { t } from '../shared/l10n/message';

export interface HostRollbackInput {
  name: string;
  deployId: string;
  entries: RestoreEntry[];
  /** Files may have changed (the upload began). */
  restoreFiles: boolean;
  /** Runtime state may have changed (apply.sh began). */
  undoRuntime: boolean;
  hadApply: boolean;
  /** Remove the backup directory afterwards (a failed run's backup; `lvsdr rollback` keeps nothing either). */
  removeBackup: boolean;
  /** The master of a VRRP parameter change: the previous apply.sh reloads into the bridge (vrrp-bridge.ts). */
  bridge?: boolean;
}

/** Shell lines: `$ka` is yes when keepalived ran before the deploy being undone (see backup.ts). */
function keepalivedWasRunning(deployId: string): string[] {
  return [
    `B=${sq(backupDir(deployId))}`,
    'ka=no',
    'if [ -f "$B/keepalived-was-running" ]; then read -r ka <"$B/keepalived-was-running" || true; fi',
  ];
}

/** Sets `keepalived.started` aside when keepalived already ran before the deploy being undone. */
export function setStartMarkerAside(deployId: string): string {
  return [...keepalivedWasRunning(deployId), `if [ "$ka" = yes ]; then rm -f ${sq(KEEPALIVED_START_MARKER)}; fi`].join('\n');
}

/** Puts back the marker of before the deploy (only where it was set aside). */
export function restoreStartMarker(deployId: string): string {
  return [...keepalivedWasRunning(deployId), `if [ "$ka" = yes ] && [ -f "$B/keepalived.started" ]; then cp -p "$B/keepalived.started" ${sq(KEEPALIVED_START_MARKER)}; fi`].join('\n');
}

/** Exit 0 when the restored apply.sh removes what its file does not have (see CONVERGES_MARK). */
export function previousApplyConverges(): string {
  return `grep -qxF -- ${sq(CONVERGES_MARK)} ${sq(APPLY_SH)}`;
}

/** Rolls one host back; true when it was left on the VRRP bridge (the caller settles it). */
export async function rollbackHost(s: Session, x: HostRollbackInput): Promise<boolean> {
  let bridged = false;
  const r = await s.step(x.name, 'connect', () => s.ensureConnected(x.name), () => undefined);
  if (x.undoRuntime || x.restoreFiles) {
    const o = await r.run(stopOrphanScript(), s.commandTimeout);
    if (o.code !== 0) throw new DeployError(x.name, 'rollback', t`cannot stop the interrupted step: ${failureText(o)}`);
    if (o.stdout.includes('stopped:')) s.info(x.name, 'rollback', o.stdout.trim());
  }
  await s.step(x.name, 'restore', () => restoreHost(r, x.deployId, x.restoreFiles ? x.entries : [], false, s.commandTimeout),
    (res) => `${res.restored.length} restored, ${res.removed.length} removed, every file back to its recorded sha256`);
  if (x.undoRuntime) {
    await s.step(x.name, 'rollback', async () => {
      const copy = `${backupDir(x.deployId)}/rollback-new.sh`;
      const pre = await r.run(setStartMarkerAside(x.deployId), s.commandTimeout);
      if (pre.code !== 0) throw new DeployError(x.name, 'rollback', t`cannot read the backup: ${failureText(pre)}`);
      const converges = x.hadApply && (await r.run(previousApplyConverges(), s.commandTimeout)).code === 0;
      if (!converges) {
        const rb = await runScript(r, copy, s.commandTimeout);
        if (rb.code !== 0) throw new DeployError(x.name, 'rollback', t`the new rollback.sh failed: ${failureText(rb)}`);
      }
      const putBack = async () => {
        const m = await r.run(restoreStartMarker(x.deployId), s.commandTimeout);
        if (m.code !== 0) throw new DeployError(x.name, 'rollback', t`cannot put keepalived's start marker back: ${failureText(m)}`);
      };
      if (!x.hadApply) {
        await putBack();
        return 'runtime state of this deploy undone (no previous deployment)';
      }
      if (x.bridge) {
        const b = await r.run(bridgeScript(), s.commandTimeout);
        if (b.code !== 0) throw new DeployError(x.name, 'rollback', t`cannot put the VRRP bridge in place: ${failureText(b)}`);
        bridged = true;
        s.info(x.name, 'bridge', t`the previous keepalived.conf at priority 255 (state MASTER) for this reload: the master keeps the VIPs while its VRRP instance changes back`);
      }
      const ap = await runScript(r, APPLY_SH, s.commandTimeout);
      if (ap.code !== 0) throw new DeployError(x.name, 'rollback', t`the previous apply.sh failed: ${failureText(ap)}`);
      await putBack();
      return converges ? t`runtime state converged to the previous deployment (no teardown), previous apply.sh: ${summarizeOutput(ap.stdout)}`
        : t`runtime state undone, previous apply.sh: ${summarizeOutput(ap.stdout)}`;
    }, (d) => d);
    if (x.hadApply) {
      try {
        await s.step(x.name, 'verify', async () => {
          const v = await runScript(r, VERIFY_SH, s.commandTimeout);
          if (v.code !== 0) throw new DeployError(x.name, 'verify', t`previous verify.sh: ${v.stdout.split('\n').filter((l) => l.startsWith('FAIL')).join('; ') || failureText(v)}`);
        }, () => 'previous deployment verified');
      } catch { /* reported; the rollback itself went through */ }
    }
  }
  if (x.removeBackup) {
    await restoreHost(r, x.deployId, [], true, s.commandTimeout);
  }
  return bridged;
}
