// `lvs/clusterOutline`: the clusters of an open .lvs document as the language server parsed
// them — each cluster's name and lines, its hosts and its secret references. VS Code's lenses
// and secret prompts are built from this answer, so the client never reads .lvs text itself.
// The server builds the answer (server/lsp/cluster-outline.ts); the client validates it here.
import * as v from 'valibot';

export const CLUSTER_OUTLINE_REQUEST = 'lvs/clusterOutline';

const lineOrColumn = v.pipe(v.number(), v.integer(), v.minValue(0));

/** An LSP range: zero-based line and UTF-16 character, end exclusive. */
export const rangeSchema = v.object({
  start: v.object({ line: lineOrColumn, character: lineOrColumn }),
  end: v.object({ line: lineOrColumn, character: lineOrColumn }),
});

export const clusterOutlineParamsSchema = v.object({ uri: v.string() });

/** A `secret:NAME`, `env:VAR` or `file:PATH` value written in the cluster (auth, password). */
export const secretReferenceSchema = v.object({
  source: v.picklist(['secret', 'env', 'file']),
  /** The text after the colon. */
  name: v.pipe(v.string(), v.minLength(1)),
  range: rangeSchema,
});

export const hostOutlineSchema = v.object({
  kind: v.picklist(['director', 'server']),
  name: v.string(),
  /** The whole `director NAME { … }` / `server NAME { … }` block. */
  range: rangeSchema,
  /** The host's name after its keyword. */
  nameRange: rangeSchema,
});

export const clusterOutlineSchema = v.object({
  name: v.string(),
  /** The whole `cluster NAME { … }` block: it starts at the `cluster` keyword. */
  range: rangeSchema,
  /** The cluster's name on its `cluster` line. */
  nameRange: rangeSchema,
  hosts: v.array(hostOutlineSchema),
  secretReferences: v.array(secretReferenceSchema),
});

/**
 * Every cluster the parser recovered, in text order: a file with syntax errors still lists
 * the clusters it could read. `version` is the document version the outline was made from.
 */
export const clusterOutlineResultSchema = v.object({
  uri: v.string(),
  version: v.pipe(v.number(), v.integer()),
  clusters: v.array(clusterOutlineSchema),
});

export type ClusterOutlineParams = v.InferOutput<typeof clusterOutlineParamsSchema>;
export type SecretReference = v.InferOutput<typeof secretReferenceSchema>;
export type HostOutline = v.InferOutput<typeof hostOutlineSchema>;
export type ClusterOutline = v.InferOutput<typeof clusterOutlineSchema>;
export type ClusterOutlineResult = v.InferOutput<typeof clusterOutlineResultSchema>;
