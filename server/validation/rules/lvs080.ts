// LVS080: interface names and alias labels the kernel or iproute2 refuse.
import { hostWhat } from './util-addressing';
import { Msg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { defineRule, RuleContext } from '../types';

/** IFNAMSIZ is 16 bytes including the terminating NUL. */
const MAX_IFNAME = 15;

/** A suffix after the first ':' of letters, digits or '_' (or no ':' at all). */
const WELL_FORMED_ALIAS = /^[^:]*(:[A-Za-z0-9_]+)?$/;

/** Node whose name a message gives as the owner of an interface name. */
type Owner = A.Host | A.Vip;

function ownerText(owner: Owner): Msg {
  return owner.kind === 'vip' ? t`VIP ${owner.name?.text ?? owner.address.value}` : hostWhat(owner);
}

// The owner's text is built only when a name is reported: this runs for every host, vip-on and
// link on every edit, and almost every name is fine.
function checkLabel(ctx: RuleContext, prop: A.Prop<string> | undefined, owner: Owner | undefined) {
  if (!prop) return;
  const name = prop.value;
  if (name.length > MAX_IFNAME) {
    ctx.report({
      span: prop.span,
      message: t`Interface name '${name}' of ${owner ? ownerText(owner) : ''} is ${name.length} characters; Linux allows at most 15 (IFNAMSIZ − 1) for interface names and address labels, so 'ip addr … label' and the ifcfg/NM files fail.`,
    });
  }
  if (!WELL_FORMED_ALIAS.test(name)) {
    ctx.report({
      span: prop.span,
      message: t`Alias label '${name}' of ${owner ? ownerText(owner) : ''} needs a suffix of letters, digits or '_' after ':' (e.g. ${name.slice(0, name.indexOf(':'))}:0); ifup-aliases and NetworkManager ignore other alias files.`,
    });
  }
}

export const lvs080 = defineRule({
  code: 'LVS080',
  severity: 'error',
  title: 'Interface name or alias label too long or malformed',
  nodeKinds: ['director', 'server', 'vip', 'vipOn', 'link'],
  check(node, ctx) {
    switch (node.kind) {
      case 'director':
      case 'server':
      case 'vip':
        checkLabel(ctx, node.iface, node);
        break;
      case 'vipOn':
        checkLabel(ctx, node.label, ctx.host);
        break;
      case 'link':
        checkLabel(ctx, node.iface, ctx.host);
        break;
    }
  },
});
