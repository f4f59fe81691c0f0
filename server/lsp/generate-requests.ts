// `lvs/generate`: the client asks the server (the only owner of the model) for the generated
// files of an open document. Secrets the client resolved (VS Code SecretStorage) come with the
// request sealed (server/shared/sealed.ts: the client's trace logs every parameter) and are
// used only for that answer; a plain value is refused. An answer never carries a resolved secret (the
// client's trace of the connection would log it): only a preview's answer has file contents;
// a generation that writes answers with paths, modes and what it kept or removed.
// Every text of an answer (warnings, refusals, errors, why a file was kept) is in the client's
// language; codes stay as they are.
import { Connection, RequestType, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { KeptFile, OutputTreeError, writeCluster } from '../generate/write-tree';
import { isSealed, LSP_SEAL_KEY_ENV, unseal } from '../shared/sealed';
import { isMsg, Msg, t } from '../shared/l10n/message';
import { localize } from '../shared/l10n/localize';
import { Locale } from '../shared/l10n/locale';
import { unknownDocument } from './unknown-document';
import { defaultSecretResolver, generateFile, GeneratedFile, GenerateError, GenerateRefusedError, SecretResolver } from '../generate';

export const GENERATE_REQUEST = 'lvs/generate';

export interface GenerateParams {
  uri: string;
  /** Only this cluster (by name); all clusters when absent. */
  cluster?: string;
  /** Preview: secrets become placeholders, never values. */
  preview: boolean;
  /** Values of `secret:NAME` references, by NAME, each sealed under the key the client gave this server. */
  secrets?: Record<string, string>;
  /** When set (a local folder), the files are also written there as `lvsdr generate` does. */
  outDir?: string;
  /** The output folder's real path must lie inside this folder's (the workspace folder). */
  within?: string;
}

/** A generated file as answered: contents only in a preview. */
export interface AnsweredFile {
  host: string;
  path: string;
  mode: number;
  content?: string;
}

export interface AnsweredCluster {
  name: string;
  files: AnsweredFile[];
  /** In the client's language. */
  warnings: string[];
  /** When written: stale files removed and files left alone (relative to outDir), why in the client's language. */
  removed?: string[];
  kept?: Array<Omit<KeptFile, 'words'>>;
}

export type GenerateResult =
  | { ok: true; sourceName: string; clusters: AnsweredCluster[] }
  | { ok: false; message: string; errors?: { line: number; column: number; code: string; message: string }[] };

function baseName(uri: string): string {
  const path = decodeURIComponent(uri.replace(/^[a-z]+:\/\//, ''));
  return path.slice(path.lastIndexOf('/') + 1) || 'untitled.lvs';
}

/** The key the client handed this process (read once, then removed from the environment children inherit). */
export function sealKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const hex = env[LSP_SEAL_KEY_ENV];
  delete env[LSP_SEAL_KEY_ENV];
  return hex && /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

/** Unsealed secret values by name, or the reason they cannot be used. */
function unsealSecrets(sealed: Record<string, string>, key: Buffer | undefined): Record<string, string> | Msg {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(sealed)) {
    if (!isSealed(value)) return t`the value of secret:${name} was sent unsealed; secret values cross the connection only sealed`;
    const plain = key ? unseal(key, value) : undefined;
    if (plain === undefined) return t`the value of secret:${name} is not sealed under this server's key`;
    out[name] = plain;
  }
  return out;
}

/** `locale`: the client's language, of every text in the answer. */
export function generateForDocument(doc: TextDocument, params: GenerateParams, sealKey?: Buffer, locale: Locale = 'en'): GenerateResult {
  const say = (m: Msg): string => localize(m, locale);
  const supplied = unsealSecrets(params.secrets ?? {}, sealKey);
  if (isMsg(supplied)) return { ok: false, message: say(supplied) };
  const secrets: SecretResolver = (ref) =>
    ref.source === 'secret' && typeof supplied[ref.name] === 'string' ? supplied[ref.name] : defaultSecretResolver(ref);
  const sourceName = baseName(doc.uri);
  try {
    const { clusters } = generateFile(doc.getText(), sourceName, { preview: params.preview, secrets });
    const selected = params.cluster ? clusters.filter((c) => c.name === params.cluster) : clusters;
    if (params.cluster && selected.length === 0) return { ok: false, message: say(t`No cluster named '${params.cluster}' in ${sourceName}.`) };
    const answered: AnsweredCluster[] = selected.map((c) => ({
      name: c.name, warnings: c.warnings.map(say),
      files: c.files.map((f: GeneratedFile) => (params.preview ? { host: f.host, path: f.path, mode: f.mode, content: f.content } : { host: f.host, path: f.path, mode: f.mode })),
    }));
    if (params.outDir) {
      for (const [i, c] of selected.entries()) {
        const report = writeCluster(params.outDir, c.name, sourceName, c.files, { within: params.within });
        answered[i].removed = report.removed;
        answered[i].kept = report.kept.map(({ path, words }) => ({ path, reason: say(words) }));
      }
    }
    return { ok: true, sourceName, clusters: answered };
  } catch (err) {
    if (err instanceof GenerateRefusedError) {
      return {
        ok: false,
        message: say(t`${sourceName} has errors; nothing was generated.`),
        errors: err.errors.map((e) => ({ line: e.line, column: e.column, code: e.code, message: say(e.msg) })),
      };
    }
    if (err instanceof OutputTreeError || err instanceof GenerateError) return { ok: false, message: say(err.words) };
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

function isParams(p: unknown): p is GenerateParams {
  const o = p as GenerateParams;
  return !!o && typeof o.uri === 'string' && typeof o.preview === 'boolean'
    && (o.cluster === undefined || typeof o.cluster === 'string')
    && (o.outDir === undefined || (typeof o.outDir === 'string' && o.outDir.startsWith('/')))
    && (o.within === undefined || (typeof o.within === 'string' && o.within.startsWith('/')))
    && (o.secrets === undefined || (typeof o.secrets === 'object' && Object.values(o.secrets).every((v) => typeof v === 'string')));
}

const generateRequestType = new RequestType<GenerateParams, GenerateResult, void>(GENERATE_REQUEST);

/** `locale`: the client's language (known once it initialized). */
export function registerGenerateRequests(connection: Connection, documents: TextDocuments<TextDocument>, locale: () => Locale, sealKey = sealKeyFromEnv()): void {
  connection.onRequest(generateRequestType, (params: GenerateParams): GenerateResult => {
    if (!isParams(params)) return { ok: false, message: localize(t`malformed ${GENERATE_REQUEST} request`, locale()) };
    const doc = documents.get(params.uri);
    if (!doc) return { ok: false, message: localize(unknownDocument(params.uri), locale()) };
    return generateForDocument(doc, params, sealKey, locale());
  });
}
