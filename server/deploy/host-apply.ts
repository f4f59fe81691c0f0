// Deploying one host whose plan has changes: back up every touched file, upload atomically,
// run apply.sh, run verify.sh. What has happened so far is recorded in `progress`, which the
// rollback reads to undo exactly that much (restore files only if the upload began, undo
// runtime state only if apply.sh began).
import { DeployError } from './errors';
import { backupHost, BackupEntry } from './backup';
import { HostPlan } from './types';
import { APPLY_SH, BACKUP_ROOT, failureText, ROLLBACK_SH, VERIFY_SH } from './remote';
import { runScript } from './scripts';
import { Session } from './session';
import { uploadHost } from './upload';
import { bridgeMaster } from './vrrp-bridge';
import { Msg, t } from '../shared/l10n/message';

/** What the engine does around the host's steps (the dead man's switch, engine.ts). */
export interface StepHooks {
  /** After the backup, before the upload. */
  afterBackup(): Promise<void>;
  /** Before apply.sh and before verify.sh. */
  before(step: 'apply' | 'verify'): Promise<void>;
  /** After verify.sh passed: the deploy confirms the host. */
  confirm(): Promise<string>;
}

export interface HostProgress {
  plan: HostPlan;
  /** Order in which hosts started changing (1-based); rollback goes in reverse. */
  seq?: number;
  backedUp: boolean;
  uploadStarted: boolean;
  applyStarted: boolean;
  done: boolean;
  backup?: BackupEntry[];
  hooks?: StepHooks;
  /** The master of a VRRP parameter change: apply.sh reloads into the bridge (vrrp-bridge.ts). */
  bridge?: boolean;
}

export function touchedPaths(plan: HostPlan): string[] {
  return plan.files.filter((f) => f.action !== 'unchanged').map((f) => f.path);
}

export async function applyHost(s: Session, hp: HostProgress): Promise<void> {
  const name = hp.plan.host.name;
  const r = () => s.remote(name);
  const files = hp.plan.files;
  const touched = touchedPaths(hp.plan);
  const newRollback = files.find((f) => f.path === ROLLBACK_SH && f.content !== undefined)?.content;
  if (newRollback === undefined) throw new DeployError(name, 'backup', t`no ${ROLLBACK_SH} generated for this host`);

  s.checkCancel(name, 'backup');
  hp.backup = await s.step(name, 'backup', async () => {
    hp.backedUp = true; // the backup directory may exist even if the step fails half-way
    const entries = await backupHost(r(), s.runId, touched, newRollback, s.commandTimeout);
    for (const f of files.filter((x) => x.action !== 'unchanged')) {
      const e = entries.find((x) => x.path === f.path);
      const want = f.before?.sha256 ?? null;
      if (!e || e.sha256 !== want) {
        throw new DeployError(name, 'backup', t`${f.path} changed on the host since it was read (plan ${want ? want.slice(0, 12) : 'absent'}, now ${e?.sha256 ? e.sha256.slice(0, 12) : 'absent'}); plan again`);
      }
    }
    return entries;
  }, (e) => t`${e.length} files recorded (${e.filter((x) => x.sha256 === null).length} absent) in ${BACKUP_ROOT}/${s.runId}`);

  await hp.hooks?.afterBackup();

  s.checkCancel(name, 'upload');
  await s.step(name, 'upload', async () => {
    hp.uploadStarted = true;
    const up = files.filter((f) => f.action === 'add' || f.action === 'change')
      .map((f) => ({ path: f.path, mode: f.after!.mode, content: f.content!, sha256: f.after!.sha256 }));
    const removals = files.filter((f) => f.action === 'remove').map((f) => f.path);
    await uploadHost(r(), s.runId, up, removals, s.commandTimeout);
    return { up: up.length, removed: removals.length };
  }, (x) => (x.removed ? t`${x.up} written, ${x.removed} removed` : t`${x.up} written`));

  s.checkCancel(name, 'apply');
  if (hp.bridge) await bridgeMaster(s, name);
  await s.step(name, 'apply', async () => {
    await hp.hooks?.before('apply');
    hp.applyStarted = true;
    const res = await runScript(r(), APPLY_SH, s.commandTimeout);
    if (res.code !== 0) throw new DeployError(name, 'apply', t`${APPLY_SH} failed: ${failureText(res)}`);
    return res;
  }, (res) => summarizeOutput(res.stdout));

  s.checkCancel(name, 'verify');
  await s.step(name, 'verify', async () => {
    await hp.hooks?.before('verify');
    const res = await runScript(r(), VERIFY_SH, s.commandTimeout);
    if (res.code !== 0) {
      const fails = res.stdout.split('\n').filter((l) => l.startsWith('FAIL')).join('; ');
      throw new DeployError(name, 'verify', t`${VERIFY_SH} failed: ${fails || failureText(res)}`);
    }
    return hp.hooks ? hp.hooks.confirm() : 'OK';
  }, (d) => d);
  hp.done = true;
}

/** `3 changed, 5 unchanged` from the `changed:` / `unchanged:` lines apply.sh prints. */
export function summarizeOutput(out: string): Msg {
  const lines = out.split('\n');
  const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
  const changed = count(/^(changed|added|removed|started|reloaded|enabled):/);
  const unchanged = count(/^unchanged:/);
  return t`${changed} changed, ${unchanged} unchanged`;
}
