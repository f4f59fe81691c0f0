// The designer's custom requests: `lvs/diagramModel` (the diagram of a document, or its last good
// one while the text has syntax errors) and `lvs/applyIntent` (minimal TextEdits for an edit made
// in the diagram, computed against the exact version the webview saw). Params come from a webview
// through the client, so they are checked against their schemas (server/protocol) first.
import { Connection, ResponseError, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyIntent } from '../diagram/intents';
import { buildDiagram, LastGoodModels } from '../diagram/model';
import { check } from '../protocol/check';
import {
  APPLY_INTENT_REQUEST, ApplyIntentParams, DIAGRAM_MODEL_REQUEST, DiagramModelParams, IntentResult,
} from '../protocol/designer-requests';
import { DiagramModel } from '../protocol/diagram-model';
import { analyze } from './analysis';
import { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import { t } from '../shared/l10n/message';
import { unknownDocument } from './unknown-document';

const INVALID_PARAMS = -32602;

/** Answers one `lvs/diagramModel` request (exported for tests without a connection). */
export function handleDiagramModel(documents: TextDocuments<TextDocument>, lastGood: LastGoodModels, params: unknown, locale: Locale = 'en'): DiagramModel | ResponseError<void> {
  const checked = check(DiagramModelParams, params);
  if (!checked.ok) return new ResponseError(INVALID_PARAMS, checked.error);
  const { uri } = checked.value;
  const doc = documents.get(uri);
  if (!doc) return new ResponseError(INVALID_PARAMS, localize(unknownDocument(uri), locale));
  return buildDiagram(analyze(doc), lastGood, locale);
}

/** Answers one `lvs/applyIntent` request (exported for tests without a connection). */
export function handleApplyIntent(documents: TextDocuments<TextDocument>, params: unknown, locale: Locale = 'en'): IntentResult {
  const checked = check(ApplyIntentParams, params);
  if (!checked.ok) return { ok: false, reason: 'invalid', message: checked.error };
  const { uri, version, intent } = checked.value;
  const doc = documents.get(uri);
  if (!doc) return { ok: false, reason: 'unknown-document', message: localize(unknownDocument(uri), locale) };
  if (version !== doc.version) {
    return { ok: false, reason: 'stale', message: localize(t`The designer saw version ${version} but the document is at version ${doc.version}; refresh and try again.`, locale) };
  }
  return applyIntent(analyze(doc), intent, locale);
}

/** Wires the designer's requests into the server (called once from server.ts). */
/** `locale`: the client's language (known once it initialized): the findings on nodes and the refusals of edits speak it. */
export function registerDesignerRequests(connection: Connection, documents: TextDocuments<TextDocument>, locale: () => Locale): void {
  const lastGood = new LastGoodModels();
  documents.onDidClose((e) => lastGood.forget(e.document.uri));
  connection.onRequest(DIAGRAM_MODEL_REQUEST, (params: unknown) => handleDiagramModel(documents, lastGood, params, locale()));
  connection.onRequest<IntentResult, void>(APPLY_INTENT_REQUEST, (params: unknown) => handleApplyIntent(documents, params, locale()));
}
