// How the export names a secret: an Ansible variable whose default is a lookup of where
// `lvsdr` itself reads the value (never the value): `secret:NAME` → the environment variable
// LVS_SECRET_<NAME>, `env:NAME` → that variable, `file:PATH` → the file on the control node.
// A secret written inline in the .lvs file has no lookup: the variable must be given, e.g.
// from an Ansible Vault file (README.md of the export says how).
import * as A from '../../language/ast';
import { secretEnvName } from '../../protocol/secret-env';

export interface SecretVar {
  /** The Ansible variable the templates use. */
  variable: string;
  /** Its default in group_vars (a Jinja lookup), or undefined when it must be supplied. */
  lookup?: string;
  /** How a person supplies it, for the README. */
  how: string;
}

/** Single-quoted Jinja string literal (the names and paths the grammar allows hold no quote). */
function jinjaString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function secretVar(variable: string, value: A.SecretValue): SecretVar {
  if (value.kind === 'inline') {
    return { variable, how: `the .lvs file holds this secret inline: define \`${variable}\` yourself, e.g. in an Ansible Vault file` };
  }
  switch (value.source ?? 'secret') {
    case 'secret': {
      const env = secretEnvName(value.value);
      return { variable, lookup: `{{ lookup('ansible.builtin.env', ${jinjaString(env)}) }}`, how: `environment variable \`${env}\` (secret:${value.value}), as for lvsdr` };
    }
    case 'env':
      return { variable, lookup: `{{ lookup('ansible.builtin.env', ${jinjaString(value.value)}) }}`, how: `environment variable \`${value.value}\` (env:${value.value})` };
    case 'file':
      return { variable, lookup: `{{ lookup('ansible.builtin.file', ${jinjaString(value.value)} | expanduser) }}`, how: `the file \`${value.value}\` on the control node (file:${value.value})` };
  }
}
