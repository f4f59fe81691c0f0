// LVS112: the director written as master has a lower VRRP priority than the backup.
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { replaceEdit } from './util-operational';

export const lvs112 = defineRule({
  code: 'LVS112',
  severity: 'warning',
  title: 'Master director has a lower priority than the backup',
  nodeKinds: ['ha'],
  check(_ha, ctx) {
    const dirs = ctx.cluster.cluster.directors;
    if (dirs.length !== 2) return;
    const master = dirs.find((d) => d.role?.value === 'master');
    const backup = dirs.find((d) => d !== master);
    if (!master?.priority || !backup?.priority || backup.role?.value === 'master' || backup.nopreempt) return;
    if (master.priority.value >= backup.priority.value) return;
    ctx.report({
      span: master.priority.span,
      message: t`Director ${master.name.text} has role master but priority ${master.priority.value}, lower than backup ${backup.name.text}'s ${backup.priority.value}: ${backup.name.text} preempts as soon as it hears ${master.name.text}, so it holds the VIP and the roles written here are reversed.`,
      fixes: [{
        title: t`Swap the two priorities`,
        edits: [replaceEdit(master.priority.span, backup.priority.text), replaceEdit(backup.priority.span, master.priority.text)],
        preferred: true,
      }],
    });
  },
});
