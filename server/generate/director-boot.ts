// What a director needs besides IPVS rules and keepalived for two features of the language:
//   - the firewall marks of multi-port services (`ports 80 443`): IPVS matches a fwmark service
//     by the mark the director's firewall puts on packets to VIP:PORT. nftables on rhel9, Debian
//     and Ubuntu (their default firewall), iptables on rhel7. The rules live in a table (nft
//     `ip lvs_dr`) or chain (iptables mangle `LVS-DR`) of their own, replaced as a whole, so
//     nothing an administrator wrote is touched;
//   - the IPVS connection timeouts (`timeouts { … }`, ipvsadm --set), which no file of ipvsadm
//     or the kernel keeps across a reboot (keepalived sets them itself with lvs_timeouts).
// /opt/lvs/director-boot.sh start|stop|status applies or removes both; the unit
// lvs-dr-director.service runs it at boot, before keepalived. apply.sh runs it too;
// rollback.sh embeds its own copy of the removal (it reads no generated file).
import { HostContext, headerFor, MODE_FILE, MODE_SCRIPT, SCRIPT_DIR } from './context';
import { ClusterSpec, ServiceSpec, TargetOs } from './spec';
import { scriptHeader } from './shell';
import { sq } from '../shared/shell-quote';
import { Lines } from './text';
import { GeneratedFile } from './types';

export const DIRECTOR_BOOT_SCRIPT = `${SCRIPT_DIR}/director-boot.sh`;
export const DIRECTOR_BOOT_UNIT = 'lvs-dr-director.service';
export const NFT_TABLE = 'lvs_dr';
export const IPT_CHAIN = 'LVS-DR';

export function markedServices(spec: ClusterSpec): ServiceSpec[] {
  return spec.services.filter((s) => s.fwmark !== undefined);
}

/** Whether a director of this spec gets director-boot.sh and its unit. */
export function needsDirectorBoot(spec: ClusterSpec): boolean {
  return markedServices(spec).length > 0 || (!!spec.timeouts && !spec.ha);
}

export function usesNft(os: TargetOs): boolean {
  return os !== 'rhel7';
}

/** `ipvsadm --set TCP TCPFIN UDP` arguments (0 leaves a value unchanged). */
export function timeoutArgs(spec: ClusterSpec): string | undefined {
  const t = spec.timeouts;
  return t ? `${t.tcp} ${t.tcpFin} ${t.udp}` : undefined;
}

/** The nft script that replaces table ip lvs_dr atomically (the first two lines make `delete` safe). */
export function nftRuleset(spec: ClusterSpec): string[] {
  const rules = markedServices(spec).map((s) =>
    `    ip daddr ${s.vip.address} ${s.protocol} dport { ${s.ports.join(', ')} } meta mark set ${s.fwmark}`);
  return [
    `table ip ${NFT_TABLE}`,
    `delete table ip ${NFT_TABLE}`,
    `table ip ${NFT_TABLE} {`,
    '  chain prerouting {',
    '    type filter hook prerouting priority mangle; policy accept;',
    ...rules,
    '  }',
    '}',
  ];
}

/** The iptables-restore input that fills chain LVS-DR of the mangle table (--noflush: nothing else changes). */
export function iptablesRuleset(spec: ClusterSpec): string[] {
  return [
    '*mangle',
    `:${IPT_CHAIN} - [0:0]`,
    ...markedServices(spec).map((s) =>
      `-A ${IPT_CHAIN} -d ${s.vip.address}/32 -p ${s.protocol} -m multiport --dports ${s.ports.join(',')} -j MARK --set-mark ${s.fwmark}`),
    'COMMIT',
  ];
}

/** Shell lines that remove the marking rules (no error when they are gone already). */
export function unmarkLines(os: TargetOs, indent = ''): string[] {
  const lines = usesNft(os)
    ? [
      `if command -v nft >/dev/null 2>&1 && nft list table ip ${NFT_TABLE} >/dev/null 2>&1; then`,
      `  nft delete table ip ${NFT_TABLE}`,
      `  echo 'removed: nftables table ip ${NFT_TABLE} (firewall marks)'`,
      'fi',
    ]
    : [
      `if command -v iptables >/dev/null 2>&1 && iptables -t mangle -S ${IPT_CHAIN} >/dev/null 2>&1; then`,
      `  while iptables -t mangle -D PREROUTING -j ${IPT_CHAIN} 2>/dev/null; do :; done`,
      `  iptables -t mangle -F ${IPT_CHAIN}`,
      `  iptables -t mangle -X ${IPT_CHAIN}`,
      `  echo 'removed: iptables mangle chain ${IPT_CHAIN} (firewall marks)'`,
      'fi',
    ];
  return lines.map((l) => indent + l);
}

/** Shell lines that load the marking rules (replacing what the table or chain held). */
function markLines(spec: ClusterSpec, os: TargetOs): string[] {
  if (usesNft(os)) {
    return [
      "  nft -f - <<'EOF'",
      ...nftRuleset(spec),
      'EOF',
    ];
  }
  return [
    "  iptables-restore --noflush <<'EOF'",
    ...iptablesRuleset(spec),
    'EOF',
    `  iptables -t mangle -C PREROUTING -j ${IPT_CHAIN} 2>/dev/null || iptables -t mangle -I PREROUTING -j ${IPT_CHAIN}`,
  ];
}

export function generateDirectorBoot(ctx: HostContext): GeneratedFile[] {
  const { spec, host } = ctx;
  if (host.kind !== 'director' || !needsDirectorBoot(spec)) return [];
  const marked = markedServices(spec).length > 0;
  const t = timeoutArgs(spec);
  const tool = usesNft(host.os) ? 'nft' : 'iptables';
  const out = new Lines().add(...scriptHeader(ctx, DIRECTOR_BOOT_SCRIPT, [
    'Firewall marks of the multi-port services and IPVS timeouts of this director.',
    `Usage: director-boot.sh start|stop|status. Run at boot by ${DIRECTOR_BOOT_UNIT}, and by apply.sh.`,
    marked ? `The marks live in ${usesNft(host.os) ? `nftables table ip ${NFT_TABLE}` : `iptables mangle chain ${IPT_CHAIN}`}, replaced as a whole.` : 'No multi-port service: no firewall marks.',
  ]));
  out.add('start() {');
  if (marked) out.add(...markLines(spec, host.os));
  if (t && !spec.ha) out.add(`  ipvsadm --set ${t.split(' ').map(sq).join(' ')}`);
  if (!marked && !(t && !spec.ha)) out.add('  :');
  out.add('}', '', 'stop() {');
  if (marked) out.add(...unmarkLines(host.os, '  '));
  else out.add('  :');
  out.add('}', '', 'case "${1:-}" in', '  start) start ;;', '  stop) stop ;;', '  status)');
  if (marked) out.add(usesNft(host.os) ? `    ${tool} list table ip ${NFT_TABLE}` : `    iptables -t mangle -S ${IPT_CHAIN}`);
  out.add(
    '    ipvsadm -L --timeout',
    '    ;;',
    '  *)',
    '    echo "usage: $0 start|stop|status" >&2',
    '    exit 2',
    '    ;;',
    'esac',
  );
  const unitPath = `/etc/systemd/system/${DIRECTOR_BOOT_UNIT}`;
  const unit = new Lines().add(...headerFor(ctx, unitPath, [
    'Firewall marks and IPVS timeouts of this director at boot, before keepalived.',
  ]));
  unit.add(
    '[Unit]',
    `Description=LVS-DR firewall marks and IPVS timeouts of cluster ${spec.name}`,
    'Wants=network-pre.target',
    'After=network-pre.target',
    'Before=keepalived.service ipvsadm.service',
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `ExecStart=/bin/sh ${DIRECTOR_BOOT_SCRIPT} start`,
    `ExecStop=/bin/sh ${DIRECTOR_BOOT_SCRIPT} stop`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  );
  return [
    { host: host.name, path: DIRECTOR_BOOT_SCRIPT, mode: MODE_SCRIPT, content: out.toString() },
    { host: host.name, path: unitPath, mode: MODE_FILE, content: unit.toString() },
  ];
}

// ---- the parts apply.sh, verify.sh and rollback.sh take from here --------------------------

/** `ipvs_timeouts`: prints the live IPVS timeouts as `TCP TCPFIN UDP` (seconds). */
export const FN_IPVS_TIMEOUTS = [
  '# ipvs_timeouts: the live IPVS timeouts as "TCP TCPFIN UDP" (ipvsadm -L --timeout).',
  'ipvs_timeouts() {',
  "  ipvsadm -L --timeout | awk '/^Timeout/ { print $(NF-2), $(NF-1), $NF }'",
  '}',
];

/** The wanted timeouts as the shell computes them: a 0 keeps the live value. */
function wantedTimeouts(spec: ClusterSpec): string {
  const t = spec.timeouts!;
  const pick = (v: number, field: string) => (v > 0 ? String(v) : field);
  return `$(ipvs_timeouts | awk '{ print ${pick(t.tcp, '$1')}, ${pick(t.tcpFin, '$2')}, ${pick(t.udp, '$3')} }')`;
}

/** Whether the marking rules are loaded: nft table or iptables chain present and hooked. */
function marksLoaded(os: TargetOs): string {
  return usesNft(os)
    ? `nft list table ip ${NFT_TABLE} >/dev/null 2>&1`
    : `iptables -t mangle -C PREROUTING -j ${IPT_CHAIN} 2>/dev/null`;
}

/**
 * apply.sh on a director: IPVS timeouts (the live values before the first apply are recorded for
 * rollback.sh), the firewall marks and the boot unit; what the file no longer has is undone.
 */
export function applyDirectorBoot(spec: ClusterSpec, os: TargetOs): string[] {
  const out: string[] = [
    '# IPVS timeouts: the values before the first apply are kept in ipvs.timeouts for rollback.sh.',
    'if command -v ipvsadm >/dev/null 2>&1; then',
  ];
  if (spec.timeouts) {
    out.push(
      '  if [ ! -f "$STATE_DIR/ipvs.timeouts" ]; then',
      '    ipvs_timeouts >"$STATE_DIR/ipvs.timeouts"',
      '  fi',
      `  wanted=${wantedTimeouts(spec)}`,
      '  if [ "$(ipvs_timeouts)" = "$wanted" ]; then',
      '    echo "unchanged: IPVS timeouts $wanted"',
      '  else',
      '    # shellcheck disable=SC2086 # three numbers',
      '    ipvsadm --set $wanted',
      '    echo "changed: IPVS timeouts $wanted"',
      '  fi',
    );
  } else {
    out.push(
      '  if [ -f "$STATE_DIR/ipvs.timeouts" ]; then',
      '    saved=$(cat "$STATE_DIR/ipvs.timeouts")',
      '    # shellcheck disable=SC2086 # three numbers',
      '    [ "$(ipvs_timeouts)" = "$saved" ] || ipvsadm --set $saved',
      '    rm -f "$STATE_DIR/ipvs.timeouts"',
      '    echo "restored: IPVS timeouts $saved"',
      '  fi',
    );
  }
  out.push('fi', '');
  if (markedServices(spec).length > 0) {
    out.push(
      '# Firewall marks of the multi-port services (director-boot.sh), loaded when they changed.',
      `sum=$(cksum <${sq(DIRECTOR_BOOT_SCRIPT)})`,
      `if [ -f "$STATE_DIR/fwmark.cksum" ] && [ "$(cat "$STATE_DIR/fwmark.cksum")" = "$sum" ] && ${marksLoaded(os)}; then`,
      "  echo 'unchanged: firewall marks'",
      'else',
      `  sh ${sq(DIRECTOR_BOOT_SCRIPT)} start`,
      "  echo 'changed: firewall marks loaded'",
      'fi',
      ': >"$STATE_DIR/fwmark.owned"',
      'printf \'%s\\n\' "$sum" >"$STATE_DIR/fwmark.cksum"',
      '',
    );
  } else {
    out.push(
      '# No multi-port service any more: remove the firewall marks an earlier apply.sh loaded.',
      'if [ -f "$STATE_DIR/fwmark.owned" ]; then',
      ...unmarkLines(os, '  '),
      '  rm -f "$STATE_DIR/fwmark.owned" "$STATE_DIR/fwmark.cksum"',
      'fi',
      '',
    );
  }
  if (needsDirectorBoot(spec)) {
    out.push(
      `# Boot persistence: ${DIRECTOR_BOOT_UNIT} runs director-boot.sh before keepalived.`,
      'if systemd_running; then',
      '  systemctl daemon-reload',
      `  if ! systemctl is-enabled --quiet ${sq(DIRECTOR_BOOT_UNIT)}; then`,
      `    systemctl enable --quiet ${sq(DIRECTOR_BOOT_UNIT)}`,
      '    : >"$STATE_DIR/director-unit.enabled"',
      `    echo ${sq(`enabled: ${DIRECTOR_BOOT_UNIT}`)}`,
      '  fi',
      'fi',
      '',
    );
  } else {
    out.push(
      `# No firewall marks or timeouts to restore at boot: disable ${DIRECTOR_BOOT_UNIT} if apply.sh enabled it.`,
      'if [ -f "$STATE_DIR/director-unit.enabled" ]; then',
      '  if systemd_running; then',
      `    systemctl disable --quiet ${sq(DIRECTOR_BOOT_UNIT)}`,
      '  fi',
      '  rm -f "$STATE_DIR/director-unit.enabled"',
      'fi',
      '',
    );
  }
  return out;
}

/** rollback.sh on a director: marks, boot unit and timeouts back to what they were. */
export function rollbackDirectorBoot(os: TargetOs): string[] {
  return [
    'if [ -f "$STATE_DIR/fwmark.owned" ]; then',
    ...unmarkLines(os, '  '),
    '  rm -f "$STATE_DIR/fwmark.owned" "$STATE_DIR/fwmark.cksum"',
    'fi',
    'if [ -f "$STATE_DIR/director-unit.enabled" ]; then',
    '  if systemd_running; then',
    `    systemctl disable --quiet ${sq(DIRECTOR_BOOT_UNIT)}`,
    '  fi',
    '  rm -f "$STATE_DIR/director-unit.enabled"',
    'fi',
    'if [ -f "$STATE_DIR/ipvs.timeouts" ] && command -v ipvsadm >/dev/null 2>&1; then',
    '  saved=$(cat "$STATE_DIR/ipvs.timeouts")',
    '  # shellcheck disable=SC2086 # three numbers',
    '  ipvsadm --set $saved',
    '  rm -f "$STATE_DIR/ipvs.timeouts"',
    '  echo "restored: IPVS timeouts $saved"',
    'fi',
  ];
}

/** verify.sh on a director: the timeouts the file sets and each service's marking rule. */
export function verifyDirectorBoot(spec: ClusterSpec, os: TargetOs): string[] {
  const out: string[] = [];
  if (spec.timeouts) {
    out.push(
      'if command -v ipvsadm >/dev/null 2>&1; then',
      `  wanted=${wantedTimeouts(spec)}`,
      '  got=$(ipvs_timeouts)',
      '  [ "$got" = "$wanted" ] || fail "IPVS timeouts are $got, wanted $wanted"',
      'fi',
    );
  }
  const marked = markedServices(spec);
  if (marked.length > 0) {
    out.push(usesNft(os) ? `marks=$(nft list table ip ${NFT_TABLE} 2>/dev/null) || fail 'nftables table ip ${NFT_TABLE} (firewall marks) is missing'` : `marks=$(iptables -t mangle -S ${IPT_CHAIN} 2>/dev/null) || fail 'iptables mangle chain ${IPT_CHAIN} (firewall marks) is missing'`);
    if (!usesNft(os)) out.push(`iptables -t mangle -C PREROUTING -j ${IPT_CHAIN} 2>/dev/null || fail 'PREROUTING does not jump to ${IPT_CHAIN}'`);
    for (const s of marked) {
      // nft lists a mark as 0x%08x; iptables -S as --set-xmark 0x%x/0xffffffff.
      const needle = usesNft(os) ? `mark set 0x${s.fwmark!.toString(16).padStart(8, '0')}` : `--set-xmark 0x${s.fwmark!.toString(16)}/0xffffffff`;
      out.push(`printf '%s\\n' "\${marks:-}" | grep -qF -- ${sq(needle)} || fail ${sq(`no firewall mark ${s.fwmark} for service ${s.name} (ports ${s.ports.join(' ')})`)}`);
    }
  }
  return out;
}
