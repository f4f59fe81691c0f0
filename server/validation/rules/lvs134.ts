// LVS134: programs keepalived runs (a script check's MISC_CHECK, the ha notify script) are named
// by an absolute path: keepalived runs them as root with enable_script_security, which refuses a
// relative path or one a non-root user can write. A script check needs its program.
import { Msg, t } from '../../shared/l10n/message';
import * as A from '../../language/ast';
import { defineRule, RuleContext } from '../types';

function checkPath(ctx: RuleContext, prop: A.Prop<string>, what: Msg) {
  if (prop.value.startsWith('/') && !prop.value.endsWith('/')) return;
  ctx.report({ span: prop.span, message: t`${what} ${prop.text} is not an absolute path to a program: keepalived runs it as root and only by its full path (e.g. "/usr/local/bin/check-app").` });
}

export const lvs134 = defineRule({
  code: 'LVS134',
  severity: 'error',
  title: 'Script check without a program, or a script path that is not absolute',
  nodeKinds: ['check', 'ha'],
  check(node, ctx) {
    if (node.kind === 'ha') {
      if (node.notify) checkPath(ctx, node.notify, t`The notify program`);
      return;
    }
    const where = ctx.service ? t` of service ${ctx.service.name.text}` : '';
    if (node.type.value === 'script') {
      if (!node.script) ctx.report({ span: node.type.span, message: t`The script check${where} names no program: write check script "/path/to/program" (exit 0 = up).` });
      else checkPath(ctx, node.script, t`The script check program${where}`);
    }
  },
});
