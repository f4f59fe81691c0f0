// LVS115: an SSH password read through `file:` or `env:`. Such a reference would let a cloned
// repository pick any local file (a private key) or variable and have the deploy send it as a
// password to whatever host the file names. (An inline SSH password is LVS105.)
import { hostWhat } from './util-addressing';
import { t } from '../../shared/l10n/message';
import { defineRule } from '../types';
import { replaceFix } from './util-operational';

export const lvs115 = defineRule({
  code: 'LVS115',
  severity: 'error',
  title: 'SSH password read from a file or an environment variable',
  nodeKinds: ['ssh'],
  check(node, ctx) {
    const pw = node.password;
    if (!pw || pw.value.kind !== 'reference' || pw.value.source === 'secret') return;
    const cluster = ctx.cluster.cluster.name.text;
    const ref = ctx.host ? `secret:${cluster}-${ctx.host.name.text}-ssh` : `secret:${cluster}-ssh`;
    const owner = ctx.host ? hostWhat(ctx.host) : t`cluster ${cluster}`;
    ctx.report({
      span: pw.span,
      message: t`The SSH password of ${owner} reads ${pw.text}: the deploy would send that ${pw.value.source === 'file' ? t`file` : t`variable`} as a password to the host this file names, so a cloned repository could pick your private key. An SSH password is taken only from a secret reference (secret:NAME); better still, use a key.`,
      fixes: [replaceFix(t`Use ${ref}`, pw.span, ref)],
    });
  },
});
