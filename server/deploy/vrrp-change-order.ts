// The apply order when a deploy changes the VRRP parameters of a running pair (issue 11,
// item 13; measurements in docs/deploy.md "VRRP parameter changes").
//
// Directors with different virtual_router_id, authentication, advert_int or unicast peers do
// not hear each other: keepalived drops the other side's advertisements. Applied one after the
// other as usual (backup, then master), the backup with the new parameters stops hearing the
// master and takes the VIP too once its master_down_interval (3 × advert + skew) has passed:
// both directors hold the VIP until the master is reloaded. Applied master first, the same
// happens the other way round until the backup is reloaded.
//
// The safe order, found in the lab: stop the backup's keepalived (it holds no VIP: nothing is
// lost, only the standby is gone for the window), apply the master (its reload keeps the VIP),
// then apply the backup: its apply.sh starts keepalived with the new parameters, it hears the
// master's advertisements and stays BACKUP. Whatever happens in between (failure, rollback,
// cancel), every held backup is released at the end: keepalived is started again if it is not
// running, and its start marker is put back as it was before the hold (a deployment did not
// start that keepalived: it ran before).
import { HostRole, HostPlan } from './types';
import { KEEPALIVED_CONF } from '../generate/keepalived';
import { STATE_DIR } from '../generate';
import { backupDir, KEEPALIVED_START_MARKER } from './backup';
import { DeployError } from './errors';
import { failureText } from './remote';
import { Stage } from './order';
import { HostProgress } from './host-apply';
import { Session } from './session';
import { sq } from '../shared/shell-quote';
import { t } from '../shared/l10n/message';

/** The settings of keepalived.conf's vrrp_instance blocks two directors must agree on. */
const PEER_KEYS = ['virtual_router_id', 'advert_int', 'auth_type', 'auth_pass', 'unicast_src_ip', 'unicast_peer'] as const;

/** What a hold recorded on the host (the marker's state before it). */
const HOLD_RECORD = `${STATE_DIR}/vrrp-hold`;

/**
 * The peer-visible VRRP settings of a keepalived.conf, per vrrp_instance, as comparable text:
 * `VI_web virtual_router_id 51`, `VI_web unicast_peer 192.168.147.5`, … (auth_pass compared
 * as text; it never leaves this function).
 */
export function vrrpSettings(conf: string): string[] {
  const out: string[] = [];
  let instance: string | undefined;
  let depth = 0;
  let inPeers = false;
  for (const raw of conf.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const words = line.split(/\s+/);
    if (depth === 0 && words[0] === 'vrrp_instance') instance = words[1];
    const opens = (line.match(/\{/g) ?? []).length;
    const closes = (line.match(/\}/g) ?? []).length;
    if (instance && depth >= 1) {
      if (inPeers && words[0] !== '}') out.push(`${instance} unicast_peer ${words[0]}`);
      else if ((PEER_KEYS as readonly string[]).includes(words[0]) && words[0] !== 'unicast_peer') out.push(`${instance} ${words.join(' ')}`);
      if (words[0] === 'unicast_peer') inPeers = true;
    }
    depth += opens - closes;
    if (inPeers && closes > 0 && depth <= 1) inPeers = false;
    if (depth === 0) instance = undefined;
  }
  return out.sort();
}

/** Names of the settings that differ, without values (a secret must not reach a message). */
function changedKeys(before: string[], after: string[]): string[] {
  const diff = [...before.filter((l) => !after.includes(l)), ...after.filter((l) => !before.includes(l))];
  return [...new Set(diff.map((l) => l.split(' ')[1]))].sort();
}

export interface VrrpChange {
  /** Settings that change (names only). */
  keys: string[];
  /** Backup directors to hold while the master changes. */
  hold: string[];
}

/**
 * A VRRP parameter change between what the directors run and what this deploy writes, or
 * undefined. Only a change on a running pair matters: a director without a keepalived.conf yet
 * has no peer to disagree with.
 */
export function vrrpChangeOf(plans: HostPlan[]): VrrpChange | undefined {
  const keys = new Set<string>();
  const directors = plans.filter((p) => p.host.role !== 'server');
  for (const p of directors) {
    const f = p.files.find((x) => x.path === KEEPALIVED_CONF);
    if (!f || f.action !== 'change' || f.current === undefined || f.content === undefined) continue;
    for (const k of changedKeys(vrrpSettings(f.current.toString('utf8')), vrrpSettings(f.content))) keys.add(k);
  }
  if (keys.size === 0) return undefined;
  const hold = directors.filter((p) => p.changed && p.host.role === 'backup').map((p) => p.host.name);
  if (!hold.length || !directors.some((p) => p.changed && p.host.role === 'master')) return undefined;
  return { keys: [...keys].sort(), hold };
}

export interface VrrpStage<T> extends Stage<T> {
  /** Hold these backups (stop their keepalived) before the stage's items. */
  hold?: string[];
}

/**
 * The apply stages for a VRRP change: real servers, then hold the backups, then the master,
 * then the backups (each starting keepalived with the new parameters). Without a change the
 * usual stages (order.ts) are returned as they are.
 */
export function vrrpStages<T extends { role: HostRole }>(stages: Stage<T>[], change: VrrpChange | undefined): VrrpStage<T>[] {
  if (!change) return stages;
  const masters = stages.filter((s) => s.items.some((i) => i.role === 'master'));
  const backups = stages.filter((s) => s.items.some((i) => i.role === 'backup'));
  const rest = stages.filter((s) => !masters.includes(s) && !backups.includes(s));
  const [first, ...more] = masters;
  return [...rest, ...(first ? [{ ...first, hold: change.hold }] : []), ...more, ...backups];
}

/** Stops keepalived on a backup director; records the start marker's state for the release. */
export function holdScript(): string {
  return [
    `R=${sq(HOLD_RECORD)}`,
    `M=${sq(KEEPALIVED_START_MARKER)}`,
    'kp=""',
    'for pf in /run/keepalived.pid /var/run/keepalived.pid; do',
    '  if [ -z "$kp" ] && [ -s "$pf" ]; then read -r kp <"$pf" || true; fi',
    'done',
    'sd=no',
    'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet keepalived 2>/dev/null; then sd=yes; fi',
    'if [ "$sd" = no ] && { [ -z "$kp" ] || ! kill -0 "$kp" 2>/dev/null; }; then echo "not running"; exit 0; fi',
    `mkdir -p ${sq(STATE_DIR)}`,
    // The first hold of a run records the marker; holding again (for a rollback) keeps that.
    'if [ ! -f "$R" ]; then if [ -f "$M" ]; then echo "marker=yes" >"$R"; else echo "marker=no" >"$R"; fi; fi',
    'if [ "$sd" = yes ]; then systemctl stop keepalived; else kill -TERM "$kp"; fi',
    // keepalived leaves once its children have ended; wait (20 s at most) so it is really gone.
    'i=0',
    'while [ -n "$kp" ] && kill -0 "$kp" 2>/dev/null; do',
    '  i=$((i+1))',
    '  if [ "$i" -gt 200 ]; then echo "keepalived (pid $kp) did not stop" >&2; exit 1; fi',
    '  sleep 0.1',
    'done',
    'echo "stopped"',
  ].join('\n');
}

/**
 * Starts keepalived again if the hold stopped it and nothing started it since, and puts the
 * start marker back as it was before the hold; tells this run's backup that keepalived was
 * running before the deploy (the backup step ran during the hold and saw it stopped).
 */
export function releaseScript(deployId: string, conf = KEEPALIVED_CONF): string {
  return [
    `R=${sq(HOLD_RECORD)}`,
    `M=${sq(KEEPALIVED_START_MARKER)}`,
    `B=${sq(backupDir(deployId))}`,
    'if [ ! -f "$R" ]; then echo "nothing held"; exit 0; fi',
    'kp=""',
    'for pf in /run/keepalived.pid /var/run/keepalived.pid; do',
    '  if [ -z "$kp" ] && [ -s "$pf" ]; then read -r kp <"$pf" || true; fi',
    'done',
    'what="running"',
    'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then',
    '  if ! systemctl is-active --quiet keepalived 2>/dev/null; then systemctl start keepalived; what="started"; fi',
    'elif [ -z "$kp" ] || ! kill -0 "$kp" 2>/dev/null; then',
    `  keepalived -f ${sq(conf)}`,
    '  what="started"',
    'fi',
    'read -r was <"$R" || true',
    'if [ "$was" = "marker=no" ]; then rm -f "$M"; fi',
    'if [ -d "$B" ]; then echo yes >"$B/keepalived-was-running"; fi',
    'rm -f "$R"',
    'echo "$what"',
  ].join('\n');
}

/** Holds the backups (in order); each held one is added to `held` before it is stopped. */
export async function holdBackups(s: Session, change: VrrpChange, held: string[], rollback = false): Promise<void> {
  for (const name of change.hold) {
    if (!rollback) s.checkCancel(name, 'hold');
    if (!held.includes(name)) held.push(name);
    await s.step(name, 'hold', async () => {
      const r = await s.remote(name).run(holdScript(), s.commandTimeout);
      if (r.code !== 0) throw new DeployError(name, 'hold', t`cannot stop keepalived: ${failureText(r)}`);
      return r.stdout.trim();
    }, (out) => `keepalived ${out === 'stopped' ? 'stopped' : 'was not running'} while the master takes the new VRRP settings (${change.keys.join(', ')})`);
  }
}

/**
 * Before the rollback of a failed VRRP change: once the master has taken the new settings, a
 * backup rolled back first would run the old ones beside it (two MASTERs until the master is
 * rolled back). So the backups are held again and the master is rolled back first (its `seq`
 * raised above every other; rollbackRun goes newest first); each backup's rollback then starts
 * keepalived with the old settings beside a master that has them too.
 */
export async function prepareVrrpRollback(s: Session, change: VrrpChange | undefined, progress: Map<string, HostProgress>, held: string[]): Promise<void> {
  const hosts = [...progress.values()];
  const masters = hosts.filter((h) => h.plan.host.role === 'master' && h.applyStarted);
  if (!change || !masters.length) return;
  try {
    await holdBackups(s, change, held, true);
  } catch { /* reported by step(); the rollback goes on */ }
  let top = Math.max(0, ...hosts.map((h) => h.seq ?? 0));
  for (const m of masters) m.seq = ++top;
}

/** Releases every held backup; failures are reported and collected, never thrown. */
export async function releaseBackups(s: Session, held: string[]): Promise<string[]> {
  const failed: string[] = [];
  for (const name of held) {
    try {
      const r = await s.ensureConnected(name);
      await s.step(name, 'release', async () => {
        const x = await r.run(releaseScript(s.runId), s.commandTimeout);
        if (x.code !== 0) throw new DeployError(name, 'release', t`cannot start keepalived again: ${failureText(x)}`);
        return x.stdout.trim();
      }, (out) => `keepalived ${out}`);
    } catch {
      failed.push(name);
    }
  }
  return failed;
}
