// LVS035: two VIPs (or the same VIP twice) on one loopback alias label of a real server.
import { t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { defineRule } from '../types';
import { baseIface, replaceFix } from './util-operational';

function freeLabel(server: A.Server, base: string): string {
  const used = new Set(server.vipOn.map((v) => v.label.value));
  for (let n = 0; ; n++) if (!used.has(`${base}:${n}`)) return `${base}:${n}`;
}

export const lvs035 = defineRule({
  code: 'LVS035',
  severity: 'error',
  title: 'Two VIPs on one loopback alias of a real server',
  nodeKinds: ['server'],
  check(server, ctx) {
    if (server.vipOn.length < 2) return; // the common case: no map needed
    const seen = new Map<string, A.VipOn>();
    for (const v of server.vipOn) {
      const label = v.label.value;
      const first = seen.get(label);
      if (!first) {
        seen.set(label, v);
        continue;
      }
      const next = freeLabel(server, baseIface(label));
      const same = (first.vip?.value ?? '*') === (v.vip?.value ?? '*');
      const every = t`every VIP`;
      const what = same ? t`is given twice` : t`carries two VIPs (${first.vip?.value ?? every} and ${v.vip?.value ?? every})`;
      ctx.report({
        span: v.label.span,
        message: t`Alias ${label} on server ${server.name.text} ${what}: an alias (ifcfg-${label}, an interfaces stanza) holds one address, so one VIP would be missing after a reboot. Give each VIP its own label.`,
        fixes: same ? [] : [replaceFix(t`Use ${next}`, v.label.span, next)],
      });
    }
  },
});
