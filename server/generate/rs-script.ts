// /opt/lvs/rs.sh: the classic real-server script, with `ip` and `sysctl`. `start` sets the ARP
// sysctls BEFORE putting the VIP on lo (the other order leaves a moment in which the server
// answers ARP for the VIP and steals it from the director); `stop` removes the VIP first and
// then resets arp_ignore/arp_announce to the kernel default 0, as the classic script does.
import { HostContext, MODE_SCRIPT, SCRIPT_DIR } from './context';
import { ClusterSpec, hostCidr } from './spec';
import { HostShape, sharedFile } from './shared-body';
import { addrAdd, addrDel, fnHasAddr, SCRIPT_HEAD } from './shell';
import { sq } from '../shared/shell-quote';
import { Lines } from './text';
import { GeneratedFile } from './types';

export const RS_SCRIPT = `${SCRIPT_DIR}/rs.sh`;

const PURPOSE = [
  'The classic LVS-DR real-server script: ARP settings, then the VIP on lo as a /32.',
  'Usage: rs.sh start|stop|status. apply.sh is the idempotent alternative used by deploys.',
];

const RS = sharedFile(RS_SCRIPT, MODE_SCRIPT, { purpose: PURPOSE, ...SCRIPT_HEAD }, rsBody);

export function generateRsScript(ctx: HostContext): GeneratedFile[] {
  return ctx.bodies.files(ctx, RS);
}

function rsBody(plan: ClusterSpec, s: HostShape): Lines {
  if (s.kind !== 'server') throw new Error('rs.sh is a real-server script');
  const out = new Lines();
  out.add(fnHasAddr(plan), '');
  out.add('start() {');
  for (const [k, v] of s.sysctls) out.add(`  sysctl -q -w ${sq(`${k}=${v}`)}`);
  for (const v of s.loVips) out.add(`  if ! has_addr ${sq(v.dev)} ${sq(hostCidr(v.vip))}; then`, `    ${addrAdd(v)}`, '  fi');
  out.add('}', '');
  out.add('stop() {');
  for (const v of s.loVips) out.add(`  if has_addr ${sq(v.dev)} ${sq(hostCidr(v.vip))}; then`, `    ${addrDel(v)}`, '  fi');
  const arpKeys = s.sysctls.map(([k]) => k).filter((k) => /\.arp_(ignore|announce)$/.test(k));
  for (const k of arpKeys) out.add(`  sysctl -q -w ${sq(`${k}=0`)}`);
  if (s.loVips.length === 0 && arpKeys.length === 0) out.add('  :');
  out.add('}', '');
  out.add(
    'case "${1:-}" in',
    '  start) start ;;',
    '  stop) stop ;;',
    '  status)',
    ...[...new Set(s.loVips.map((v) => v.dev))].map((dev) => `    ip -4 addr show dev ${sq(dev)}`),
    ...s.sysctls.map(([k]) => `    sysctl ${sq(k)}`),
    '    ;;',
    '  *)',
    '    echo "usage: $0 start|stop|status" >&2',
    '    exit 2',
    '    ;;',
    'esac',
  );
  return out;
}
