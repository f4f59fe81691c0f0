// LVS051: names must be unique: clusters in a file; hosts (directors and servers share one
// namespace, since `real NAME` and deploy targets refer to either), services, named VIPs.
import { Msg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { ClusterModel } from '../../model/topology';
import { defineRule, RuleContext } from '../types';

interface Named {
  name: A.Ident;
  kind: string;
  what: Msg;
}

function reportDuplicates(items: Named[], space: Msg, ctx: RuleContext) {
  const seen = new Map<string, Named>();
  for (const item of [...items].sort((a, b) => a.name.span.start - b.name.span.start)) {
    const prev = seen.get(item.name.text);
    if (!prev) {
      seen.set(item.name.text, item);
      continue;
    }
    const same = prev.kind === item.kind ? t`another ${item.what}` : t`${prev.what} ${prev.name.text}`;
    ctx.report({
      span: item.name.span,
      message: t`The name ${item.name.text} of this ${item.what} is already used by ${same} in cluster ${ctx.cluster.cluster.name.text}: ${space}, so every reference to it (and every generated file or deploy target named after it) would be ambiguous.`,
    });
  }
}

/** True when no two hosts (directors and servers together) share a name. */
function hostNamesUnique(model: ClusterModel): boolean {
  if (model.directors.size !== model.cluster.directors.length || model.servers.size !== model.cluster.servers.length) return false;
  for (const name of model.directors.keys()) if (model.servers.has(name)) return false;
  return true;
}

export const lvs051 = defineRule({
  code: 'LVS051',
  severity: 'error',
  title: 'Duplicate name',
  nodeKinds: ['cluster'],
  check(cluster, ctx) {
    const clusters = ctx.file.ast.clusters;
    const earlier = clusters.slice(0, clusters.indexOf(cluster)).find((c) => c.name.text === cluster.name.text);
    if (earlier) {
      ctx.report({
        span: cluster.name.span,
        message: t`Cluster ${cluster.name.text} is defined twice in this file: cluster names identify the generated files and deploys, so the two would overwrite each other.`,
      });
    }
    // The model's name maps keep the first of each name, so a map smaller than its list means a
    // repeated name. Only then are the lists copied and sorted to find and report the repeats.
    const model = ctx.cluster;
    if (!hostNamesUnique(model)) {
      const hosts: Named[] = [
        ...cluster.directors.map((d) => ({ name: d.name, kind: 'director', what: t`director` })),
        ...cluster.servers.map((s) => ({ name: s.name, kind: 'server', what: t`server` })),
      ];
      reportDuplicates(hosts, t`directors and servers share one set of names`, ctx);
    }
    if (model.services.size !== cluster.services.length) {
      reportDuplicates(cluster.services.map((s) => ({ name: s.name, kind: 'service', what: t`service` })), t`service names must be unique`, ctx);
    }
    const vips = cluster.vips.filter((v) => v.name).map((v) => ({ name: v.name!, kind: 'vip', what: t`VIP` }));
    reportDuplicates(vips, t`services and vip-on lines refer to VIPs by name`, ctx);
  },
});
