// Builds the typed AST of ast.ts from the tokens the parser's embedded actions collect per rule
// (parser.ts). There is no concrete syntax tree: each rule keeps the few tokens its AST node needs
// in a small record, and the node is made when the rule returns. Tokens inserted by error
// recovery have no position and are treated as absent, so a partial block still yields the
// properties that were written correctly.
import { IToken } from 'chevrotain';
import * as A from './ast';
import { parseDuration, unquote } from './values';
import { english, Msg, t } from '../shared/l10n/message';

export interface BuildIssue {
  /** In English… */
  message: string;
  /** …and the message to render in the reader's language. */
  msg: Msg;
  span: A.Span;
}

export function issue(msg: Msg, span: A.Span): BuildIssue {
  return { message: english(msg), msg, span };
}

/** The token itself, unless it was inserted by error recovery (no position). */
export function real(t: IToken | undefined): IToken | undefined {
  return t === undefined || t.isInsertedInRecovery || t.startOffset !== t.startOffset ? undefined : t;
}

export function spanOf(t: IToken): A.Span {
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

export function cover(a: A.Span, b?: A.Span): A.Span {
  if (!b) return a;
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export function prop<T>(kw: IToken | undefined, valueTok: IToken | undefined, value: T): A.Prop<T> | undefined {
  if (!valueTok) return undefined;
  const span = spanOf(valueTok);
  if (!kw) return { value, text: valueTok.image, span, full: span };
  // cover(spanOf(kw), span), without the intermediate span.
  const kwEnd = (kw.endOffset ?? kw.startOffset) + 1;
  const full = { start: Math.min(kw.startOffset, span.start), end: Math.max(kwEnd, span.end) };
  return { value, text: valueTok.image, span, full };
}

export function flag(kw: IToken | undefined): A.Prop<true> | undefined {
  if (!kw) return undefined;
  const span = spanOf(kw);
  return { value: true, text: kw.image, span, full: span };
}

export function ident(t: IToken | undefined): A.Ident | undefined {
  return t ? { text: t.image, span: spanOf(t) } : undefined;
}

export function secretValue(t: IToken): A.SecretValue {
  if (t.tokenType.name === 'SecretRef') {
    const colon = t.image.indexOf(':');
    return { kind: 'reference', source: t.image.slice(0, colon) as A.SecretValue['source'], value: t.image.slice(colon + 1) };
  }
  return { kind: 'inline', value: unquote(t.image) };
}

function stringOrPath(t: IToken): string {
  return t.tokenType.name === 'StringLit' ? unquote(t.image) : t.image;
}

/** Keeps the first of two equal properties in one block and reports the second. */
export function setOnce<K extends string, V extends { full: A.Span } | undefined>(
  issues: BuildIssue[], target: Partial<Record<K, V>>, key: K, value: V, what: string,
): void {
  if (!value) return;
  if (target[key]) {
    issues.push(issue(t`'${what}' is given twice in this block; the first one is used.`, value.full));
    return;
  }
  target[key] = value;
}

export function notIn(issues: BuildIssue[], host: A.Host, what: string, span: A.Span): void {
  issues.push(issue(host.kind === 'director'
    ? t`'${what}' is not valid in a director (only in servers).`
    : t`'${what}' is not valid in a server (only in directors).`, span));
}

// Token records of the rules. A field holds the first token the rule consumed in that place
// (inserted or real); `real()` is applied when the node is built, as the CST builder did.

export interface VipOnTokens { kw?: IToken; label?: IToken; prefixKw?: IToken; prefix?: IToken; vipKw?: IToken; ipv4?: IToken; name?: IToken }

export function vipOn(r: VipOnTokens, span: A.Span | undefined): A.VipOn | undefined {
  const label = r.label;
  if (!label || !span) return undefined;
  const prefixTok = real(r.prefix);
  const vipTok = real(r.ipv4) ?? real(r.name);
  return {
    kind: 'vipOn', span,
    label: prop(real(r.kw), label, label.image)!,
    prefix: prop(real(r.prefixKw), prefixTok, Number(prefixTok?.image)),
    vip: prop(real(r.vipKw), vipTok, vipTok?.image ?? ''),
  };
}

export interface SysctlTokens { kw?: IToken; key?: IToken; value?: IToken }

export function sysctl(r: SysctlTokens, span: A.Span | undefined): A.Sysctl | undefined {
  const key = real(r.key);
  const value = real(r.value);
  if (!key || !value || !span) return undefined;
  return {
    kind: 'sysctl', span,
    key: prop(real(r.kw), key, key.image)!,
    value: prop(undefined, value, value.tokenType.name === 'StringLit' ? unquote(value.image) : value.image)!,
  };
}

export interface CheckTokens {
  kw?: IToken; type?: IToken; pathKw?: IToken; path?: IToken; expectKw?: IToken; everyKw?: IToken; timeoutKw?: IToken; retryKw?: IToken;
  portKw?: IToken; hostKw?: IToken; host?: IToken; nameKw?: IToken; name?: IToken; typeKw?: IToken; queryType?: IToken; script?: IToken;
  /** Real durations and numbers in text order: each keyword takes the first one after it. */
  durations: IToken[]; numbers: IToken[];
}

function after(k: IToken | undefined, list: IToken[]): IToken | undefined {
  if (!k) return undefined;
  for (const t of list) if (t.startOffset > k.startOffset) return t;
  return undefined;
}

export function check(r: CheckTokens, span: A.Span | undefined): A.HealthCheck | undefined {
  const type = real(r.type);
  if (!type || !span) return undefined;
  const num = (t: IToken | undefined) => Number(t?.image);
  const expectKw = real(r.expectKw);
  const everyKw = real(r.everyKw);
  const timeoutKw = real(r.timeoutKw);
  const retryKw = real(r.retryKw);
  const pathTok = real(r.path);
  const portKw = real(r.portKw);
  const portTok = after(portKw, r.numbers);
  const hostTok = real(r.host);
  const nameTok = real(r.name);
  const typeTok = real(r.queryType);
  const scriptTok = real(r.script);
  const everyTok = after(everyKw, r.durations);
  const timeoutTok = after(timeoutKw, r.durations);
  const expectTok = after(expectKw, r.numbers);
  const retryTok = after(retryKw, r.numbers);
  return {
    kind: 'check', span,
    type: prop(real(r.kw), type, type.image)!,
    path: prop(real(r.pathKw), pathTok, pathTok ? unquote(pathTok.image) : ''),
    expect: expectKw ? prop(expectKw, expectTok, num(expectTok)) : undefined,
    every: everyKw ? prop(everyKw, everyTok, parseDuration(everyTok?.image ?? '') ?? 0) : undefined,
    timeout: timeoutKw ? prop(timeoutKw, timeoutTok, parseDuration(timeoutTok?.image ?? '') ?? 0) : undefined,
    retry: retryKw ? prop(retryKw, retryTok, num(retryTok)) : undefined,
    port: portKw ? prop(portKw, portTok, num(portTok)) : undefined,
    host: prop(real(r.hostKw), hostTok, hostTok ? unquote(hostTok.image) : ''),
    name: prop(real(r.nameKw), nameTok, nameTok ? unquote(nameTok.image) : ''),
    queryType: prop(real(r.typeKw), typeTok, typeTok?.image ?? ''),
    script: scriptTok ? prop(undefined, scriptTok, stringOrPath(scriptTok)) : undefined,
  };
}

export interface RealTokens { kw?: IToken; name?: IToken; label?: IToken; weightKw?: IToken; weight?: IToken }

export function realRef(r: RealTokens, span: A.Span | undefined, issues: BuildIssue[]): A.RealRef | undefined {
  const nameTok = real(r.name) ?? real(r.label);
  if (!nameTok || !span) return undefined;
  const ref: A.RealRef = { kind: 'real', name: ident(nameTok)!, span };
  // `real web1:8080` names a real-server port (ipvsadm's -r RIP:PORT); DR forbids remapping.
  if (nameTok.tokenType.name === 'Label') {
    const colon = nameTok.image.indexOf(':');
    const portText = nameTok.image.slice(colon + 1);
    ref.name = { text: nameTok.image.slice(0, colon), span: { start: nameTok.startOffset, end: nameTok.startOffset + colon } };
    const portSpan = { start: nameTok.startOffset + colon + 1, end: nameTok.startOffset + nameTok.image.length };
    if (/^\d+$/.test(portText)) ref.port = { value: Number(portText), text: portText, span: portSpan, full: { start: portSpan.start - 1, end: portSpan.end } };
    else issues.push(issue(t`'${portText}' is not a port number.`, portSpan));
  }
  const w = real(r.weight);
  ref.weight = prop(real(r.weightKw), w, Number(w?.image));
  return ref;
}

export interface HaTokens {
  routerIdKw?: IToken; routerId?: IToken; advertKw?: IToken; advert?: IToken; authKw?: IToken; secret?: IToken; string?: IToken;
  strict?: IToken; noAccept?: IToken; unicast?: IToken;
  syncDaemonKw?: IToken; syncDaemon?: IToken; preemptDelayKw?: IToken; preemptDelay?: IToken; garpRepeatKw?: IToken; garpRepeat?: IToken;
  garpIntervalKw?: IToken; garpInterval?: IToken; notifyKw?: IToken; notify?: IToken;
  /** `track-interface` keyword and interface, per line. */
  tracks?: [IToken, IToken][];
}

export function ha(r: HaTokens, span: A.Span | undefined): A.Ha {
  const node = { kind: 'ha', span: span! } as A.Ha; // trackInterfaces is set last (key order)
  const rid = real(r.routerId);
  node.routerId = prop(real(r.routerIdKw), rid, Number(rid?.image));
  const adv = real(r.advert);
  node.advert = prop(real(r.advertKw), adv, parseDuration(adv?.image ?? '') ?? 0);
  const auth = real(r.secret) ?? real(r.string);
  node.auth = auth ? prop(real(r.authKw), auth, secretValue(auth)) : undefined;
  node.strict = flag(real(r.strict));
  node.noAccept = flag(real(r.noAccept));
  node.unicast = flag(real(r.unicast));
  const sd = real(r.syncDaemon);
  node.syncDaemon = prop(real(r.syncDaemonKw), sd, sd?.image ?? '');
  const pd = real(r.preemptDelay);
  node.preemptDelay = prop(real(r.preemptDelayKw), pd, parseDuration(pd?.image ?? '') ?? 0);
  const gr = real(r.garpRepeat);
  node.garpRepeat = prop(real(r.garpRepeatKw), gr, Number(gr?.image));
  const gi = real(r.garpInterval);
  node.garpInterval = prop(real(r.garpIntervalKw), gi, parseDuration(gi?.image ?? '') ?? 0);
  const nt = real(r.notify);
  node.notify = nt ? prop(real(r.notifyKw), nt, stringOrPath(nt)) : undefined;
  node.trackInterfaces = [];
  for (const [k, t] of r.tracks ?? []) {
    const p = prop(real(k), real(t), t.image);
    if (p) node.trackInterfaces.push(p);
  }
  return node;
}

export interface SshTokens {
  userKw?: IToken; user?: IToken; keyKw?: IToken; knownHostsKw?: IToken; passwordKw?: IToken; portKw?: IToken; port?: IToken;
  /** Real path, string and secret-reference tokens in text order. */
  values: IToken[];
}

export function ssh(r: SshTokens, span: A.Span | undefined): A.SshSettings {
  const node: A.SshSettings = { kind: 'ssh', span: span! };
  const user = real(r.user);
  node.user = prop(real(r.userKw), user, user?.image ?? '');
  // Value tokens of the same type (paths, strings) are told apart by the keyword before them.
  const keyKw = real(r.keyKw);
  const khKw = real(r.knownHostsKw);
  const pwKw = real(r.passwordKw);
  const valueAfter = (k: IToken | undefined) => (k ? r.values.find((v) => v.startOffset > k.startOffset) : undefined);
  const keyTok = valueAfter(keyKw);
  const khTok = valueAfter(khKw);
  const pwTok = valueAfter(pwKw);
  node.key = keyTok ? prop(keyKw, keyTok, stringOrPath(keyTok)) : undefined;
  node.knownHosts = khTok ? prop(khKw, khTok, stringOrPath(khTok)) : undefined;
  node.password = pwTok ? prop(pwKw, pwTok, secretValue(pwTok)) : undefined;
  const port = real(r.port);
  node.port = prop(real(r.portKw), port, Number(port?.image));
  return node;
}

export interface PersistenceTokens { kw?: IToken; duration?: IToken; netmaskKw?: IToken; mask?: IToken }

export function persistence(r: PersistenceTokens): A.Prop<A.Persistence> | undefined {
  const d = real(r.duration);
  const mask = real(r.mask);
  const netmask = prop(real(r.netmaskKw), mask, mask?.image ?? '');
  const p = prop(real(r.kw), d, { duration: parseDuration(d?.image ?? '') ?? 0, netmask });
  if (p && netmask) p.full = cover(p.full, netmask.full);
  return p;
}

/** `ports 80 443`: the keyword and its numbers (recovery-inserted ones dropped). */
export function numberList(kw: IToken | undefined, values: IToken[]): A.Prop<number[]> | undefined {
  const toks = values.map(real).filter((t): t is IToken => t !== undefined);
  if (toks.length === 0) return undefined;
  const first = spanOf(toks[0]);
  const last = spanOf(toks[toks.length - 1]);
  const span = { start: first.start, end: last.end };
  const k = real(kw);
  return {
    value: toks.map((t) => Number(t.image)),
    text: toks.map((t) => t.image).join(' '),
    span,
    full: k ? cover(spanOf(k), span) : span,
  };
}

export interface TimeoutTokens { kw?: IToken; entries: [IToken, IToken | undefined][] }

const TIMEOUT_KEYS: Record<string, 'tcp' | 'tcpFin' | 'udp'> = { tcp: 'tcp', 'tcp-fin': 'tcpFin', udp: 'udp' };

/** The names a `timeouts` block accepts. */
export const TIMEOUT_NAMES = Object.keys(TIMEOUT_KEYS);

/** The timeouts block; an unknown name or a repeated one is reported. */
export function timeouts(r: TimeoutTokens, span: A.Span, issues: BuildIssue[]): A.Timeouts {
  const node: A.Timeouts = { kind: 'timeouts', span };
  for (const [k, v] of r.entries) {
    const key = TIMEOUT_KEYS[k.image];
    if (!key) {
      issues.push(issue(t`'${k.image}' is not an IPVS timeout: use tcp, tcp-fin or udp.`, spanOf(k)));
      continue;
    }
    const value = real(v);
    setOnce(issues, node, key, prop(k, value, parseDuration(value?.image ?? '') ?? 0), k.image);
  }
  return node;
}
