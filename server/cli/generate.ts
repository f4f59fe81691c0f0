// `lvsdr generate FILE --out DIR [--cluster NAME] [--preview]`: writes every host's files to
// DIR/<cluster>/<host>/<absolute target path> with their modes, plus
// DIR/<cluster>/<host>/MANIFEST.json (target path, octal mode and sha256 of each file).
// Exit 0 on success, 1 when the file has errors (listed as file:line:col) or a model cannot be
// generated, 2 on unreadable input or bad usage.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildManifest, GeneratedFile, GenerateError, generateFile, GenerateRefusedError, manifestText } from '../generate';

const USAGE = 'usage: lvsdr generate FILE --out DIR [--cluster NAME] [--preview]\n';

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
  const hosts = [...new Set(files.map((f) => f.host))];
  for (const host of hosts) {
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
    for (const f of files.filter((x) => x.host === host)) {
      const target = hostPath(hostDir, f.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content, { mode: f.mode });
      chmodSync(target, f.mode); // the umask may have removed bits
    }
    writeFileSync(manifestPath, manifestText(buildManifest(sourceName, cluster, host, files)), { mode: 0o644 });
  }
  return files.length;
}

export async function generateCommand(args: string[]): Promise<number> {
  let out: string | undefined;
  let cluster: string | undefined;
  let preview = false;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out' || a === '-o') out = args[++i];
    else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a === '--cluster') cluster = args[++i];
    else if (a.startsWith('--cluster=')) cluster = a.slice('--cluster='.length);
    else if (a === '--preview') preview = true;
    else if (a === '-h' || a === '--help') { process.stdout.write(USAGE); return 0; }
    else if (a.startsWith('-')) { process.stderr.write(`lvsdr generate: unknown option '${a}'\n${USAGE}`); return 2; }
    else inputs.push(a);
  }
  if (inputs.length !== 1 || !out) {
    process.stderr.write(`lvsdr generate: ${inputs.length !== 1 ? 'exactly one input file is needed' : '--out DIR is required'}\n${USAGE}`);
    return 2;
  }
  const file = inputs[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`lvsdr generate: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 2;
  }
  const sourceName = basename(file);
  let result: ReturnType<typeof generateFile>;
  try {
    result = generateFile(text, sourceName, { preview });
  } catch (err) {
    if (err instanceof GenerateRefusedError) {
      for (const e of err.errors) process.stderr.write(`${file}:${e.line}:${e.column} error ${e.code} ${e.message}\n`);
      process.stderr.write(`lvsdr generate: ${file} has errors; nothing was generated\n`);
      return 1;
    }
    if (err instanceof GenerateError) {
      process.stderr.write(`lvsdr generate: ${file}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const clusters = cluster === undefined ? result.clusters : result.clusters.filter((c) => c.name === cluster);
  if (clusters.length === 0) {
    const names = result.clusters.map((c) => c.name).join(', ') || 'none';
    process.stderr.write(`lvsdr generate: ${cluster === undefined ? 'the file has no cluster' : `no cluster named '${cluster}' (clusters: ${names})`}\n`);
    return cluster === undefined ? 1 : 2;
  }
  for (const c of clusters) {
    for (const w of c.warnings) process.stderr.write(`lvsdr generate: warning: cluster ${c.name}: ${w}\n`);
    const n = writeCluster(out, c.name, sourceName, c.files);
    const hosts = new Set(c.files.map((f) => f.host)).size;
    process.stdout.write(`cluster ${c.name}: ${n} files for ${hosts} hosts in ${join(out, c.name)}\n`);
  }
  return 0;
}
