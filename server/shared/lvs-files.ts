// The .lvs files a directory stands for: `lvsdr check|plan|drift DIR` and the workspace
// clusters the language server lists (lsp/workspace-clusters.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a walk for .lvs files enters a folder of this name: not dot folders (.git) nor node_modules. */
export function walksInto(folderName: string): boolean {
  return !folderName.startsWith('.') && folderName !== 'node_modules';
}

/** Whether a walk from its root reaches the folder at this relative path (every folder on the way entered). */
export function walkReaches(relativeFolder: string): boolean {
  return relativeFolder.split(/[\\/]/).every(walksInto);
}

/** The .lvs files under a directory, sorted, without following symbolic links or entering dot folders (.git) or node_modules. */
export function lvsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory() && walksInto(e.name)) out.push(...lvsFilesUnder(p));
    else if (e.isFile() && e.name.endsWith('.lvs')) out.push(p);
  }
  return out;
}
