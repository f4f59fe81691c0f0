// Designer intents → minimal TextEdits. The intent is checked against its schema first
// (server/protocol/designer-intent.ts: it comes from a webview), then against the document. The
// edits touch only the tokens or lines concerned and copy the file's own indentation, separators
// and line terminators. As a last guard the edited text is validated
// again: an intent whose result would carry a syntax error, or an error finding the current
// text does not have, is refused (except the one error an intent exists to cause: removing a
// used server's `vip-on` brings LVS030).
import { english, joinMsgs, Msg, t } from '../shared/l10n/message';
import type { Locale } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import * as A from '../language/ast';
import { formatIpv4, inCidr, parseIpv4 } from '../language/values';
import { keywordWords } from '../language/tokens';
import { ClusterModel, resolveReal, serviceVip } from '../model/topology';
import { check } from '../protocol/check';
import { DesignerIntent, InterfaceName } from '../protocol/designer-intent';
import { IntentResult, TextEditData } from '../protocol/designer-requests';
import { SYNTAX_CODE, validateText } from '../validation/registry';
import { Finding } from '../validation/types';
import { parseNodeId, vipKey } from './model';
import { DiagramSource } from './source';
import {
  appendToBlock, applyOffsetEdits, detectEol, eolLength, indentAt, indentUnit, insertAfterItem, insertBeforeItem,
  insertLineAfter, lineEnd, OffsetEdit, removeSpans,
} from './text-edits';

const KEYWORDS = new Set(keywordWords);

/** A refusal, in English for its Error message and rendered in the client's language for the designer. */
class Invalid extends Error {
  constructor(readonly msg: Msg) {
    super(english(msg));
  }
}

function invalid(message: Msg): never {
  throw new Invalid(message);
}

interface Plan {
  edits: OffsetEdit[];
  /** Error codes the intent may legitimately introduce. */
  allowedErrors?: string[];
}

interface Ctx {
  text: string;
  cm: ClusterModel;
  cluster: A.Cluster;
}

// ---------------------------------------------------------------------------------------------
// Field checks.

/** Names are well-formed (the schema); a new one must not be a keyword either. */
function checkNotKeyword(what: string, name: string) {
  if (KEYWORDS.has(name)) invalid(t`${what} '${name}' is a keyword of the language; choose another name.`);
}

/** An interface name taken from the file (the intent's own was checked with the schema). */
function checkIface(iface: string) {
  const r = check(InterfaceName, iface);
  if (!r.ok) invalid(joinMsgs([r.error], ''));  // the schema's English words, as they come
}

/** A new host address (a dotted quad: the schema checked it): inside the cluster network, not its network/broadcast, not taken. */
function checkNewAddress(ctx: Ctx, address: string) {
  const value = parseIpv4(address) ?? invalid(t`'${address}' is not an IPv4 address.`);
  const net = ctx.cm.network;
  if (net) {
    const cidr = ctx.cluster.network!.value;
    if (!inCidr(value, net)) invalid(t`Address ${address} is outside the cluster network ${cidr}: directors and real servers must share one segment.`);
    if (net.prefix <= 30 && (value === net.network || value === net.broadcast)) {
      invalid(value === net.network ? t`Address ${address} is the network address of ${cidr}.` : t`Address ${address} is the broadcast address of ${cidr}.`);
    }
  }
  const owner = ctx.cm.addresses.find((o) => o.address === value);
  if (owner) invalid(t`Address ${formatIpv4(value)} is already used by ${owner.what}.`);
  for (const host of [...ctx.cluster.directors, ...ctx.cluster.servers]) {
    if (host.links.some((l) => parseIpv4(l.address.value.split('/')[0]) === value)) invalid(t`Address ${address} is already used by a link of ${host.kind} ${host.name.text}.`);
  }
}

function findService(ctx: Ctx, name: string): A.Service {
  return ctx.cm.services.get(name) ?? invalid(t`Cluster ${ctx.cluster.name.text} has no service '${name}'.`);
}

function findServer(ctx: Ctx, name: string): A.Server {
  return ctx.cm.servers.get(name) ?? invalid(t`Cluster ${ctx.cluster.name.text} has no server '${name}'.`);
}

function findDirector(ctx: Ctx, name: string): A.Director {
  return ctx.cm.directors.get(name) ?? invalid(t`Cluster ${ctx.cluster.name.text} has no director '${name}'.`);
}

const replace = (span: A.Span, newText: string): OffsetEdit => ({ start: span.start, end: span.end, newText });

/** Most frequent value (first seen wins ties). */
function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best;
}

/** The service's items in text order (for inserting a property before the first one). */
function serviceItems(svc: A.Service): A.Span[] {
  const spans = [svc.vip?.full, svc.protocol?.full, svc.port?.full, svc.scheduler?.full, svc.persistence?.full, svc.onFailure?.full, ...svc.checks.map((c) => c.span), ...svc.reals.map((r) => r.span)];
  return spans.filter((s): s is A.Span => !!s).sort((x, y) => x.start - y.start);
}

/** Adds a property to a service: after `after` if present, else before its first item, else last. */
function addServiceProp(ctx: Ctx, svc: A.Service, after: A.Span | undefined, snippet: string): OffsetEdit {
  if (after) return insertAfterItem(ctx.text, after, snippet);
  const first = serviceItems(svc)[0];
  return first ? insertBeforeItem(ctx.text, first, snippet) : appendToBlock(ctx.text, svc.body, snippet);
}

// ---------------------------------------------------------------------------------------------
// Intents.

function addRealServer(ctx: Ctx, i: Extract<DesignerIntent, { type: 'addRealServer' }>): Plan {
  checkNotKeyword('Server name', i.name);
  const svc = findService(ctx, i.service);
  if (svc.reals.some((r) => r.name.text === i.name)) invalid(t`${i.name} is already a real server of service ${svc.name.text}.`);
  if (ctx.cm.directors.has(i.name) && !ctx.cm.servers.has(i.name)) invalid(t`'${i.name}' is a director; a real server needs a server block of its own.`);
  const edits: OffsetEdit[] = [];
  const existing = ctx.cm.servers.get(i.name);
  if (existing) {
    if (i.address !== '' && i.address !== existing.address?.value) invalid(t`Server ${i.name} already exists with address ${existing.address?.value ?? '-'}, not ${i.address}.`);
    if (i.iface !== undefined && i.iface !== '' && i.iface !== existing.iface?.value) invalid(t`Server ${i.name} already exists with interface ${existing.iface?.value ?? '-'}, not ${i.iface}.`);
  } else {
    checkNewAddress(ctx, i.address);
    const iface = i.iface || mostCommon(ctx.cluster.servers.flatMap((s) => (s.iface ? [s.iface.value] : [])))
      || mostCommon(ctx.cluster.directors.flatMap((d) => (d.iface ? [d.iface.value] : []))) || 'eth0';
    checkIface(iface);
    edits.push(newServerBlock(ctx, svc, i.name, i.address, iface));
  }
  const snippet = `real ${i.name} weight ${i.weight}`;
  const last = svc.reals[svc.reals.length - 1];
  edits.push(last ? insertAfterItem(ctx.text, last.span, snippet) : appendToBlock(ctx.text, svc.body, snippet));
  return { edits };
}

/** `server NAME { … }` after the cluster's last server block (else after the last service), in the file's style. */
function newServerBlock(ctx: Ctx, svc: A.Service, name: string, address: string, iface: string): OffsetEdit {
  const { text, cluster } = ctx;
  const eol = detectEol(text);
  const items = [`address ${address}`, `interface ${iface}`, 'vip-on lo:0'];
  const anchor = cluster.servers[cluster.servers.length - 1];
  const after = anchor ?? cluster.services.reduce((x, y) => (y.span.end > x.span.end ? y : x), svc);
  const indent = indentAt(text, after.span.start);
  let block: string;
  if (anchor && text.slice(anchor.span.start, anchor.span.end).includes('\n')) {
    // The servers are written one property per line: do the same.
    const firstEnd = lineEnd(text, anchor.body.start);
    const inner = /^[ \t]*/.exec(text.slice(firstEnd + eolLength(text, firstEnd)))![0];
    const innerIndent = inner.length > indent.length ? inner : indent + indentUnit(text);
    block = [`${indent}server ${name} {`, ...items.map((it) => innerIndent + it), `${indent}}`].join(eol);
  } else {
    block = `${indent}server ${name} { ${items.join('  ')} }`;
  }
  // After a service (no server yet), keep the blank line that separates groups.
  return insertLineAfter(text, after.span.end, anchor ? block : eol + block);
}

function removeNode(ctx: Ctx, i: Extract<DesignerIntent, { type: 'removeNode' }>): Plan {
  const id = parseNodeId(i.nodeId) ?? invalid(t`'${i.nodeId}' is not a node id (<cluster>/<kind>/<name>).`);
  if (id.cluster !== i.cluster) invalid(t`Node ${i.nodeId} is not in cluster ${i.cluster}.`);
  const m = /^(.*)#([2-9]|[1-9][0-9]+)$/.exec(id.name);
  const name = m ? m[1] : id.name;
  const nth = m ? Number(m[2]) - 1 : 0;
  const { cluster, cm, text } = ctx;
  const pick = <T>(list: T[], key: (x: T) => string): T => list.filter((x) => key(x) === name)[nth] ?? invalid(t`Cluster ${cluster.name.text} has no node ${i.nodeId}.`);
  const spans: A.Span[] = [];
  switch (id.kind) {
    case 'client':
      invalid(t`The clients node stands for every client of the VIPs; it cannot be removed.`);
      break;
    case 'server':
    case 'director': {
      const host = id.kind === 'server' ? pick(cluster.servers, (s) => s.name.text) : pick(cluster.directors, (d) => d.name.text);
      spans.push(host.span);
      // The `real` lines that point to this host go with it (unless a same-named block remains).
      const namesake = [...cluster.servers, ...cluster.directors].some((h) => h !== host && h.name.text === host.name.text);
      if (!namesake) for (const svc of cluster.services) for (const r of svc.reals) if (resolveReal(cm, r) === host) spans.push(r.span);
      break;
    }
    case 'service':
      spans.push(pick(cluster.services, (s) => s.name.text).span);
      break;
    case 'vip': {
      const vip = pick(cluster.vips, vipKey);
      const users = cluster.services.filter((s) => serviceVip(cm, s) === vip);
      if (users.length > 0) {
        invalid(users.length > 1
          ? t`VIP ${vip.address.value} carries services ${users.map((s) => s.name.text).join(', ')}: remove them or move them to another VIP first.`
          : t`VIP ${vip.address.value} carries service ${users[0].name.text}: remove it or move it to another VIP first.`);
      }
      spans.push(vip.span);
      // Loopback aliases that exist only for this VIP go too.
      for (const s of cluster.servers) for (const v of s.vipOn) {
        if (v.vip && (v.vip.value === vip.address.value || v.vip.value === vip.name?.text)) spans.push(v.span);
      }
      break;
    }
  }
  return { edits: removeSpans(text, spans) };
}

function setWeight(ctx: Ctx, i: Extract<DesignerIntent, { type: 'setWeight' }>): Plan {
  const svc = findService(ctx, i.service);
  const ref = svc.reals.find((r) => r.name.text === i.server) ?? invalid(t`Service ${svc.name.text} has no real server '${i.server}'.`);
  if (ref.weight) return { edits: ref.weight.value === i.weight && ref.weight.text === String(i.weight) ? [] : [replace(ref.weight.span, String(i.weight))] };
  const at = ref.port?.span.end ?? ref.name.span.end;
  return { edits: [{ start: at, end: at, newText: ` weight ${i.weight}` }] };
}

function setScheduler(ctx: Ctx, i: Extract<DesignerIntent, { type: 'setScheduler' }>): Plan {
  const svc = findService(ctx, i.service);
  if (svc.scheduler) return { edits: svc.scheduler.value === i.scheduler ? [] : [replace(svc.scheduler.span, i.scheduler)] };
  return { edits: [addServiceProp(ctx, svc, svc.port?.full ?? svc.protocol?.full, `scheduler ${i.scheduler}`)] };
}

function setProtocolPort(ctx: Ctx, i: Extract<DesignerIntent, { type: 'setProtocolPort' }>): Plan {
  const svc = findService(ctx, i.service);
  const edits: OffsetEdit[] = [];
  const wantProtocol = i.protocol !== undefined && svc.protocol?.value !== i.protocol;
  const wantPort = i.port !== undefined && (svc.port?.value !== i.port || svc.port.text !== String(i.port));
  if (wantProtocol && svc.protocol) edits.push(replace(svc.protocol.span, i.protocol!));
  if (wantPort && svc.port) edits.push(replace(svc.port.span, String(i.port)));
  if (wantProtocol && !svc.protocol && wantPort && !svc.port) {
    edits.push(addServiceProp(ctx, svc, undefined, `protocol ${i.protocol}  port ${i.port}`));
  } else if (wantProtocol && !svc.protocol) {
    edits.push(svc.port ? insertBeforeItem(ctx.text, svc.port.full, `protocol ${i.protocol}`) : addServiceProp(ctx, svc, undefined, `protocol ${i.protocol}`));
  } else if (wantPort && !svc.port) {
    edits.push(addServiceProp(ctx, svc, svc.protocol?.full, `port ${i.port}`));
  }
  return { edits };
}

/** Effective role: written, else the first director is the master and the others backups. */
function roleOf(ctx: Ctx, d: A.Director): string {
  return d.role?.value ?? (ctx.cluster.directors[0] === d ? 'master' : 'backup');
}

/** Edits giving a director a role (and optionally a priority), in place or as new properties. */
function roleEdits(ctx: Ctx, d: A.Director, role: string, priority?: number): OffsetEdit[] {
  const edits: OffsetEdit[] = [];
  const anchor = d.iface?.full ?? d.address?.full;
  const add = (snippet: string, after: A.Span | undefined) => edits.push(after ? insertAfterItem(ctx.text, after, snippet) : appendToBlock(ctx.text, d.body, snippet));
  const setPriority = priority !== undefined && (d.priority?.value !== priority || d.priority.text !== String(priority));
  if (!d.role && setPriority && !d.priority) {
    add(`role ${role}  priority ${priority}`, anchor);
    return edits;
  }
  if (d.role && d.role.value !== role) edits.push(replace(d.role.span, role));
  if (!d.role) add(`role ${role}`, anchor);
  if (setPriority && d.priority) edits.push(replace(d.priority.span, String(priority)));
  else if (setPriority) add(`priority ${priority}`, d.role?.full ?? anchor);
  return edits;
}

function setRole(ctx: Ctx, i: Extract<DesignerIntent, { type: 'setRole' }>): Plan {
  const d = findDirector(ctx, i.director);
  const others = ctx.cluster.directors.filter((o) => o !== d);
  const wasMaster = roleOf(ctx, d) === 'master';
  const edits = roleEdits(ctx, d, i.role, i.priority);
  // One master in the pair: a new master demotes the others; a demoted master promotes its peer.
  let peer: A.Director | undefined;
  if (i.role === 'master') {
    for (const o of others) if (roleOf(ctx, o) === 'master') {
      edits.push(...roleEdits(ctx, o, 'backup'));
      peer = o;
    }
  } else if (wasMaster && others.length === 1 && roleOf(ctx, others[0]) !== 'master') {
    peer = others[0];
    edits.push(...roleEdits(ctx, peer, 'master'));
  }
  // Roles swapped without a priority given: swap written priorities so the master still wins the election.
  if (peer && others.length === 1 && i.priority === undefined && d.priority && peer.priority) {
    const [master, backup] = i.role === 'master' ? [d, peer] : [peer, d];
    if (master.priority!.value <= backup.priority!.value && master.priority!.value !== backup.priority!.value) {
      edits.push(replace(master.priority!.span, backup.priority!.text), replace(backup.priority!.span, master.priority!.text));
    }
  }
  return { edits };
}

function toggleVipOn(ctx: Ctx, i: Extract<DesignerIntent, { type: 'toggleVipOn' }>): Plan {
  const s = findServer(ctx, i.server);
  if (!i.enabled) return { edits: removeSpans(ctx.text, s.vipOn.map((v) => v.span)), allowedErrors: ['LVS030'] };
  const labels = new Set(s.vipOn.map((v) => v.label.value));
  if (s.vipOn.some((v) => /^lo(:|$)/.test(v.label.value))) return { edits: [] };
  let n = 0;
  while (labels.has(`lo:${n}`)) n++;
  return { edits: [appendToBlock(ctx.text, s.body, `vip-on lo:${n}`)] };
}

/**
 * A host's address and interface: the written value is replaced in place; a missing one is added
 * after the other (or first in the block). The new address must be free and on the segment.
 */
function setHostAddress(ctx: Ctx, i: Extract<DesignerIntent, { type: 'setHostAddress' }>): Plan {
  const host: A.Host = i.kind === 'server' ? findServer(ctx, i.host) : findDirector(ctx, i.host);
  const edits: OffsetEdit[] = [];
  const wantAddress = i.address !== undefined && host.address?.text !== i.address;
  const wantIface = i.iface !== undefined && host.iface?.text !== i.iface;
  if (wantAddress) {
    if (parseIpv4(i.address!) !== parseIpv4(host.address?.value ?? '')) checkNewAddress(ctx, i.address!);
    if (host.address) edits.push(replace(host.address.span, i.address!));
  }
  if (wantIface && host.iface) edits.push(replace(host.iface.span, i.iface!));
  const first = [host.address?.full, host.iface?.full].filter((x): x is A.Span => !!x).sort((x, y) => x.start - y.start)[0];
  const add = (snippet: string, after: A.Span | undefined) =>
    edits.push(after ? insertAfterItem(ctx.text, after, snippet) : first ? insertBeforeItem(ctx.text, first, snippet) : appendToBlock(ctx.text, host.body, snippet));
  if (wantAddress && !host.address && wantIface && !host.iface) add(`address ${i.address}  interface ${i.iface}`, undefined);
  else if (wantAddress && !host.address) {
    if (host.iface) edits.push(insertBeforeItem(ctx.text, host.iface.full, `address ${i.address}`));
    else add(`address ${i.address}`, undefined);
  } else if (wantIface && !host.iface) add(`interface ${i.iface}`, host.address?.full);
  return { edits };
}

// ---------------------------------------------------------------------------------------------

function plan(ctx: Ctx, intent: DesignerIntent): Plan {
  switch (intent.type) {
    case 'addRealServer': return addRealServer(ctx, intent);
    case 'removeNode': return removeNode(ctx, intent);
    case 'setWeight': return setWeight(ctx, intent);
    case 'setScheduler': return setScheduler(ctx, intent);
    case 'setRole': return setRole(ctx, intent);
    case 'setProtocolPort': return setProtocolPort(ctx, intent);
    case 'toggleVipOn': return toggleVipOn(ctx, intent);
    case 'setHostAddress': return setHostAddress(ctx, intent);
  }
}

function errorCounts(findings: Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) if (f.severity === 'error') counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return counts;
}

/** Offset edits as they would be applied to the text (exported for tests and the CLI). */
export function planIntent(a: DiagramSource, input: unknown, locale: Locale = 'en'): { ok: true; edits: OffsetEdit[] } | Extract<IntentResult, { ok: false }> {
  const checked = check(DesignerIntent, input);
  if (!checked.ok) return { ok: false, reason: 'invalid', message: checked.error };
  const it = checked.value;
  const syntax = a.findings.filter((f) => f.code === SYNTAX_CODE);
  if (syntax.length > 0) {
    const first = syntax[0];
    return {
      ok: false, reason: 'syntax',
      message: localize(syntax.length > 1
        ? t`The document has ${syntax.length} syntax errors (line ${a.doc.positionAt(first.span.start).line + 1}: ${first.msg}); fix them before editing in the designer.`
        : t`The document has 1 syntax error (line ${a.doc.positionAt(first.span.start).line + 1}: ${first.msg}); fix it before editing in the designer.`, locale),
    };
  }
  const text = a.doc.getText();
  try {
    const cm = a.model.clusters.find((c) => c.cluster.name.text === it.cluster) ?? invalid(t`The document has no cluster '${it.cluster}'.`);
    const p = plan({ text, cm, cluster: cm.cluster }, it);
    if (p.edits.length === 0) return { ok: true, edits: [] };
    // Last guard: the result parses and has no error the current text does not have.
    const after = validateText(applyOffsetEdits(text, p.edits));
    const before = errorCounts(a.findings);
    const now = errorCounts(after.findings);
    const allowed = new Set(p.allowedErrors ?? []);
    for (const [code, n] of now) {
      if (n <= (before.get(code) ?? 0) || allowed.has(code)) continue;
      const known = new Set(a.findings.filter((f) => f.code === code).map((f) => f.message));
      const example = after.findings.find((f) => f.code === code && !known.has(f.message)) ?? after.findings.find((f) => f.code === code)!;
      return { ok: false, reason: 'invalid', message: localize(t`This change would introduce error ${code}: ${example.msg}`, locale) };
    }
    return { ok: true, edits: p.edits };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: 'invalid', message: localize(err.msg, locale) };
    throw err;
  }
}

/** The TextEdits carrying out a designer intent on the validated document, or why not. */
export function applyIntent(a: DiagramSource, intent: unknown, locale: Locale = 'en'): IntentResult {
  const r = planIntent(a, intent, locale);
  if (!r.ok) return r;
  const edits: TextEditData[] = r.edits.map((e) => ({ range: { start: a.doc.positionAt(e.start), end: a.doc.positionAt(e.end) }, newText: e.newText }));
  return { ok: true, edits };
}
