// Answers to the engine's questions on the event channel, for one command (a plan and the
// deploy after it share them): an unknown host key in a modal naming the host, its one key and
// the keys already known for it; a secret reference from SecretStorage or asked (env:/file: only
// when approved for the workspace, secret-sources.ts); a key file's passphrase from SecretStorage
// or asked (and remembered there only when the user picks that).
import * as vscode from 'vscode';
import type { Question } from '../../server/protocol/events';
import { printable } from '../../server/protocol/printable';
import { secretValue } from '../generate/secrets';
import { approvedSourceValue } from './secret-sources';
import type { AnswerBody } from '../protocol/cli-runner';
import { Prompts, windowPrompts } from './prompts';
import { approveRepoKnownHosts } from './repo-known-hosts';

export interface QuestionPolicy {
  /** No dialogs: secrets only from the environment or SecretStorage, unknown keys refused. */
  assumeYes?: boolean;
  /** Unknown host keys accepted without a dialog (tests stand in for the click). */
  acceptNew?: boolean;
}

export class RunQuestions {
  private readonly secrets = new Map<string, string | null>();
  private readonly passphrases = new Map<string, string | null>();

  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly policy: QuestionPolicy,
    private readonly log: (line: string) => void,
    private readonly prompts: Prompts = windowPrompts,
  ) {}

  answer = async (q: Question): Promise<AnswerBody> => {
    switch (q.kind) {
      case 'host-key': return { kind: 'host-key', accept: await this.hostKey(q) };
      case 'secret': return { kind: 'secret', value: await this.secret(q.source, q.name) };
      case 'passphrase': return { kind: 'passphrase', value: await this.passphrase(q.keyFile, q.host) };
      case 'repo-known-hosts': return { kind: 'repo-known-hosts', accept: await approveRepoKnownHosts(this.state, q, this.prompts, !this.policy.assumeYes, this.log) };
    }
  };

  private async hostKey(q: Extract<Question, { kind: 'host-key' }>): Promise<boolean> {
    const who = `${printable(q.host)} (${printable(q.address)}${q.port !== 22 ? `:${q.port}` : ''})`;
    this.log(vscode.l10n.t('unknown host key of {0}: {1} {2}', who, printable(q.keyType), printable(q.fingerprint)));
    if (this.policy.acceptNew) return true;
    if (this.policy.assumeYes) return false;
    const known = q.known.length
      ? '\n\n' + vscode.l10n.t('{0} already holds for this host: {1} (a different key type; it stays).', printable(q.knownHosts), q.known.map((k) => `${printable(k.keyType)} ${printable(k.fingerprint)}`).join(', '))
      : '';
    const accept = vscode.l10n.t('Accept');
    const answer = await this.prompts.warning(
      vscode.l10n.t('Unknown SSH host key of {0}', who),
      `${printable(q.keyType)} ${printable(q.fingerprint)}${known}\n\n` +
        vscode.l10n.t("Compare it with the host's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host). Accept records exactly this key in {0}.", printable(q.knownHosts)),
      [accept],
    );
    return answer === accept;
  }

  private async secret(source: 'secret' | 'env' | 'file', name: string): Promise<string | null> {
    const k = `${source}:${name}`;
    if (!this.secrets.has(k)) {
      const value = source === 'secret' ? await secretValue(this.storage, name, !this.policy.assumeYes, this.prompts)
        : await approvedSourceValue(this.state, source, name, !this.policy.assumeYes, this.log, this.prompts);
      this.secrets.set(k, value ?? null);
    }
    return this.secrets.get(k) ?? null;
  }

  private async passphrase(keyFile: string, host: string): Promise<string | null> {
    if (!this.passphrases.has(keyFile)) this.passphrases.set(keyFile, (await this.askPassphrase(keyFile, host)) ?? null);
    return this.passphrases.get(keyFile) ?? null;
  }

  /**
   * SecretStorage first (when the user chose to remember it); else, one input flow: a password
   * box, then a pick "this run only / remember" — never a notification a run would wait on.
   */
  private async askPassphrase(keyFile: string, host: string): Promise<string | undefined> {
    const key = `${PASSPHRASE_PREFIX}${keyFile}`;
    const stored = await this.storage.get(key);
    if (stored !== undefined || this.policy.assumeYes) return stored;
    const value = await this.prompts.input({
      title: vscode.l10n.t('Passphrase of {0}', printable(keyFile)),
      prompt: vscode.l10n.t('The SSH key for {0} is encrypted and the agent (SSH_AUTH_SOCK) does not hold it', printable(host)),
      password: true,
      ignoreFocusOut: true,
    });
    if (!value) return undefined;
    const keep = await this.prompts.pick(
      [{ label: vscode.l10n.t('Use for this command only'), remember: false }, { label: vscode.l10n.t("Remember in VS Code's secret storage"), remember: true }],
      { title: vscode.l10n.t('Passphrase of {0}', printable(keyFile)), ignoreFocusOut: true },
    );
    if (keep?.remember) await this.storage.store(key, value);
    return value;
  }
}

/** SecretStorage key of a remembered passphrase: this prefix and the key file's path. */
const PASSPHRASE_PREFIX = 'lvs.keyPassphrase.';
