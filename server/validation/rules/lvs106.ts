// LVS106: persistence on top of a hashing scheduler that already sends a client to one server.
import { Msg, t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { removalFix } from './util-operational';

const PINNING: Record<string, Msg> = {
  sh: t`source hashing already sends each client address to the same real server`,
  mh: t`Maglev hashing already sends each client address to the same real server`,
  dh: t`destination hashing already sends every connection for one destination to the same real server`,
};

export const lvs106 = defineRule({
  code: 'LVS106',
  severity: 'information',
  title: 'Persistence with a scheduler that already pins clients (sh, dh, mh)',
  nodeKinds: ['service'],
  check(svc, ctx) {
    const sched = svc.scheduler?.value;
    if (!svc.persistence || !sched || !(sched in PINNING)) return;
    ctx.report({
      span: svc.persistence.span,
      message: t`Service ${svc.name.text} uses persistence ${svc.persistence.text} with scheduler ${sched}: ${PINNING[sched]}, so the persistence templates only add state on the directors.`,
      fixes: [removalFix(t`Remove persistence`, ctx.text, svc.persistence.full)],
    });
  },
});
