// What the diagram and the designer's intents are computed from: a document's text and its
// validation result. The language server passes its per-version analysis (lsp/analysis.ts);
// the tests and the bench build one with validateText.
import { Position } from '../protocol/diagram-model';
import { ValidationResult } from '../validation/registry';

/** The document as the diagram needs it (a vscode-languageserver TextDocument is one). */
export interface DocumentText {
  readonly uri: string;
  readonly version: number;
  getText(): string;
  positionAt(offset: number): Position;
}

export interface DiagramSource extends ValidationResult {
  doc: DocumentText;
}
