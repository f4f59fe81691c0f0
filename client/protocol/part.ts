// The extension's side of the contracts that reach it at run time: the language server's custom
// requests sent and their answers checked, deploy journals found in the workspace and lvsdr
// status lines checked, lvsdr's live actions run on the event channel — each against its one schema in server/protocol/. Built as its own bundle
// (dist/client/protocol.js) with valibot and the schemas, loaded by the first request or check
// (client/protocol/lazy.ts), so that activation loads neither.
import type { LanguageClient } from 'vscode-languageclient/node';
import { check, Checked } from '../../server/protocol/check';
import { JournalHeader } from '../../server/protocol/journal-header';
import { checkLiveSnapshot, LiveSnapshot } from '../../server/protocol/live-snapshot';
import { CLUSTER_OUTLINE_REQUEST, ClusterOutlineResult } from '../../server/protocol/outline';
import { WORKSPACE_CLUSTERS_REQUEST, WorkspaceClustersResult } from '../../server/protocol/workspace-clusters';
import { runLvsdr } from './cli-runner';

/** The answer to a custom request, checked; throws when it is out of contract. */
async function ask<T>(client: LanguageClient, method: string, params: unknown, checkAnswer: (a: unknown) => Checked<T>): Promise<T> {
  const checked = checkAnswer(await client.sendRequest(method, params));
  if (!checked.ok) throw new Error(`${method}: the language server's answer is out of contract: ${checked.error}`);
  return checked.value;
}

export const protocol = {
  /** `lvs/clusterOutline` for the document at `uri`. */
  clusterOutline: (client: LanguageClient, uri: string): Promise<ClusterOutlineResult> =>
    ask(client, CLUSTER_OUTLINE_REQUEST, { uri }, (a) => check(ClusterOutlineResult, a)),
  /** `lvs/workspaceClusters` for the workspace's folders. */
  workspaceClusters: (client: LanguageClient, folders: string[]): Promise<WorkspaceClustersResult> =>
    ask(client, WORKSPACE_CLUSTERS_REQUEST, { folders }, (a) => check(WorkspaceClustersResult, a)),
  /** The part of a deploy journal the extension reads. */
  journalHeader: (raw: unknown): Checked<JournalHeader> => check(JournalHeader, raw),
  /** One line of `lvsdr status --json`. */
  liveSnapshot: (line: unknown): Checked<LiveSnapshot> => checkLiveSnapshot(line),
  /** `lvsdr` on the event channel (the live actions; the deploy part bundles its own copy). */
  runLvsdr,
};
