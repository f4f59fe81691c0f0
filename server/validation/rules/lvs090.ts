// LVS090: string values that cannot be placed safely in the generated shell scripts and config
// files. Names are restricted by the grammar; quoted strings and paths are checked here.
import * as A from '../../language/ast';
import { defineRule, RuleContext } from '../types';

/** Characters allowed in a file path (the ssh key and known-hosts files). */
const PATH_CHARS = /[A-Za-z0-9._\/~+@%,:=-]/;
/** URL paths may also carry a query string (`/status?full`). */
const URL_PATH_CHARS = /[A-Za-z0-9._\/~+@%,:=?-]/;
/** Host names (HTTP Host header, DNS query name). */
const HOST_CHARS = /[A-Za-z0-9.:_-]/;
/** Sysctl values: numbers, words, and space-separated lists (ip_local_port_range). */
const SYSCTL_CHARS = /[A-Za-z0-9._\/:,+ -]/;
/** Secrets may hold most printable characters, but none a shell or keepalived.conf treats specially. */
const SECRET_BAD = /[\x00-\x20\x7f`$\\"';&|<>()#!]/;

function describe(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${ch}'`;
}

function badChars(value: string, ok: (ch: string) => boolean): string[] {
  return [...new Set([...value].filter((ch) => !ok(ch)))];
}

function check(ctx: RuleContext, prop: A.Prop<string> | undefined, what: string, allowed: RegExp, isPath: boolean, allowedText: string) {
  if (!prop) return;
  const bad = badChars(prop.value, (ch) => allowed.test(ch));
  const problems: string[] = [];
  if (bad.length) problems.push(`contains ${bad.map(describe).join(', ')}`);
  if (isPath && prop.value.split(/[/?]/).includes('..')) problems.push("has a '..' segment");
  if (!problems.length) return;
  ctx.report({
    span: prop.span,
    message: `${what} ${prop.text} ${problems.join(' and ')}: it is written into generated shell scripts and config files, where that is not safe. Allowed: ${allowedText}.`,
  });
}

function checkSecret(ctx: RuleContext, prop: A.Prop<A.SecretValue> | undefined, what: string) {
  if (!prop || prop.value.kind !== 'inline') return;
  const bad = badChars(prop.value.value, (ch) => !SECRET_BAD.test(ch));
  if (!bad.length && prop.value.value !== '') return;
  const problem = bad.length ? `contains ${bad.map(describe).join(', ')}` : 'is empty';
  ctx.report({
    span: prop.span,
    message: `${what} ${problem}: it would be written into keepalived.conf or a shell command, where that is not safe. Use a secret reference (secret:NAME), or printable characters without spaces, quotes, backslash or any of \` $ ; & | < > ( ) # !.`,
  });
}

export const lvs090 = defineRule({
  code: 'LVS090',
  severity: 'error',
  title: 'Value not safe to place in a shell script or config file',
  nodeKinds: ['check', 'ssh', 'sysctl', 'ha'],
  check(node, ctx) {
    const owner = ctx.host ? `${ctx.host.kind} ${ctx.host.name.text}` : `cluster ${ctx.cluster.cluster.name.text}`;
    switch (node.kind) {
      case 'check':
        check(ctx, node.path, `Health check path${ctx.service ? ` of service ${ctx.service.name.text}` : ''}`, URL_PATH_CHARS, true, 'letters, digits and . _ / ~ + @ % , : = ? -');
        check(ctx, node.script, `Script check program${ctx.service ? ` of service ${ctx.service.name.text}` : ''}`, PATH_CHARS, true, 'letters, digits and . _ / ~ + @ % , : = -');
        check(ctx, node.host, `Health check host${ctx.service ? ` of service ${ctx.service.name.text}` : ''}`, HOST_CHARS, false, 'letters, digits and . - (and : for a port)');
        check(ctx, node.name, `DNS check name${ctx.service ? ` of service ${ctx.service.name.text}` : ''}`, HOST_CHARS, false, 'letters, digits and . - (and : for a port)');
        break;
      case 'ssh':
        check(ctx, node.key, `SSH key path of ${owner}`, PATH_CHARS, true, 'letters, digits and . _ / ~ + @ % , : = -');
        check(ctx, node.knownHosts, `known-hosts path of ${owner}`, PATH_CHARS, true, 'letters, digits and . _ / ~ + @ % , : = -');
        checkSecret(ctx, node.password, `The inline SSH password of ${owner}`);
        break;
      case 'sysctl':
        check(ctx, node.value, `Value of sysctl ${node.key.value} on ${owner}`, SYSCTL_CHARS, false, 'letters, digits, spaces and . _ / : , + -');
        break;
      case 'ha':
        checkSecret(ctx, node.auth, `The inline VRRP auth of cluster ${ctx.cluster.cluster.name.text}`);
        check(ctx, node.notify, `The notify program of cluster ${ctx.cluster.cluster.name.text}`, PATH_CHARS, true, 'letters, digits and . _ / ~ + @ % , : = -');
        break;
    }
  },
});
