// `lvs/workspaceClusters` (contract in server/protocol/workspace-clusters.ts): the clusters of
// every .lvs file under the folders the client names. An open document is read as edited (its
// current analysis), any other file from disk.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Connection, ResponseError, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { check } from '../protocol/check';
import {
  WORKSPACE_CLUSTERS_MAX_FILES, WORKSPACE_CLUSTERS_REQUEST, WorkspaceClusterFile, WorkspaceClustersParams, WorkspaceClustersResult,
} from '../protocol/workspace-clusters';
import { lvsFilesUnder } from '../shared/lvs-files';
import { validateText } from '../validation/registry';
import { analyze } from './analysis';
import { toRange } from './positions';

const INVALID_PARAMS = -32602;

function describeFile(path: string, documents: TextDocuments<TextDocument>): WorkspaceClusterFile | undefined {
  const uri = pathToFileURL(path).href;
  const open = documents.get(uri);
  let doc: TextDocument;
  let result: ReturnType<typeof validateText>;
  if (open) {
    doc = open;
    result = analyze(open);
  } else {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return undefined; // gone or unreadable since the listing: not a cluster to show
    }
    doc = TextDocument.create(uri, 'lvs', 0, text);
    result = validateText(text);
  }
  return {
    uri, path,
    clusters: result.parse.ast.clusters.map((c) => ({
      name: c.name.text, nameRange: toRange(doc, c.name.span), directors: c.directors.length, servers: c.servers.length,
    })),
    errors: result.findings.filter((f) => f.severity === 'error').length,
  };
}

export function workspaceClusters(folders: string[], documents: TextDocuments<TextDocument>): WorkspaceClustersResult {
  const paths: string[] = [];
  for (const folder of folders) {
    try {
      for (const p of lvsFilesUnder(folder)) if (!paths.includes(p)) paths.push(p);
    } catch { /* a folder that cannot be read has no clusters to show */ }
  }
  const files = paths.slice(0, WORKSPACE_CLUSTERS_MAX_FILES)
    .map((p) => describeFile(p, documents))
    .filter((f): f is WorkspaceClusterFile => !!f);
  return { files, truncated: paths.length > WORKSPACE_CLUSTERS_MAX_FILES };
}

/** Answers one request (exported for tests without a connection). */
export function handleWorkspaceClusters(documents: TextDocuments<TextDocument>, params: unknown): WorkspaceClustersResult | ResponseError<void> {
  const checked = check(WorkspaceClustersParams, params);
  if (!checked.ok) return new ResponseError(INVALID_PARAMS, checked.error);
  return workspaceClusters(checked.value.folders, documents);
}

export function registerWorkspaceClustersRequest(connection: Connection, documents: TextDocuments<TextDocument>): void {
  connection.onRequest(WORKSPACE_CLUSTERS_REQUEST, (params: unknown) => handleWorkspaceClusters(documents, params));
}
