// /etc/sysctl.d/90-lvs-dr.conf (directors) and /etc/sysctl.d/90-lvs-dr-rs.conf (real servers).
// The order is the one of model/sysctl.ts: on a director ip_forward comes first because
// changing it resets the conf.* keys; then send_redirects on all, default and the NIC (the
// kernel ORs them, so each must be 0). Real servers: arp_ignore=1 / arp_announce=2 on lo and
// all (the kernel uses max(all, interface) and the ARP request arrives on the NIC). Then the
// host's own `sysctl` lines, in the order written (an override keeps the default's place).
import { HostContext, MODE_FILE } from './context';
import { ClusterSpec } from './spec';
import { HostShape, sharedFile } from './shared-body';
import { GeneratedFile } from './types';
import { Lines } from './text';

export function sysctlPath(kind: 'director' | 'server'): string {
  return kind === 'director' ? '/etc/sysctl.d/90-lvs-dr.conf' : '/etc/sysctl.d/90-lvs-dr-rs.conf';
}

const PURPOSE: Record<'director' | 'server', string[]> = {
  director: [
    'Kernel settings of an LVS-DR director. ip_forward comes first: changing it resets',
    'the conf.* keys. DR does not need forwarding; send_redirects must be 0 on all,',
    'default and the NIC because the kernel ORs them.',
  ],
  server: [
    'Kernel settings of an LVS-DR real server: never answer or announce ARP for the VIP',
    'held on lo. The kernel uses max(all, interface), so the values are set on all too.',
  ],
};

const SYSCTL = {
  director: sharedFile(sysctlPath('director'), MODE_FILE, { purpose: PURPOSE.director, after: [''] }, sysctlBody),
  server: sharedFile(sysctlPath('server'), MODE_FILE, { purpose: PURPOSE.server, after: [''] }, sysctlBody),
};

export function generateSysctl(ctx: HostContext): GeneratedFile {
  return ctx.bodies.files(ctx, SYSCTL[ctx.host.kind])[0];
}

function sysctlBody(_plan: ClusterSpec, host: HostShape): Lines {
  const out = new Lines();
  for (const [key, value] of host.sysctls) out.add(`${key} = ${value}`);
  return out;
}
