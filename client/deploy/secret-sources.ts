// `env:NAME` and `file:PATH` references (VRRP `auth`) name something on this machine to read:
// a cloned repository could name ~/.ssh/id_ed25519 and have it sent to a host. VS Code reads
// one only in a trusted workspace and only after the user approved that exact reference for
// this workspace; the approval is kept in VS Code's workspace state (keyed by the workspace and
// the reference), never in the repository.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { printable } from '../../server/protocol/printable';
import { Prompts, windowPrompts } from './prompts';
import { requireTrust } from '../workspace-trust';

const KEY = 'lvs.approvedSecretSources';

/** The workspace this approval belongs to (its .code-workspace file, else its folders). */
function workspaceKey(): string {
  return vscode.workspace.workspaceFile?.toString() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('|');
}

function approvalKey(source: 'env' | 'file', name: string): string {
  return `${workspaceKey()}\u0000${source}:${name}`;
}

export function isApproved(state: vscode.Memento, source: 'env' | 'file', name: string): boolean {
  return (state.get<string[]>(KEY) ?? []).includes(approvalKey(source, name));
}

export async function approve(state: vscode.Memento, source: 'env' | 'file', name: string): Promise<void> {
  const list = state.get<string[]>(KEY) ?? [];
  const k = approvalKey(source, name);
  if (!list.includes(k)) await state.update(KEY, [...list, k]);
}

function read(source: 'env' | 'file', name: string): string | undefined {
  if (source === 'env') return process.env[name];
  const path = name.startsWith('~/') ? homedir() + name.slice(1) : name;
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch {
    return undefined;
  }
}

/**
 * The value of an env:/file: reference, or undefined: refused in an untrusted workspace, asked
 * once (modal) when not approved yet — unless `interactive` is false, then refused.
 */
export async function approvedSourceValue(state: vscode.Memento, source: 'env' | 'file', name: string, interactive: boolean, log: (line: string) => void, prompts: Prompts = windowPrompts): Promise<string | undefined> {
  const ref = `${source}:${printable(name)}`;
  const untrusted = vscode.l10n.t('{0} refused: secrets are never read from the environment or files in an untrusted workspace', ref);
  if (!requireTrust(untrusted, { quiet: true })) {
    log(untrusted);
    return undefined;
  }
  if (!isApproved(state, source, name)) {
    if (!interactive) {
      log(vscode.l10n.t('{0} refused: not approved for this workspace', ref));
      return undefined;
    }
    const allow = vscode.l10n.t('Allow');
    const answer = await prompts.warning(
      source === 'env' ? vscode.l10n.t('The .lvs file asks to read the environment variable {0} as a secret and send it to its hosts.', printable(name))
        : vscode.l10n.t('The .lvs file asks to read the file {0} as a secret and send it to its hosts.', printable(name)),
      vscode.l10n.t('Allow only if you wrote this reference yourself: a cloned repository could name any file of yours. Your answer is remembered for {0} in this workspace (in VS Code, not in the repository).', ref),
      [allow],
    );
    if (answer !== allow) {
      log(vscode.l10n.t('{0} refused by the user', ref));
      return undefined;
    }
    await approve(state, source, name);
  }
  return read(source, name);
}
