// What an import reports: a source position (file and 1-based line) and what happened there.
// `not-expressible` marks input the language has no word for (exit 4 in the CLI); `inferred`
// marks a value the importer chose because the input did not say it.

export type ImportFindingKind = 'not-expressible' | 'inferred' | 'note';

export interface ImportFinding {
  kind: ImportFindingKind;
  file: string;
  line: number;
  message: string;
}

/** Unreadable or invalid input: the import stops (exit 1 in the CLI). */
export class ImportInputError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(`${file}:${line}: ${message}`);
  }
}

export function findingText(f: ImportFinding): string {
  return `${f.file}:${f.line}: ${f.kind}: ${f.message}`;
}
