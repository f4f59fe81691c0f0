// The generation of a cluster's files: a short digest of the plan they are all generated from,
// so a host can tell which generation did something. apply.sh writes it into keepalived's start
// marker, and only the rollback.sh of the same generation stops keepalived (apply-script.ts).
// Secret values never enter it: the scripts are world-readable and a digest of a short secret
// can be brute-forced, so a secret counts by its reference (or as "inline").
import { createHash } from 'node:crypto';
import { ClusterPlan } from './plan';
import { placeholder } from './secrets';

const generations = new WeakMap<ClusterPlan, string>();

export function generationId(plan: ClusterPlan): string {
  let id = generations.get(plan);
  if (id === undefined) {
    // The VRRP auth is the plan's only secret. (No replacer function: it is called for every
    // value of the plan, which costs more than the digest itself for 1,000 hosts.)
    const ha = plan.ha && { ...plan.ha, auth: plan.ha.auth && placeholder(plan.ha.auth) };
    const text = JSON.stringify({ ...plan, ha });
    id = createHash('sha256').update(text).digest('hex').slice(0, 16);
    generations.set(plan, id);
  }
  return id;
}
