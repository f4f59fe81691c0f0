// How a file travels to a host, shared by the upload and the backup's restore: it is written
// under a temporary name beside its target (then renamed over it), the directories it needs
// are created first, and its bytes go through a here-document as base64 lines.
import { basename, dirname } from 'node:path';

/** The temporary sibling a file is staged under: `.NAME.lvsdr-<deploy id>.tmp`. */
export function tempPath(path: string, deployId: string): string {
  return `${dirname(path)}/.${basename(path)}.lvsdr-${deployId}.tmp`;
}

/** Every ancestor directory of the paths, shallowest first, without `/`. */
export function parentDirs(paths: string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    let d = dirname(p);
    const chain: string[] = [];
    while (d !== '/' && d !== '.') {
      chain.unshift(d);
      d = dirname(d);
    }
    for (const c of chain) dirs.add(c);
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
}

/** Base64 text as here-document lines of `width` characters (one empty line for no bytes). */
export function chunk(b64: string, width = 76): string[] {
  const out: string[] = [];
  for (let i = 0; i < b64.length; i += width) out.push(b64.slice(i, i + width));
  return out.length ? out : [''];
}
