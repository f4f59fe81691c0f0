// /opt/lvs/apply.sh: idempotent runtime apply on every host. Running it twice changes nothing
// the second time. Order matters:
//   real server  kernel settings (ARP) → VIPs on lo → boot persistence hook
//   director     kernel settings → (no ha) VIPs on the NIC → IPVS rules, changed only when
//                `ipvsadm -S -n` differs from the wanted table, edited in place (-E/-e) rather
//                than flushed, so established connections keep their entries
//                (ha) `keepalived -t` → reload by SIGHUP / `systemctl reload` or start; never
//                restart (a restart drops and re-adds every VIP and rule)
// Before changing a sysctl for the first time it records the previous value in
// /var/lib/lvs-dr/sysctl.saved, which rollback.sh restores.
import { DIRECTOR_VIP_UNIT } from './director-alias';
import { HostContext, MODE_SCRIPT, SCRIPT_DIR, STATE_DIR } from './context';
import { ipvsDestLine, ipvsRules, ipvsServiceLine } from './ipvsadm-rules';
import { KEEPALIVED_CONF } from './keepalived';
import { ClusterPlan, PlacedVip, serviceKey } from './plan';
import { HostShape, sharedFile } from './shared-body';
import { SERVER_VIP_UNIT } from './rs-loopback';
import {
  addrAdd, destOptions, FN_HAS_ADDR, FN_KEEPALIVED_PID, FN_KEEPALIVED_RUNNING, FN_SYSTEMD, fnOwnRules, fnWantedRules,
  SCRIPT_HEAD, serviceOptions, STATE_VARS,
} from './shell';
import { sq } from '../shared/shell-quote';
import { block, Lines } from './text';
import { GeneratedFile } from './types';

export const APPLY_SCRIPT = `${SCRIPT_DIR}/apply.sh`;

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

const FN_ENSURE_ADDR = block(
  '# ensure_addr DEV ADDRESS/PREFIX LABEL: adds the address only when it is missing.',
  'ensure_addr() {',
  '  if has_addr "$1" "$2"; then',
  '    echo "unchanged: $2 on $1"',
  '  else',
  '    ip addr add "$2" dev "$1" label "$3"',
  '    echo "added: $2 on $3"',
  '  fi',
  '}',
);

function ensureAddr(v: PlacedVip): string {
  return v.label !== v.dev
    ? `ensure_addr ${sq(v.dev)} ${sq(`${v.vip.address}/32`)} ${sq(v.label)}`
    : `has_addr ${sq(v.dev)} ${sq(`${v.vip.address}/32`)} || ${addrAdd(v)}`;
}

/** Boot persistence hooks that need a command (Ubuntu unit, RHEL 9 keyfile). */
function persistenceHook(host: HostShape, vips: PlacedVip[]): string[] {
  if (vips.length === 0) return [];
  if (host.os === 'ubuntu') {
    const unit = host.kind === 'director' ? DIRECTOR_VIP_UNIT : SERVER_VIP_UNIT;
    return [
      `# Boot persistence: enable ${unit} (it holds the VIPs at boot; netplan cannot).`,
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

function applyBody(plan: ClusterPlan, host: HostShape): Lines {
  const ha = !!plan.ha && host.kind === 'director';
  const ipvs = !plan.ha && host.kind === 'director';
  const vips = host.kind === 'director' ? (plan.ha ? [] : host.vips) : host.loVips;
  const usesSystemd = ha || (host.os === 'ubuntu' && vips.length > 0);

  const out = new Lines().add(STATE_VARS, '');
  out.add(FN_SET_SYSCTL, '');
  if (vips.length > 0) out.add(FN_HAS_ADDR, '', FN_ENSURE_ADDR, '');
  if (usesSystemd) out.add(FN_SYSTEMD, '');
  if (ha) out.add(FN_KEEPALIVED_PID, '', FN_KEEPALIVED_RUNNING, '');
  if (ipvs) {
    out.add(...fnOwnRules(plan.services), '', ...fnWantedRules(ipvsRules(plan)), '');
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
    for (const svc of plan.services) {
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
        const dest = `${r.address}:${r.port}`;
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
    const wantedDests = plan.services.flatMap((svc) => svc.reals.map((r) => sq(`${serviceKey(svc)} ${r.address}:${r.port}`)));
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

  out.add('mkdir -p "$STATE_DIR"', '');
  out.add(host.kind === 'server'
    ? '# 1. Kernel settings first: the server must never answer ARP for the VIP it is about to hold.'
    : '# 1. Kernel settings (ip_forward first: changing it resets the conf.* keys).');
  for (const [k, v] of host.sysctls) out.add(`set_sysctl ${sq(k)} ${sq(v)}`);
  out.add('');
  if (vips.length > 0) {
    out.add(host.kind === 'server' ? '# 2. The VIPs on lo, /32.' : '# 2. The VIPs on the NIC (no keepalived in this cluster).');
    for (const v of vips) out.add(ensureAddr(v));
    out.add('');
    out.add(...persistenceHook(host, vips));
  }
  if (ipvs) {
    const keys = [...new Set(plan.services.map(serviceKey))];
    out.add(
      '# 3. The IPVS table of this cluster, only when it differs from the wanted one.',
      'if ! command -v ipvsadm >/dev/null 2>&1; then',
      "  echo 'apply: ipvsadm is not installed' >&2",
      '  exit 1',
      'fi',
      '# Services an earlier apply.sh added that this configuration no longer has.',
      'if [ -f "$STATE_DIR/ipvs.services" ]; then',
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
  if (ha) out.add(...keepalivedStep(), '');
  out.add("echo 'apply: done'");
  return out;
}
