// LVS105: a secret written inline in the file instead of a reference (a warning for the VRRP
// auth, an error for an SSH password). SSH passwords from file:/env: are LVS115.
import { hostWhat } from './util-addressing';
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { replaceFix } from './util-operational';

export const lvs105 = defineRule({
  code: 'LVS105',
  severity: 'warning',
  title: 'Secret written inline',
  nodeKinds: ['ha', 'ssh'],
  check(node, ctx) {
    const cluster = ctx.cluster.cluster.name.text;
    if (node.kind === 'ha') {
      if (node.auth?.value.kind !== 'inline') return;
      const ref = `secret:${cluster}-vrrp`;
      ctx.report({
        span: node.auth.span,
        message: t`The VRRP auth of cluster ${cluster} is written inline: anyone who can read this file (or its history) has it. Use a reference such as ${ref} and keep the value in the secret store.`,
        fixes: [replaceFix(t`Use ${ref}`, node.auth.span, ref)],
      });
      return;
    }
    if (node.password?.value.kind !== 'inline') return;
    const ref = ctx.host ? `secret:${cluster}-${ctx.host.name.text}-ssh` : `secret:${cluster}-ssh`;
    const owner = ctx.host ? hostWhat(ctx.host) : t`cluster ${cluster}`;
    // An error for SSH: the deploy refuses an inline password (a VRRP auth still deploys).
    ctx.report({
      severity: 'error',
      span: node.password.span,
      message: t`The SSH password of ${owner} is written inline: anyone who can read this file (or its history) has it, and the deploy refuses it. Use a reference such as ${ref}, or better a key.`,
      fixes: [replaceFix(t`Use ${ref}`, node.password.span, ref)],
    });
  },
});
