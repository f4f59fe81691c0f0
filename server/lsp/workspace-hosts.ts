// LVS118 across the workspace: a host address that a cluster of another .lvs file of the
// workspace also has (issue 11, item 8). The rule itself sees one file; `lvsdr check DIR` checks
// the files it is given together; here the language server does the same for an open document
// against every other .lvs file under the workspace folders (the open documents' current text
// instead of what is on disk). Each side is reported in its own file, with related information
// pointing to the host in the other one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from '../language/parse';
import { buildModel, FileModel } from '../model/topology';
import { hostsSharedAcrossClusters, sharedHostMessage } from '../validation/rules/lvs118';
import { Finding } from '../validation/types';
import { hostWhat } from '../validation/rules/util-addressing';
import { Locale } from '../shared/l10n/locale';
import { walksInto } from '../shared/lvs-files';
import { localize } from '../shared/l10n/localize';
import { t } from '../shared/l10n/message';
import { RULES_DOC_URL } from './docs-links';
import { toRange } from './positions';

/** Bounds on what one workspace may cost: files listed, and the size of one file read. */
const MAX_FILES = 2000;
const MAX_BYTES = 1 << 20;
/** A listing of the folders is reused for this long (edits come in bursts). */
const LIST_TTL_MS = 2000;

interface Indexed {
  path: string;
  uri: string;
  /** Shown in messages: relative to its workspace folder. */
  label: string;
  doc: TextDocument;
  model: FileModel;
}

function filePath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** .lvs files under a folder, without following symbolic links or entering dot folders and node_modules. */
function lvsFilesUnder(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= MAX_FILES) return;
    const p = join(dir, e.name);
    if (e.isDirectory() && walksInto(e.name)) lvsFilesUnder(p, out);
    else if (e.isFile() && e.name.endsWith('.lvs')) out.push(p);
  }
}

export class WorkspaceHosts {
  private folders: string[] = [];
  private listed: Array<{ path: string; folder: string }> = [];
  private listedAt = 0;
  /** Files read from disk, re-read when their mtime or size changes. */
  private readonly disk = new Map<string, { mtimeMs: number; size: number; doc: TextDocument; model: FileModel }>();

  /** The workspace folders (file URIs; others are ignored). */
  setFolders(uris: string[]): void {
    this.folders = uris.map(filePath).filter((p): p is string => !!p);
    this.listedAt = 0;
  }

  addRemoveFolders(added: string[], removed: string[]): void {
    const gone = new Set(removed.map(filePath));
    this.folders = [...this.folders.filter((f) => !gone.has(f)), ...added.map(filePath).filter((p): p is string => !!p)];
    this.listedAt = 0;
  }

  /** A .lvs file was created, changed or deleted: list again on the next use. */
  invalidate(): void {
    this.listedAt = 0;
  }

  private list(): Array<{ path: string; folder: string }> {
    if (Date.now() - this.listedAt < LIST_TTL_MS) return this.listed;
    this.listed = [];
    for (const folder of this.folders) {
      const files: string[] = [];
      lvsFilesUnder(folder, files);
      for (const path of files) if (!this.listed.some((x) => x.path === path)) this.listed.push({ path, folder });
    }
    this.listedAt = Date.now();
    for (const p of this.disk.keys()) if (!this.listed.some((x) => x.path === p)) this.disk.delete(p);
    return this.listed;
  }

  private fromDisk(path: string): { doc: TextDocument; model: FileModel } | undefined {
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size > MAX_BYTES) return undefined;
      const hit = this.disk.get(path);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
      const text = readFileSync(path, 'utf8');
      const entry = { mtimeMs: st.mtimeMs, size: st.size, doc: TextDocument.create(pathToFileURL(path).href, 'lvs', 0, text), model: buildModel(parse(text).ast) };
      this.disk.set(path, entry);
      return entry;
    } catch {
      return undefined;
    }
  }

  /**
   * The other .lvs files of the workspace: `open` gives the current model of each open document
   * (by URI), used instead of the file on disk.
   */
  others(uri: string, open: (uri: string) => { doc: TextDocument; model: FileModel } | undefined): Indexed[] {
    const self = filePath(uri);
    const out: Indexed[] = [];
    for (const { path, folder } of this.list()) {
      if (path === self) continue;
      const u = pathToFileURL(path).href;
      const x = open(u) ?? this.fromDisk(path);
      if (x) out.push({ path, uri: x.doc.uri, label: relative(folder, path) || path, doc: x.doc, model: x.model });
    }
    return out;
  }
}

/**
 * LVS118 diagnostics of `doc` against the other files: each host of `doc` whose address a
 * cluster of another name in another file has, unless the rule already reports it within the file.
 */
export function workspaceSharedHostDiagnostics(doc: TextDocument, model: FileModel, findings: Finding[], others: Indexed[], locale: Locale = 'en'): Diagnostic[] {
  if (!others.length || !model.clusters.length) return [];
  const clusters = [
    ...others.flatMap((o) => o.model.clusters.map((m) => ({ model: m, file: o.uri }))),
    ...model.clusters.map((m) => ({ model: m, file: doc.uri })),
  ];
  const reported = new Set(findings.filter((f) => f.code === 'LVS118').map((f) => f.span.start));
  const out: Diagnostic[] = [];
  for (const [host, other] of hostsSharedAcrossClusters(clusters)) {
    if (other.file === doc.uri || !host.address || reported.has(host.address.span.start)) continue;
    const cluster = model.clusters.find((c) => c.cluster.directors.includes(host as never) || c.cluster.servers.includes(host as never));
    if (!cluster) continue; // a host of another file
    const o = others.find((x) => x.uri === other.file)!;
    const span = other.host.address?.span ?? other.host.name.span;
    out.push({
      range: toRange(doc, host.address.span),
      severity: DiagnosticSeverity.Error,
      code: 'LVS118',
      codeDescription: { href: `${RULES_DOC_URL}#lvs118` },
      source: 'lvs',
      message: localize(sharedHostMessage(host, cluster.cluster.name.text, { ...other, file: o.label }), locale),
      relatedInformation: [{
        location: { uri: o.uri, range: toRange(o.doc, span) },
        message: localize(t`${hostWhat(other.host)} of cluster ${other.cluster} has the same address`, locale),
      }],
    });
  }
  return out;
}
