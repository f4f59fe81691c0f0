// Contracts of the generators: what a generated file is, how secrets are resolved, options.
// No `vscode` import anywhere under generate/: the CLI, the language server and the deploy
// engine all call these functions.
import { bulletMsgs, english, Msg, t } from '../shared/l10n/message';

/** One file to place on one host. */
export interface GeneratedFile {
  /** Name of the host (director or server) in the .lvs file. */
  host: string;
  /** Absolute target path on that host. */
  path: string;
  /** File mode, e.g. 0o755 for scripts, 0o600 for NetworkManager keyfiles, 0o644 otherwise. */
  mode: number;
  content: string;
  /**
   * Set when the content holds a resolved secret value (not a placeholder): records kept
   * beside it (MANIFEST.json, deploy journal) give a keyed digest of it, never a plain sha256.
   */
  secret?: true;
}

/** A secret reference as written in the file: `secret:NAME`, `env:NAME`, `file:PATH`. */
export interface SecretRef {
  source: 'secret' | 'env' | 'file';
  name: string;
}

/** Returns the secret's value, or undefined when it cannot be resolved. */
export type SecretResolver = (ref: SecretRef) => string | undefined;

export interface GenerateOptions {
  /** Name of the .lvs file, written in every header (use a stable name: it is part of the bytes). */
  sourceName: string;
  /** How to resolve secret references; defaults to {@link defaultSecretResolver}. */
  secrets?: SecretResolver;
  /**
   * Preview mode: secret values are never written; every secret becomes the placeholder
   * `@@<source>:<name>@@` (`@@inline@@` for a secret written inline). Used by previews and goldens.
   */
  preview?: boolean;
  /** Receives one message per secret that was replaced by a placeholder (unresolved or preview). */
  onWarning?: (message: Msg) => void;
  /**
   * Render a body once for all hosts of the same shape (default true; see shared-body.ts).
   * Turned off only by the test that checks both ways give the same bytes.
   */
  shareBodies?: boolean;
}

/** The model cannot be turned into files (missing values, values no target format can carry). */
export class GenerateError extends Error {
  /** Each problem in English. */
  readonly problems: string[];

  /** The whole message as a message (the CLI renders it in the reader's language). */
  readonly words: Msg;

  constructor(readonly problemWords: Msg[]) {
    const words = t`cannot generate files:${bulletMsgs(problemWords)}`;
    super(english(words));
    this.name = 'GenerateError';
    this.words = words;
    this.problems = problemWords.map(english);
  }
}
