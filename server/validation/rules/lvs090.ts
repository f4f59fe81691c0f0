// LVS090: string values that cannot be placed safely in the generated shell scripts and config
// files. Names are restricted by the grammar; quoted strings and paths are checked here.
import { hostWhat } from './util-addressing';
import { andMsgs, listMsgs, Msg, MsgArg, t } from '../../shared/l10n/message';
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

function describe(ch: string): MsgArg {
  if (ch === ' ') return t`a space`;
  if (ch === '\t') return t`a tab`;
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return t`control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${ch}'`;
}

function badChars(value: string, ok: (ch: string) => boolean): string[] {
  return [...new Set([...value].filter((ch) => !ok(ch)))];
}

function check(ctx: RuleContext, prop: A.Prop<string> | undefined, what: Msg, allowed: RegExp, isPath: boolean, allowedText: Msg) {
  if (!prop) return;
  const bad = badChars(prop.value, (ch) => allowed.test(ch));
  const problems: Msg[] = [];
  if (bad.length) problems.push(t`contains ${listMsgs(bad.map(describe))}`);
  if (isPath && prop.value.split(/[/?]/).includes('..')) problems.push(t`has a '..' segment`);
  if (!problems.length) return;
  ctx.report({
    span: prop.span,
    message: t`${what} ${prop.text} ${andMsgs(problems)}: it is written into generated shell scripts and config files, where that is not safe. Allowed: ${allowedText}.`,
  });
}

function checkSecret(ctx: RuleContext, prop: A.Prop<A.SecretValue> | undefined, what: Msg) {
  if (!prop || prop.value.kind !== 'inline') return;
  const bad = badChars(prop.value.value, (ch) => !SECRET_BAD.test(ch));
  if (!bad.length && prop.value.value !== '') return;
  const problem = bad.length ? t`contains ${listMsgs(bad.map(describe))}` : t`is empty`;
  ctx.report({
    span: prop.span,
    message: t`${what} ${problem}: it would be written into keepalived.conf or a shell command, where that is not safe. Use a secret reference (secret:NAME), or printable characters without spaces, quotes, backslash or any of \` $ ; & | < > ( ) # !.`,
  });
}

export const lvs090 = defineRule({
  code: 'LVS090',
  severity: 'error',
  title: 'Value not safe to place in a shell script or config file',
  nodeKinds: ['check', 'ssh', 'sysctl', 'ha'],
  check(node, ctx) {
    const owner = ctx.host ? hostWhat(ctx.host) : t`cluster ${ctx.cluster.cluster.name.text}`;
    const ofService = ctx.service ? t` of service ${ctx.service.name.text}` : '';
    const pathChars = t`letters, digits and . _ / ~ + @ % , : = -`;
    const hostChars = t`letters, digits and . - (and : for a port)`;
    switch (node.kind) {
      case 'check':
        check(ctx, node.path, t`Health check path${ofService}`, URL_PATH_CHARS, true, t`letters, digits and . _ / ~ + @ % , : = ? -`);
        check(ctx, node.script, t`Script check program${ofService}`, PATH_CHARS, true, pathChars);
        check(ctx, node.host, t`Health check host${ofService}`, HOST_CHARS, false, hostChars);
        check(ctx, node.name, t`DNS check name${ofService}`, HOST_CHARS, false, hostChars);
        break;
      case 'ssh':
        check(ctx, node.key, t`SSH key path of ${owner}`, PATH_CHARS, true, pathChars);
        check(ctx, node.knownHosts, t`known-hosts path of ${owner}`, PATH_CHARS, true, pathChars);
        checkSecret(ctx, node.password, t`The inline SSH password of ${owner}`);
        break;
      case 'sysctl':
        check(ctx, node.value, t`Value of sysctl ${node.key.value} on ${owner}`, SYSCTL_CHARS, false, t`letters, digits, spaces and . _ / : , + -`);
        break;
      case 'ha':
        checkSecret(ctx, node.auth, t`The inline VRRP auth of cluster ${ctx.cluster.cluster.name.text}`);
        check(ctx, node.notify, t`The notify program of cluster ${ctx.cluster.cluster.name.text}`, PATH_CHARS, true, pathChars);
        break;
    }
  },
});
