// Secret resolution. A .lvs file holds references (`secret:NAME`, `env:NAME`, `file:PATH`);
// values are looked up only when files are generated for a deploy, never in preview mode.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as A from '../language/ast';
import { secretEnvName } from '../protocol/secret-env';
import { GenerateOptions, SecretRef, SecretResolver } from './types';
import { english, joinMsgs, Msg, t } from '../shared/l10n/message';

/** The environment variable that supplies a reference (secret: and env:); none for file:. */
function variableOf(ref: SecretRef): string | undefined {
  return ref.source === 'secret' ? secretEnvName(ref.name) : ref.source === 'env' ? ref.name : undefined;
}

/** The reference and how to supply it, as a message in the reader's language: `secret:NAME (set VARIABLE)`. */
export function unresolvedHintWords(ref: SecretRef): Msg {
  const at = `${ref.source}:${ref.name}`;
  const variable = variableOf(ref);
  return variable !== undefined ? t`${at} (set ${variable})` : t`${at} (file not readable)`;
}

/**
 * env:NAME → $NAME; file:PATH → the file's contents without the trailing newline (`~/` is the
 * home directory); secret:NAME → the variable secretEnvName() names (LVS_SECRET_…).
 */
export const defaultSecretResolver: SecretResolver = (ref) => {
  switch (ref.source) {
    case 'env':
      return process.env[ref.name];
    case 'secret':
      return process.env[secretEnvName(ref.name)];
    case 'file': {
      const path = ref.name.startsWith('~/') ? homedir() + ref.name.slice(1) : ref.name;
      try {
        return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      } catch {
        return undefined;
      }
    }
  }
};

export function placeholder(value: A.SecretValue): string {
  return value.kind === 'inline' ? '@@inline@@' : `@@${value.source}:${value.value}@@`;
}

export interface ResolvedSecret {
  /** The value to write: the secret, or a placeholder. */
  text: string;
  /** Set when a placeholder was written: say so in a comment next to it (English: generated files are). */
  warning?: string;
}

/** Why a placeholder was written, as a message (its English is the comment in the generated file). */
function placeholderWords(value: A.SecretValue, opts: GenerateOptions): Msg | undefined {
  if (opts.preview) {
    return value.kind === 'inline' ? t`preview: the value of the inline secret is not shown` : t`preview: the value of ${`${value.source}:${value.value}`} is not shown`;
  }
  if (value.kind === 'inline') return undefined;
  const ref: SecretRef = { source: value.source ?? 'secret', name: value.value };
  const at = `${ref.source}:${ref.name}`;
  const variable = variableOf(ref);
  return variable === undefined ? t`${at} could not be resolved (file not readable); replace the placeholder before deploying`
    : t`${at} could not be resolved (set ${variable}); replace the placeholder before deploying`;
}

/**
 * Resolves a secret for writing into a file, honouring preview mode. `what` names the value
 * (`director lvs1: VRRP auth_pass`) in the warning onWarning receives.
 */
export function resolveSecret(value: A.SecretValue, what: Msg, opts: GenerateOptions): ResolvedSecret {
  const ph = placeholder(value);
  if (!opts.preview && value.kind === 'inline') return { text: value.value };
  if (!opts.preview && value.kind !== 'inline') {
    const resolved = (opts.secrets ?? defaultSecretResolver)({ source: value.source ?? 'secret', name: value.value });
    if (resolved !== undefined && resolved !== '') return { text: resolved };
  }
  const words = placeholderWords(value, opts)!;
  opts.onWarning?.(joinMsgs([what, words], ': '));
  // The comment beside the placeholder stands alone in the file, so it says it is a warning;
  // the run's own warnings are already headed as warnings.
  return { text: ph, warning: opts.preview ? english(words) : `WARNING: ${english(words)}` };
}
