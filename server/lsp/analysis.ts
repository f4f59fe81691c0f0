// One analysis per document version: parse, model and findings, shared by every LSP feature
// so a burst of requests after an edit parses the text once.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { validateText, ValidationResult } from '../validation/registry';

export interface Analysis extends ValidationResult {
  doc: TextDocument;
  version: number;
}

const cache = new Map<string, Analysis>();

export function analyze(doc: TextDocument): Analysis {
  const cached = cache.get(doc.uri);
  if (cached && cached.version === doc.version) return cached;
  // Let go of the outdated analysis first: while the new one is built it is garbage, and a
  // young-generation collection in the meantime would otherwise copy all of it (measured in
  // decisions.md, "Parsing without a CST").
  cache.delete(doc.uri);
  const result: Analysis = { ...validateText(doc.getText()), doc, version: doc.version };
  cache.set(doc.uri, result);
  return result;
}

export function forget(uri: string): void {
  cache.delete(uri);
}
