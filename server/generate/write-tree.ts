// Writes generated files as a tree: DIR/<cluster>/<host>/<absolute target path>, with modes,
// plus DIR/<cluster>/<host>/MANIFEST.json. Used by `lvsdr generate` and the VS Code command.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildManifest, manifestText } from './manifest';
import { GeneratedFile } from './types';

/** Target path → path under the host's output directory (`/etc/x` → `<dir>/etc/x`). */
function hostPath(hostDir: string, target: string): string {
  return join(hostDir, ...target.split('/').filter((p) => p !== '' && p !== '.' && p !== '..'));
}

/**
 * Writes one cluster's files under `outDir/<cluster>/<host>/` with MANIFEST.json per host.
 * Files listed in a previous MANIFEST.json of the same host are removed first, so nothing
 * stale is left behind; nothing else in DIR is touched. Returns the number of files written.
 */
export function writeCluster(outDir: string, cluster: string, sourceName: string, files: GeneratedFile[]): number {
  // Grouped once: filtering the whole list per host is quadratic (1,000 hosts, 6,000 files).
  const byHost = new Map<string, GeneratedFile[]>();
  for (const f of files) {
    const list = byHost.get(f.host);
    if (list) list.push(f);
    else byHost.set(f.host, [f]);
  }
  for (const [host, hostFiles] of byHost) {
    const hostDir = join(outDir, cluster, host);
    const manifestPath = join(hostDir, 'MANIFEST.json');
    if (existsSync(manifestPath)) {
      try {
        const old = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files?: { path?: unknown }[] };
        for (const f of old.files ?? []) if (typeof f.path === 'string') rmSync(hostPath(hostDir, f.path), { force: true });
      } catch {
        // An unreadable old manifest only means there is nothing we know to clean up.
      }
    }
    for (const f of hostFiles) {
      const target = hostPath(hostDir, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content, { mode: f.mode });
      chmodSync(target, f.mode); // the umask may have removed bits
    }
    writeFileSync(manifestPath, manifestText(buildManifest(sourceName, cluster, host, hostFiles)), { mode: 0o644 });
  }
  return files.length;
}

