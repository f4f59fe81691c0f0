// Adopting an existing cluster: keepalived.conf files (one per director) and an IPVS table in
// `ipvsadm -Sn` form become one .lvs text, checked by the validator. The public module of the
// import layer; the CLI (`lvsdr import`) uses nothing else.
import { readFileSync } from 'node:fs';
import { Msg, t } from '../shared/l10n/message';
import { validateText } from '../validation/registry';
import { ImportFinding, importFinding, ImportInputError } from './findings';
import { ImportedCluster, ImportedService } from './imported-cluster';
import { importIpvsadmRules } from './ipvsadm';
import { importKeepalived } from './keepalived';
import { emitLvs } from './emit-lvs';

export { ImportInputError, findingText } from './findings';
export type { ImportFinding } from './findings';
export { importIpvsadmRules } from './ipvsadm';
export { importKeepalived } from './keepalived';
export { importLive } from './live';
export type { LiveHost } from './live';
export { liveReadScript, parseLiveRead } from './live-read';
export type { LiveHostRead } from './live-read';

export interface ImportInput {
  keepalived: { path: string; configId?: string }[];
  ipvsadm?: string;
  cluster?: string;
}

export interface ValidatorFinding {
  code: string;
  severity: string;
  line: number;
  /** In English. */
  message: string;
  /** The same as a message, for the reader's language. */
  words: Msg;
}

export interface ImportResult {
  text: string;
  cluster: ImportedCluster;
  findings: ImportFinding[];
  /** The validator's findings on the imported text (line numbers in it). */
  validation: ValidatorFinding[];
  /** True when something read was reported as not expressible. */
  lossy: boolean;
}

function serviceId(s: ImportedService): string {
  return s.fwmark !== undefined ? `fwmark ${s.fwmark}` : `${s.protocol} ${s.vip}:${s.port}`;
}

export function importCluster(input: ImportInput): ImportResult {
  const findings: ImportFinding[] = [];
  const cluster: ImportedCluster = { services: [], directors: [] };
  for (const k of input.keepalived) {
    const r = importKeepalived(k.path, { configId: k.configId, secretName: `vrrp-${input.cluster ?? 'imported'}` });
    findings.push(...r.findings);
    cluster.directors.push(...r.cluster.directors);
    if (r.cluster.ha) {
      if (!cluster.ha) cluster.ha = r.cluster.ha;
      else if (cluster.ha.routerId !== r.cluster.ha.routerId || cluster.ha.advert !== r.cluster.ha.advert) {
        findings.push(importFinding('not-expressible', k.path, r.cluster.directors.at(-1)?.at.line ?? 1, t('virtual_router_id or advert_int differ from the first file\'s; the first file\'s are imported')));
      }
      // keepalived clears preempt_delay on an initial MASTER, so only a backup's file may have it.
      cluster.ha.preemptDelay ??= r.cluster.ha.preemptDelay;
    }
    if (!cluster.timeouts && r.cluster.timeouts) cluster.timeouts = r.cluster.timeouts;
    if (cluster.services.length === 0) cluster.services = r.cluster.services;
    else if (r.cluster.services.map(serviceId).join() !== cluster.services.map(serviceId).join()) {
      findings.push(importFinding('note', k.path, 1, t('its virtual_server blocks differ from the first file\'s; the first file\'s are imported')));
    }
  }
  if (input.ipvsadm !== undefined) {
    let text: string;
    try {
      text = readFileSync(input.ipvsadm, 'utf8');
    } catch (e) {
      throw new ImportInputError(input.ipvsadm, 0, t`cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const r = importIpvsadmRules(text, input.ipvsadm);
    findings.push(...r.findings);
    if (cluster.services.length === 0) cluster.services = r.services;
    else {
      const known = new Set(cluster.services.map(serviceId));
      for (const s of r.services) {
        if (!known.has(serviceId(s))) findings.push(importFinding('note', s.at.file, s.at.line, t`${serviceId(s)} is in the IPVS table but in no keepalived.conf; keepalived's services are imported`));
      }
    }
  }
  return importResult(cluster, findings, input.cluster ?? 'imported');
}

/** The cluster as .lvs text, checked by the validator. */
export function importResult(cluster: ImportedCluster, findings: ImportFinding[], name: string): ImportResult {
  const text = emitLvs(cluster, name);
  const v = validateText(text);
  const validation = v.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, words: f.msg, line: text.slice(0, f.span.start).split('\n').length }));
  return { text, cluster, findings, validation, lossy: findings.some((f) => f.kind === 'not-expressible') };
}
