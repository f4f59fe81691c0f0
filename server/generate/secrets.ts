// Secret resolution. A .lvs file holds references (`secret:NAME`, `env:NAME`, `file:PATH`);
// values are looked up only when files are generated for a deploy, never in preview mode.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as A from '../language/ast';
import { secretEnvName } from '../protocol/secret-env';
import { GenerateOptions, SecretRef, SecretResolver } from './types';
import { Msg, t } from '../shared/l10n/message';

/** How to supply a reference that did not resolve: ` (set VARIABLE)` or ` (file not readable)`. */
export function unresolvedHint(ref: SecretRef): string {
  return ref.source === 'secret' ? ` (set ${secretEnvName(ref.name)})` : ref.source === 'env' ? ` (set ${ref.name})` : ' (file not readable)';
}

/** The reference and how to supply it, as a message in the reader's language: `secret:NAME (set VARIABLE)`. */
export function unresolvedHintWords(ref: SecretRef): Msg {
  const at = `${ref.source}:${ref.name}`;
  return ref.source === 'secret' ? t`${at} (set ${secretEnvName(ref.name)})` : ref.source === 'env' ? t`${at} (set ${ref.name})` : t`${at} (file not readable)`;
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
  /** Set when a placeholder was written: say so in a comment next to it. */
  warning?: string;
}

/** Resolves a secret for writing into a file, honouring preview mode. */
export function resolveSecret(value: A.SecretValue, what: string, opts: GenerateOptions): ResolvedSecret {
  const ph = placeholder(value);
  let result: ResolvedSecret;
  if (opts.preview) {
    result = { text: ph, warning: `preview: the value of ${value.kind === 'inline' ? 'the inline secret' : `${value.source}:${value.value}`} is not shown` };
  } else if (value.kind === 'inline') {
    result = { text: value.value };
  } else {
    const ref: SecretRef = { source: value.source ?? 'secret', name: value.value };
    const resolved = (opts.secrets ?? defaultSecretResolver)(ref);
    if (resolved === undefined || resolved === '') {
      result = { text: ph, warning: `WARNING: ${ref.source}:${ref.name} could not be resolved${unresolvedHint(ref)}; replace the placeholder before deploying` };
    } else {
      result = { text: resolved };
    }
  }
  if (result.warning) opts.onWarning?.(`${what}: ${result.warning}`);
  return result;
}
