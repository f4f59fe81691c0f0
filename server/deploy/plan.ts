// The plan of one host: for every generated file, compare the remote bytes and mode with the
// generated ones (add / change / unchanged); files an earlier deploy placed that the file no
// longer generates are removed (only when they still hold what that deploy wrote; what was
// placed comes from the host's own record, owned-record.ts). A host whose files are all
// unchanged is a no-op and is skipped entirely.
import { createHash } from 'node:crypto';
import { GeneratedFile } from '../generate';
import { DeployError } from './errors';
import { RemoteFile, RemoteSnapshot, sha256Bytes } from './remote-files';
import { APPLY_SH } from './remote';
import { FileAction, FilePlan, FileState, HostPlan, HostTarget } from './types';
import { Msg, t } from '../shared/l10n/message';

/** Files an earlier deploy placed on a host, as its record says: path → sha256 it wrote ('secret': not recorded). */
export type OwnedFiles = Map<string, string>;

export function planHost(host: HostTarget, generated: GeneratedFile[], snap: RemoteSnapshot, owned: OwnedFiles = new Map()): HostPlan {
  const byPath = new Map<string, RemoteFile>(snap.files.map((f) => [f.path, f]));
  const files: FilePlan[] = [];
  const warnings: Msg[] = [];
  for (const g of generated) {
    const r = byPath.get(g.path);
    if (!r) throw new DeployError(host.name, 'plan', t`${g.path} was not read`);
    if (r.state === 'other') throw new DeployError(host.name, 'plan', t`${g.path} exists but is not a regular file (a directory or a symlink); refusing to replace it`);
    const after: FileState = { sha256: sha256Bytes(Buffer.from(g.content, 'utf8')), mode: g.mode & 0o7777 };
    if (r.state === 'absent') {
      files.push({ path: g.path, action: 'add', before: null, after, content: g.content });
      continue;
    }
    const before: FileState = { sha256: r.sha256!, mode: r.mode! & 0o7777 };
    const same = before.sha256 === after.sha256 && before.mode === after.mode;
    files.push({
      path: g.path, action: same ? 'unchanged' : 'change', before, after, content: g.content, current: r.content,
      modeOnly: !same && before.sha256 === after.sha256,
    });
  }
  const generatedPaths = new Set(generated.map((g) => g.path));
  for (const [path, wrote] of owned) {
    if (generatedPaths.has(path)) continue;
    const r = byPath.get(path);
    if (!r || r.state === 'absent') continue;
    if (!/^[0-9a-f]{64}$/.test(wrote)) {
      warnings.push(t`${path} was placed by an earlier deploy and is no longer generated; it held a secret, so its digest was not recorded: left in place`);
      continue;
    }
    if (r.state === 'other' || r.sha256 !== wrote) {
      warnings.push(t`${path} was placed by an earlier deploy and is no longer generated, but it changed on the host since: left in place`);
      continue;
    }
    files.push({ path, action: 'remove', before: { sha256: r.sha256, mode: r.mode! & 0o7777 }, after: null, current: r.content });
  }
  const apply = byPath.get(APPLY_SH);
  return {
    host, files, warnings,
    changed: files.some((f) => f.action !== 'unchanged'),
    hadApply: apply?.state === 'present',
    ipvs: snap.ipvs,
  };
}

/** Paths to read on a host: the generated ones plus those an earlier deploy owned. */
export function pathsToRead(generated: GeneratedFile[], owned: OwnedFiles = new Map()): string[] {
  const paths = generated.map((g) => g.path);
  for (const p of owned.keys()) if (!paths.includes(p)) paths.push(p);
  return paths;
}

export function summarize(p: HostPlan): Msg {
  if (!p.changed) return t`no change (${p.files.length} files unchanged)`;
  return fileCounts(p);
}

/** `1 added, 2 changed, 1 unchanged` (`, 1 removed` when there are removals). */
export function fileCounts(p: HostPlan): Msg {
  const n = (a: FileAction) => p.files.filter((f) => f.action === a).length;
  return n('remove') ? t`${n('add')} added, ${n('change')} changed, ${n('unchanged')} unchanged, ${n('remove')} removed`
    : t`${n('add')} added, ${n('change')} changed, ${n('unchanged')} unchanged`;
}

/**
 * A short id of what a plan would do (every host's files: action, sha256 and mode before and
 * after). A front end that showed a plan passes it to the deploy (`--plan-id`), which refuses
 * when the plan computed under the locks differs (the hosts or the file changed meanwhile).
 */
export function planId(hosts: HostPlan[]): string {
  const rows = hosts.flatMap((p) => p.files.map((f) => [p.host.name, f.path, f.action, f.before?.sha256 ?? '-', f.before?.mode ?? '-', f.after?.sha256 ?? '-', f.after?.mode ?? '-'].join(' ')));
  return createHash('sha256').update(rows.sort().join('\n')).digest('hex').slice(0, 16);
}
