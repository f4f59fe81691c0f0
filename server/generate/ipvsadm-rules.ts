// The IPVS table of a director in `ipvsadm-save -n` format, and the saved-rules file that
// restores it at boot: /etc/sysconfig/ipvsadm (RHEL's ipvsadm.service runs
// `ipvsadm-restore < /etc/sysconfig/ipvsadm`) or /etc/ipvsadm.rules (Debian/Ubuntu's ipvsadm
// init script, with AUTO="true" in /etc/default/ipvsadm). Written only without `ha`: with
// keepalived, keepalived owns the rules, and ipvsadm.service would add duplicates and overwrite
// this file with the live table when it stops.
// Boot-time restore: RHEL `systemctl enable ipvsadm`; Debian/Ubuntu AUTO="true" in
// /etc/default/ipvsadm (docs/generated-files.md).
// The lines are exactly what `ipvsadm -Sn` prints (ipvsadm.c FMT_RULE): `-M` only when the
// mask is not 255.255.255.255, DR as `-g`, so apply.sh and verify.sh can compare them.
import { HostContext, MODE_FILE } from './context';
import { addressPort, ClusterSpec, RealSpec, serviceKey, ServiceSpec, TargetOs } from './spec';
import { GeneratedFile } from './types';

export function ipvsServiceLine(svc: ServiceSpec): string {
  let line = `-A ${serviceKey(svc)} -s ${svc.scheduler}`;
  if (svc.persistence) {
    line += ` -p ${svc.persistence.timeout}`;
    if (svc.persistence.netmask && svc.persistence.netmask !== '255.255.255.255') line += ` -M ${svc.persistence.netmask}`;
  }
  return line;
}

/** A real server's `ADDRESS:PORT` in IPVS: port 0 in a fwmark service (the mark chose the ports). */
export function ipvsDest(svc: ServiceSpec, real: RealSpec): string {
  return addressPort(real.address, svc.fwmark !== undefined ? 0 : real.port);
}

export function ipvsDestLine(svc: ServiceSpec, real: RealSpec): string {
  return `-a ${serviceKey(svc)} -r ${ipvsDest(svc, real)} -g -w ${real.weight}`;
}

/** The whole table in file order: each service line followed by its real servers. */
export function ipvsRules(spec: ClusterSpec): string[] {
  return spec.services.flatMap((svc) => [ipvsServiceLine(svc), ...svc.reals.map((r) => ipvsDestLine(svc, r))]);
}

export function rulesPath(os: TargetOs): string {
  return os === 'rhel7' || os === 'rhel9' ? '/etc/sysconfig/ipvsadm' : '/etc/ipvsadm.rules';
}

export function generateIpvsadmRules(ctx: HostContext): GeneratedFile[] {
  if (ctx.spec.ha || ctx.host.kind !== 'director') return [];
  const path = rulesPath(ctx.host.os);
  // No header comment: ipvsadm -R (config_stream.c) passes a `#` line on as options and the
  // restore fails, so this file holds nothing but rules. docs/generated-files.md explains it.
  const rules = ipvsRules(ctx.spec);
  return [{ host: ctx.host.name, path, mode: MODE_FILE, content: rules.length > 0 ? rules.join('\n') + '\n' : '' }];
}
