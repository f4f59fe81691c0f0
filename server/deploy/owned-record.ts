// The host's own record of the files this tool placed there: /var/lib/lvs-dr/owned (root, 0600),
// one line per file, `SHA256  PATH`. It travels with the other files of a deploy (staged,
// backed up, restored by a rollback), so it always describes what the host holds from us.
// Only this record, read from the host itself, can make a deploy remove a file: a journal in
// the workspace is written by whoever controls the repository and is never authority to delete.
// A file holding a secret is listed as `secret  PATH` (its digest would let a short secret be
// guessed offline from the plan's diff): it is never removed automatically.
import { GeneratedFile, STATE_DIR } from '../generate';
import { pathProblems } from './guard';
import { OwnedFiles } from './plan';
import { sha256Bytes } from './remote-files';

export const OWNED_RECORD = `${STATE_DIR}/owned`;

/** The digest written for a secret-bearing file (never equal to a sha256). */
export const SECRET_DIGEST = 'secret';

const HEADER = '# Files LVS-DR Studio placed on this host (sha256, path). A deploy removes a file only when this list names it and it is unchanged.';

/** The record for a host that receives `generated` (the record itself is not listed). */
export function ownedRecordFile(host: string, generated: GeneratedFile[]): GeneratedFile {
  const rows = generated
    .filter((g) => g.path !== OWNED_RECORD)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((g) => `${g.secret ? SECRET_DIGEST : sha256Bytes(Buffer.from(g.content, 'utf8'))}  ${g.path}`);
  return { host, path: OWNED_RECORD, mode: 0o600, content: [HEADER, ...rows, ''].join('\n') };
}

/**
 * Path → digest from a record read on the host. Lines that are not `SHA256  PATH` or
 * `secret  PATH` with a path the deploy guard accepts are ignored, and so is the record itself.
 */
export function parseOwnedRecord(text: string): OwnedFiles {
  const owned: OwnedFiles = new Map();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}|secret) {2}(\/\S*)$/.exec(line);
    if (!m || m[2] === OWNED_RECORD || pathProblems(m[2]).length > 0) continue;
    owned.set(m[2], m[1]);
  }
  return owned;
}
