// Values of `secret:NAME` references, from VS Code's SecretStorage or asked once at run time.
// Nothing is stored unless the user chooses to remember it.
import * as vscode from 'vscode';
import type { ClusterOutline } from '../../server/protocol/outline';
import { secretEnvName } from '../../server/protocol/secret-env';

const KEY_PREFIX = 'lvs.secret.';

/** Names of the `secret:NAME` references of one cluster (of every cluster when absent), sorted. */
export function secretNames(clusters: ClusterOutline[], cluster?: string): string[] {
  const names = clusters
    .filter((c) => cluster === undefined || c.name === cluster)
    .flatMap((c) => c.secretReferences.filter((r) => r.source === 'secret').map((r) => r.name));
  return [...new Set(names)].sort();
}

/** Resolves the named secrets; unresolved ones are left out (placeholders). */
export async function resolveSecrets(storage: vscode.SecretStorage, names: string[], interactive: boolean): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) {
    // The environment wins (CI, scripted use): same variable the CLI reads.
    const fromEnv = process.env[secretEnvName(name)];
    if (fromEnv !== undefined) {
      out[name] = fromEnv;
      continue;
    }
    const stored = await storage.get(KEY_PREFIX + name);
    if (stored !== undefined) {
      out[name] = stored;
      continue;
    }
    if (!interactive) continue;
    const value = await vscode.window.showInputBox({
      title: `Secret '${name}'`,
      prompt: `Value of secret:${name} (used for this generation only unless you choose to remember it)`,
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) continue;
    out[name] = value;
    const remember = await vscode.window.showInformationMessage(`Remember secret:${name} in VS Code's secret storage?`, 'Remember', 'Not now');
    if (remember === 'Remember') await storage.store(KEY_PREFIX + name, value);
  }
  return out;
}

export async function forgetSecret(storage: vscode.SecretStorage, name: string): Promise<void> {
  await storage.delete(KEY_PREFIX + name);
}

/** `secret:NAME` values as the environment the CLI reads (`LVS_SECRET_NAME`). */
export function secretEnv(secrets: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(secrets)) env[secretEnvName(name)] = value;
  return env;
}
