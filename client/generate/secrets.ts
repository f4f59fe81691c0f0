// Values of `secret:NAME` references, from VS Code's SecretStorage or asked once at run time.
// Nothing is stored unless the user chooses to remember it.
import * as vscode from 'vscode';
import type { ClusterOutline } from '../../server/protocol/outline';
import { secretEnvName } from '../../server/protocol/secret-env';
import type { Prompts } from '../deploy/prompts';

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
    const value = await secretValue(storage, name, interactive);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The value of `secret:NAME`: the environment (CI, scripted use: the variable the CLI reads),
 * else SecretStorage, else (interactive) asked in one input flow before the run goes on: the
 * value, then a pick "this run only / remember" in the same quick input — never a notification
 * a run would wait on. `ask`: the dialogs (the deploy's, which its test suite stands in for).
 */
export async function secretValue(storage: vscode.SecretStorage, name: string, interactive: boolean, ask: Pick<Prompts, 'input' | 'pick'> = { input: (o) => vscode.window.showInputBox(o), pick: (items, o) => vscode.window.showQuickPick(items, o) }): Promise<string | undefined> {
  const fromEnv = process.env[secretEnvName(name)];
  if (fromEnv !== undefined) return fromEnv;
  const stored = await storage.get(KEY_PREFIX + name);
  if (stored !== undefined || !interactive) return stored;
  const value = await ask.input({
    title: vscode.l10n.t("Secret '{0}'", name),
    prompt: vscode.l10n.t('Value of secret:{0} (used for this run only unless you choose to remember it)', name),
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return undefined;
  const keep = await ask.pick(
    [
      { label: vscode.l10n.t('Use for this run only'), remember: false },
      { label: vscode.l10n.t("Remember in VS Code's secret storage"), description: vscode.l10n.t('the OS keychain, for later runs'), remember: true },
    ],
    { title: vscode.l10n.t("Secret '{0}'", name), placeHolder: vscode.l10n.t('Keep this value for later runs?'), ignoreFocusOut: true },
  );
  if (keep?.remember) await storage.store(KEY_PREFIX + name, value);
  return value;
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
