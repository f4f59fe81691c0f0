// LVS080: interface names and alias labels the kernel or iproute2 refuse.
import * as A from '../../language/ast';
import { defineRule, RuleContext } from '../types';

/** IFNAMSIZ is 16 bytes including the terminating NUL. */
const MAX_IFNAME = 15;

function checkLabel(ctx: RuleContext, prop: A.Prop<string> | undefined, owner: string) {
  if (!prop) return;
  const name = prop.value;
  if (name.length > MAX_IFNAME) {
    ctx.report({
      span: prop.span,
      message: `Interface name '${name}' of ${owner} is ${name.length} characters; Linux allows at most 15 (IFNAMSIZ − 1) for interface names and address labels, so 'ip addr … label' and the ifcfg/NM files fail.`,
    });
  }
  const colon = name.indexOf(':');
  if (colon >= 0) {
    const suffix = name.slice(colon + 1);
    if (suffix === '' || !/^[A-Za-z0-9_]+$/.test(suffix)) {
      ctx.report({
        span: prop.span,
        message: `Alias label '${name}' of ${owner} needs a suffix of letters, digits or '_' after ':' (e.g. ${name.slice(0, colon)}:0); ifup-aliases and NetworkManager ignore other alias files.`,
      });
    }
  }
}

export const lvs080 = defineRule({
  code: 'LVS080',
  severity: 'error',
  title: 'Interface name or alias label too long or malformed',
  nodeKinds: ['director', 'server', 'vip', 'vipOn', 'link'],
  check(node, ctx) {
    const host = ctx.host ? `${ctx.host.kind} ${ctx.host.name.text}` : '';
    switch (node.kind) {
      case 'director':
      case 'server':
        checkLabel(ctx, node.iface, `${node.kind} ${node.name.text}`);
        break;
      case 'vip':
        checkLabel(ctx, node.iface, `VIP ${node.name?.text ?? node.address.value}`);
        break;
      case 'vipOn':
        checkLabel(ctx, node.label, host);
        break;
      case 'link':
        checkLabel(ctx, node.iface, host);
        break;
    }
  },
});
