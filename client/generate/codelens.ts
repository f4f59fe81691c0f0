// "Generate configuration" and "Preview files" above each `cluster` line.
import * as vscode from 'vscode';

export class GenerateCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (let line = 0; line < doc.lineCount; line++) {
      const m = /^\s*cluster\s+([A-Za-z_][A-Za-z0-9_-]*)/.exec(doc.lineAt(line).text);
      if (!m) continue;
      const range = new vscode.Range(line, 0, line, 0);
      lenses.push(new vscode.CodeLens(range, { title: '$(gear) Generate configuration', command: 'lvs.generate', arguments: [doc.uri, m[1]] }));
      lenses.push(new vscode.CodeLens(range, { title: '$(eye) Preview files', command: 'lvs.previewGenerated', arguments: [doc.uri] }));
    }
    return lenses;
  }
}
