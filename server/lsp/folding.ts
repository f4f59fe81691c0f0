// Folding ranges: every `{ … }` block spanning several lines (matched on the token stream, so
// braces in strings and comments never count and a broken block elsewhere does not matter), and
// runs of two or more consecutive whole-line comments.
import { FoldingRange, FoldingRangeKind } from 'vscode-languageserver';
import { Analysis } from './analysis';

export function foldingRanges(a: Analysis): FoldingRange[] {
  const doc = a.doc;
  const text = doc.getText();
  const ranges: FoldingRange[] = [];

  const open: number[] = [];
  for (const t of a.parse.tokens) {
    const type = t.tokenType.name;
    if (type === 'LCurly') open.push(t.startOffset);
    else if (type === 'RCurly' && open.length > 0) {
      const startLine = doc.positionAt(open.pop()!).line;
      const close = doc.positionAt(t.startOffset);
      // Keep the closing brace visible when it starts its line (`}` alone), as editors do.
      const before = text.slice(doc.offsetAt({ line: close.line, character: 0 }), t.startOffset);
      const endLine = before.trim() === '' ? close.line - 1 : close.line;
      if (endLine > startLine) ranges.push({ startLine, endLine });
    }
  }

  // Whole-line comments: a comment token that is the first thing on its line.
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart >= 0 && runEnd > runStart) ranges.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
    runStart = runEnd = -1;
  };
  for (const c of a.parse.comments) {
    const pos = doc.positionAt(c.startOffset);
    const before = text.slice(c.startOffset - pos.character, c.startOffset);
    if (before.trim() !== '') continue;
    if (runEnd >= 0 && pos.line === runEnd + 1) runEnd = pos.line;
    else {
      flush();
      runStart = runEnd = pos.line;
    }
  }
  flush();

  return ranges.sort((x, y) => x.startLine - y.startLine || y.endLine - x.endLine);
}
