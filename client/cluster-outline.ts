// The clusters of a .lvs document, asked of the language server (`lvs/clusterOutline`) and
// checked against the one schema of that answer. CodeLenses and secret prompts start here.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { check } from '../server/protocol/check';
import { CLUSTER_OUTLINE_REQUEST, ClusterOutline, ClusterOutlineResult } from '../server/protocol/outline';

export class ClusterOutlines {
  constructor(private readonly client: Promise<LanguageClient>) {}

  /** The document's clusters; throws if the server is not running or answers out of contract. */
  async of(doc: vscode.TextDocument): Promise<ClusterOutline[]> {
    const client = await this.client;
    const answer: unknown = await client.sendRequest(CLUSTER_OUTLINE_REQUEST, { uri: doc.uri.toString() });
    const checked = check(ClusterOutlineResult, answer);
    if (!checked.ok) throw new Error(`${CLUSTER_OUTLINE_REQUEST}: the language server's answer is out of contract: ${checked.error}`);
    return checked.value.clusters;
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
