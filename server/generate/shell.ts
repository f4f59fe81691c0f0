// Shared pieces of the generated POSIX sh scripts: the header, small functions used by
// several scripts, and the quoted command lines built from the spec. Every value that comes
// from the .lvs file is single-quoted with sq(). The constant functions are joined once (block()).
import { HostContext, headerFor, STATE_DIR } from './context';
import { ipvsDest } from './ipvsadm-rules';
import { ClusterSpec, hostCidr, PlacedVip, RealSpec, serviceKey, ServiceSpec } from './spec';
import { sq } from '../shared/shell-quote';
import { block } from './text';

/** What comes before and after the header of every script. */
export const SCRIPT_HEAD: { before: readonly string[]; after: readonly string[] } = { before: ['#!/bin/sh'], after: ['set -eu', ''] };

export function scriptHeader(ctx: HostContext, path: string, purpose: string[]): string[] {
  return [...SCRIPT_HEAD.before, ...headerFor(ctx, path, purpose), ...SCRIPT_HEAD.after];
}

export const FN_HAS_ADDR = block(
  '# has_addr DEV ADDRESS/PREFIX: true when DEV holds exactly that address.',
  'has_addr() {',
  '  ip -4 -o addr show dev "$1" 2>/dev/null | grep -qF -- " $2 "',
  '}',
);

/** has_addr for a cluster with IPv6 VIPs: the family from the address (a colon is IPv6). */
export const FN_HAS_ADDR_BOTH = block(
  '# has_addr DEV ADDRESS/PREFIX: true when DEV holds exactly that address (IPv4 or IPv6).',
  'has_addr() {',
  '  case $2 in',
  '    *:*) family=-6 ;;',
  '    *) family=-4 ;;',
  '  esac',
  '  ip "$family" -o addr show dev "$1" 2>/dev/null | grep -qF -- " $2 "',
  '}',
);

/** The has_addr of a cluster's scripts: IPv4 clusters keep the IPv4-only one byte for byte. */
export function fnHasAddr(spec: ClusterSpec): string {
  return spec.vips.some((v) => v.family === 6) ? FN_HAS_ADDR_BOTH : FN_HAS_ADDR;
}

export const FN_SYSTEMD = block(
  '# systemd_running: true when systemd is PID 1 (systemctl can be used).',
  'systemd_running() {',
  '  [ -d /run/systemd/system ]',
  '}',
);

export const STATE_VARS = block(
  `STATE_DIR=${sq(STATE_DIR)}`,
  'SAVED="$STATE_DIR/sysctl.saved"',
);

/** keepalived's PID from its pidfile (the daemon's default locations). */
export const FN_KEEPALIVED_PID = block(
  '# keepalived_pid: prints the PID of the running keepalived, fails when there is none.',
  'keepalived_pid() {',
  '  for pidfile in /run/keepalived.pid /var/run/keepalived.pid; do',
  '    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then',
  '      cat "$pidfile"',
  '      return 0',
  '    fi',
  '  done',
  '  return 1',
  '}',
);

/** `ip addr add 'VIP/32' dev 'lo' label 'lo:0'` */
export function addrAdd(v: PlacedVip): string {
  // IPv6: no label (the kernel keeps none), no duplicate address detection (usable at once).
  if (v.vip.family === 6) return `ip addr add ${sq(hostCidr(v.vip))} dev ${sq(v.dev)} nodad`;
  return `ip addr add ${sq(hostCidr(v.vip))} dev ${sq(v.dev)}${v.label !== v.dev ? ` label ${sq(v.label)}` : ''}`;
}

export function addrDel(v: PlacedVip): string {
  return `ip addr del ${sq(hostCidr(v.vip))} dev ${sq(v.dev)}`;
}

/** `-t '192.168.147.100:80'` */
export function serviceArgs(svc: ServiceSpec): string {
  const [flag, addr] = serviceKey(svc).split(' ');
  return `${flag} ${sq(addr)}`;
}

/** Arguments of `ipvsadm -A` / `-E` for a service. */
export function serviceOptions(svc: ServiceSpec): string {
  let args = `${serviceArgs(svc)} -s ${sq(svc.scheduler)}`;
  if (svc.persistence) {
    args += ` -p ${sq(svc.persistence.timeout)}`;
    if (svc.persistence.netmask) args += ` -M ${sq(svc.persistence.netmask)}`;
  }
  return args;
}

/** Arguments of `ipvsadm -a` / `-e` for a real server (-g: direct routing). */
export function destOptions(svc: ServiceSpec, real: RealSpec): string {
  return `${serviceArgs(svc)} -r ${sq(ipvsDest(svc, real))} -g -w ${sq(real.weight)}`;
}

/** `own_rules`: the live `ipvsadm -S -n` lines of this cluster's services, sorted. */
export function fnOwnRules(services: ServiceSpec[]): string[] {
  const keys = [...new Set(services.map(serviceKey))];
  const cond = keys.length > 0 ? keys.map((k) => `($2 " " $3) == "${k}"`).join(' || ') : '0';
  return [
    "# own_rules: the live IPVS lines (ipvsadm -S -n) of this cluster's services, sorted.",
    'own_rules() {',
    '  rules=$(ipvsadm -S -n) || return 1',
    `  printf '%s\\n' "$rules" | awk '${cond}' | LC_ALL=C sort`,
    '}',
  ];
}

/** `wanted_rules`: the lines the director must have, sorted the same way as own_rules. */
export function fnWantedRules(lines: string[]): string[] {
  return [
    '# wanted_rules: the IPVS lines this director must have (ipvsadm -S -n format), sorted.',
    'wanted_rules() {',
    ...(lines.length > 0 ? ["  LC_ALL=C sort <<'EOF'", ...lines, 'EOF'] : ['  :']),
    '}',
  ];
}

/** `keepalived_running`: prints `systemd`, `pid` or `no`. */
export const FN_KEEPALIVED_RUNNING = block(
  '# keepalived_running: prints how keepalived runs: systemd, pid (pidfile) or no.',
  'keepalived_running() {',
  '  if systemd_running && systemctl is-active --quiet keepalived; then',
  '    echo systemd',
  '  elif keepalived_pid >/dev/null; then',
  '    echo pid',
  '  else',
  '    echo no',
  '  fi',
  '}',
);
