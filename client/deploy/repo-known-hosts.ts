// A known_hosts that the .lvs file names inside its own repository (issue 11, item 2): whoever
// wrote the repository chose the host keys in it. VS Code does not use it silently: the first
// deploy (or plan) shows the file and, per host, the keys it vouches for, in a modal; the
// approval is remembered in VS Code's workspace state (never in the repository), keyed by the
// workspace, the file and the sha256 of its content, so a changed file is asked about again.
// In an untrusted workspace nothing connects at all (deploy-flow.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Question } from '../../server/protocol/events';
import { printable } from '../../server/protocol/printable';
import { Prompts } from './prompts';
import { requireTrust } from '../workspace-trust';

type RepoKnownHostsQuestion = Extract<Question, { kind: 'repo-known-hosts' }>;

const KEY = 'lvs.approvedRepoKnownHosts';

function workspaceKey(): string {
  return vscode.workspace.workspaceFile?.toString() ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).join('|');
}

/** The approval key of the file as it is now, or undefined when it cannot be read. */
function approvalKey(file: string): string | undefined {
  try {
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    return `${workspaceKey()}\u0000${file}\u0000${sha}`;
  } catch {
    return undefined;
  }
}

/** What the modal says: the file, the repository, and per host the keys it vouches for. */
export function repoKnownHostsText(q: RepoKnownHostsQuestion): { message: string; detail: string } {
  const hosts = q.hosts.map((h) => {
    const who = `${printable(h.name)} (${printable(h.address)}${h.port !== 22 ? `:${h.port}` : ''})`;
    const keys = h.keys.length ? h.keys.map((k) => `${printable(k.keyType)} ${printable(k.fingerprint)}`).join(', ') : vscode.l10n.t('no key (the host would be asked about as unknown)');
    return `${who}: ${keys}`;
  });
  return {
    message: vscode.l10n.t('Host keys would come from {0}, a known_hosts inside the repository', printable(q.knownHosts)),
    detail: vscode.l10n.t('{0} came with the repository {1}: whoever wrote the repository chose these keys, and SSH trusts the hosts that prove them.', printable(q.knownHosts), printable(q.repository)) + '\n\n' +
      `${hosts.join('\n')}\n\n` +
      vscode.l10n.t('Use them only if you checked these fingerprints against the hosts (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on each host). Your answer is remembered for this file, as it is now, in this workspace (in VS Code, not in the repository).'),
  };
}

/** True when the file is approved (now, or earlier with the same content) for this workspace. */
export async function approveRepoKnownHosts(state: vscode.Memento, q: RepoKnownHostsQuestion, prompts: Prompts, interactive: boolean, log: (line: string) => void): Promise<boolean> {
  const file = printable(q.knownHosts);
  const untrusted = vscode.l10n.t("{0} refused: a workspace's own known_hosts is never used in an untrusted workspace", file);
  if (!requireTrust(untrusted, { quiet: true })) {
    log(untrusted);
    return false;
  }
  const key = approvalKey(q.knownHosts);
  const hosts = q.hosts.map((h) => printable(h.name)).join(', ');
  const approved = state.get<string[]>(KEY) ?? [];
  if (key && approved.includes(key)) {
    log(vscode.l10n.t('host keys of {0} from {1} (inside the repository; approved for this workspace)', hosts, file));
    return true;
  }
  if (!interactive || !key) {
    log(vscode.l10n.t('{0} refused: a known_hosts inside the repository, not approved for this workspace', file));
    return false;
  }
  const { message, detail } = repoKnownHostsText(q);
  const use = vscode.l10n.t('Use These Host Keys');
  if ((await prompts.warning(message, detail, [use])) !== use) {
    log(vscode.l10n.t('{0} refused by the user', file));
    return false;
  }
  await state.update(KEY, [...approved.filter((k) => k !== key), key]);
  log(vscode.l10n.t('host keys of {0} from {1} (inside the repository; approved by the user for this workspace)', hosts, file));
  return true;
}
