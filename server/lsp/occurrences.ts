// Where each name of a cluster is declared and used: the index behind go to definition,
// find references and rename.
import * as A from '../language/ast';
import { FileModel } from '../model/topology';

export type SymbolKindName = 'cluster' | 'host' | 'service' | 'vip';

export interface Occurrence {
  name: string;
  kind: SymbolKindName;
  span: A.Span;
  isDeclaration: boolean;
  /** Index of the cluster in the file (names are scoped per cluster). */
  cluster: number;
}

export function collectOccurrences(model: FileModel): Occurrence[] {
  const out: Occurrence[] = [];
  model.clusters.forEach((cm, index) => {
    const c = cm.cluster;
    const add = (name: string, kind: SymbolKindName, span: A.Span, isDeclaration: boolean) =>
      out.push({ name, kind, span, isDeclaration, cluster: index });
    add(c.name.text, 'cluster', c.name.span, true);
    for (const h of [...c.directors, ...c.servers]) add(h.name.text, 'host', h.name.span, true);
    for (const s of c.services) {
      add(s.name.text, 'service', s.name.span, true);
      for (const r of s.reals) add(r.name.text, 'host', r.name.span, false);
      if (s.vip && c.vips.some((v) => v.name?.text === s.vip!.value)) add(s.vip.value, 'vip', s.vip.span, false);
    }
    for (const v of c.vips) if (v.name) add(v.name.text, 'vip', v.name.span, true);
    for (const cl of c.clients) if (cm.directors.has(cl.value.value) || cm.servers.has(cl.value.value)) add(cl.value.value, 'host', cl.value.span, false);
    for (const s of c.servers) for (const v of s.vipOn) if (v.vip && c.vips.some((x) => x.name?.text === v.vip!.value)) add(v.vip.value, 'vip', v.vip.span, false);
  });
  return out;
}

export function occurrenceAt(all: Occurrence[], offset: number): Occurrence | undefined {
  return all.find((o) => offset >= o.span.start && offset <= o.span.end);
}

/** Every occurrence of the same symbol (same cluster, kind and name). */
export function sameSymbol(all: Occurrence[], o: Occurrence): Occurrence[] {
  return all.filter((x) => x.cluster === o.cluster && x.kind === o.kind && x.name === o.name);
}

