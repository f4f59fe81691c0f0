// The designer webview's HTML: a strict CSP (scripts by nonce only, no 'unsafe-inline', no
// 'unsafe-eval'), the codicon stylesheet (id read by <vscode-icon>), the designer stylesheet and
// the bundled app (dist/media/designer.js). Everything is loaded from dist/media through
// asWebviewUri; nothing from the document is put into the HTML.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DESIGNER_STRINGS_ELEMENT_ID, DesignerStrings } from '../../server/protocol/designer-strings';

/**
 * The designer's strings in the display language (server/protocol/designer-strings.ts): the
 * extension's bundle, empty in English. `<` is escaped so the JSON cannot end the script element.
 */
function stringsJson(): string {
  const bundle: DesignerStrings = {};
  for (const [k, v] of Object.entries(vscode.l10n.bundle ?? {})) if (typeof v === 'string') bundle[k] = v;
  return JSON.stringify(bundle).replace(/</g, '\\u003c');
}

export function mediaRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'media');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [mediaRoot(extensionUri)] };
}

export function designerHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
  const media = mediaRoot(extensionUri);
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(media, ...p)).toString();
  const src = webview.cspSource;
  const csp = [
    "default-src 'none'",
    `img-src ${src} data:`,
    `style-src ${src}`,
    `font-src ${src}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="${attr(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(uri('codicons', 'codicon.css'))}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(uri('designer.css'))}">
<title>LVS Topology Designer</title>
</head>
<body>
<script type="application/json" id="${DESIGNER_STRINGS_ELEMENT_ID}">${stringsJson()}</script>
<div id="app" class="app" aria-busy="true"><p class="loading">${attr(vscode.l10n.t('Loading the topology…'))}</p></div>
<script nonce="${nonce}" src="${attr(uri('designer.js'))}"></script>
</body>
</html>`;
}
