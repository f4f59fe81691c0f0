// LVS113: health check options the chosen checker ignores (an HTTP path on a TCP check, ...).
import { defineRule } from '../types';
import { removalFix } from './util-operational';

const HTTP_ONLY = ['http', 'https'];
const KNOWN = ['http', 'https', 'tcp', 'udp', 'ping', 'none'];

export const lvs113 = defineRule({
  code: 'LVS113',
  severity: 'warning',
  title: 'Health check option ignored by its check type',
  nodeKinds: ['check'],
  check(check, ctx) {
    const type = check.type.value;
    if (!KNOWN.includes(type) || HTTP_ONLY.includes(type)) return;
    const svc = ctx.service ? ` of service ${ctx.service.name.text}` : '';
    for (const [prop, word] of [[check.path, 'path'], [check.expect, 'expect']] as const) {
      if (!prop) continue;
      ctx.report({
        span: prop.full,
        message: `'${word} ${prop.text}' is ignored by the '${type}' health check${svc}: only http and https checks request a URL and compare its status, so this check proves less than it appears to.`,
        fixes: [removalFix(`Remove '${word} ${prop.text}'`, ctx.text, prop.full)],
      });
    }
    if (type === 'none') {
      for (const [prop, word] of [[check.every, 'every'], [check.timeout, 'timeout'], [check.retry, 'retry']] as const) {
        if (!prop) continue;
        ctx.report({
          span: prop.full,
          message: `'${word} ${prop.text}' is ignored: the health check${svc} is 'none', so nothing is ever probed.`,
          fixes: [removalFix(`Remove '${word} ${prop.text}'`, ctx.text, prop.full)],
        });
      }
    }
  },
});
