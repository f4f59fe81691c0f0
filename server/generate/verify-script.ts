// /opt/lvs/verify.sh: checks the runtime state of a host against the generated files. Prints
// one `FAIL: …` line per failed check and exits 1, or prints `OK` and exits 0. Read-only.
//   real server  every VIP /32 on lo, no VIP on the NIC (it would answer ARP), sysctls
//   director     sysctls; (no ha) VIPs on the NIC and IPVS rules equal to the wanted ones;
//                (ha) keepalived running (the VIPs move between directors, so their presence
//                is keepalived's business, not a fixed expectation)
import { HostContext, MODE_SCRIPT, SCRIPT_DIR } from './context';
import { FN_IPVS_TIMEOUTS, verifyDirectorBoot } from './director-boot';
import { ipvsRules } from './ipvsadm-rules';
import { ClusterSpec, hostCidr } from './spec';
import { HostShape, sharedFile } from './shared-body';
import { fnHasAddr, FN_KEEPALIVED_PID, FN_KEEPALIVED_RUNNING, FN_SYSTEMD, fnOwnRules, fnWantedRules, SCRIPT_HEAD } from './shell';
import { sq } from '../shared/shell-quote';
import { block, Lines } from './text';
import { GeneratedFile } from './types';

export const VERIFY_SCRIPT = `${SCRIPT_DIR}/verify.sh`;

/** The check helpers every verify.sh starts with. */
const FN_CHECKS = block(
  'failed=0',
  '',
  '# fail REASON: reports a failed check.',
  'fail() {',
  '  echo "FAIL: $*"',
  '  failed=1',
  '}',
  '',
  '# check_sysctl KEY VALUE',
  'check_sysctl() {',
  '  if got=$(sysctl -n "$1" 2>/dev/null); then',
  "    got=$(printf '%s' \"$got\" | tr '\\t' ' ')",
  '    [ "$got" = "$2" ] || fail "sysctl $1 is $got, wanted $2"',
  '  else',
  '    fail "sysctl $1 cannot be read"',
  '  fi',
  '}',
);

const PURPOSE = [
  'Checks the runtime state against the generated files without changing anything.',
  'Prints `FAIL: <reason>` for each failed check and exits 1, or prints OK.',
];

const VERIFY = sharedFile(VERIFY_SCRIPT, MODE_SCRIPT, { purpose: PURPOSE, ...SCRIPT_HEAD }, verifyBody);

export function generateVerifyScript(ctx: HostContext): GeneratedFile {
  return ctx.bodies.files(ctx, VERIFY)[0];
}

function verifyBody(spec: ClusterSpec, host: HostShape): Lines {
  const ha = !!spec.ha && host.kind === 'director';
  const ipvs = !spec.ha && host.kind === 'director';
  const vips = host.kind === 'director' ? (spec.ha ? [] : host.vips) : host.loVips;

  const out = new Lines().add(FN_CHECKS, '');
  if (vips.length > 0 || host.kind === 'server') out.add(fnHasAddr(spec), '');
  if (ha) out.add(FN_SYSTEMD, '', FN_KEEPALIVED_PID, '', FN_KEEPALIVED_RUNNING, '');
  if (ipvs) out.add(...fnOwnRules(spec.services), '', ...fnWantedRules(ipvsRules(spec)), '');
  if (host.kind === 'director' && spec.timeouts) out.add(...FN_IPVS_TIMEOUTS, '');

  for (const [k, v] of host.sysctls) out.add(`check_sysctl ${sq(k)} ${sq(v)}`);
  for (const v of vips) {
    const addr = hostCidr(v.vip);
    out.add(`has_addr ${sq(v.dev)} ${sq(addr)} || fail ${sq(`VIP ${addr} is not on ${v.dev}`)}`);
  }
  if (host.kind === 'server' && host.iface) {
    const nic = host.iface;
    for (const v of host.loVips) {
      const six = v.vip.family === 6;
      out.add(
        `if ip ${six ? '-6' : '-4'} -o addr show dev ${sq(nic)} 2>/dev/null | grep -qF -- ${sq(` ${v.vip.address}/`)}; then`,
        `  fail ${sq(`VIP ${v.vip.address} is on ${nic}: this server would answer ${six ? 'Neighbor Solicitations' : 'ARP'} for it`)}`,
        'fi',
      );
    }
  }
  if (ipvs) {
    out.add(
      'if ! command -v ipvsadm >/dev/null 2>&1; then',
      "  fail 'ipvsadm is not installed'",
      'elif ! current=$(own_rules); then',
      "  fail 'the IPVS table cannot be read (ipvsadm -S -n)'",
      'else',
      '  wanted=$(wanted_rules)',
      "  missing=$(printf '%s\\n' \"$wanted\" | while IFS= read -r line; do",
      "    [ -z \"$line\" ] || printf '%s\\n' \"$current\" | grep -qxF -- \"$line\" || echo \"$line\"",
      '  done)',
      "  extra=$(printf '%s\\n' \"$current\" | while IFS= read -r line; do",
      "    [ -z \"$line\" ] || printf '%s\\n' \"$wanted\" | grep -qxF -- \"$line\" || echo \"$line\"",
      '  done)',
      '  if [ -n "$missing" ]; then',
      "    printf '%s\\n' \"$missing\" | while IFS= read -r line; do echo \"FAIL: missing IPVS rule: $line\"; done",
      '    failed=1',
      '  fi',
      '  if [ -n "$extra" ]; then',
      "    printf '%s\\n' \"$extra\" | while IFS= read -r line; do echo \"FAIL: unexpected IPVS rule: $line\"; done",
      '    failed=1',
      '  fi',
      'fi',
    );
  }
  if (host.kind === 'director') out.add(...verifyDirectorBoot(spec, host.os));
  if (ha) {
    out.add(
      'if ! command -v keepalived >/dev/null 2>&1; then',
      "  fail 'keepalived is not installed'",
      'elif [ "$(keepalived_running)" = no ]; then',
      "  fail 'keepalived is not running'",
      'fi',
    );
  }
  out.add('', 'if [ "$failed" -ne 0 ]; then', '  exit 1', 'fi', 'echo OK');
  return out;
}
