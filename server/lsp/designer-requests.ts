// The designer's custom requests: `lvs/diagramModel` (the diagram of a document, or its last good
// one while the text has syntax errors) and `lvs/applyIntent` (minimal TextEdits for an edit made
// in the diagram, computed against the exact version the webview saw). Params come from a webview
// through the client, so their shape is checked before anything else.
import { Connection, ResponseError, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyIntent, intentShapeError } from '../diagram/intents';
import { buildDiagram, LastGoodModels } from '../diagram/model';
import {
  APPLY_INTENT_REQUEST, ApplyIntentParams, DesignerIntent, DIAGRAM_MODEL_REQUEST, DiagramModel, DiagramModelParams, IntentResult,
} from '../diagram/protocol';
import { analyze } from './analysis';

const INVALID_PARAMS = -32602;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Why `lvs/diagramModel` params are malformed, or undefined. */
export function diagramParamsError(p: unknown): string | undefined {
  if (!isRecord(p) || typeof p.uri !== 'string' || p.uri === '') return "lvs/diagramModel expects { uri: string }.";
  return undefined;
}

/** Why `lvs/applyIntent` params are malformed, or undefined. */
export function applyParamsError(p: unknown): string | undefined {
  if (!isRecord(p)) return 'lvs/applyIntent expects { uri, version, intent }.';
  if (typeof p.uri !== 'string' || p.uri === '') return "Field 'uri' must be a non-empty string.";
  if (typeof p.version !== 'number' || !Number.isInteger(p.version)) return "Field 'version' must be an integer.";
  return intentShapeError(p.intent);
}

/** Answers one `lvs/diagramModel` request (exported for tests without a connection). */
export function handleDiagramModel(documents: TextDocuments<TextDocument>, lastGood: LastGoodModels, params: unknown): DiagramModel | ResponseError<void> {
  const bad = diagramParamsError(params);
  if (bad) return new ResponseError(INVALID_PARAMS, bad);
  const { uri } = params as DiagramModelParams;
  const doc = documents.get(uri);
  if (!doc) return new ResponseError(INVALID_PARAMS, `Unknown document ${uri}: it is not open in the language server.`);
  return buildDiagram(analyze(doc), lastGood);
}

/** Answers one `lvs/applyIntent` request (exported for tests without a connection). */
export function handleApplyIntent(documents: TextDocuments<TextDocument>, params: unknown): IntentResult {
  const bad = applyParamsError(params);
  if (bad) return { ok: false, reason: 'invalid', message: bad };
  const { uri, version, intent } = params as ApplyIntentParams;
  const doc = documents.get(uri);
  if (!doc) return { ok: false, reason: 'unknown-document', message: `Unknown document ${uri}: it is not open in the language server.` };
  if (version !== doc.version) {
    return { ok: false, reason: 'stale', message: `The designer saw version ${version} but the document is at version ${doc.version}; refresh and try again.` };
  }
  return applyIntent(analyze(doc), intent as DesignerIntent);
}

/** Wires the designer's requests into the server (called once from server.ts). */
export function registerDesignerRequests(connection: Connection, documents: TextDocuments<TextDocument>): void {
  const lastGood = new LastGoodModels();
  documents.onDidClose((e) => lastGood.forget(e.document.uri));
  connection.onRequest(DIAGRAM_MODEL_REQUEST, (params: unknown) => handleDiagramModel(documents, lastGood, params));
  connection.onRequest<IntentResult, void>(APPLY_INTENT_REQUEST, (params: unknown) => handleApplyIntent(documents, params));
}
