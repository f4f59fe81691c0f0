// How a deploy drives each changed host's dead man's switch (dead-man-switch.ts): armed after
// the backup, its deadline moved before apply.sh and verify.sh, confirmed after verify.sh;
// on a failure the rollback first disarms it (or learns that it fired), and for a host it
// cannot reach, waits until the switch's deadline has passed and asks the host what it did.
import { armSwitch, DEFAULT_CONFIRM_TIMEOUT_S, disarmSwitch, firedText, heartbeat, SwitchState } from './dead-man-switch';
import { DeployError, errorText } from './errors';
import { HostProgress, StepHooks } from './host-apply';
import { Session } from './session';
import { EngineOptions } from './types';
import { t } from '../shared/l10n/message';

/** A host whose switch was (being) armed in this run. */
export interface Armed {
  /** When the host restores itself unless it hears from the deploy (engine's clock, ms). */
  deadline: number;
}

export function confirmTimeout(opts: EngineOptions): number {
  return opts.confirmTimeoutS ?? DEFAULT_CONFIRM_TIMEOUT_S;
}

export function switchHooks(s: Session, hp: HostProgress, armed: Map<string, Armed>): StepHooks {
  const name = hp.plan.host.name;
  const timeoutS = confirmTimeout(s.opts);
  const touch = () => armed.set(name, { deadline: Date.now() + timeoutS * 1000 });
  return {
    async afterBackup() {
      touch();
      await armSwitch(s.remote(name), {
        deployId: s.runId, hadApply: hp.plan.hadApply, timeoutS,
        entries: hp.plan.files.filter((f) => f.action !== 'unchanged').map((f) => ({ path: f.path, before: f.before })),
      }, s.commandTimeout);
      s.info(name, 'backup', t`dead man's switch armed: the host restores this backup by itself if the deploy does not confirm it within ${timeoutS} s of its last command`);
    },
    async before(step) {
      touch();
      await heartbeat(s.remote(name), s.runId, timeoutS, step, s.commandTimeout);
    },
    async confirm() {
      const st = await disarmSwitch(s.remote(name), s.runId, timeoutS, s.commandTimeout);
      if (st.state !== 'disarmed') throw new DeployError(name, 'verify', firedText(st));
      return 'OK, confirmed (dead man\'s switch disarmed)';
    },
  };
}

/**
 * Before the engine rolls a host back: disarm its switch. 'fired' when the host already
 * restored itself (nothing more to do), 'disarmed' when the engine must roll back itself,
 * 'unreachable' when the switch is left to fire.
 */
export async function settleSwitch(s: Session, name: string): Promise<'fired' | 'disarmed' | 'unreachable'> {
  let st: SwitchState;
  try {
    const r = await s.ensureConnected(name);
    st = await disarmSwitch(r, s.runId, confirmTimeout(s.opts), s.commandTimeout);
  } catch (e) {
    // A connection that let a command time out is not trusted again: the next try reconnects.
    s.remotes.get(name)?.conn.close();
    s.info(name, 'rollback', t`cannot reach the host to disarm its dead man's switch (${errorText(e)}): it restores the backup by itself`);
    return 'unreachable';
  }
  if (st.state === 'fired' && st.ok) {
    s.info(name, 'rollback', firedText(st));
    return 'fired';
  }
  if (st.state === 'fired') s.info(name, 'rollback', t`${firedText(st)}; rolling back from the engine`);
  return 'disarmed';
}

/** After the deadline of an unreachable host's switch (+ grace), asks it whether it restored itself. */
export async function awaitSwitch(s: Session, name: string, a: Armed, graceMs = 15_000): Promise<boolean> {
  const wait = a.deadline + graceMs - Date.now();
  if (wait > 0) {
    s.info(name, 'rollback', t`waiting ${Math.ceil(wait / 1000)} s for the host's dead man's switch to restore its backup`);
    await new Promise((r) => setTimeout(r, wait));
  }
  return (await settleSwitch(s, name)) === 'fired';
}
