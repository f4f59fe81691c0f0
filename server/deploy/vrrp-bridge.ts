// The master's bridge through a VRRP parameter change (issue 11, item 13; docs/deploy.md
// "VRRP parameter changes on a running pair").
//
// A router id or unicast change makes keepalived's reload replace the master's VRRP instance:
// the old one drops the VIPs, the new one starts as BACKUP and claims them only after its
// master_down_interval (3 × advert + skew). With the backups held nobody answers for the VIP
// meanwhile: the client-visible gap was one failover interval plus the reload (3.73 s for
// 3.65 s in the lab). keepalived's one exception to that wait (keepalived.conf(5), `state`): an
// instance at priority 255 with `state MASTER` becomes MASTER at once. So the master reloads
// into a *bridge*: the new keepalived.conf with priority 255 and state MASTER in every
// vrrp_instance (the VIPs come back within the reload); the backups start with the new settings,
// hear the master at 255 and stay BACKUP; then the master *settles*: the real file goes back
// and apply.sh reloads it. The instance is the same one (only the priority changes), so the
// master stays MASTER and keeps the VIPs.
//
// The real file waits in the tool's state directory meanwhile; a run that dies in between
// leaves the bridge to the dead man's switch (it restores the backup of before the deploy).
import { KEEPALIVED_CONF } from '../generate/keepalived';
import { STATE_DIR } from '../generate';
import { sq } from '../shared/shell-quote';
import { DeployError } from './errors';
import { APPLY_SH, failureText } from './remote';
import { runScript } from './scripts';
import { Session } from './session';
import { t } from '../shared/l10n/message';

/** Where the real keepalived.conf waits while the bridge is in place. */
export const BRIDGE_FINAL = `${STATE_DIR}/vrrp-bridge.conf`;

/** awk program: inside vrrp_instance blocks, `priority N` → 255 and `state X` → MASTER. */
const BRIDGE_AWK = [
  '{ line = $0 }',
  'depth == 0 && $1 == "vrrp_instance" { inst = 1 }',
  'inst && depth >= 1 && $1 == "priority" && NF == 2 { sub(/priority[ \\t]+[0-9]+/, "priority 255", line) }',
  'inst && depth >= 1 && $1 == "state" && NF == 2 { sub(/state[ \\t]+[A-Z]+/, "state MASTER", line) }',
  '{ print line; o = gsub(/\\{/, "{"); c = gsub(/\\}/, "}"); depth += o - c; if (depth == 0) inst = 0 }',
].join('\n');

/**
 * Puts the bridge in place of keepalived.conf (written 0600, fsynced, renamed), keeping the
 * real file in BRIDGE_FINAL. A bridge already in place (a rollback bridging again) keeps the
 * file that is there now as the real one: it is what the step before wrote.
 */
export function bridgeScript(conf = KEEPALIVED_CONF, final = BRIDGE_FINAL): string {
  return [
    `C=${sq(conf)}`,
    `F=${sq(final)}`,
    'T="$C.lvs-bridge.$$"',
    'if [ ! -f "$C" ]; then echo "no $C" >&2; exit 1; fi',
    'mkdir -p "$(dirname "$F")"',
    'umask 077',
    'cp "$C" "$F.tmp" && sync "$F.tmp" && mv -f "$F.tmp" "$F"',
    `awk ${sq(BRIDGE_AWK)} "$F" >"$T"`,
    'chmod 600 "$T"',
    'grep -q "priority 255" "$T" || { rm -f "$T"; echo "no vrrp_instance priority in $C" >&2; exit 1; }',
    'sync "$T"',
    'mv -f "$T" "$C"',
    'sync "$(dirname "$C")" 2>/dev/null || true',
    'echo bridged',
  ].join('\n');
}

/** Puts the real keepalived.conf back (fsynced, renamed); prints `settled`, or `none` without a bridge. */
export function settleScript(conf = KEEPALIVED_CONF, final = BRIDGE_FINAL): string {
  return [
    `C=${sq(conf)}`,
    `F=${sq(final)}`,
    'if [ ! -f "$F" ]; then echo none; exit 0; fi',
    'umask 077',
    'T="$C.lvs-settle.$$"',
    'cp "$F" "$T" && chmod 600 "$T" && sync "$T"',
    'mv -f "$T" "$C"',
    'sync "$(dirname "$C")" 2>/dev/null || true',
    'rm -f "$F"',
    'echo settled',
  ].join('\n');
}

/** Before the master's apply.sh (or a rollback's previous apply.sh): the bridge. */
export async function bridgeMaster(s: Session, name: string): Promise<void> {
  await s.step(name, 'bridge', async () => {
    const r = await s.remote(name).run(bridgeScript(), s.commandTimeout);
    if (r.code !== 0) throw new DeployError(name, 'bridge', t`cannot put the VRRP bridge in place: ${failureText(r)}`);
  }, () => 'keepalived.conf at priority 255 (state MASTER) for this reload: the master keeps the VIPs while its VRRP instance changes');
}

/** After the backups: the real keepalived.conf back and reloaded by apply.sh. */
export async function settleMaster(s: Session, name: string): Promise<void> {
  const r = await s.ensureConnected(name);
  await s.step(name, 'settle', async () => {
    const x = await r.run(settleScript(), s.commandTimeout);
    if (x.code !== 0) throw new DeployError(name, 'settle', t`cannot put keepalived.conf back: ${failureText(x)}`);
    if (x.stdout.trim() !== 'settled') return 'no bridge in place';
    const ap = await runScript(r, APPLY_SH, s.commandTimeout);
    if (ap.code !== 0) throw new DeployError(name, 'settle', t`${APPLY_SH} failed: ${failureText(ap)}`);
    return 'keepalived.conf back at its own priority and reloaded (the master keeps the VIPs)';
  }, (d) => d);
}
