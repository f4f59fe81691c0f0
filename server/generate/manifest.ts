// MANIFEST.json written beside each host's files by `lvsdr generate`: every file's target
// path, mode (octal string) and digest, sorted by path. No timestamps: same input, same bytes.
// The digest is a sha256, except for a file holding a resolved secret: its digest is keyed
// (see digest-key.ts), or absent when no key is given.
import { createHash } from 'node:crypto';
import { keyedDigest } from './digest-key';
import { modeString } from './text';
import { GeneratedFile } from './types';

export interface ManifestEntry {
  path: string;
  mode: string;
  sha256?: string;
  /** `hmac-sha256:<hex>` under the local digest key: files that hold a secret. */
  keyed?: string;
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

export function manifestEntry(f: GeneratedFile, key?: Buffer): ManifestEntry {
  const entry: ManifestEntry = { path: f.path, mode: modeString(f.mode) };
  if (!f.secret) entry.sha256 = sha256(f.content);
  else if (key) entry.keyed = keyedDigest(key, f.content);
  return entry;
}

export function buildManifest(source: string, cluster: string, host: string, files: GeneratedFile[], key?: Buffer): Manifest {
  return {
    generator: 'lvs-dr-studio', source, cluster, host,
    files: files
      .filter((f) => f.host === host)
      .map((f) => manifestEntry(f, key))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

/** True when the content is what the entry recorded (false when it recorded no digest). */
export function entryMatches(entry: { sha256?: unknown; keyed?: unknown }, content: Buffer, key?: Buffer): boolean {
  if (typeof entry.sha256 === 'string') return createHash('sha256').update(content).digest('hex') === entry.sha256;
  if (typeof entry.keyed === 'string' && key) return keyedDigest(key, content) === entry.keyed;
  return false;
}

export function manifestText(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}
