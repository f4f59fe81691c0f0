// Unified diffs of a host's plan (what `lvsdr plan` prints and the VS Code diff view mirrors),
// with secrets masked: known secret values and keepalived `auth_pass` values never appear.
import { createTwoFilesPatch } from 'diff';
import { octal } from './octal-mode';
import { FilePlan, HostPlan } from './types';
import type { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import { t } from '../shared/l10n/message';

export const MASK = '********';

export function masker(secrets: string[]): (text: string) => string {
  const values = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const v of values) out = out.split(v).join(MASK);
    return out.replace(/^(\s*auth_pass\s+)\S.*$/gm, `$1${MASK}`);
  };
}

/** `locale`: the language of the sentence in a removed file's header (the paths and the diff stay as they are). */
export function fileDiff(host: string, f: FilePlan, mask: (t: string) => string, locale: Locale = 'en'): string {
  const oldText = f.current ? mask(f.current.toString('utf8')) : '';
  const newText = f.content !== undefined && f.action !== 'remove' ? mask(f.content) : '';
  const header: string[] = [];
  if (f.action === 'add') header.push(`new file ${host}:${f.path} mode ${octal(f.after!.mode)}`);
  if (f.action === 'remove') header.push(localize(t`remove ${`${host}:${f.path}`} (placed by an earlier deploy, no longer generated)`, locale));
  if (f.before && f.after && f.before.mode !== f.after.mode) header.push(`mode ${host}:${f.path} ${octal(f.before.mode)} -> ${octal(f.after.mode)}`);
  if (f.modeOnly) return header.join('\n') + '\n';
  const patch = createTwoFilesPatch(
    f.action === 'add' ? '/dev/null' : `a/${host}${f.path}`,
    f.action === 'remove' ? '/dev/null' : `b/${host}${f.path}`,
    oldText, newText, undefined, undefined, { context: 3 },
  );
  // Drop the "Index:" / "====" lines createTwoFilesPatch starts with.
  const body = patch.split('\n').filter((l) => !l.startsWith('Index: ') && !/^=+$/.test(l)).join('\n');
  return (header.length ? header.join('\n') + '\n' : '') + body;
}

export function hostDiff(p: HostPlan, mask: (t: string) => string, locale: Locale = 'en'): string {
  return p.files.filter((f) => f.action !== 'unchanged').map((f) => fileDiff(p.host.name, f, mask, locale)).join('');
}
