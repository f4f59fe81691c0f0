// Entry points of the generators: one cluster model → the files of every host, or a whole
// .lvs text → the files of each cluster (refused when the file has errors).
// One module per artifact kind; this one only assembles them per host.
import { validateText } from '../validation/registry';
import { Finding } from '../validation/types';
import { ClusterModel } from '../model/topology';
import { generateApplyScript } from './apply-script';
import { HostContext } from './context';
import { generateDirectorAlias } from './director-alias';
import { generateDirectorBoot } from './director-boot';
import { generateDrScript } from './dr-script';
import { generateIpvsadmRules } from './ipvsadm-rules';
import { generateKeepalived } from './keepalived';
import { specifyCluster } from './spec';
import { generateRollbackScript } from './rollback-script';
import { generateRsLoopback } from './rs-loopback';
import { generateRsScript } from './rs-script';
import { SharedBodies } from './shared-body';
import { generateSysctl } from './sysctl';
import { generateVerifyScript } from './verify-script';
import { GeneratedFile, GenerateError, GenerateOptions } from './types';
import { Msg, t } from '../shared/l10n/message';

export type { GeneratedFile, GenerateOptions, SecretRef, SecretResolver } from './types';
export { GenerateError } from './types';
export { defaultSecretResolver, unresolvedHintWords } from './secrets';
export { buildManifest, manifestText, sha256 } from './manifest';
export { SCRIPT_DIR, STATE_DIR } from './context';
export { CONVERGES_MARK } from './apply-script';

function byPath(a: GeneratedFile, b: GeneratedFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Every file of every host of one cluster: directors first, then real servers, each in the
 * order of the .lvs file; within a host sorted by path. Throws GenerateError when the model
 * lacks something a file needs (validation normally catches it first).
 */
export function generateCluster(model: ClusterModel, opts: GenerateOptions): GeneratedFile[] {
  const spec = specifyCluster(model, opts.sourceName);
  const out: GeneratedFile[] = [];
  const hosts = new Set<string>();
  const dup: Msg[] = [];
  for (const host of [...spec.directors, ...spec.servers]) {
    if (hosts.has(host.name)) dup.push(t`cluster ${spec.name}: two hosts are named ${host.name}`);
    hosts.add(host.name);
  }
  if (dup.length > 0) throw new GenerateError(dup);
  const bodies = new SharedBodies(spec, opts.shareBodies ?? true);
  for (const d of spec.directors) {
    const ctx: HostContext = { spec, host: d, opts, shaped: bodies.shape(d), bodies };
    out.push(...[
      ...generateDirectorAlias(ctx, d),
      ...generateDirectorBoot(ctx),
      generateSysctl(ctx),
      ...generateDrScript(ctx, d),
      ...generateIpvsadmRules(ctx),
      ...generateKeepalived(ctx, d),
      generateApplyScript(ctx),
      generateVerifyScript(ctx),
      generateRollbackScript(ctx),
    ].sort(byPath));
  }
  for (const s of spec.servers) {
    const ctx: HostContext = { spec, host: s, opts, shaped: bodies.shape(s), bodies };
    out.push(...[
      ...generateRsLoopback(ctx, s),
      generateSysctl(ctx),
      ...generateRsScript(ctx),
      generateApplyScript(ctx),
      generateVerifyScript(ctx),
      generateRollbackScript(ctx),
    ].sort(byPath));
  }
  return out;
}

/** A finding with its 1-based position, for messages like `file:line:col`. */
export interface LocatedFinding extends Finding {
  line: number;
  column: number;
}

/** The .lvs text has errors: nothing is generated. */
export class GenerateRefusedError extends Error {
  constructor(readonly sourceName: string, readonly errors: LocatedFinding[]) {
    super(`${sourceName} has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was generated:\n`
      + errors.map((e) => `  ${sourceName}:${e.line}:${e.column} ${e.code} ${e.message}`).join('\n'));
    this.name = 'GenerateRefusedError';
  }
}

/** 0-based offset → 1-based line and column (LF, CRLF or CR line ends). */
export function locate(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export interface GeneratedCluster {
  name: string;
  files: GeneratedFile[];
  /** Secrets replaced by placeholders (unresolved, or preview mode), rendered where they are shown. */
  warnings: Msg[];
}

/**
 * Validates the text and generates every cluster in it. Throws GenerateRefusedError listing
 * the error findings when there are any, GenerateError when a model still lacks something.
 */
export function generateFile(text: string, sourceName: string, opts: Omit<GenerateOptions, 'sourceName'> = {}): { clusters: GeneratedCluster[] } {
  const result = validateText(text);
  const errors = result.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw new GenerateRefusedError(sourceName, errors.map((f) => ({ ...f, ...locate(text, f.span.start) })));
  }
  return {
    clusters: result.model.clusters.map((model) => {
      const warnings: Msg[] = [];
      const files = generateCluster(model, {
        ...opts, sourceName,
        onWarning: (w) => {
          warnings.push(w);
          opts.onWarning?.(w);
        },
      });
      return { name: model.cluster.name.text, files, warnings };
    }),
  };
}
