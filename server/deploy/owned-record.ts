// Reading the host's record of the files this tool placed there (generate/owned-record.ts
// writes it). Only this record, read from the host itself, can make a deploy remove a file: a
// journal in the workspace is written by whoever controls the repository and is never authority
// to delete.
import { OWNED_RECORD, ownedRecordFile, SECRET_DIGEST } from '../generate/owned-record';
import { pathProblems } from './guard';
import { OwnedFiles } from './plan';

export { OWNED_RECORD, ownedRecordFile, SECRET_DIGEST };

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
