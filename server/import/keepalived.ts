// Reads one director's keepalived.conf into the values of the language: the first vrrp_instance
// (state, priority, interface, router id, advert, auth, unicast peers, nopreempt, VIPs) and the
// virtual_server blocks with their real servers and checkers. Defaults flow as keepalived's do:
// virtual_server → real_server → checker (delay_loop, connect_timeout, retry, …). Every keyword
// the language has no word for is reported with its file and line; the rest is imported.
import { secretEnvName } from '../protocol/secret-env';
import { Msg, t } from '../shared/l10n/message';
import { ImportFinding, importFinding, ImportInputError } from './findings';
import { ImportedCheck, ImportedCluster, ImportedDirector, ImportedHa, ImportedService, ImportedVip } from './imported-cluster';
import { Statement, statements } from './keepalived-blocks';
import { readKeepalivedSource, SourceOptions } from './keepalived-source';

export interface KeepalivedImport {
  cluster: ImportedCluster;
  findings: ImportFinding[];
  files: string[];
}

/** Deprecated keyword → the current name (keepalived.conf(5) and its changelog). */
const RENAMED: Record<string, string> = { lb_algo: 'lvs_sched', lb_kind: 'lvs_method', nb_get_retry: 'retry', nb_sock_retry: 'retry' };

const CHECKERS: Record<string, ImportedCheck['type'] | undefined> = {
  HTTP_GET: 'http', SSL_GET: 'https', TCP_CHECK: 'tcp', UDP_CHECK: 'udp', PING_CHECK: 'ping',
  DNS_CHECK: 'dns', MISC_CHECK: 'script', SMTP_CHECK: undefined, BFD_CHECK: undefined, FILE_CHECK: undefined,
};

/** Seconds as a number (keepalived reads decimals for garp_interval, preempt_delay). */
function decimalSeconds(v: string | undefined): number | undefined {
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function secondsOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.max(1, Math.ceil(n)) : undefined;
}

class Interpreter {
  readonly findings: ImportFinding[] = [];
  readonly cluster: ImportedCluster = { services: [], directors: [] };
  private directorName?: string;
  private syncDaemon?: string;
  private garpInterval?: number;

  constructor(private readonly configId: string | undefined, private readonly secretName: string) {}

  report(st: Statement, words: Msg) {
    this.findings.push(importFinding('not-expressible', st.file, st.line, words));
  }

  unknown(st: Statement, where: string) {
    this.report(st, t`${where}: \`${[st.key, ...st.args].join(' ')}\` has no word in the language`);
  }

  top(sts: Statement[]) {
    let director: ImportedDirector | undefined;
    for (const st of sts) {
      switch (st.key) {
        case 'global_defs':
          for (const g of st.body ?? []) {
            if (g.key === 'router_id') this.directorName = g.args[0];
            else if (g.key === 'lvs_sync_daemon') this.syncDaemonOf(g);
            else if (g.key === 'lvs_timeouts') this.timeoutsOf(g);
            else if (g.key === 'vrrp_garp_interval') this.garpInterval = decimalSeconds(g.args[0]);
            // Written by the generator whenever a script runs; another user has no word.
            else if (g.key === 'enable_script_security') continue;
            else if (g.key === 'script_user' && g.args[0] === 'root' && g.args.length === 1) continue;
            else this.unknown(g, 'global_defs');
          }
          break;
        case 'vrrp_instance':
          if (director) this.report(st, t`a second vrrp_instance (${st.args[0] ?? ''}): the language has one VRRP instance per cluster; it is not imported`);
          else director = this.vrrp(st);
          break;
        case 'virtual_server':
          this.virtualServer(st);
          break;
        default:
          this.report(st, st.body ? t`\`${st.key}\` block has no word in the language` : t`\`${st.key}\` has no word in the language`);
      }
    }
    if (director) {
      director.name = this.directorName ?? this.configId;
      this.cluster.directors.push(director);
    }
    if (this.syncDaemon && this.cluster.ha) this.cluster.ha.syncDaemon = this.syncDaemon;
    if (this.garpInterval !== undefined && this.cluster.ha) this.cluster.ha.garpInterval ??= this.garpInterval;
  }

  /** `lvs_sync_daemon IFACE [[inst] VI] [id N] …`: the interface; the instance is the one VRRP instance. */
  private syncDaemonOf(g: Statement) {
    this.syncDaemon = g.args[0];
    const rest = g.args.slice(1);
    if (rest[0] === 'inst') rest.shift();
    if (rest.length > 0 && !['id', 'maxlen', 'port', 'ttl', 'group'].includes(rest[0])) rest.shift();
    if (rest.length > 0) this.report(g, t`lvs_sync_daemon ${g.args.join(' ')}: ${rest.join(' ')} has no word (the language sets the interface only)`);
  }

  /** `lvs_timeouts [tcp S] [tcpfin S] [udp S]`. */
  private timeoutsOf(g: Statement) {
    const timeouts = this.cluster.timeouts ?? {};
    for (let i = 0; i < g.args.length; i += 2) {
      const key = ({ tcp: 'tcp', tcpfin: 'tcpFin', udp: 'udp' } as const)[g.args[i] as 'tcp' | 'tcpfin' | 'udp'];
      const v = Number(g.args[i + 1]);
      if (!key || !Number.isInteger(v) || v < 1) { this.report(g, t`lvs_timeouts ${g.args.slice(i, i + 2).join(' ')}: not a timeout in whole seconds`); continue; }
      timeouts[key] = v;
    }
    this.cluster.timeouts = timeouts;
  }

  private vrrp(st: Statement): ImportedDirector {
    const d: ImportedDirector = { nopreempt: false, at: { file: st.file, line: st.line } };
    const ha: ImportedHa = { routerId: 0, advert: 1, unicast: false, vips: [], trackInterfaces: [] };
    for (const s of st.body ?? []) {
      const a = s.args[0];
      switch (s.key) {
        case 'state':
          if (a === 'MASTER' || a === 'BACKUP') d.role = a === 'MASTER' ? 'master' : 'backup';
          else this.report(s, t`state ${a ?? ''}: only MASTER and BACKUP are expressible`);
          break;
        case 'interface': d.iface = a; break;
        case 'virtual_router_id': ha.routerId = Number(a); break;
        case 'priority': d.priority = Number(a); break;
        case 'advert_int': {
          const n = Number(a);
          if (!Number.isInteger(n)) this.report(s, t`advert_int ${a}: only whole seconds are expressible; rounded up`);
          ha.advert = secondsOf(a) ?? 1;
          break;
        }
        case 'nopreempt': d.nopreempt = true; break;
        case 'preempt_delay': ha.preemptDelay = decimalSeconds(a); break;
        case 'garp_master_repeat': ha.garpRepeat = Number(a); break;
        case 'garp_interval': ha.garpInterval = decimalSeconds(a); break;
        case 'notify':
          ha.notify = a;
          if (s.args.length > 1) this.report(s, t`notify ${s.args.join(' ')}: a user or group for the script has no word (it runs as root)`);
          break;
        case 'track_interface':
          for (const tr of s.body ?? []) {
            ha.trackInterfaces.push(tr.key);
            if (tr.args.length > 0) this.report(tr, t`track_interface ${tr.key} ${tr.args.join(' ')}: a weight has no word`);
          }
          break;
        case 'unicast_src_ip': d.address = a; ha.unicast = true; break;
        case 'unicast_peer':
          ha.unicast = true;
          for (const p of s.body ?? []) if (p.args.length > 0) this.report(p, t`unicast_peer ${p.key}: options after the address have no word`);
          break;
        case 'authentication':
          for (const x of s.body ?? []) {
            if (x.key === 'auth_type' && x.args[0] !== 'PASS') this.report(x, t`auth_type ${x.args[0]}: only PASS is expressible (AH is not)`);
            else if (x.key === 'auth_pass') {
              ha.authSecret = this.secretName;
              this.findings.push(importFinding('note', x.file, x.line, t`auth_pass becomes secret:${this.secretName}; its value is not copied into the .lvs: give it to generate and deploy in ${secretEnvName(this.secretName)} (docs/language.md, secrets)`));
            } else if (x.key !== 'auth_type') this.unknown(x, 'authentication');
          }
          break;
        case 'virtual_ipaddress':
          for (const v of s.body ?? []) {
            const vip = this.vip(v);
            if (vip) ha.vips.push(vip);
          }
          break;
        default:
          this.unknown(s, `vrrp_instance ${st.args[0] ?? ''}`);
      }
    }
    if (!Number.isInteger(ha.routerId) || ha.routerId < 1 || ha.routerId > 255) throw new ImportInputError(st.file, st.line, t`vrrp_instance ${st.args[0] ?? ''}: virtual_router_id missing or not 1 to 255`);
    if (d.priority !== undefined && (!Number.isInteger(d.priority) || d.priority < 1 || d.priority > 255)) throw new ImportInputError(st.file, st.line, t`priority ${d.priority}: not 1 to 255`);
    this.cluster.ha = ha;
    return d;
  }

  private vip(v: Statement): ImportedVip | undefined {
    const [addr, prefix] = v.key.split('/');
    if (!IPV4.test(addr)) { this.report(v, t`VIP ${v.key}: only IPv4 addresses are expressible`); return undefined; }
    if (prefix !== undefined && prefix !== '32') this.findings.push(importFinding('note', v.file, v.line, t`VIP ${v.key}: placed as /32 (the language places every VIP as a /32)`));
    const vip: ImportedVip = { address: addr };
    for (let i = 0; i < v.args.length; i++) {
      const k = v.args[i];
      const val = v.args[i + 1];
      if (k === 'dev') { vip.dev = val; i++; } else if (k === 'label') { vip.label = val; i++; } else if (['brd', 'broadcast', 'scope'].includes(k)) {
        this.report(v, t`VIP ${addr}: ${k} ${val ?? ''} has no word`); i++;
      } else { this.report(v, t`VIP ${addr}: ${k} has no word`); }
    }
    return vip;
  }

  private virtualServer(st: Statement) {
    let [addr, portText] = st.args;
    let fwmark: number | undefined;
    if (st.args[0] === 'group') { this.report(st, t`virtual_server ${st.args.join(' ')}: virtual server groups have no word; not imported`); return; }
    if (st.args[0] === 'fwmark') {
      fwmark = Number(st.args[1]);
      if (!Number.isInteger(fwmark) || fwmark < 1) throw new ImportInputError(st.file, st.line, t`virtual_server fwmark ${st.args[1] ?? ''}: not a mark`);
      // The VIP and ports are in the director's firewall rules: the first VRRP address stands in.
      addr = this.cluster.ha?.vips[0]?.address ?? '';
      portText = '0';
      if (!addr) { this.report(st, t`virtual_server fwmark ${fwmark}: keepalived.conf does not say which VIP the director's firewall marks ${fwmark}, and no vrrp_instance address (read before it) stands in; not imported`); return; }
      this.report(st, t`virtual_server fwmark ${fwmark}: keepalived.conf does not say which VIP and ports the director's firewall marks ${fwmark}; imported as \`fwmark ${fwmark}\` on the first VIP: add \`ports P P\``);
    }
    if (!addr || !IPV4.test(addr)) { this.report(st, t`virtual_server ${st.args.join(' ')}: only IPv4 addresses are expressible; not imported`); return; }
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ImportInputError(st.file, st.line, t`virtual_server ${addr} ${portText ?? ''}: not a port`);
    const svc: ImportedService = { vip: addr, protocol: 'tcp', port, quiesce: false, checks: [], reals: [], fwmark, at: { file: st.file, line: st.line } };
    const defaults = new Map<string, string>();
    let method = 'NAT';
    let methodGiven = false;
    let protocolSeen = false;
    const reals: Statement[] = [];
    for (const s0 of st.body ?? []) {
      const key = RENAMED[s0.key] ?? s0.key;
      const a = s0.args[0];
      switch (key) {
        case 'delay_loop': case 'connect_timeout': case 'retry': case 'delay_before_retry': defaults.set(key, a); break;
        case 'lvs_sched': svc.scheduler = a; break;
        case 'lvs_method': method = a ?? ''; methodGiven = true; if (s0.args.length > 1) this.report(s0, t`${s0.key} ${s0.args.join(' ')}: tunnel options have no word`); break;
        case 'protocol':
          protocolSeen = true;
          if (a === 'TCP' || a === 'UDP') svc.protocol = a === 'TCP' ? 'tcp' : 'udp';
          else this.report(s0, t`protocol ${a ?? ''}: only TCP and UDP are expressible`);
          break;
        case 'persistence_timeout': svc.persistence = { ...svc.persistence, timeout: Number(a) }; break;
        case 'persistence_granularity': defaults.set('granularity', a); break;
        case 'real_server': reals.push(s0); break;
        case 'quorum': svc.quorum = Number(a); break;
        case 'hysteresis': svc.hysteresis = Number(a); break;
        case 'sorry_server':
          if (!a || !IPV4.test(a)) { this.report(s0, t`sorry_server ${s0.args.join(' ')}: only an IPv4 address is expressible`); break; }
          svc.sorry = { address: a, port: s0.args[1] === undefined ? port : Number(s0.args[1]) };
          if (svc.sorry.port !== port && fwmark === undefined) this.report(s0, t`sorry_server ${s0.args.join(' ')}: another port than the service's has no word (DR forwards on the service port)`);
          break;
        default: this.unknown(s0, `virtual_server ${addr} ${port}`);
      }
    }
    if (method !== 'DR') { this.report(st, methodGiven
      ? t`virtual_server ${addr} ${port}: lvs_method ${method}; only DR is expressible; not imported`
      : t`virtual_server ${addr} ${port}: lvs_method ${method} (keepalived's default when none is given); only DR is expressible; not imported`); return; }
    if (!protocolSeen) this.findings.push(importFinding('inferred', st.file, st.line, t`virtual_server ${addr} ${port}: no protocol; TCP assumed`));
    const gran = defaults.get('granularity');
    if (gran && svc.persistence) { if (gran !== '255.255.255.255') svc.persistence.netmask = gran; } else if (gran) this.report(st, t`persistence_granularity without persistence_timeout has no effect; not imported`);
    if (svc.persistence && (!Number.isInteger(svc.persistence.timeout) || svc.persistence.timeout < 1)) throw new ImportInputError(st.file, st.line, t('persistence_timeout: not a number of seconds'));
    let firstChecks: string | undefined;
    for (const r of reals) {
      const real = this.realServer(r, svc, defaults);
      if (!real) continue;
      const text = JSON.stringify(real.checks);
      if (firstChecks === undefined) { firstChecks = text; svc.checks = real.checks; } else if (firstChecks !== text) {
        this.report(r, t`real_server ${r.args.join(' ')}: checkers unlike the first real server's; the language has one set of checks per service (the first is imported)`);
      }
    }
    this.cluster.services.push(svc);
  }

  private realServer(r: Statement, svc: ImportedService, vsDefaults: Map<string, string>): { checks: ImportedCheck[] } | undefined {
    const [addr, portText] = r.args;
    if (!addr || !IPV4.test(addr)) { this.report(r, t`real_server ${r.args.join(' ')}: only IPv4 addresses are expressible; not imported`); return undefined; }
    const port = portText === undefined ? svc.port : Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ImportInputError(r.file, r.line, t`real_server ${addr} ${portText}: not a port`);
    const defaults = new Map(vsDefaults);
    let weight = 1;
    const checks: ImportedCheck[] = [];
    for (const s0 of r.body ?? []) {
      const key = RENAMED[s0.key] ?? s0.key;
      if (key in CHECKERS) {
        const type = CHECKERS[key];
        if (!type) { this.report(s0, t`${s0.key}: this checker has no word in the language; not imported`); continue; }
        checks.push(this.checker(s0, type, defaults));
        continue;
      }
      switch (key) {
        case 'weight': weight = Number(s0.args[0]); break;
        case 'inhibit_on_failure': svc.quiesce = true; break;
        case 'delay_loop': case 'connect_timeout': case 'retry': case 'delay_before_retry': defaults.set(key, s0.args[0]); break;
        case 'lvs_method': if (s0.args[0] !== 'DR') { this.report(s0, t`real_server ${addr}: lvs_method ${s0.args[0]}; only DR is expressible; not imported`); return undefined; } break;
        default: this.unknown(s0, `real_server ${addr} ${port}`);
      }
    }
    if (!Number.isInteger(weight) || weight < 0) throw new ImportInputError(r.file, r.line, t`real_server ${addr}: weight ${weight} is not a whole number`);
    svc.reals.push({ address: addr, port, weight, at: { file: r.file, line: r.line } });
    return { checks };
  }

  private checker(c: Statement, type: ImportedCheck['type'], inherited: Map<string, string>): ImportedCheck {
    const v = new Map(inherited);
    const check: ImportedCheck = { type };
    let urls = 0;
    for (const s0 of c.body ?? []) {
      const key = RENAMED[s0.key] ?? s0.key;
      switch (key) {
        case 'delay_loop': case 'connect_timeout': case 'retry': case 'delay_before_retry': v.set(key, s0.args[0]); break;
        case 'connect_port':
          if (type === 'script' || type === 'ping') this.unknown(s0, c.key);
          else check.port = Number(s0.args[0]);
          break;
        case 'virtualhost':
          if (type === 'http' || type === 'https') check.host = s0.args[0]; else this.unknown(s0, c.key);
          break;
        case 'type': if (type === 'dns') check.dnsType = s0.args[0]; else this.unknown(s0, c.key); break;
        case 'name': if (type === 'dns') check.dnsName = s0.args[0]; else this.unknown(s0, c.key); break;
        case 'misc_path': if (type === 'script') check.script = s0.args[0]; else this.unknown(s0, c.key); break;
        case 'misc_timeout': if (type === 'script') v.set('connect_timeout', s0.args[0]); else this.unknown(s0, c.key); break;
        case 'url':
          if (type !== 'http' && type !== 'https') { this.unknown(s0, c.key); break; }
          if (++urls > 1) { this.report(s0, t`${c.key}: a second url; the language checks one path`); break; }
          for (const u of s0.body ?? []) {
            if (u.key === 'path') check.path = u.args[0];
            else if (u.key === 'virtualhost') check.host = u.args[0];
            else if (u.key === 'status_code') {
              const code = Number(u.args[0]);
              if (Number.isInteger(code)) check.expect = code; else this.report(u, t`status_code ${u.args.join(' ')}: only one status code is expressible`);
            } else this.unknown(u, `${c.key} url`);
          }
          break;
        default: this.unknown(s0, c.key);
      }
    }
    const every = secondsOf(v.get('delay_loop'));
    const timeout = secondsOf(v.get('connect_timeout'));
    const retry = v.get('retry');
    if (every !== undefined) check.every = every;
    if (timeout !== undefined) check.timeout = timeout;
    if (retry !== undefined && Number.isInteger(Number(retry))) check.retry = Number(retry);
    if (v.has('delay_before_retry')) {
      const expected = type === 'http' || type === 'https' ? '3' : '1';
      // (MISC_CHECK and DNS_CHECK get 1 from the generator too.)
      if (v.get('delay_before_retry') !== expected) this.findings.push(importFinding('not-expressible', c.file, c.line, t`${c.key}: delay_before_retry ${String(v.get('delay_before_retry'))} has no word (generated files use ${expected})`));
    }
    return check;
  }
}

export interface KeepalivedImportOptions extends SourceOptions {
  /** Name of the `secret:NAME` that auth_pass becomes. */
  secretName?: string;
}

export function importKeepalived(path: string, opts: KeepalivedImportOptions = {}): KeepalivedImport {
  const source = readKeepalivedSource(path, opts);
  const it = new Interpreter(opts.configId, opts.secretName ?? 'vrrp-auth');
  it.top(statements(source.tokens));
  return { cluster: it.cluster, findings: [...source.findings, ...it.findings], files: source.files };
}
