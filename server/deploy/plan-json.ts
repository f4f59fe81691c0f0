// A deploy plan as JSON for front ends (`lvsdr plan --json`, the result event of `lvsdr plan
// --events jsonl`; the shape is server/protocol/events.ts's PlanJsonSchema):
// per host, each file's action with the remote and generated text, secrets masked.
import { masker } from './diff';
import type { PlanResult } from './types';
import { planId } from './plan';
import type { PlanJson } from '../protocol/events';
import { english } from '../shared/l10n/message';

export type { PlanJson };

export function planToJson(plan: PlanResult): PlanJson {
  const mask = masker(plan.target.secretValues);
  return {
    planId: planId(plan.hosts),
    cluster: plan.target.cluster,
    target: plan.target.kind,
    changed: plan.changed,
    hosts: plan.hosts.map((h) => ({
      name: h.host.name,
      role: h.host.role,
      address: h.host.address,
      changed: h.changed,
      files: h.files.map((f) => ({
        path: f.path,
        action: f.action,
        before: f.current ? mask(f.current.toString('utf8')) : null,
        after: f.action !== 'remove' && f.content !== undefined ? mask(f.content) : null,
        modeBefore: f.before ? f.before.mode.toString(8).padStart(4, '0') : undefined,
        modeAfter: f.after ? f.after.mode.toString(8).padStart(4, '0') : undefined,
      })),
    })),
    warnings: plan.warnings.map(english), // already `host: warning`; JSON is English
  };
}
