// The part of a deploy journal (`.lvs-deploy/<id>.json`, written by the engine) that VS Code
// reads to find interrupted deploys. The journal is a file the CLI writes and the extension
// reads, and it may come from a cloned repository: it is checked against this schema first.
import * as v from 'valibot';

/** A deploy id as the engine makes it: time to the millisecond, then 6 random hex digits. */
export const DEPLOY_ID_PATTERN = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

export const JournalRunner = v.object({
  hostname: v.pipe(v.string(), v.maxLength(255)),
  /** /proc/sys/kernel/random/boot_id of the machine that ran it: a PID means nothing across a reboot. */
  bootId: v.pipe(v.string(), v.maxLength(64)),
  pid: v.pipe(v.number(), v.integer(), v.minValue(1)),
});
export type JournalRunner = v.InferOutput<typeof JournalRunner>;

/** What the extension needs of a journal; the rest of the file is the engine's business. */
export const JournalHeader = v.looseObject({
  kind: v.picklist(['deploy', 'rollback']),
  id: v.pipe(v.string(), v.regex(DEPLOY_ID_PATTERN)),
  cluster: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  source: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  target: v.picklist(['lab', 'hosts']),
  outcome: v.string(),
  runner: v.optional(JournalRunner),
  rolledBackBy: v.optional(v.string()),
});
export type JournalHeader = v.InferOutput<typeof JournalHeader>;
