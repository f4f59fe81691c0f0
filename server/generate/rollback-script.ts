// /opt/lvs/rollback.sh: undoes the runtime state apply.sh created. The contract with the
// deploy engine (also written in the script's header):
//   - The script is self-contained: it embeds every value it needs and reads none of the
//     generated files, so the engine keeps the copy of the generation being undone and runs
//     it (e.g. `sh -s < rollback.sh` over SSH) after it restored the previous files.
//   - Order on a host: restore the previous files → run this rollback.sh → if the host had a
//     previous deployment, run that deployment's apply.sh.
//   - What it undoes: this cluster's IPVS services (ipvsadm -D, never -C), the VIPs it added
//     (lo aliases on real servers, the NIC aliases on directors without ha, and every address
//     recorded in /var/lib/lvs-dr/addresses), the sysctls
//     recorded in /var/lib/lvs-dr/sysctl.saved (values before the first apply.sh; the file is
//     removed afterwards), the boot units apply.sh enabled, and keepalived: stopped when a
//     deployment started it (keepalived.started; the engine sets the marker aside when the
//     deploy it undoes found keepalived running), otherwise reloaded so it reads the restored
//     configuration.
//   - Idempotent: anything already gone is skipped; running it twice is harmless.
// Order is the reverse of apply.sh: rules, then VIPs, then kernel settings (a real server keeps
// ignoring ARP until its VIP is gone).
import { DIRECTOR_VIP_UNIT } from './director-alias';
import { rollbackDirectorBoot } from './director-boot';
import { HostContext, MODE_SCRIPT, SCRIPT_DIR, STATE_DIR } from './context';
import { ClusterSpec, hostCidr, serviceKey } from './spec';
import { HostShape, sharedFile } from './shared-body';
import { SERVER_VIP_UNIT } from './rs-loopback';
import { addrDel, fnHasAddr, FN_KEEPALIVED_PID, FN_KEEPALIVED_RUNNING, FN_SYSTEMD, SCRIPT_HEAD, STATE_VARS } from './shell';
import { sq } from '../shared/shell-quote';
import { block, Lines } from './text';
import { GeneratedFile } from './types';

export const ROLLBACK_SCRIPT = `${SCRIPT_DIR}/rollback.sh`;

/** The last step of every rollback.sh: the sysctls saved by the first apply.sh. */
const RESTORE_SYSCTLS = block(
  'if [ -f "$SAVED" ]; then',
  '  while IFS= read -r line; do',
  '    key=${line%%=*}',
  '    value=${line#*=}',
  '    sysctl -q -w "$key=$value"',
  '    echo "restored: sysctl $key = $value"',
  '  done <"$SAVED"',
  '  rm -f "$SAVED"',
  'fi',
  '',
  "echo 'rollback: done'",
);

const PURPOSE = [
  'Undoes the runtime state apply.sh created. Contract with the deploy engine:',
  '- self-contained: it reads none of the generated files, so the engine keeps this copy and',
  '  runs it after restoring the previous files (e.g. `sh -s < rollback.sh`);',
  '- order on a host: restore previous files, run this script, then run the previous',
  "  deployment's apply.sh if there was one;",
  `- undoes: this cluster's IPVS services (ipvsadm -D), the VIPs, the sysctls saved in`,
  `  ${STATE_DIR}/sysctl.saved (then removed), units apply.sh enabled, and keepalived`,
  '  (stopped if apply.sh started it, else reloaded to read the restored configuration);',
  '- idempotent: what is already gone is skipped.',
];

const ROLLBACK = sharedFile(ROLLBACK_SCRIPT, MODE_SCRIPT, { purpose: PURPOSE, ...SCRIPT_HEAD }, rollbackBody);

export function generateRollbackScript(ctx: HostContext): GeneratedFile {
  return ctx.bodies.files(ctx, ROLLBACK)[0];
}

function rollbackBody(spec: ClusterSpec, host: HostShape): Lines {
  const ha = !!spec.ha && host.kind === 'director';
  const ipvs = !spec.ha && host.kind === 'director';
  const vips = host.kind === 'director' ? (spec.ha ? [] : host.vips) : host.loVips;
  const unit = host.os === 'ubuntu' && vips.length > 0 ? (host.kind === 'director' ? DIRECTOR_VIP_UNIT : SERVER_VIP_UNIT) : undefined;

  const out = new Lines().add(STATE_VARS, '');
  out.add(fnHasAddr(spec), '');
  if (ha || unit || host.kind === 'director') out.add(FN_SYSTEMD, '');
  if (ha) out.add(FN_KEEPALIVED_PID, '', FN_KEEPALIVED_RUNNING, '');

  let step = 0;
  const next = () => `${++step}.`;
  if (ipvs) {
    out.add(`# ${next()} This cluster's IPVS services (and any an earlier apply.sh recorded).`, 'if command -v ipvsadm >/dev/null 2>&1; then');
    const keys = [...new Set(spec.services.map(serviceKey))];
    out.add(
      '  {',
      ...keys.map((k) => `    echo ${sq(k)}`),
      '    if [ -f "$STATE_DIR/ipvs.services" ]; then',
      '      cat "$STATE_DIR/ipvs.services"',
      '    fi',
      '  } | LC_ALL=C sort -u | while read -r proto addr; do',
      '    if ipvsadm -L -n "$proto" "$addr" >/dev/null 2>&1; then',
      '      ipvsadm -D "$proto" "$addr"',
      '      echo "removed: IPVS service $proto $addr"',
      '    fi',
      '  done',
      'fi',
      'rm -f "$STATE_DIR/ipvs.services"',
      '',
    );
  }
  if (ha) {
    out.add(
      `# ${next()} keepalived: stop it if a deployment started it, else reload it (restored configuration).`,
      'running=$(keepalived_running)',
      'if [ -f "$STATE_DIR/keepalived.started" ]; then',
      '  if [ "$running" = systemd ]; then',
      '    systemctl stop keepalived',
      '  elif [ "$running" = pid ]; then',
      '    kill -TERM "$(keepalived_pid)"',
      '  fi',
      '  rm -f "$STATE_DIR/keepalived.started"',
      "  echo 'stopped: keepalived'",
      'elif [ "$running" = systemd ]; then',
      '  systemctl reload keepalived',
      "  echo 'reloaded: keepalived'",
      'elif [ "$running" = pid ]; then',
      '  kill -HUP "$(keepalived_pid)"',
      "  echo 'reloaded: keepalived'",
      'fi',
      'if [ -f "$STATE_DIR/keepalived.enabled" ]; then',
      '  if systemd_running; then',
      '    systemctl disable --quiet keepalived',
      '  fi',
      '  rm -f "$STATE_DIR/keepalived.enabled"',
      'fi',
      'rm -f "$STATE_DIR/keepalived.cksum"',
      '',
    );
  }
  if (host.kind === 'director') {
    out.add(`# ${next()} Firewall marks, the boot unit of director-boot.sh, IPVS timeouts (as before the first apply).`, ...rollbackDirectorBoot(host.os), '');
  }
  if (vips.length > 0) {
    out.add(`# ${next()} ${host.kind === 'server' ? 'The VIPs on lo.' : 'The VIPs on the NIC.'}`);
    for (const v of vips) {
      const addr = hostCidr(v.vip);
      out.add(`if has_addr ${sq(v.dev)} ${sq(addr)}; then`, `  ${addrDel(v)}`, `  echo ${sq(`removed: ${addr} from ${v.dev}`)}`, 'fi');
    }
    out.add('');
  }
  out.add(
    `# ${next()} Any other address an apply.sh recorded as its own (e.g. a VIP of an earlier configuration).`,
    'if [ -f "$STATE_DIR/addresses" ]; then',
    '  while read -r dev addr; do',
    '    if has_addr "$dev" "$addr"; then',
    '      ip addr del "$addr" dev "$dev"',
    '      echo "removed: $addr from $dev"',
    '    fi',
    '  done <"$STATE_DIR/addresses"',
    '  rm -f "$STATE_DIR/addresses"',
    'fi',
    '',
  );
  if (host.os === 'rhel9' && vips.length > 0) {
    out.add(
      '# NetworkManager reads the restored keyfiles (nothing is re-activated).',
      "if command -v nmcli >/dev/null 2>&1 && [ \"$(nmcli -t -f RUNNING general 2>/dev/null)\" = running ]; then",
      '  nmcli connection reload',
      'fi',
      '',
    );
  }
  if (unit) {
    out.add(
      '# Boot unit enabled by apply.sh.',
      'if [ -f "$STATE_DIR/unit.enabled" ]; then',
      '  if systemd_running; then',
      `    systemctl disable --quiet ${sq(unit)}`,
      '  fi',
      '  rm -f "$STATE_DIR/unit.enabled"',
      'fi',
      '',
    );
  }
  out.add(`# ${next()} Kernel settings: the values recorded before the first apply.sh, in the same order.`, RESTORE_SYSCTLS);
  return out;
}
