// Reads an IPVS table as `ipvsadm-save -n` / `ipvsadm -Sn` print it (one `-A` line per virtual
// service, one `-a` line per real server), and `ipvsadm -Ln` as a fallback. Only what the
// language expresses is kept: TCP/UDP services on IPv4 with DR real servers. Everything else
// (fwmark services, IPv6, NAT/tunnel real servers, flags without a word) is reported.
import { Msg, t } from '../shared/l10n/message';
import { ImportFinding, importFinding, ImportInputError } from './findings';
import { ImportedService, SourceLine } from './imported-cluster';

export interface IpvsadmImport {
  services: ImportedService[];
  findings: ImportFinding[];
}

const IPV4_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/;

/** Option letters with a value, in short and long spelling (ipvsadm(8)). */
const LONG: Record<string, string> = {
  '--add-service': '-A', '--edit-service': '-E', '--add-server': '-a', '--edit-server': '-e',
  '--tcp-service': '-t', '--udp-service': '-u', '--sctp-service': '--sctp-service', '--fwmark-service': '-f',
  '--scheduler': '-s', '--persistent': '-p', '--netmask': '-M', '--real-server': '-r',
  '--gatewaying': '-g', '--masquerading': '-m', '--ipip': '-i', '--weight': '-w',
  '--u-threshold': '-x', '--l-threshold': '-y', '--sched-flags': '-b', '--pe': '--pe',
  '--ops': '-o', '--tun-type': '--tun-type',
};
const TAKES_VALUE = new Set(['-t', '-u', '-f', '-s', '-p', '-M', '-r', '-w', '-x', '-y', '-b', '--pe', '--sctp-service', '--tun-type']);

interface Options {
  verb?: string;
  opts: Map<string, string>;
}

function readOptions(words: string[], at: SourceLine): Options {
  const out: Options = { opts: new Map() };
  for (let i = 0; i < words.length; i++) {
    const w = LONG[words[i]] ?? words[i];
    if (['-A', '-a', '-E', '-e'].includes(w)) { out.verb = w; continue; }
    if (!w.startsWith('-')) throw new ImportInputError(at.file, at.line, t`unexpected word "${words[i]}"`);
    if (TAKES_VALUE.has(w)) {
      const v = words[++i];
      if (v === undefined) throw new ImportInputError(at.file, at.line, t`${words[i - 1]} needs a value`);
      out.opts.set(w, v);
    } else if (w === '-p') {
      out.opts.set(w, '');
    } else {
      out.opts.set(w, '');
    }
  }
  // `-p` without a number means the default 300 seconds (ipvsadm(8)).
  return out;
}

function serviceKey(o: Options): { key: string; protocol?: 'tcp' | 'udp'; address: string } {
  if (o.opts.has('-t')) return { key: `tcp ${o.opts.get('-t')}`, protocol: 'tcp', address: o.opts.get('-t')! };
  if (o.opts.has('-u')) return { key: `udp ${o.opts.get('-u')}`, protocol: 'udp', address: o.opts.get('-u')! };
  if (o.opts.has('-f')) return { key: `fwmark ${o.opts.get('-f')}`, address: o.opts.get('-f')! };
  if (o.opts.has('--sctp-service')) return { key: `sctp ${o.opts.get('--sctp-service')}`, address: o.opts.get('--sctp-service')! };
  return { key: '', address: '' };
}

/** Parses `ipvsadm -Sn` text; `file` names it in findings and errors. */
export function importIpvsadmRules(text: string, file: string): IpvsadmImport {
  if (/^IP Virtual Server version/m.test(text)) return importIpvsadmList(text, file);
  const findings: ImportFinding[] = [];
  const services = new Map<string, ImportedService>();
  const skipped = new Set<string>();
  const report = (at: SourceLine, words: Msg) => findings.push(importFinding('not-expressible', at.file, at.line, words));
  text.split(/\r?\n/).forEach((raw, index) => {
    const at = { file, line: index + 1 };
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const words = line.split(/\s+/);
    if (words[0] === 'ipvsadm') words.shift();
    if (words[0] === '-C' || words[0] === '--clear') return;
    const o = readOptions(words, at);
    if (!o.verb) throw new ImportInputError(file, at.line, t('neither -A nor -a: not a line of `ipvsadm -Sn`'));
    const svc = serviceKey(o);
    if (!svc.key) throw new ImportInputError(file, at.line, t('no service (-t, -u or -f)'));
    if (o.verb === '-A' || o.verb === '-E') {
      if (!svc.protocol) { report(at, t`${svc.key}: only TCP and UDP services have a word (fwmark and SCTP services are not imported)`); skipped.add(svc.key); return; }
      const m = IPV4_PORT.exec(svc.address);
      if (!m) { report(at, t`${svc.key}: only IPv4 addresses are expressible (IPv6 services are not imported)`); skipped.add(svc.key); return; }
      const imported: ImportedService = { vip: m[1], protocol: svc.protocol, port: Number(m[2]), quiesce: false, checks: [], reals: [], at };
      const sched = o.opts.get('-s');
      if (sched) imported.scheduler = sched;
      if (o.opts.has('-p')) {
        const timeout = o.opts.get('-p') === '' ? 300 : Number(o.opts.get('-p'));
        if (!Number.isInteger(timeout) || timeout < 1) throw new ImportInputError(file, at.line, t`-p ${String(o.opts.get('-p'))}: not a number of seconds`);
        imported.persistence = { timeout };
        const mask = o.opts.get('-M');
        if (mask && mask !== '255.255.255.255') imported.persistence.netmask = mask;
      } else if (o.opts.has('-M')) report(at, t`${svc.key}: -M without -p has no effect and is not imported`);
      for (const flag of ['-b', '--pe', '-o']) if (o.opts.has(flag)) report(at, t`${svc.key}: ${flag}${o.opts.get(flag) ? ' ' + o.opts.get(flag) : ''} has no word in the language`);
      services.set(svc.key, imported);
      return;
    }
    if (skipped.has(svc.key)) { report(at, t`${svc.key}: real server of a service that was not imported`); return; }
    const parent = services.get(svc.key);
    if (!parent) throw new ImportInputError(file, at.line, t`real server of ${svc.key}, which no -A line before it defines`);
    const rip = o.opts.get('-r') ?? '';
    const m = IPV4_PORT.exec(rip) ?? (/^\d{1,3}(\.\d{1,3}){3}$/.test(rip) ? [rip, rip, String(parent.port)] : null);
    if (!m) { report(at, t`${svc.key}: real server ${rip || t`(none)`} is not an IPv4 address and port`); return; }
    if (o.opts.has('-m')) { report(at, t`${svc.key}: real server ${rip} uses NAT (-m); only direct routing is expressible`); return; }
    if (o.opts.has('-i')) { report(at, t`${svc.key}: real server ${rip} uses tunnelling (-i); only direct routing is expressible`); return; }
    for (const flag of ['-x', '-y', '--tun-type']) if (o.opts.has(flag)) report(at, t`${svc.key}: real server ${rip}: ${flag} ${String(o.opts.get(flag))} has no word in the language`);
    const weight = o.opts.has('-w') ? Number(o.opts.get('-w')) : 1;
    if (!Number.isInteger(weight) || weight < 0) throw new ImportInputError(file, at.line, t`-w ${String(o.opts.get('-w'))}: not a weight`);
    parent.reals.push({ address: m[1], port: Number(m[2]), weight, at });
  });
  return { services: [...services.values()], findings };
}

/** `ipvsadm -Ln`: rewritten into -A/-a lines, then read as above (line numbers are kept). */
function importIpvsadmList(text: string, file: string): IpvsadmImport {
  const lines = text.split(/\r?\n/);
  let current = '';
  const rewritten = lines.map((raw) => {
    const w = raw.trim().split(/\s+/);
    if (/^(TCP|UDP|FWM|SCTP)$/.test(w[0])) {
      const flag = { TCP: '-t', UDP: '-u', FWM: '-f', SCTP: '--sctp-service' }[w[0] as 'TCP'];
      current = `${flag} ${w[1]}`;
      let line = `-A ${current} -s ${w[2]}`;
      const p = w.indexOf('persistent');
      if (p >= 0) line += ` -p ${w[p + 1]}`;
      const mask = w.indexOf('mask');
      if (mask >= 0) line += ` -M ${w[mask + 1]}`;
      return line;
    }
    if (w[0] === '->' && current && /^\S+:\d+$/.test(w[1] ?? '')) {
      const method = { Route: '-g', Masq: '-m', Tunnel: '-i', Local: '-g' }[w[2] as 'Route'] ?? '-g';
      return `-a ${current} -r ${w[1]} ${method} -w ${w[3]}`;
    }
    return '';
  });
  return importIpvsadmRules(rewritten.join('\n'), file);
}
