// MANIFEST.json written beside each host's files by `lvsdr generate`: every file's target
// path, mode (octal string) and sha256, sorted by path. No timestamps: same input, same bytes.
import { createHash } from 'node:crypto';
import { modeString } from './text';
import { GeneratedFile } from './types';

export interface ManifestEntry {
  path: string;
  mode: string;
  sha256: string;
}

export interface Manifest {
  generator: 'lvs-dr-studio';
  source: string;
  cluster: string;
  host: string;
  files: ManifestEntry[];
}

export function sha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

export function buildManifest(source: string, cluster: string, host: string, files: GeneratedFile[]): Manifest {
  return {
    generator: 'lvs-dr-studio', source, cluster, host,
    files: files
      .filter((f) => f.host === host)
      .map((f) => ({ path: f.path, mode: modeString(f.mode), sha256: sha256(f.content) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

export function manifestText(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}
