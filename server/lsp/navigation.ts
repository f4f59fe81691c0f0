// Go to definition, find references and rename for clusters, hosts, services and named VIPs.
import { Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { NAME_RE } from '../language/names';
import { NAME_RULE_WORDS } from '../model/name-rule';
import { english, Msg, t } from '../shared/l10n/message';
import { Analysis } from './analysis';
import { collectOccurrences, occurrenceAt, sameSymbol } from './occurrences';
import { toRange } from './positions';

function symbolAt(a: Analysis, position: Position) {
  const all = collectOccurrences(a.model);
  const at = occurrenceAt(all, a.doc.offsetAt(position));
  return at ? { all, at } : undefined;
}

export function definition(a: Analysis, position: Position): Location[] {
  const found = symbolAt(a, position);
  if (!found) return [];
  return sameSymbol(found.all, found.at)
    .filter((o) => o.isDeclaration)
    .map((o) => Location.create(a.doc.uri, toRange(a.doc, o.span)));
}

export function references(a: Analysis, position: Position, includeDeclaration: boolean): Location[] {
  const found = symbolAt(a, position);
  if (!found) return [];
  return sameSymbol(found.all, found.at)
    .filter((o) => includeDeclaration || !o.isDeclaration)
    .map((o) => Location.create(a.doc.uri, toRange(a.doc, o.span)));
}

export function prepareRename(a: Analysis, position: Position): { range: Range; placeholder: string } | undefined {
  const found = symbolAt(a, position);
  if (!found) return undefined;
  return { range: toRange(a.doc, found.at.span), placeholder: found.at.name };
}

/** A refused rename, why as a message (the server renders it in the client's language). */
export class RenameError extends Error {
  constructor(readonly words: Msg) {
    super(english(words));
    this.name = 'RenameError';
  }
}

export function rename(a: Analysis, position: Position, newName: string): WorkspaceEdit | undefined {
  const found = symbolAt(a, position);
  if (!found) return undefined;
  if (!NAME_RE.test(newName)) {
    throw new RenameError(t`'${newName}' is not a valid name: use ${NAME_RULE_WORDS}.`);
  }
  const clash = found.all.find((o) => o.cluster === found.at.cluster && o.kind === found.at.kind && o.isDeclaration && o.name === newName);
  if (clash && newName !== found.at.name) throw new RenameError(t`'${newName}' is already declared in this cluster.`);
  const edits: TextEdit[] = sameSymbol(found.all, found.at).map((o) => TextEdit.replace(toRange(a.doc, o.span), newName));
  return { changes: { [a.doc.uri]: edits } };
}
