// The cluster `LVS: New Cluster…` writes: the classic guide's shape (directors in hot standby when
// there are two, one checked HTTP service, real servers carrying the VIP on lo:0) sized and
// addressed from the answers. Built here, not in the client, so the tests and any other front end
// get the same text; test/unit/new-cluster.test.ts checks that every shape it can build checks clean.
import { Connection } from 'vscode-languageserver';
import * as v from 'valibot';
import { formatNewClusterAddress, NEW_CLUSTER_REQUEST, NewClusterParams, NewClusterResult, newClusterGateway, parseNewClusterAddress, parseNewClusterNetwork } from '../protocol/new-cluster';
import { formatText } from './formatting';
import { newClusterRefusal } from './new-cluster-refusals';
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import { Msg, t } from '../shared/l10n/message';

/** The interface new hosts are given (the designer and the editor change it per host). */
const NEW_HOST_INTERFACE = 'eth0';

/** The hosts' addresses: the lowest host addresses after the gateway, skipping the VIP. */
function hostAddresses(p: NewClusterParams, count: number): string[] {
  const net = parseNewClusterNetwork(p.network)!;
  const vip = parseNewClusterAddress(p.vip, net);
  const out: string[] = [];
  for (let a = net.network + 2n; a < net.last && out.length < count; a++) if (a !== vip) out.push(formatNewClusterAddress(a, net));
  return out;
}

/**
 * The file's comments are written in the language of the person creating it (the file is theirs
 * from then on; `locale`: the client's); the language's own words stay as they are.
 */
export function newClusterText(p: NewClusterParams, locale: Locale = 'en'): string {
  const say = (m: Msg) => localize(m, locale);
  const net = parseNewClusterNetwork(p.network)!;
  const addresses = hostAddresses(p, p.directors + p.servers);
  const directors = addresses.slice(0, p.directors);
  const servers = addresses.slice(p.directors);
  const standby = p.directors === 2;
  const reals = servers.map((_, i) => `web${i + 1}`);
  const lines = [
    `# ${say(headline(p.name, standby, servers.length))}`,
    `cluster ${p.name} {`,
    `network ${formatNewClusterAddress(net.network, net)}/${net.prefix}    # ${say(t`the one L2 segment directors and real servers share`)}`,
    `gateway ${newClusterGateway(p.network)}    # ${say(t`the segment's router (never a director)`)}`,
    `vip ${formatNewClusterAddress(parseNewClusterAddress(p.vip, net)!, net)}`,
    '',
    ...directors.map((address, i) => `director lvs${i + 1} { address ${address}  interface ${NEW_HOST_INTERFACE}  role ${i === 0 ? 'master' : 'backup'}  priority ${100 - 10 * i} }`),
    '',
    // VRRP only with a standby to fail over to; the password stays a reference (LVS105).
    ...(standby ? [`ha { router-id 51  advert 1s  auth secret:vrrp-${p.name} }`, ''] : []),
    'service http {',
    'protocol tcp  port 80  scheduler rr',
    'check http path "/" expect 200 every 5s timeout 3s',
    ...reals.map((name) => `real ${name} weight 1`),
    '}',
    '',
    // IPv4: the VIP on the classic alias lo:0; IPv6 has no aliases, the VIP /128 goes on lo itself.
    ...servers.map((address, i) => `server ${reals[i]} { address ${address}  interface ${NEW_HOST_INTERFACE}  vip-on ${net.family === 6 ? 'lo' : 'lo:0'} }`),
    '',
    'ssh { user root  key ~/.ssh/id_ed25519  known-hosts ~/.ssh/known_hosts }',
    `target os ${p.os}`,
    '}',
    '',
  ];
  return formatText(lines.join('\n'), { tabSize: 2, insertSpaces: true });
}

/** The first line: what the cluster is. */
function headline(name: string, standby: boolean, servers: number): Msg {
  if (standby) return servers === 1 ? t`${name}: two directors in hot standby in front of one real server (LVS-DR).` : t`${name}: two directors in hot standby in front of ${servers} real servers (LVS-DR).`;
  return servers === 1 ? t`${name}: one director in front of one real server (LVS-DR).` : t`${name}: one director in front of ${servers} real servers (LVS-DR).`;
}

/** `locale`: the client's language, of a refusal and of the file's comments. */
function handleNewCluster(params: unknown, locale: Locale = 'en'): NewClusterResult {
  const parsed = v.safeParse(NewClusterParams, params);
  if (!parsed.success) return { ok: false, message: localize(newClusterRefusal(parsed.issues[0]), locale) };
  return { ok: true, text: newClusterText(parsed.output, locale) };
}

export function registerNewClusterRequest(connection: Connection, locale: () => Locale): void {
  connection.onRequest<NewClusterResult, void>(NEW_CLUSTER_REQUEST, (params: unknown) => handleNewCluster(params, locale()));
}
