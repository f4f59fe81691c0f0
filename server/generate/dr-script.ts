// /opt/lvs/dr.sh: the classic director script of the LVS-DR procedure, modernised: `ip`
// instead of ifconfig/route, `sysctl -w`, `ipvsadm -C` then one `-A` per service and one
// `-a … -g -w W` per real server. Written only without `ha`: with keepalived, keepalived owns
// the VIP and the rules, and running this script beside it would fight it.
import { HostContext, MODE_SCRIPT, SCRIPT_DIR } from './context';
import { DirectorSpec, hostCidr } from './spec';
import { addrAdd, addrDel, destOptions, fnHasAddr, scriptHeader, serviceOptions } from './shell';
import { sq } from '../shared/shell-quote';
import { Lines } from './text';
import { GeneratedFile } from './types';

export const DR_SCRIPT = `${SCRIPT_DIR}/dr.sh`;

export function generateDrScript(ctx: HostContext, d: DirectorSpec): GeneratedFile[] {
  if (ctx.spec.ha) return [];
  const out = new Lines().add(...scriptHeader(ctx, DR_SCRIPT, [
    'The classic LVS-DR director script: VIP on the NIC alias, kernel settings, IPVS table.',
    'Usage: dr.sh start|stop|status. `start` rebuilds the whole IPVS table (ipvsadm -C);',
    'apply.sh is the idempotent alternative used by deploys.',
  ]));
  out.add(fnHasAddr(ctx.spec), '');
  out.add('start() {');
  for (const [k, v] of d.sysctls) out.add(`  sysctl -q -w ${sq(`${k}=${v}`)}`);
  for (const v of d.vips) {
    out.add(`  if ! has_addr ${sq(v.dev)} ${sq(hostCidr(v.vip))}; then`, `    ${addrAdd(v)}`, '  fi');
  }
  out.add('  ipvsadm -C');
  for (const svc of ctx.spec.services) {
    out.add(`  ipvsadm -A ${serviceOptions(svc)}`);
    for (const r of svc.reals) out.add(`  ipvsadm -a ${destOptions(svc, r)}`);
  }
  out.add('}', '');
  out.add('stop() {', '  ipvsadm -C');
  for (const v of d.vips) {
    out.add(`  if has_addr ${sq(v.dev)} ${sq(hostCidr(v.vip))}; then`, `    ${addrDel(v)}`, '  fi');
  }
  out.add('}', '');
  out.add(
    'case "${1:-}" in',
    '  start) start ;;',
    '  stop) stop ;;',
    '  status)',
    ...[...new Set(d.vips.map((v) => v.dev))].map((dev) => `    ip -4 addr show dev ${sq(dev)}`),
    '    ipvsadm -L -n',
    '    ;;',
    '  *)',
    '    echo "usage: $0 start|stop|status" >&2',
    '    exit 2',
    '    ;;',
    'esac',
  );
  return [{ host: d.name, path: DR_SCRIPT, mode: MODE_SCRIPT, content: out.toString() }];
}
