// What every per-host generator receives: the cluster spec, the host, options, the bodies it
// may share with hosts of the same shape, and a helper to build the header of a file.
import { ClusterSpec, HostSpec } from './spec';
import { ShapedHost, SharedBodies } from './shared-body';
import { header, HeaderInfo } from './text';
import { GenerateOptions } from './types';

export interface HostContext {
  spec: ClusterSpec;
  host: HostSpec;
  opts: GenerateOptions;
  /** The host without its identity, and the cluster's bodies shared by hosts of one shape. */
  shaped: ShapedHost;
  bodies: SharedBodies;
}

export function headerFor(ctx: HostContext, path: string, purpose: string[], comment = '#'): string[] {
  const info: HeaderInfo = {
    path, sourceName: ctx.spec.sourceName, cluster: ctx.spec.name, host: ctx.host.name,
    role: ctx.host.kind, os: ctx.host.os,
  };
  return header(info, purpose, comment);
}

/** Modes of generated files. */
export const MODE_SCRIPT = 0o755;
export const MODE_SECRET = 0o600;
export const MODE_FILE = 0o644;

/** Where the scripts live on every host. */
export const SCRIPT_DIR = '/opt/lvs';
/** Where apply.sh keeps what rollback.sh needs (saved sysctls, applied services, markers). */
export const STATE_DIR = '/var/lib/lvs-dr';
