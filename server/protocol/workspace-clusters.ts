// `lvs/workspaceClusters`: every cluster of every .lvs file under the workspace folders, as the
// language server reads them (open documents as edited, the others from disk; node_modules and
// dot folders skipped). The "LVS Clusters" view is built from this answer alone: the client
// never reads .lvs text. Built by server/lsp/workspace-clusters.ts, checked by
// client/clusters-view.ts.
import * as v from 'valibot';
import { Range } from './diagram-model';

export const WORKSPACE_CLUSTERS_REQUEST = 'lvs/workspaceClusters';

/** At most this many files are read per request (the answer says when more were found). */
export const WORKSPACE_CLUSTERS_MAX_FILES = 2000;

export const WorkspaceClustersParams = v.object(
  { folders: v.array(v.pipe(v.string("Each folder must be a string."), v.startsWith('/', 'Each folder must be an absolute path.'))) },
  'lvs/workspaceClusters expects { folders: string[] } (absolute paths).',
);
export type WorkspaceClustersParams = v.InferOutput<typeof WorkspaceClustersParams>;

export const WorkspaceCluster = v.object({
  name: v.string(),
  /** The cluster's name after its keyword (where the view opens the file). */
  nameRange: Range,
  directors: v.pipe(v.number(), v.integer(), v.minValue(0)),
  servers: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type WorkspaceCluster = v.InferOutput<typeof WorkspaceCluster>;

export const WorkspaceClusterFile = v.object({
  uri: v.string(),
  /** Absolute path of the file. */
  path: v.string(),
  clusters: v.array(WorkspaceCluster),
  /** Error findings of the file (a cluster of a file with errors cannot be deployed). */
  errors: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type WorkspaceClusterFile = v.InferOutput<typeof WorkspaceClusterFile>;

export const WorkspaceClustersResult = v.object({
  files: v.array(WorkspaceClusterFile),
  /** More .lvs files were found than WORKSPACE_CLUSTERS_MAX_FILES. */
  truncated: v.boolean(),
});
export type WorkspaceClustersResult = v.InferOutput<typeof WorkspaceClustersResult>;
