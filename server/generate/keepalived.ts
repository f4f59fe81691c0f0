// /etc/keepalived/keepalived.conf of a director when the cluster has `ha`: keepalived then owns
// the VIPs (vrrp_instance virtual_ipaddress) and the IPVS rules (virtual_server).
// Research behind the choices (keepalived.conf(5), check_data.c, vrrp.c):
// - `lvs_method DR` and `protocol` are always written: keepalived defaults to NAT and UDP.
// - never `vrrp_strict`: it installs a drop rule for the VIPs before IPVS sees them.
// - `auth_pass` keeps only 8 characters in keepalived, so the secret is cut to 8 here and the
//   directors can never disagree on what is used.
// - the virtual_server blocks are built without looking at the director, so they are
//   byte-identical on every director (only state, priority and unicast addresses differ).
// - advert_int is whole seconds (VRRPv2) and the same on both directors.
import { HostContext, headerFor, MODE_SECRET } from './context';
import { addressFamily } from '../language/values';
import { CheckSpec, ClusterSpec, DirectorSpec, hostCidr, PlacedVip, ServiceSpec } from './spec';
import { resolveSecret } from './secrets';
import { t } from '../shared/l10n/message';
import { kaString, Lines } from './text';
import { GeneratedFile, GenerateOptions } from './types';

export const KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';

/** Target paths whose content may hold a resolved secret (auth_pass): records never give their plain sha256. */
export function mayHoldSecret(path: string): boolean {
  return path === KEEPALIVED_CONF;
}
const IND = '    ';

/** keepalived uses only the first 8 bytes of auth_pass; cut at a character boundary. */
export function truncateAuth(secret: string): string {
  let out = '';
  for (const ch of secret) {
    if (Buffer.byteLength(out + ch, 'utf8') > 8) break;
    out += ch;
  }
  return out;
}

/**
 * One checker block. `delayLoop` is the virtual server's delay_loop: a check with another
 * interval carries its own (keepalived 2.x reads delay_loop per checker).
 */
function checkBlock(svc: ServiceSpec, check: CheckSpec, delayLoop: number): Lines {
  const out = new Lines();
  // A fwmark service's real servers have no port (keepalived clears it): a connecting check
  // needs one, the service's first port unless the check names its own.
  const port = check.port ?? (svc.fwmark !== undefined ? svc.port : undefined);
  const timing = (delay: number) => [
    ...(port !== undefined && check.type !== 'ping' ? [`connect_port ${port}`] : []),
    `connect_timeout ${check.timeout}`, `retry ${check.retry}`, `delay_before_retry ${delay}`,
    ...(check.every !== delayLoop ? [`delay_loop ${check.every}`] : []),
  ];
  const what = `service ${svc.name}: check`;
  switch (check.type) {
    case 'http':
    case 'https': {
      out.add(`${check.type === 'http' ? 'HTTP_GET' : 'SSL_GET'} {`);
      const url = [`${IND}path ${kaString(check.path, `${what} path`)}`, `${IND}status_code ${check.expect}`];
      if (check.host !== undefined) url.push(`${IND}virtualhost ${kaString(check.host, `${what} host`)}`);
      out.indented(IND, ['url {', ...url, '}']);
      out.indented(IND, timing(3));
      out.add('}');
      break;
    }
    case 'tcp':
      out.add('TCP_CHECK {').indented(IND, timing(1)).add('}');
      break;
    case 'udp':
      out.add('UDP_CHECK {').indented(IND, timing(1)).add('}');
      break;
    case 'ping':
      out.add('PING_CHECK {').indented(IND, timing(1)).add('}');
      break;
    case 'dns':
      out.add('DNS_CHECK {').indented(IND, [
        ...timing(1),
        `type ${check.dnsType ?? 'A'}`,
        `name ${kaString(check.dnsName ?? '.', `${what} name`)}`,
      ]).add('}');
      break;
    case 'script':
      // MISC_CHECK takes no connection options; exit status 0 is up, any other is down.
      out.add('MISC_CHECK {').indented(IND, [
        `misc_path ${kaString(check.script ?? '', `${what} script`)}`,
        `misc_timeout ${check.timeout}`,
        `retry ${check.retry}`,
        'delay_before_retry 1',
        ...(check.every !== delayLoop ? [`delay_loop ${check.every}`] : []),
      ]).add('}');
      break;
    case 'none':
      break;
  }
  return out;
}

/** One virtual_server block; depends on the service only (identical on every director). */
function virtualServerBlock(svc: ServiceSpec): Lines {
  const settings = new Lines().add(`# service ${svc.name}${svc.fwmark !== undefined ? `: ${svc.vip.address} ports ${svc.ports.join(' ')}, marked ${svc.fwmark} by the director's firewall` : ''}`);
  const delayLoop = svc.checks[0]?.every;
  if (delayLoop !== undefined) settings.add(`delay_loop ${delayLoop}`);
  // keepalived ignores `protocol` for a fwmark service (the marking rule names the protocol).
  settings.add(`lvs_sched ${svc.scheduler}`, 'lvs_method DR');
  if (svc.fwmark === undefined) settings.add(`protocol ${svc.protocol.toUpperCase()}`);
  if (svc.persistence) {
    settings.add(`persistence_timeout ${svc.persistence.timeout}`);
    if (svc.persistence.netmask) settings.add(`persistence_granularity ${svc.persistence.netmask}`);
  }
  if (svc.quorum !== undefined) settings.add(`quorum ${svc.quorum}`);
  if (svc.hysteresis !== undefined) settings.add(`hysteresis ${svc.hysteresis}`);
  if (svc.sorry) settings.add(`sorry_server ${svc.sorry.address}${svc.fwmark === undefined ? ` ${svc.sorry.port}` : ''}`);
  const head = svc.fwmark !== undefined ? `virtual_server fwmark ${svc.fwmark} {` : `virtual_server ${svc.vip.address} ${svc.port} {`;
  const out = new Lines().add(head).indented(IND, settings);
  // The check is the same for every real server of the service: built and indented once (and
  // only when there is a real server, as before: checkBlock refuses paths keepalived cannot
  // carry). The real_server blocks are written at their final depth, as a large cluster has
  // thousands of them.
  const inner = IND + IND;
  const check = new Lines();
  if (svc.reals.length > 0) for (const c of svc.checks) check.append(checkBlock(svc, c, delayLoop ?? c.every));
  const checkText = check.isBlank() ? undefined : new Lines().indented(inner, check).toString().slice(0, -1);
  for (const real of svc.reals) {
    out.add('', `${IND}real_server ${real.address}${svc.fwmark === undefined ? ` ${real.port}` : ''} {`, `${inner}weight ${real.weight}`);
    if (svc.quiesce) out.add(`${inner}inhibit_on_failure`);
    if (checkText !== undefined) out.add(checkText);
    out.add(`${IND}}`);
  }
  return out.add('}');
}

/**
 * The virtual_server blocks of a spec as one text, built for the first director and reused for
 * the others (they are identical by design; a large cluster has thousands of real servers).
 */
const virtualServersOf = new WeakMap<ClusterSpec, string>();
function virtualServers(spec: ClusterSpec): string {
  let text = virtualServersOf.get(spec);
  if (text === undefined) {
    // Each block ends with a newline: joined by one more, they are separated by a blank line.
    text = spec.services.map((svc) => virtualServerBlock(svc).toString()).join('\n').slice(0, -1);
    virtualServersOf.set(spec, text);
  }
  return text;
}

/** The vrrp_instance block; `secret` is true when a resolved auth value (not a placeholder) is in it. */
function vrrpInstance(spec: ClusterSpec, d: DirectorSpec, opts: GenerateOptions): { lines: Lines; secret: boolean } {
  const ha = spec.ha!;
  let secret = false;
  const body = new Lines().add(
    `state ${d.role === 'master' ? 'MASTER' : 'BACKUP'}`,
    `interface ${d.iface}`,
    `virtual_router_id ${ha.routerId}`,
    `priority ${d.priority}`,
    `advert_int ${ha.advert}`,
  );
  // keepalived clears nopreempt on an initial MASTER (and `keepalived -t` fails on it): LVS102
  // warns that it is ignored, and it is left out.
  if (d.nopreempt && d.role !== 'master') body.add('nopreempt');
  // preempt_delay acts only on an instance whose initial state is not MASTER (keepalived.conf(5)).
  if (ha.preemptDelay !== undefined && d.role !== 'master') body.add(`preempt_delay ${ha.preemptDelay}`);
  if (ha.garpRepeat !== undefined) body.add(`garp_master_repeat ${ha.garpRepeat}`);
  if (ha.notify !== undefined) body.add(`notify ${kaString(ha.notify, 'ha notify')}`);
  // keepalived tracks the instance's own interface already and refuses it in track_interface.
  const tracked = ha.trackInterfaces.filter((t) => t !== d.iface);
  if (tracked.length > 0) body.add('track_interface {').indented(IND, tracked).add('}');
  if (ha.unicast) {
    const peers = spec.directors.filter((p) => p.name !== d.name).map((p) => p.address).sort();
    body.add(`unicast_src_ip ${d.address}`, 'unicast_peer {').indented(IND, peers).add('}');
  }
  // VRRP runs over the director's primary address family: IPv4 when it has an IPv4 address, else
  // IPv6, which is VRRPv3 (keepalived's choice for an IPv6 instance) and has no authentication:
  // keepalived --config-test fails on an authentication block there.
  // keepalived takes an instance's family from its first virtual_ipaddress.
  const primary = addressFamily(d.address);
  const family = d.vips.length === 0 || d.vips.some((v) => v.vip.family === primary) ? primary : d.vips[0].vip.family;
  if (ha.auth && family === 6) {
    body.add('# VRRP over IPv6 is version 3, which has no authentication: the ha auth secret is not used.');
  } else if (ha.auth) {
    const value = resolveSecret(ha.auth, t`director ${d.name}: VRRP auth_pass`, opts);
    const auth = new Lines().add('auth_type PASS');
    if (value.warning) auth.add(`# ${value.warning}`);
    let pass = value.text;
    if (!value.warning) {
      secret = true;
      const cut = truncateAuth(pass);
      if (cut !== pass) auth.add('# keepalived uses only the first 8 characters of auth_pass: the secret is cut to 8.');
      pass = cut;
    }
    auth.add(`auth_pass ${kaString(pass, t`the VRRP auth secret`)}`);
    body.add('authentication {').indented(IND, auth).add('}');
  }
  // An instance's adverts carry addresses of its own family only; the VIPs of the other family
  // follow the instance's state from virtual_ipaddress_excluded.
  const vipLine = (v: PlacedVip) => `${hostCidr(v.vip)} dev ${v.dev}${v.label !== v.dev ? ` label ${v.label}` : ''}`;
  const own = d.vips.filter((v) => v.vip.family === family);
  const other = d.vips.filter((v) => v.vip.family !== family);
  body.add('virtual_ipaddress {').indented(IND, own.map(vipLine)).add('}');
  if (other.length > 0) body.add('virtual_ipaddress_excluded {').indented(IND, other.map(vipLine)).add('}');
  return { lines: new Lines().add(`vrrp_instance VI_${spec.name} {`).indented(IND, body).add('}'), secret };
}

export function generateKeepalived(ctx: HostContext, d: DirectorSpec): GeneratedFile[] {
  const { spec } = ctx;
  if (!spec.ha) return [];
  const out = new Lines().add(...headerFor(ctx, KEEPALIVED_CONF, [
    'VRRP for the VIPs and the IPVS virtual servers of this cluster. The virtual_server',
    'blocks are identical on every director; lvs_method and protocol are explicit because',
    'keepalived defaults to NAT and UDP; strict VRRP mode is never used (it drops VIP traffic',
    'before IPVS sees it). Reload with SIGHUP or `systemctl reload keepalived`, never restart.',
  ]));
  const globals = [`router_id ${d.name}`];
  const ha = spec.ha;
  // Scripts (notify, MISC_CHECK) run as root, and only from paths no other user can write.
  if (ha.notify !== undefined || spec.services.some((s) => s.checks.some((c) => c.type === 'script'))) globals.push('script_user root', 'enable_script_security');
  if (ha.syncDaemon) globals.push(`lvs_sync_daemon ${ha.syncDaemon} VI_${spec.name}`);
  // keepalived 2.2.7 reads garp_interval only in global_defs (or a garp_group), not in an instance.
  if (ha.garpInterval !== undefined) globals.push(`vrrp_garp_interval ${ha.garpInterval}`);
  const t = spec.timeouts;
  if (t) globals.push(`lvs_timeouts${t.tcp ? ` tcp ${t.tcp}` : ''}${t.tcpFin ? ` tcpfin ${t.tcpFin}` : ''}${t.udp ? ` udp ${t.udp}` : ''}`);
  out.blank().add('global_defs {').indented(IND, globals).add('}');
  const vrrp = vrrpInstance(spec, d, ctx.opts);
  out.blank().append(vrrp.lines);
  if (spec.services.length > 0) out.blank().add(virtualServers(spec));
  // 0600 always: auth_pass is readable by root only, on the host and in the output folder.
  const file: GeneratedFile = { host: d.name, path: KEEPALIVED_CONF, mode: MODE_SECRET, content: out.toString() };
  if (vrrp.secret) file.secret = true;
  return [file];
}
