// Contracts of the deploy engine: what a target host is, the UI callbacks the engine calls
// (host key confirmation, passphrase, secrets, progress), options and results. No `vscode`
// import anywhere under deploy/: the CLI and the VS Code client both drive the same engine.
import { GeneratedFile, SecretResolver } from '../generate';
import type { ProgressEvent, Step, StepState } from '../protocol/events';
import type { Msg } from '../shared/l10n/message';
import type { Locale } from '../shared/l10n/locale';

export type HostRole = 'master' | 'backup' | 'server';

/** A ProxyJump hop on the way to a host (from the user's ssh config, ssh-resolve.ts). */
export interface JumpHost {
  /** The name the ssh config knows it by. */
  name: string;
  /** Where to connect (its HostName, else its name). */
  address: string;
  port: number;
  user: string;
  keyFile?: string;
  extraKeyFiles?: string[];
  knownHosts: string;
  useAgent: boolean;
}

/** One host to deploy to, resolved from the .lvs file (and, for the lab, its state dir). */
export interface HostTarget {
  /** Host name in the .lvs file. */
  name: string;
  role: HostRole;
  /** IPv4 address to connect to. */
  address: string;
  port: number;
  user: string;
  /** Private key file (absolute, `~` expanded), if any. */
  keyFile?: string;
  /**
   * Key files tried after keyFile when they exist and load (the ssh config's IdentityFile, or
   * ssh's default ~/.ssh/id_*); one that cannot be read is skipped, as ssh skips it.
   */
  extraKeyFiles?: string[];
  /** Where the SSH connection goes when not `address` (HostName in the user's ssh config). */
  connectAddress?: string;
  /** ProxyJump hops, in order (the first is reached directly). */
  jumps?: JumpHost[];
  /** known_hosts file checked (and appended to on an accepted new key). */
  knownHosts: string;
  /**
   * Set (to the repository's folder) when the .lvs file names a known_hosts inside its own
   * repository: its keys are used only once the front end confirmed that source (session.ts).
   */
  knownHostsInRepo?: string;
  /** Use the ssh agent at SSH_AUTH_SOCK (never for the lab). */
  useAgent: boolean;
  /** A password reference from the .lvs file (resolved through the UI callback only). */
  passwordRef?: { source: 'secret' | 'env' | 'file'; name: string };
  /** `target os` of the host (rhel7, rhel9, debian, ubuntu). */
  os: string;
  /** The OS family is not checked (lab hosts are all the machine's own distribution). */
  skipOsCheck: boolean;
  /** Addresses the deploy puts on the host (VIPs on a director's NIC or a real server's lo). */
  placedAddresses?: string[];
}

export interface ClusterTarget {
  kind: 'lab' | 'hosts';
  /** Absolute path of the .lvs file. */
  file: string;
  cluster: string;
  hosts: HostTarget[];
  /** Every file of every host, as generated from the file now. */
  files: GeneratedFile[];
  /** Resolved secret values (masked in diffs and messages). */
  secretValues: string[];
  /** `proto VIP:port` of the cluster's services and the wanted destinations (drain, drift). */
  services: Array<{ key: string; reals: string[] }>;
  /** The cluster's VIPs. */
  vips: string[];
  /** keepalived runs on the directors. */
  ha: boolean;
  /** HTTP probes through the VIPs (TCP services with an HTTP check, or on port 80). */
  probes: Array<{ url: string; expect: number }>;
  /** Lab target: the lab id (informational). */
  labId?: string;
}

/** What the deploy does with one file of a host. */
export type FileAction = 'add' | 'change' | 'unchanged' | 'remove';

export interface FileState {
  sha256: string;
  mode: number;
}

export interface FilePlan {
  path: string;
  action: FileAction;
  /** What the host has now (null: absent). */
  before: FileState | null;
  /** What it will have (null: removed). */
  after: FileState | null;
  /** The generated content (add/change/unchanged). */
  content?: string;
  /** The current remote bytes (for the diff). */
  current?: Buffer;
  modeOnly?: boolean;
}

/** The plan of one host (plan.ts computes it from the host's files as read). */
export interface HostPlan {
  host: HostTarget;
  files: FilePlan[];
  changed: boolean;
  /** The host had an apply.sh before this deploy (rollback runs it again after restoring). */
  hadApply: boolean;
  ipvs?: string[];
  /** Files left in place, in words for a person (the journal and JSON keep their English). */
  warnings: Msg[];
}

/** The plan of a whole deploy: every host's plan and diff (computed under the locks). */
export interface PlanResult {
  target: ClusterTarget;
  hosts: HostPlan[];
  changed: boolean;
  /** Unified diff per host name (secrets masked); empty for unchanged hosts. */
  diffs: Map<string, string>;
  /** Every host's warnings as `host: warning`. */
  warnings: Msg[];
}

// Progress events cross to front ends (the CLI's event channel): defined with that contract.
export type { ProgressEvent, Step, StepState };

/**
 * A progress event as the engine reports it: `detail` in English (the event channel and the
 * journal carry it), `detailWords` the same as a message for a person's language. Front ends
 * that forward the event drop `detailWords`.
 */
export interface EngineProgress extends ProgressEvent {
  detailWords?: Msg;
}

export interface HostKeyQuestion {
  host: string;
  address: string;
  port: number;
  keyType: string;
  /** `SHA256:…` as OpenSSH prints it. */
  fingerprint: string;
  knownHosts: string;
  /** Key types known_hosts holds for this host (the offered type is not among them). */
  otherKnownTypes: string[];
}

/**
 * What the engine asks of its front end. Everything optional: without a callback the engine
 * takes the safe answer (refuse the unknown key, no passphrase, no password).
 */
export interface DeployUi {
  /** An unknown host key: true accepts it (it is then appended to known_hosts). */
  confirmHostKey?(q: HostKeyQuestion): Promise<boolean>;
  /**
   * The .lvs file names a known_hosts inside its repository (it came with the repository):
   * true trusts it for this run. Without it such a file is refused.
   */
  confirmRepoKnownHosts?(q: { knownHosts: string; repository: string; hosts: string[]; targets: Array<{ name: string; address: string; port: number }> }): Promise<boolean>;
  /** The passphrase of an encrypted key file, asked at run time, never stored. */
  askPassphrase?(keyFile: string, host: string): Promise<string | undefined>;
  /** The value of a secret reference (SSH password, VRRP auth), never stored by the engine. */
  resolveSecret?(ref: { source: 'secret' | 'env' | 'file'; name: string }): Promise<string | undefined>;
  progress?(e: EngineProgress): void;
  /**
   * Called by deploy() with the plan computed under the locks, before anything is written;
   * false stops the deploy with nothing changed. Without it the plan is applied.
   */
  confirmPlan?(plan: PlanResult): Promise<boolean>;
}

export interface EngineOptions {
  ui?: DeployUi;
  signal?: AbortSignal;
  /** Real servers changed at once (default 4). */
  concurrency?: number;
  /** Where journals go (default `.lvs-deploy/` beside the .lvs file). */
  journalDir?: string;
  /** Synchronous secret lookup tried before ui.resolveSecret (default: environment). */
  secrets?: SecretResolver;
  /** Seconds to wait for drained real servers' active connections to reach 0 (default 60). */
  drainTimeoutMs?: number;
  /** How long rollback keeps trying to reach a host that went away (default 60 s). */
  reconnectTimeoutMs?: number;
  /** SSH handshake timeout (default 60 s: UML directors are slow at crypto). */
  connectTimeoutMs?: number;
  /** Timeout of one remote command (default 120 s). */
  commandTimeoutMs?: number;
  /** HTTP probe through each VIP after the deploy. */
  probe?: boolean;
  /** Age after which a lock is stale whatever its owner (default 6 h). */
  lockStaleMs?: number;
  /**
   * Seconds a changed host waits for the deploy to confirm it before it restores its backup by
   * itself (the dead man's switch, dead-man-switch.ts; default 120).
   */
  confirmTimeoutS?: number;
  /**
   * Tests only (no front end sets it): skip the self-address check, to reproduce the lockout
   * it prevents and show the dead man's switch recovering from it.
   */
  skipSelfAddressCheck?: boolean;
  /** The reader's language of what the diffs' headers say (the CLI's; default English). */
  locale?: Locale;
}
