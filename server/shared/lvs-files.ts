// The .lvs files a directory stands for: `lvsdr check|plan|drift DIR` and the workspace
// clusters the language server lists (lsp/workspace-clusters.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The .lvs files under a directory, sorted, without following symbolic links or entering dot folders (.git) or node_modules. */
export function lvsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') out.push(...lvsFilesUnder(p));
    else if (e.isFile() && e.name.endsWith('.lvs')) out.push(p);
  }
  return out;
}
