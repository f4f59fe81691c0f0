// The event channel between a front end (VS Code) and `lvsdr plan|deploy|rollback|drift|import|
// drain|restore|failover --events jsonl`: the one definition of every line either side writes. The CLI writes events
// on stdout, one JSON object per line; the front end writes answers on stdin, one per line.
// Both sides check every line they read against these schemas; `v` is the channel version.
//
//   begin     the command, cluster, target and hosts, once the file is resolved
//   progress  the engine's ProgressEvent (step of a host, or of the cluster)
//   log       a line for the user's log (a warning, an accepted key, the reason of a failure; a
//             live action's progress: "web1: 3 active connections after 4 s")
//   question  one at a time, each with an id: an unknown host key (one host, one key), a
//             secret reference's value, a key file's passphrase; the next question is written
//             only after the answer to the previous one has arrived
//   result    last line: outcome, exit status, journal path, per-host summary, the plan/drift
import * as v from 'valibot';
import { check, Checked } from './check';
import { LiveFinding } from './live-snapshot';

export const EVENTS_VERSION = 1;

/** Upper bound of one line either side accepts (a plan with file contents fits). */
export const MAX_LINE = 32 * 1024 * 1024;

const version = v.literal(EVENTS_VERSION);
const text = v.pipe(v.string(), v.maxLength(64 * 1024));
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
const id = v.pipe(v.number(), v.integer(), v.minValue(1));

export const COMMANDS = ['plan', 'deploy', 'rollback', 'drift', 'import', 'drain', 'restore', 'failover'] as const;
export type ChannelCommand = (typeof COMMANDS)[number];

/** Steps of the engine's progress events, in the order they normally run. */
export const STEPS = [
  'resolve', 'connect', 'preflight', 'lock', 'read', 'plan', 'drain', 'hold',
  'backup', 'upload', 'bridge', 'apply', 'verify', 'settle', 'release', 'restore', 'rollback', 'unlock', 'probe', 'journal',
] as const;
export const STEP_STATES = ['start', 'done', 'failed', 'skipped', 'info'] as const;

export const ProgressEventSchema = v.object({
  /** Host name; absent for cluster-wide steps. */
  host: v.optional(name),
  step: v.picklist(STEPS),
  state: v.picklist(STEP_STATES),
  /** English (the journal's words). */
  detail: v.optional(text),
  /** The detail in the reader's language (the CLI's LANG; VS Code sets it to its own), when that is not English. */
  detailLocalized: v.optional(text),
  /** Milliseconds the step took (done/failed). */
  ms: v.optional(v.pipe(v.number(), v.minValue(0))),
});
export type ProgressEvent = v.InferOutput<typeof ProgressEventSchema>;
export type Step = ProgressEvent['step'];
export type StepState = ProgressEvent['state'];

const KeySchema = v.object({ keyType: name, fingerprint: name });

const BeginEvent = v.object({
  v: version, type: v.literal('begin'),
  command: v.picklist(COMMANDS),
  cluster: name,
  target: v.picklist(['lab', 'hosts']),
  hosts: v.array(v.object({ name, role: v.picklist(['master', 'backup', 'server']), address: name })),
});

const ProgressMessage = v.object({ v: version, type: v.literal('progress'), ...ProgressEventSchema.entries });

const LogEvent = v.object({
  v: version, type: v.literal('log'), level: v.picklist(['info', 'warning', 'error']),
  /** English (the journal's words). */
  text,
  /** The text in the reader's language (the CLI's LANG; VS Code sets it to its own), when that is not English. */
  textLocalized: v.optional(text),
});

const HostKeyQuestion = v.object({
  v: version, type: v.literal('question'), id, kind: v.literal('host-key'),
  host: name, address: name, port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
  /** The one key the host offered, `SHA256:…` as `ssh-keygen -l` prints it. */
  keyType: name, fingerprint: name,
  /** The known_hosts file it is recorded in when accepted. */
  knownHosts: text,
  /** Keys known_hosts already holds for this host (of other types; a different key of the same type is refused, never asked). */
  known: v.array(KeySchema),
});
const SecretQuestion = v.object({
  v: version, type: v.literal('question'), id, kind: v.literal('secret'),
  /** The reference as written in the file: `secret:NAME`, `env:NAME`, `file:PATH`. */
  source: v.picklist(['secret', 'env', 'file']), name: text,
});
const PassphraseQuestion = v.object({
  v: version, type: v.literal('question'), id, kind: v.literal('passphrase'), keyFile: text, host: name,
});
/**
 * A known_hosts the .lvs file names inside its own repository (issue 11, item 2): whoever wrote
 * the repository chose those keys. The front end shows the file and the keys it vouches for
 * per host, and answers whether to use it for this run.
 */
const RepoKnownHostsQuestion = v.object({
  v: version, type: v.literal('question'), id, kind: v.literal('repo-known-hosts'),
  knownHosts: text, repository: text,
  hosts: v.array(v.object({
    name, address: name, port: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535)),
    /** The keys the file holds for this host (under its name or address). */
    keys: v.array(KeySchema),
  })),
});
export const QuestionSchema = v.variant('kind', [HostKeyQuestion, SecretQuestion, PassphraseQuestion, RepoKnownHostsQuestion]);
export type Question = v.InferOutput<typeof QuestionSchema>;
export type HostKeyQuestionEvent = v.InferOutput<typeof HostKeyQuestion>;

/** The plan of `lvsdr plan` (also `plan --json`): per host, each file's action and both contents, secrets masked. */
export const PlanJsonSchema = v.object({
  /** Pass to `lvsdr deploy --plan-id` to deploy exactly this plan. */
  planId: v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/)),
  cluster: name,
  target: v.picklist(['lab', 'hosts']),
  changed: v.boolean(),
  hosts: v.array(v.object({
    name, role: name, address: name, changed: v.boolean(),
    files: v.array(v.object({
      path: v.string(), action: v.picklist(['add', 'change', 'unchanged', 'remove']),
      before: v.nullable(v.string()), after: v.nullable(v.string()),
      modeBefore: v.optional(v.string()), modeAfter: v.optional(v.string()),
    })),
  })),
  warnings: v.array(text),
});
export type PlanJson = v.InferOutput<typeof PlanJsonSchema>;

/** What `lvsdr drift` found, without file contents. */
export const DriftSummarySchema = v.object({
  inSync: v.boolean(),
  deployId: v.optional(name),
  hosts: v.array(v.object({
    name,
    files: v.array(v.object({
      path: v.string(),
      status: v.picklist(['in-sync', 'missing', 'differs', 'mode', 'leftover']),
      cause: v.optional(v.picklist(['host', 'file', 'unknown'])),
    })),
  })),
  /** Runtime drift: the findings of one live status read (docs/live.md), LVS5xx. */
  runtime: v.optional(v.array(LiveFinding)),
});
export type DriftSummary = v.InferOutput<typeof DriftSummarySchema>;

const ImportedSchema = v.object({
  text: v.pipe(v.string(), v.maxLength(MAX_LINE)),
  /** `message` in English; `messageLocalized` in the reader's language, when that is not English. */
  findings: v.array(v.object({
    kind: v.picklist(['not-expressible', 'inferred', 'note']), file: text, line: v.pipe(v.number(), v.integer()), message: text,
    messageLocalized: v.optional(text),
  })),
  /** The validator's findings on the text (line numbers in it), with the same two messages. */
  validation: v.array(v.object({ code: name, severity: name, line: v.pipe(v.number(), v.integer()), message: text, messageLocalized: v.optional(text) })),
});
export type ImportedJson = v.InferOutput<typeof ImportedSchema>;

export const OUTCOMES = ['success', 'no-change', 'changes', 'in-sync', 'drift', 'rolled-back', 'timed-out', 'failed', 'cancelled'] as const;
export const HOST_OUTCOMES = [
  'unchanged', 'changes', 'deployed', 'rolled-back', 'rollback-failed', 'not-reached', 'failed', 'in-sync', 'drift',
] as const;

const ResultEvent = v.object({
  v: version, type: v.literal('result'),
  command: v.picklist(COMMANDS),
  /** plan: changes|no-change; deploy: success|no-change|cancelled; rollback: rolled-back; drift: in-sync|drift;
   *  drain: success|timed-out (connections left); restore, failover: success; any: failed. */
  outcome: v.picklist(OUTCOMES),
  exitCode: v.pipe(v.number(), v.integer()),
  /** The journal this run wrote (deploy, rollback; the action journal of drain, restore, failover). */
  journal: v.optional(text),
  /** A live action's outcome in one line, in the reader's language ("web1 drained (no active connection after 3.1 s)"). */
  summary: v.optional(text),
  hosts: v.array(v.object({ name, outcome: v.picklist(HOST_OUTCOMES) })),
  /** Why the run failed, in words for the user (remote output already made printable). */
  error: v.optional(v.object({
    host: v.optional(name), step: v.optional(v.picklist(STEPS)), message: text,
    /** The message in the reader's language, when that is not English. */
    messageLocalized: v.optional(text),
  })),
  plan: v.optional(PlanJsonSchema),
  drift: v.optional(DriftSummarySchema),
  /** import --ssh: the .lvs text and what the import reported (docs/import.md). */
  imported: v.optional(ImportedSchema),
});
export type ResultEvent = v.InferOutput<typeof ResultEvent>;

export const EventSchema = v.variant('type', [BeginEvent, ProgressMessage, LogEvent, QuestionSchema, ResultEvent]);
export type ChannelEvent = v.InferOutput<typeof EventSchema>;

const HostKeyAnswer = v.object({ v: version, id, kind: v.literal('host-key'), accept: v.boolean() });
const SecretAnswer = v.object({ v: version, id, kind: v.literal('secret'), value: v.nullable(v.pipe(v.string(), v.maxLength(64 * 1024))) });
const PassphraseAnswer = v.object({ v: version, id, kind: v.literal('passphrase'), value: v.nullable(v.pipe(v.string(), v.maxLength(4096))) });
const RepoKnownHostsAnswer = v.object({ v: version, id, kind: v.literal('repo-known-hosts'), accept: v.boolean() });
export const AnswerSchema = v.variant('kind', [HostKeyAnswer, SecretAnswer, PassphraseAnswer, RepoKnownHostsAnswer]);
export type Answer = v.InferOutput<typeof AnswerSchema>;

/** A line that crossed the channel, checked against its schema (JSON first, then the schema's `check`). */
function parseLine<S extends v.GenericSchema>(schema: S, line: string): Checked<v.InferOutput<S>> {
  if (line.length > MAX_LINE) return { ok: false, error: 'line too long' };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  return check(schema, json);
}

/** One line of the CLI's stdout as an event, or why it is not one. */
export function parseEvent(line: string): Checked<ChannelEvent> {
  return parseLine(EventSchema, line);
}

/** One line of the front end's answers, or why it is not one. */
export function parseAnswer(line: string): Checked<Answer> {
  return parseLine(AnswerSchema, line);
}

/** An event as the line the CLI writes; throws when it does not fit the schema (a bug of the writer). */
export function eventLine(e: ChannelEvent): string {
  return `${JSON.stringify(v.parse(EventSchema, e))}\n`;
}

/** An answer as the line the front end writes. */
export function answerLine(a: Answer): string {
  return `${JSON.stringify(v.parse(AnswerSchema, a))}\n`;
}
