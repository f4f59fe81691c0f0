// /opt/lvs/apply.sh: idempotent runtime apply on every host. Running it twice changes nothing
// the second time. Order matters:
//   real server  kernel settings (ARP) → VIPs on lo → boot persistence hook
//   director     kernel settings → (no ha) VIPs on the NIC, announced by gratuitous ARP when
//                added → IPVS rules, changed only when `ipvsadm -S -n` differs from the wanted
//                table, edited in place (-E/-e) rather than flushed, so established connections
//                keep their entries
//                (ha) `keepalived -t` → reload by SIGHUP / `systemctl reload` or start; never
//                restart (a restart drops and re-adds every VIP and rule)
// What the file no longer has is removed, but only what this tool owns, as recorded on the host
// under STATE_DIR by earlier runs (an address or sysctl that was there before is never touched):
//   addresses       "DEV ADDRESS/32" per line: the VIPs an apply.sh added (kept while wanted)
//   ipvs.services   "PROTO ADDRESS:PORT" per line: the IPVS services of the last apply (no ha)
//   sysctl.saved    "KEY=VALUE" per line: each key's value before the first apply that set it;
//                   a key the file no longer sets goes back to that value and leaves the record
// So running the apply.sh of the previous deployment converges the host back to it without a
// teardown (the deploy engine's rollback relies on it: CONVERGES_MARK).
import { DIRECTOR_VIP_UNIT } from './director-alias';
import { applyDirectorBoot, FN_IPVS_TIMEOUTS } from './director-boot';
import { HostContext, MODE_SCRIPT, SCRIPT_DIR, STATE_DIR } from './context';
import { ipvsDest, ipvsDestLine, ipvsRules, ipvsServiceLine } from './ipvsadm-rules';
import { KEEPALIVED_CONF } from './keepalived';
import { ClusterSpec, hostCidr, PlacedVip, serviceKey } from './spec';
import { HostShape, sharedFile } from './shared-body';
import { SERVER_VIP_UNIT } from './rs-loopback';
import {
  destOptions, fnHasAddr, FN_KEEPALIVED_PID, FN_KEEPALIVED_RUNNING, FN_SYSTEMD, fnOwnRules, fnWantedRules,
  SCRIPT_HEAD, serviceOptions, STATE_VARS,
} from './shell';
import { sq } from '../shared/shell-quote';
import { block, Lines } from './text';
import { GeneratedFile } from './types';

export const APPLY_SCRIPT = `${SCRIPT_DIR}/apply.sh`;

/**
 * A line of every apply.sh that removes what its file no longer has: the deploy engine rolls a
 * host back by running the restored apply.sh alone (no teardown) only when it carries this line.
 */
export const CONVERGES_MARK = '# lvs-dr: converges (removes the runtime state it owns that the file no longer has)';

const FN_SET_SYSCTL = block(
  '# set_sysctl KEY VALUE: records the value KEY had before the first apply (for rollback.sh),',
  '# then sets KEY only when it differs.',
  'set_sysctl() {',
  '  current=$(sysctl -n "$1") || return 1',
  "  current=$(printf '%s' \"$current\" | tr '\\t' ' ')",
  '  if ! { [ -f "$SAVED" ] && cut -d= -f1 "$SAVED" | grep -qxF -- "$1"; }; then',
  "    printf '%s=%s\\n' \"$1\" \"$current\" >>\"$SAVED\"",
  '  fi',
  '  if [ "$current" = "$2" ]; then',
  '    echo "unchanged: sysctl $1 = $2"',
  '  else',
  '    sysctl -q -w "$1=$2"',
  '    echo "changed: sysctl $1 = $2 (was $current)"',
  '  fi',
  '}',
);

/**
 * ensure_addr of a cluster with IPv6 VIPs. An IPv6 address has no label and is added with
 * `nodad`: a VIP must be usable at once (on lo there is no duplicate address detection anyway,
 * and a director taking over must not wait for it). Gratuitous ARP is IPv4 only: an IPv6 VIP
 * is learnt by neighbours through their own Neighbor Solicitations.
 */
const fnEnsureAddrBoth = (announce: boolean) => block(
  '# ensure_addr DEV ADDRESS/PREFIX [LABEL]: adds the address only when it is missing, and',
  '# records it as owned. An address already there stays owned only if an earlier run owned it',
  '# (one the administrator put there is never removed). IPv6: no label, no duplicate address',
  '# detection (the VIP is usable at once).',
  'ensure_addr() {',
  '  if has_addr "$1" "$2"; then',
  '    echo "unchanged: $2 on $1"',
  '    if [ -f "$OWNED" ] && grep -qxF -- "$1 $2" "$OWNED"; then',
  "      printf '%s %s\\n' \"$1\" \"$2\" >>\"$OWNED.new\"",
  '    fi',
  '  else',
  '    case $2 in',
  '      *:*) ip addr add "$2" dev "$1" nodad ;;',
  '      *)',
  '        if [ -n "${3:-}" ]; then',
  '          ip addr add "$2" dev "$1" label "$3"',
  '        else',
  '          ip addr add "$2" dev "$1"',
  '        fi',
  ...(announce ? ['        announce "$1" "$2"'] : []),
  '        ;;',
  '    esac',
  "    printf '%s %s\\n' \"$1\" \"$2\" >>\"$OWNED.new\"",
  '    echo "added: $2 on ${3:-$1}"',
  '  fi',
  '}',
);

/** On a director without ha, an address it adds is announced (FN_ANNOUNCE); never on a real server. */
const fnEnsureAddr = (announce: boolean, six: boolean) => six ? fnEnsureAddrBoth(announce) : block(
  '# ensure_addr DEV ADDRESS/PREFIX [LABEL]: adds the address only when it is missing, and',
  '# records it as owned. An address already there stays owned only if an earlier run owned it',
  '# (one the administrator put there is never removed).',
  'ensure_addr() {',
  '  if has_addr "$1" "$2"; then',
  '    echo "unchanged: $2 on $1"',
  '    if [ -f "$OWNED" ] && grep -qxF -- "$1 $2" "$OWNED"; then',
  "      printf '%s %s\\n' \"$1\" \"$2\" >>\"$OWNED.new\"",
  '    fi',
  '  else',
  '    if [ -n "${3:-}" ]; then',
  '      ip addr add "$2" dev "$1" label "$3"',
  '    else',
  '      ip addr add "$2" dev "$1"',
  '    fi',
  "    printf '%s %s\\n' \"$1\" \"$2\" >>\"$OWNED.new\"",
  '    echo "added: $2 on ${3:-$1}"',
  ...(announce ? ['    announce "$1" "$2"'] : []),
  '  fi',
  '}',
);

const FN_ANNOUNCE = block(
  '# announce DEV ADDRESS/PREFIX: gratuitous ARP, so the router and the clients on the segment',
  '# move their entry for the address to this host now rather than when it expires (a VIP that',
  '# moved here from another director). iputils-arping and Debian\'s arping both read -U -c -I.',
  'announce() {',
  '  if ! command -v arping >/dev/null 2>&1; then',
  '    echo "warning: arping is not installed: neighbours learn ${2%/*} on $1 only when their ARP entry expires" >&2',
  "  elif arping -U -c 2 -I \"$1\" \"${2%/*}\" >/dev/null 2>&1; then",
  '    echo "announced: ${2%/*} on $1 (gratuitous ARP)"',
  '  else',
  '    echo "warning: arping -U failed for ${2%/*} on $1" >&2',
  '  fi',
  '}',
);

/** Removes the recorded addresses this run did not keep, then makes the kept ones the record. */
const REMOVE_UNOWNED_ADDRS = block(
  '# Addresses an earlier apply.sh added that this configuration no longer has.',
  'if [ -f "$OWNED" ]; then',
  '  while read -r dev addr; do',
  '    if ! grep -qxF -- "$dev $addr" "$OWNED.new" && has_addr "$dev" "$addr"; then',
  '      ip addr del "$addr" dev "$dev"',
  '      echo "removed: $addr from $dev"',
  '    fi',
  '  done <"$OWNED"',
  'fi',
  'mv "$OWNED.new" "$OWNED"',
);

/**
 * A director without ha: a keepalived that a deployment started (an earlier configuration with
 * ha) is stopped first, before this script puts the VIPs and the IPVS table in place (keepalived
 * removes its VIPs and services when it stops).
 */
function stopOwnedKeepalived(): string[] {
  return [
    '# 0. No ha in this configuration: stop the keepalived an earlier apply.sh started.',
    'if [ -f "$STATE_DIR/keepalived.started" ]; then',
    '  running=$(keepalived_running)',
    '  if [ "$running" = systemd ]; then',
    '    systemctl stop keepalived',
    '  elif [ "$running" = pid ]; then',
    '    kill -TERM "$(keepalived_pid)"',
    '    i=0',
    '    while keepalived_pid >/dev/null && [ "$i" -lt 10 ]; do',
    '      sleep 1',
    '      i=$((i + 1))',
    '    done',
    '  fi',
    '  if [ -f "$STATE_DIR/keepalived.enabled" ] && systemd_running; then',
    '    systemctl disable --quiet keepalived',
    '  fi',
    '  rm -f "$STATE_DIR/keepalived.started" "$STATE_DIR/keepalived.enabled" "$STATE_DIR/keepalived.cksum"',
    "  echo 'stopped: keepalived (this configuration has no ha)'",
    'fi',
  ];
}

/** Deletes the services recorded in ipvs.services that are not among `keys` (opened by `guard`). */
function removeUnownedServices(keys: string[], guard: string): string[] {
  return [
    guard,
    '  while read -r proto addr; do',
    '    case "$proto $addr" in',
    ...(keys.length > 0 ? [`      ${keys.map((k) => sq(k)).join(' | ')}) ;;`] : []),
    '      *)',
    '        if ipvsadm -L -n "$proto" "$addr" >/dev/null 2>&1; then',
    '          ipvsadm -D "$proto" "$addr"',
    '          echo "removed: IPVS service $proto $addr"',
    '        fi',
    '        ;;',
    '    esac',
    '  done <"$STATE_DIR/ipvs.services"',
    'fi',
  ];
}

function ensureAddr(v: PlacedVip): string {
  return `ensure_addr ${sq(v.dev)} ${sq(hostCidr(v.vip))}${v.label !== v.dev ? ` ${sq(v.label)}` : ''}`;
}

/** Sysctls recorded in sysctl.saved that this configuration no longer sets: back to their saved value. */
function restoreUnwanted(keys: string[]): string[] {
  // The generator spells each key one way (model/sysctl.ts), so the record compares exactly.
  const wanted = [...new Set(keys)];
  return [
    '# Kernel settings an earlier apply.sh set that this configuration no longer has: back to',
    '# the value recorded before the first apply that set them.',
    'if [ -f "$SAVED" ]; then',
    '  : >"$SAVED.new"',
    '  while IFS= read -r line; do',
    '    key=${line%%=*}',
    '    value=${line#*=}',
    '    case "$key" in',
    ...(wanted.length > 0 ? [`      ${wanted.map((k) => sq(k)).join(' | ')})`, `        printf '%s\\n' "$line" >>"$SAVED.new"`, '        ;;'] : []),
    '      *)',
    '        sysctl -q -w "$key=$value"',
    '        echo "restored: sysctl $key = $value"',
    '        ;;',
    '    esac',
    '  done <"$SAVED"',
    '  mv "$SAVED.new" "$SAVED"',
    'fi',
  ];
}

/** Boot persistence hooks that need a command (Ubuntu unit, RHEL 9 keyfile). */
function persistenceHook(host: HostShape, all: PlacedVip[]): string[] {
  const unit = host.kind === 'director' ? DIRECTOR_VIP_UNIT : SERVER_VIP_UNIT;
  // RHEL 7's alias files are IPv4 only: its IPv6 VIPs are held by the same oneshot unit as Ubuntu's.
  const byUnit = host.os === 'ubuntu' || host.os === 'rhel7';
  const vips = host.os === 'rhel7' ? all.filter((v) => v.vip.family === 6) : all;
  // (RHEL 7 keeps its IPv4 output unchanged: no disable step; the unit file itself goes with the deploy's file record.)
  if (vips.length === 0 && host.os === 'ubuntu') {
    return [
      `# No VIPs here any more: disable ${unit} if an earlier apply.sh enabled it.`,
      'if [ -f "$STATE_DIR/unit.enabled" ]; then',
      '  if systemd_running; then',
      `    systemctl disable --quiet ${sq(unit)}`,
      '  fi',
      '  rm -f "$STATE_DIR/unit.enabled"',
      "  echo 'disabled: the boot unit of the VIPs'",
      'fi',
      '',
    ];
  }
  if (vips.length === 0) return [];
  if (byUnit) {
    return [
      `# Boot persistence: enable ${unit} (it holds the VIPs at boot; ${host.os === 'ubuntu' ? 'netplan cannot' : 'ifcfg alias files hold no IPv6 address'}).`,
      'if systemd_running; then',
      '  systemctl daemon-reload',
      `  if ! systemctl is-enabled --quiet ${sq(unit)}; then`,
      `    systemctl enable --quiet ${sq(unit)}`,
      '    : >"$STATE_DIR/unit.enabled"',
      `    echo ${sq(`enabled: ${unit}`)}`,
      '  fi',
      'fi',
      '',
    ];
  }
  if (host.os === 'rhel9') {
    return [
      '# Boot persistence: let NetworkManager read the keyfile (it is used from the next',
      '# activation on; the addresses above are the runtime state, nothing is re-activated).',
      "if command -v nmcli >/dev/null 2>&1 && [ \"$(nmcli -t -f RUNNING general 2>/dev/null)\" = running ]; then",
      '  nmcli connection reload',
      'fi',
      '',
    ];
  }
  return [];
}

/**
 * With ha: check keepalived's configuration, then reload or start keepalived. The start marker
 * says that a deployment started keepalived; a running keepalived leaves it as it is, so running
 * apply.sh again, or deploying a newer version, does not lose the fact that keepalived was not
 * running before (it used to be removed, and a later rollback then left keepalived running).
 * rollback.sh stops keepalived when the marker is there; the deploy engine sets the marker aside
 * while it undoes a deploy that found keepalived already running (server/deploy/host-rollback.ts).
 * The marker holds no version on purpose: a version in apply.sh and rollback.sh would change
 * both scripts on every director with every change of the cluster.
 */
function keepalivedStep(): string[] {
  return [
    '# 2. keepalived owns the VIPs and the IPVS rules: check its configuration, then reload',
    '#    it (SIGHUP / systemctl reload) or start it; never restart it.',
    `KEEPALIVED_CONF=${sq(KEEPALIVED_CONF)}`,
    'if ! command -v keepalived >/dev/null 2>&1; then',
    "  echo 'apply: keepalived is not installed' >&2",
    '  exit 1',
    'fi',
    'if [ ! -f "$KEEPALIVED_CONF" ]; then',
    '  echo "apply: $KEEPALIVED_CONF is missing" >&2',
    '  exit 1',
    'fi',
    "if keepalived --help 2>&1 | grep -q -- '--config-test'; then",
    '  if ! keepalived -t -f "$KEEPALIVED_CONF"; then',
    '    echo "apply: keepalived rejects $KEEPALIVED_CONF" >&2',
    '    exit 1',
    '  fi',
    'fi',
    'if systemd_running && systemctl is-enabled --quiet ipvsadm.service 2>/dev/null; then',
    "  echo 'warning: ipvsadm.service is enabled: beside keepalived it adds duplicate rules and overwrites its file when stopped' >&2",
    'fi',
    'sum=$(cksum <"$KEEPALIVED_CONF")',
    '# keepalived.started: a deployment started keepalived (rollback.sh stops it then). A running',
    '# keepalived leaves the marker as it is: a second run of this script did not start it.',
    'running=$(keepalived_running)',
    'if [ "$running" = no ]; then',
    '  if systemd_running; then',
    '    systemctl start keepalived',
    '  else',
    '    keepalived -f "$KEEPALIVED_CONF"',
    '  fi',
    '  : >"$STATE_DIR/keepalived.started"',
    "  echo 'started: keepalived'",
    'elif [ -f "$STATE_DIR/keepalived.cksum" ] && [ "$(cat "$STATE_DIR/keepalived.cksum")" = "$sum" ]; then',
    "  echo 'unchanged: keepalived configuration'",
    'elif [ "$running" = systemd ]; then',
    '  systemctl reload keepalived',
    "  echo 'reloaded: keepalived (systemctl reload)'",
    'else',
    '  kill -HUP "$(keepalived_pid)"',
    "  echo 'reloaded: keepalived (SIGHUP)'",
    'fi',
    "printf '%s\\n' \"$sum\" >\"$STATE_DIR/keepalived.cksum\"",
    'if systemd_running && ! systemctl is-enabled --quiet keepalived; then',
    '  systemctl enable --quiet keepalived',
    '  : >"$STATE_DIR/keepalived.enabled"',
    "  echo 'enabled: keepalived'",
    'fi',
  ];
}

const PURPOSE = [
  'Idempotent runtime apply: brings the running kernel to the state the generated files',
  'describe, changing only what differs. Safe to run again at any time.',
  `Records the previous sysctl values in ${STATE_DIR}/sysctl.saved for rollback.sh.`,
];

const APPLY = sharedFile(APPLY_SCRIPT, MODE_SCRIPT, { purpose: PURPOSE, ...SCRIPT_HEAD }, applyBody);

export function generateApplyScript(ctx: HostContext): GeneratedFile {
  return ctx.bodies.files(ctx, APPLY)[0];
}

function applyBody(spec: ClusterSpec, host: HostShape): Lines {
  const ha = !!spec.ha && host.kind === 'director';
  const ipvs = !spec.ha && host.kind === 'director';
  const vips = host.kind === 'director' ? (spec.ha ? [] : host.vips) : host.loVips;
  const usesSystemd = host.kind === 'director' || host.os === 'ubuntu';

  const out = new Lines().add(CONVERGES_MARK, STATE_VARS, 'OWNED="$STATE_DIR/addresses"', '');
  out.add(FN_SET_SYSCTL, '');
  out.add(fnHasAddr(spec), '');
  if (ipvs && vips.length > 0) out.add(FN_ANNOUNCE, '');
  if (vips.length > 0) out.add(fnEnsureAddr(ipvs, spec.vips.some((v) => v.family === 6)), '');
  if (usesSystemd) out.add(FN_SYSTEMD, '');
  if (host.kind === 'director') out.add(FN_KEEPALIVED_PID, '', FN_KEEPALIVED_RUNNING, '', ...FN_IPVS_TIMEOUTS, '');
  if (ipvs) {
    out.add(...fnOwnRules(spec.services), '', ...fnWantedRules(ipvsRules(spec)), '');
    out.add(
      '# has_rule LINE: true when LINE is one of the live rules read into $current.',
      'has_rule() {',
      "  printf '%s\\n' \"$current\" | grep -qxF -- \"$1\"",
      '}',
      '',
      '# has_entry TEXT: true when a live rule starts with TEXT (service or real server).',
      'has_entry() {',
      "  printf '%s\\n' \"$current\" | grep -qF -- \"$1\"",
      '}',
      '',
      '# sync_rules: adds what is missing, edits what differs, removes real servers that are',
      '# no longer wanted; never flushes the table.',
      'sync_rules() {',
    );
    for (const svc of spec.services) {
      const key = serviceKey(svc);
      out.add(
        `  if ! has_entry ${sq(`-A ${key} `)}; then`,
        `    ipvsadm -A ${serviceOptions(svc)}`,
        `    echo ${sq(`added: IPVS service ${key}`)}`,
        `  elif ! has_rule ${sq(ipvsServiceLine(svc))}; then`,
        `    ipvsadm -E ${serviceOptions(svc)}`,
        `    echo ${sq(`changed: IPVS service ${key}`)}`,
        '  fi',
      );
      for (const r of svc.reals) {
        const dest = ipvsDest(svc, r);
        out.add(
          `  if ! has_entry ${sq(`-a ${key} -r ${dest} `)}; then`,
          `    ipvsadm -a ${destOptions(svc, r)}`,
          `    echo ${sq(`added: real server ${dest} to ${key}`)}`,
          `  elif ! has_rule ${sq(ipvsDestLine(svc, r))}; then`,
          `    ipvsadm -e ${destOptions(svc, r)}`,
          `    echo ${sq(`changed: real server ${dest} of ${key}`)}`,
          '  fi',
        );
      }
    }
    const wantedDests = spec.services.flatMap((svc) => svc.reals.map((r) => sq(`${serviceKey(svc)} ${ipvsDest(svc, r)}`)));
    out.add(
      `  printf '%s\\n' "$current" | awk '$1 == "-a" { print $2, $3, $5 }' | while read -r proto addr real; do`,
      '    case "$proto $addr $real" in',
      ...(wantedDests.length > 0 ? [`      ${wantedDests.join(' | ')}) ;;`] : []),
      '      *)',
      '        ipvsadm -d "$proto" "$addr" -r "$real"',
      '        echo "removed: real server $real from $proto $addr"',
      '        ;;',
      '    esac',
      '  done',
      '}',
      '',
    );
  }

  out.add('mkdir -p "$STATE_DIR"', ': >"$OWNED.new"', '');
  if (ipvs) out.add(...stopOwnedKeepalived(), '');
  out.add(host.kind === 'server'
    ? '# 1. Kernel settings first: the server must never answer ARP for the VIP it is about to hold.'
    : '# 1. Kernel settings (ip_forward first: changing it resets the conf.* keys).');
  for (const [k, v] of host.sysctls) out.add(`set_sysctl ${sq(k)} ${sq(v)}`);
  out.add('');
  if (vips.length > 0) {
    out.add(host.kind === 'server' ? '# 2. The VIPs on lo, /32.' : '# 2. The VIPs on the NIC (no keepalived in this cluster).');
    for (const v of vips) out.add(ensureAddr(v));
    out.add('');
  }
  out.add(REMOVE_UNOWNED_ADDRS, '');
  out.add(...restoreUnwanted(host.sysctls.map(([k]) => k)), '');
  out.add(...persistenceHook(host, vips));
  if (host.kind === 'director') out.add(...applyDirectorBoot(spec, host.os));
  if (ipvs) {
    const keys = [...new Set(spec.services.map(serviceKey))];
    out.add(
      '# 3. The IPVS table of this cluster, only when it differs from the wanted one.',
      'if ! command -v ipvsadm >/dev/null 2>&1; then',
      "  echo 'apply: ipvsadm is not installed' >&2",
      '  exit 1',
      'fi',
      '# Services an earlier apply.sh added that this configuration no longer has.',
      ...removeUnownedServices(keys, 'if [ -f "$STATE_DIR/ipvs.services" ]; then'),
      'current=$(own_rules)',
      'wanted=$(wanted_rules)',
      'if [ "$current" = "$wanted" ]; then',
      "  echo 'unchanged: IPVS rules'",
      'else',
      '  sync_rules',
      'fi',
      keys.length > 0 ? `printf '%s\\n' ${keys.map((k) => sq(k)).join(' ')} >"$STATE_DIR/ipvs.services"` : ': >"$STATE_DIR/ipvs.services"',
      '',
    );
  }
  if (ha) {
    const keys = [...new Set(spec.services.map(serviceKey))];
    out.add(
      '# IPVS services an apply.sh without ha added that this configuration no longer has',
      "# (keepalived owns this cluster's services now; the record is no longer kept).",
      ...removeUnownedServices(keys, 'if [ -f "$STATE_DIR/ipvs.services" ] && command -v ipvsadm >/dev/null 2>&1; then'),
      'rm -f "$STATE_DIR/ipvs.services"',
      '',
      ...keepalivedStep(),
      '',
    );
  }
  out.add("echo 'apply: done'");
  return out;
}
