// `lvsdr unlock FILE --host HOST [--force]`: shows who holds the deploy lock of one host of the
// file (deploy id, machine, boot id, PID, since when, its step) and breaks it when it is stale.
// A lock whose holder looks alive (its SSH connection is still open, or it ran on this machine
// and its PID runs) is broken only with --force; one whose step still runs on the host is never
// broken (that step record is what a rollback needs to stop it).
//   exit 0 no lock or broken, 1 refused or error, 2 usage
import { resolve } from 'node:path';
import { readState } from '../lab';
import { DeployError, wordsOf } from '../deploy/errors';
import { newDeployId } from '../deploy/journal';
import { holderWords, unlockHost } from '../deploy/lock';
import { LOCK_DIR } from '../deploy/remote';
import { DEFAULTS, Session } from '../deploy/session';
import { resolveTarget } from '../deploy/targets';
import { printable } from '../protocol/printable';
import { parseCommand, requireUsage, usageError, UsageError } from './args';
import { listMsgs, Msg, t } from '../shared/l10n/message';
import { inReaderLanguage } from './reader-language';
import { UNLOCK } from './commands';

/** A line for a person on stderr, in the reader's language (LC_ALL/LC_MESSAGES/LANG). */
function say(m: Msg): void {
  process.stderr.write(`lvsdr unlock: ${printable(inReaderLanguage(m))}\n`);
}

/** A line for a person on stdout, in the reader's language. */
function tell(m: Msg): void {
  process.stdout.write(`${printable(inReaderLanguage(m))}\n`);
}

/**
 * Runs the command; `enterLab` re-runs it in the lab's client namespace when needed (deploy.ts
 * passes its own, so this command lives in the deploy bundle without an import cycle).
 */
export async function runUnlock(argv: string[], enterLab: (argv: string[]) => Promise<number | undefined>): Promise<number> {
  try {
    const parsed = parseCommand(UNLOCK, argv);
    if (typeof parsed === 'number') return parsed;
    const v = parsed.values;
    requireUsage(parsed.positionals.length === 1, parsed.positionals.length ? t`exactly one FILE` : t`FILE is missing`);
    requireUsage(!!v.host, t`--host HOST is required`);
    requireUsage(v.target === undefined || v.target === 'lab' || v.target === 'hosts', t`--target is 'lab' or 'hosts', not '${String(v.target)}'`);
    const file = parsed.positionals[0];
    let kind = v.target as 'lab' | 'hosts' | undefined;
    if (!kind) {
      const st = (() => { try { return readState(); } catch { return undefined; } })();
      kind = st && st.phase === 'up' && st.file === resolve(file) ? 'lab' : 'hosts';
    }
    if (kind === 'lab') {
      const code = await enterLab(['unlock', ...argv, ...(v.target ? [] : ['--target', 'lab'])]);
      if (code !== undefined) return code;
    }
    const target = await resolveTarget({ file, cluster: v.cluster, target: kind, identity: v.identity, knownHosts: v['known-hosts'], skipOsCheck: true, hostsOnly: true });
    const host = target.hosts.find((h) => h.name === v.host);
    if (!host) throw new DeployError(undefined, 'resolve', t`no host '${String(v.host)}' in cluster ${target.cluster} (hosts: ${listMsgs(target.hosts.map((h) => h.name))})`);
    const trust = !!v['trust-repo-known-hosts'];
    const s = new Session({ ...target, hosts: [host] }, { ui: { confirmRepoKnownHosts: async () => trust } }, newDeployId());
    try {
      const r = await s.connectOne(host);
      await s.preflightOne(r);
      const out = await unlockHost(r, { force: !!v.force, staleMs: DEFAULTS.lockStaleMs, timeoutMs: s.commandTimeout });
      if (out.state === 'free') {
        tell(t`${host.name}: no lock (${LOCK_DIR} is absent)`);
        return 0;
      }
      const who = out.holder ? holderWords(out.holder) : t`no owner recorded`;
      tell(t`${host.name}: ${LOCK_DIR} held by ${who}`);
      if (out.state === 'broken') {
        tell(t`${host.name}: lock broken (${out.reason})`);
        return 0;
      }
      if (out.why === 'step-running') {
        say(t`${host.name}: not broken: a step of that deploy still runs on the host (session ${String(out.holder.step)}); wait for it to end or stop it there, then run this again`);
      } else if (out.why === 'live') {
        say(t`${host.name}: not broken: its holder looks alive (${out.holder.connAlive ? t`its SSH connection is still open` : t`it may still be running`}); make sure that deploy is gone, then run again with --force`);
      } else {
        say(t`${host.name}: not broken: the lock changed hands while it was looked at; run this again`);
      }
      return 1;
    } finally {
      s.closeAll();
    }
  } catch (e) {
    if (e instanceof UsageError) {
      return usageError(UNLOCK, e.msg);
    }
    say(wordsOf(e));
    return 1;
  }
}
