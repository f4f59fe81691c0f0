// `lab status`: hosts, addresses, roles, PIDs, key paths and how to reach each host.
import { sshCommand } from './keys';
import { pidInNamespace } from './liveness';
import { clientHost } from './state';
import { LabState } from './state';
import { english, listMsgs, Msg, t } from '../shared/l10n/message';
import { columns, padColumns } from '../shared/text-columns';

export interface HostStatus {
  name: string;
  kind: string;
  address: string;
  iface: string;
  ns: string;
  pid?: number;
  running: boolean;
  umid?: string;
  log?: string;
  ssh?: string;
}

export function hostStatuses(state: LabState): HostStatus[] {
  const client = state.hosts.find((h) => h.kind === 'client');
  return state.hosts.map((h) => ({
    name: h.name, kind: h.kind, address: `${h.address}/${h.prefix}`, iface: h.iface, ns: h.ns,
    pid: h.pid,
    running: h.kind === 'client' ? true : pidInNamespace(h.pid, h.ns),
    umid: h.umid, log: h.log,
    ssh: h.kind !== 'client' && client ? sshCommand(client.ns, state.keys, h.address).join(' ') : undefined,
  }));
}

/**
 * What `lab status` and `lab up` print, in the reader's language through `say` (English by
 * default); names, addresses, paths and commands stay as they are.
 */
export function formatStatus(state: LabState, say: (m: Msg) => string = english): string {
  const rows = hostStatuses(state);
  const client = clientHost(state);
  const none = say(t`(none)`);
  const out: string[] = [];
  out.push(say(t`lab ${state.id}: cluster ${state.cluster} from ${state.file} (${state.phase}, since ${state.createdAt})`));
  out.push(say(t`network ${state.network}, bridge ${state.bridge} in namespace ${state.labNs}; VIPs ${state.vips.length ? listMsgs(state.vips) : none}; gateway ${state.gateway ?? none} not assigned (no route leaves the lab)`));
  out.push('');
  const table = [[t`HOST`, t`ROLE`, t`ADDRESS`, t`IFACE`, t`NAMESPACE`, t`PID`, t`STATE`].map(say)];
  for (const r of rows) table.push([r.name, r.kind, r.address, r.iface, r.ns, r.pid ? String(r.pid) : '-', say(r.running ? t`running` : t`DOWN`)]);
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => columns(row[i]))));
  for (const row of table) out.push(row.map((cell, i) => padColumns(cell, widths[i])).join('  ').trimEnd());
  out.push('');
  out.push(say(t`state:       ${state.dir}`));
  out.push(say(t`ssh key:     ${state.keys.private} (public ${state.keys.public})`));
  out.push(say(t`known_hosts: ${state.keys.knownHosts}`));
  out.push('');
  out.push(say(t`reach a host (every client runs in the lab's client namespace, which has no default route):`));
  const firstServer = rows.find((r) => r.kind !== 'client');
  if (firstServer) out.push(`  ${firstServer.ssh} [COMMAND]`);
  out.push(`  ip netns exec ${client.ns} ssh -i ${state.keys.private} -o UserKnownHostsFile=${state.keys.knownHosts} root@ADDRESS`);
  out.push(`  lvsdr lab exec HOST -- COMMAND...      ${say(t`(directors: fast control channel; real servers: nsenter)`)}`);
  out.push(`  ip netns exec ${client.ns} curl -s http://${state.vips[0] ?? 'VIP'}/`);
  return out.join('\n') + '\n';
}
