// Conversions between AST spans (offsets) and LSP ranges (line/character).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Range } from 'vscode-languageserver';
import { Span } from '../language/ast';

export function toRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

export function toSpan(doc: TextDocument, range: Range): Span {
  return { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
