// LVS108: a persistent service whose failed servers are only quiesced keeps sending existing
// clients to them unless expire_quiescent_template is set on the directors.
import { andMsgs, t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { addSysctlEdits, sysctlValue } from './util-operational';

const KEY = 'net.ipv4.vs.expire_quiescent_template';

export const lvs108 = defineRule({
  code: 'LVS108',
  severity: 'warning',
  title: 'Persistent service with quiesced failures and no expire_quiescent_template',
  nodeKinds: ['service'],
  check(svc, ctx) {
    if (!svc.persistence || svc.onFailure?.value !== 'quiesce') return;
    const missing = ctx.cluster.cluster.directors.filter((d) => sysctlValue(d, KEY) !== '1');
    if (missing.length === 0) return;
    const names = andMsgs(missing.map((d) => d.name.text));
    ctx.report({
      span: svc.onFailure.span,
      message: t`Service ${svc.name.text} is persistent and quiesces failed servers (weight 0): their persistence templates stay valid, so returning clients keep being sent to the dead server until the template expires. Set ${KEY} = 1 on ${names}.`,
      fixes: [{ title: t`Add sysctl ${KEY} = 1 to ${names}`, edits: addSysctlEdits(ctx.text, missing, KEY, '1'), preferred: true }],
    });
  },
});
