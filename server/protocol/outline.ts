// `lvs/clusterOutline`: the clusters of an open .lvs document as the language server parsed
// them — each cluster's name and lines, its hosts and its secret references. VS Code's lenses
// and secret prompts are built from this answer, so the client never reads .lvs text itself.
// The server builds the answer (server/lsp/cluster-outline.ts); the client checks it here.
import * as v from 'valibot';
import { Range } from './diagram-model';

export const CLUSTER_OUTLINE_REQUEST = 'lvs/clusterOutline';

export const ClusterOutlineParams = v.object(
  { uri: v.pipe(v.string("Field 'uri' must be a string."), v.minLength(1, "Field 'uri' must not be empty.")) },
  'lvs/clusterOutline expects { uri: string }.',
);
export type ClusterOutlineParams = v.InferOutput<typeof ClusterOutlineParams>;

/** A `secret:NAME`, `env:VAR` or `file:PATH` value written in the cluster (auth, password). */
export const SecretReference = v.object({
  source: v.picklist(['secret', 'env', 'file']),
  /** The text after the colon. */
  name: v.pipe(v.string(), v.minLength(1)),
  range: Range,
});
export type SecretReference = v.InferOutput<typeof SecretReference>;

export const HostOutline = v.object({
  kind: v.picklist(['director', 'server']),
  name: v.string(),
  /** The whole `director NAME { … }` / `server NAME { … }` block. */
  range: Range,
  /** The host's name after its keyword. */
  nameRange: Range,
});
export type HostOutline = v.InferOutput<typeof HostOutline>;

export const ClusterOutline = v.object({
  name: v.string(),
  /** The whole `cluster NAME { … }` block: it starts at the `cluster` keyword. */
  range: Range,
  /** The cluster's name after its keyword. */
  nameRange: Range,
  hosts: v.array(HostOutline),
  secretReferences: v.array(SecretReference),
});
export type ClusterOutline = v.InferOutput<typeof ClusterOutline>;

/**
 * Every cluster the parser recovered, in text order: a file with syntax errors still lists
 * the clusters it could read. `version` is the document version the outline was made from.
 */
export const ClusterOutlineResult = v.object({
  uri: v.string(),
  version: v.pipe(v.number(), v.integer()),
  clusters: v.array(ClusterOutline),
});
export type ClusterOutlineResult = v.InferOutput<typeof ClusterOutlineResult>;
