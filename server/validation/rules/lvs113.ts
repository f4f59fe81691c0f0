// LVS113: health check options the chosen checker ignores (an HTTP path on a TCP check, ...).
import { Msg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { defineRule } from '../types';
import { removalFix } from './util-operational';

const HTTP_ONLY = ['http', 'https'];
const KNOWN = ['http', 'https', 'tcp', 'udp', 'ping', 'dns', 'script', 'none'];

export const lvs113 = defineRule({
  code: 'LVS113',
  severity: 'warning',
  title: 'Health check option ignored by its check type',
  nodeKinds: ['check'],
  check(check, ctx) {
    const type = check.type.value;
    if (!KNOWN.includes(type)) return;
    const svc = ctx.service ? t` of service ${ctx.service.name.text}` : '';
    // Options of one checker only: a Host header (http, https), a DNS query (dns), a port to
    // connect to (not ping, not a script, which connects nowhere).
    const own: [A.Prop<unknown> | undefined, string, boolean, Msg][] = [
      [check.host, 'host', HTTP_ONLY.includes(type), t`only http and https checks send a Host header`],
      [check.name, 'name', type === 'dns', t`only a dns check sends a query`],
      [check.queryType, 'type', type === 'dns', t`only a dns check sends a query`],
      [check.port, 'port', !['ping', 'script', 'none'].includes(type), t`a ${type} check connects to no port`],
      [check.script, 'program', type === 'script', t`only a script check runs a program`],
    ];
    for (const [prop, word, ok, why] of own) {
      if (!prop || ok) continue;
      ctx.report({
        span: prop.full,
        message: t`'${prop.full === prop.span ? prop.text : `${word} ${prop.text}`}' is ignored by the '${type}' health check${svc}: ${why}.`,
        fixes: [removalFix(t`Remove '${prop.text}'`, ctx.text, prop.full)],
      });
    }
    if (HTTP_ONLY.includes(type)) return;
    for (const [prop, word] of [[check.path, 'path'], [check.expect, 'expect']] as const) {
      if (!prop) continue;
      ctx.report({
        span: prop.full,
        message: t`'${word} ${prop.text}' is ignored by the '${type}' health check${svc}: only http and https checks request a URL and compare its status, so this check proves less than it appears to.`,
        fixes: [removalFix(t`Remove '${word} ${prop.text}'`, ctx.text, prop.full)],
      });
    }
    if (type === 'none') {
      for (const [prop, word] of [[check.every, 'every'], [check.timeout, 'timeout'], [check.retry, 'retry']] as const) {
        if (!prop) continue;
        ctx.report({
          span: prop.full,
          message: t`'${word} ${prop.text}' is ignored: the health check${svc} is 'none', so nothing is ever probed.`,
          fixes: [removalFix(t`Remove '${word} ${prop.text}'`, ctx.text, prop.full)],
        });
      }
    }
  },
});
