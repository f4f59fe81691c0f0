// The host's own record of the files this tool placed there: /var/lib/lvs-dr/owned (root, 0600),
// one line per file, `SHA256  PATH`. A deploy writes it with the other files of a host (and the
// Ansible export puts the same bytes), so it always describes what the host holds from us.
// deploy/owned-record.ts reads it back; only this record, read from the host itself, can make a
// deploy remove a file. A file holding a secret is listed as `secret  PATH` (its digest would let
// a short secret be guessed offline from the plan's diff): it is never removed automatically.
import { STATE_DIR } from './context';
import { sha256 } from './manifest';
import { GeneratedFile } from './types';

export const OWNED_RECORD = `${STATE_DIR}/owned`;

/** The digest written for a secret-bearing file (never equal to a sha256). */
export const SECRET_DIGEST = 'secret';

const HEADER = '# Files LVS-DR Studio placed on this host (sha256, path). A deploy removes a file only when this list names it and it is unchanged.';

/** The record for a host that receives `generated` (the record itself is not listed). */
export function ownedRecordFile(host: string, generated: GeneratedFile[]): GeneratedFile {
  const rows = generated
    .filter((g) => g.path !== OWNED_RECORD)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((g) => `${g.secret ? SECRET_DIGEST : sha256(g.content)}  ${g.path}`);
  return { host, path: OWNED_RECORD, mode: 0o600, content: [HEADER, ...rows, ''].join('\n') };
}
