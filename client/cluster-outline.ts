// The clusters of a .lvs document, asked of the language server (`lvs/clusterOutline`) and
// checked against the one schema of that answer. CodeLenses and secret prompts start here.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ClusterOutline } from '../server/protocol/outline';
import { protocol } from './protocol/lazy';

export class ClusterOutlines {
  constructor(private readonly client: Promise<LanguageClient>) {}

  /** The document's clusters; throws if the server is not running or answers out of contract. */
  async of(doc: vscode.TextDocument): Promise<ClusterOutline[]> {
    return (await protocol().clusterOutline(await this.client, doc.uri.toString())).clusters;
  }

  /** The clusters, or none when the server cannot answer (a lens simply does not show). */
  async orNone(doc: vscode.TextDocument): Promise<ClusterOutline[]> {
    try {
      return await this.of(doc);
    } catch {
      return [];
    }
  }
}

/** Where a lens for the cluster goes: the start of the line of its `cluster` keyword. */
export function clusterLine(c: ClusterOutline): vscode.Range {
  const line = c.range.start.line;
  return new vscode.Range(line, 0, line, 0);
}
