// After a deploy changed the master director of an ha pair: wait until its keepalived holds
// the VIPs before the deploy reports success and probes through them.
//
// The backup is applied first. With no keepalived running on the master yet (a first deploy,
// or one after a rollback), the backup takes the VIPs once its master_down_interval
// (3 × advert + skew) has passed. The master's keepalived then takes them back by preemption,
// but only some time after its start (its own down timer, keepalived's start-up; seconds in a
// loaded lab). Without this wait the deploy could end while the backup still answers for the
// VIPs, and what the deploy left behind would change under the user a moment later.
// The presence of a VIP stays keepalived's business (verify.sh does not check it): a master
// that has not taken them by the deadline is reported, not failed.
import { KEEPALIVED_CONF } from '../generate/keepalived';
import { sq } from '../shared/shell-quote';
import { Session } from './session';
import { HostPlan } from './types';
import { listMsgs, t } from '../shared/l10n/message';

/** `priority N` and `advert_int N` of a generated keepalived.conf. */
function vrrpNumber(conf: string | undefined, key: 'priority' | 'advert_int'): number | undefined {
  const m = conf ? new RegExp(`^\\s*${key}\\s+(\\d+)\\s*$`, 'm').exec(conf) : null;
  return m ? Number(m[1]) : undefined;
}

/** Polls the host's addresses until every one of `addresses` is there, for `waitS` seconds at most. */
export function takeoverScript(addresses: string[], waitS: number): string {
  return [
    `end=$(( $(date +%s) + ${Math.max(1, Math.floor(waitS))} ))`,
    'while :; do',
    '  have=$(ip -4 -o addr show 2>/dev/null)',
    '  missing=""',
    `  for a in ${addresses.map(sq).join(' ')}; do`,
    "    printf '%s\\n' \"$have\" | grep -qF -- \" $a/\" || missing=\"$missing $a\"",
    '  done',
    '  if [ -z "$missing" ]; then echo held; exit 0; fi',
    '  if [ "$(date +%s)" -ge "$end" ]; then echo "missing$missing"; exit 0; fi',
    '  sleep 0.5',
    'done',
  ].join('\n');
}

/**
 * The master to wait for: the director written as master, changed in this run, whose VRRP
 * priority is above every other director's (otherwise keepalived would not make it take the
 * VIPs, LVS112), with the VIPs it holds and the seconds to wait for them.
 */
export function takeoverTarget(changed: HostPlan[], all: HostPlan[]): { name: string; vips: string[]; waitS: number } | undefined {
  const master = changed.find((p) => p.host.role === 'master');
  if (!master || !master.host.placedAddresses?.length) return undefined;
  const confOf = (p: HostPlan) => p.files.find((f) => f.path === KEEPALIVED_CONF)?.content;
  const mine = vrrpNumber(confOf(master), 'priority');
  if (mine === undefined) return undefined;
  const others = all.filter((p) => p.host.role === 'backup').map((p) => vrrpNumber(confOf(p), 'priority') ?? 0);
  if (others.some((o) => o >= mine)) return undefined;
  const advert = vrrpNumber(confOf(master), 'advert_int') ?? 1;
  // The backup's master_down_interval, the master's own down timer, and keepalived's start-up.
  return { name: master.host.name, vips: master.host.placedAddresses, waitS: 4 * advert + 10 };
}

/** Waits for the master to hold its VIPs; reports how long it took or that it did not. */
export async function awaitMasterTakeover(s: Session, changed: HostPlan[], all: HostPlan[]): Promise<void> {
  const tk = takeoverTarget(changed, all);
  if (!tk) return;
  const t0 = Date.now();
  const r = await s.remote(tk.name).run(takeoverScript(tk.vips, tk.waitS), s.commandTimeout).catch(() => undefined);
  const out = r?.stdout.trim() ?? '';
  if (r && r.code === 0 && out === 'held') {
    s.info(tk.name, 'verify', t`keepalived holds ${listMsgs(tk.vips)} (after ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } else {
    const missing = out.startsWith('missing') ? out.slice('missing'.length).trim() : tk.vips.join(' ');
    s.info(tk.name, 'verify', t`warning: the master does not hold ${missing} ${tk.waitS} s after its apply: the backup may still answer for it; check that the directors hear each other's VRRP advertisements`);
  }
}
