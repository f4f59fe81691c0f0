// `lvs/clusterOutline` (contract in server/protocol/outline.ts): per cluster its name and
// lines, its hosts and its secret references, from the same analysis every feature uses.
import { Connection, ResponseError, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as A from '../language/ast';
import { check } from '../protocol/check';
import { CLUSTER_OUTLINE_REQUEST, ClusterOutline, ClusterOutlineParams, ClusterOutlineResult, HostOutline, SecretReference } from '../protocol/outline';
import { Analysis, analyze } from './analysis';
import { toRange } from './positions';
import { unknownDocument } from './unknown-document';
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';

const INVALID_PARAMS = -32602;

function isSecretProp(x: object): x is A.Prop<A.SecretValue> {
  const value = (x as { value?: unknown }).value as A.SecretValue | undefined;
  return typeof value === 'object' && value !== null && value.kind === 'reference' && value.source !== undefined && 'span' in x;
}

/**
 * Every secret reference under a node, found by walking the AST rather than by listing the
 * properties that hold one today, so a keyword that takes a secret later is covered too.
 */
function collectSecretProps(node: unknown, out: A.Prop<A.SecretValue>[]): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const x of node) collectSecretProps(x, out);
    return;
  }
  if (isSecretProp(node)) {
    out.push(node);
    return;
  }
  for (const x of Object.values(node)) collectSecretProps(x, out);
}

export function clusterOutline(a: Analysis): ClusterOutlineResult {
  const clusters = a.parse.ast.clusters.map((c): ClusterOutline => {
    const hosts: HostOutline[] = [...c.directors, ...c.servers]
      .sort((x, y) => x.span.start - y.span.start)
      .map((h) => ({ kind: h.kind, name: h.name.text, range: toRange(a.doc, h.span), nameRange: toRange(a.doc, h.name.span) }));
    const props: A.Prop<A.SecretValue>[] = [];
    collectSecretProps(c, props);
    const secretReferences = props
      .sort((x, y) => x.span.start - y.span.start)
      .map((p): SecretReference => ({ source: p.value.source!, name: p.value.value, range: toRange(a.doc, p.span) }));
    return { name: c.name.text, range: toRange(a.doc, c.span), nameRange: toRange(a.doc, c.name.span), hosts, secretReferences };
  });
  return { uri: a.doc.uri, version: a.version, clusters };
}

/** Answers one request (exported for tests without a connection). */
export function handleClusterOutline(documents: TextDocuments<TextDocument>, params: unknown, locale: Locale = 'en'): ClusterOutlineResult | ResponseError<void> {
  const checked = check(ClusterOutlineParams, params);
  if (!checked.ok) return new ResponseError(INVALID_PARAMS, checked.error);
  const doc = documents.get(checked.value.uri);
  if (!doc) return new ResponseError(INVALID_PARAMS, localize(unknownDocument(checked.value.uri), locale));
  return clusterOutline(analyze(doc));
}

/** `locale`: the client's language (known once it initialized), of a refusal. */
export function registerClusterOutlineRequest(connection: Connection, documents: TextDocuments<TextDocument>, locale: () => Locale): void {
  connection.onRequest(CLUSTER_OUTLINE_REQUEST, (params: unknown) => handleClusterOutline(documents, params, locale()));
}
