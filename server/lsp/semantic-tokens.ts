// Semantic tokens. The AST says what each name and value means (a declaration, a reference, a
// scheduler…); the token stream covers everything else, including the broken parts of a file the
// AST skipped. Only standard LSP token types are used, so every theme colours them.
//
// Mapping:
//   keyword                  keywords in keyword position (`cluster`, `address`, `scheduler`, …)
//   namespace  +declaration  cluster names
//   variable   +declaration  director and server names where declared
//   variable                 `real NAME` references, `clients` names
//   variable   +declaration +readonly  VIP names where declared (`vip NAME ADDRESS`)
//   variable   +readonly     VIP references (`vip NAME` in a service, `vip-on lo:0 vip NAME`)
//   function   +declaration  service names
//   enumMember               scheduler, role, protocol, target os, check type, on-failure values
//   property                 sysctl keys
//   parameter                interface names and labels (`ens33`, `lo:0`)
//   number                   numbers, durations, IPv4 addresses and CIDRs
//   string                   quoted strings, paths, ssh user names
//   macro                    secret references (`secret:NAME`, `env:VAR`, `file:PATH`)
//   operator                 `=`
//   comment                  comments
import { IToken } from 'chevrotain';
import { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import * as A from '../language/ast';
import { keywordTokens } from '../language/tokens';
import { Analysis } from './analysis';

const TYPES = ['keyword', 'namespace', 'variable', 'function', 'enumMember', 'property', 'parameter', 'number', 'string', 'macro', 'operator', 'comment'] as const;
const MODIFIERS = ['declaration', 'readonly'] as const;

type TokenTypeName = (typeof TYPES)[number];
type ModifierName = (typeof MODIFIERS)[number];

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

interface Classified {
  start: number;
  end: number;
  type: TokenTypeName;
  modifiers: ModifierName[];
}

const KEYWORD_TYPES = new Set(keywordTokens.map((t) => t.name));

const BY_TOKEN_TYPE: Record<string, TokenTypeName> = {
  Comment: 'comment',
  StringLit: 'string',
  PathLit: 'string',
  SecretRef: 'macro',
  Ipv4: 'number',
  Duration: 'number',
  NumberLit: 'number',
  Equals: 'operator',
};

/** Names and values the AST gives a meaning to, by their spans. */
function fromAst(file: A.LvsFile): Classified[] {
  const out: Classified[] = [];
  const add = (span: A.Span | undefined, type: TokenTypeName, ...modifiers: ModifierName[]) => {
    if (span && span.end > span.start) out.push({ start: span.start, end: span.end, type, modifiers });
  };
  const isAddress = (text: string) => /^\d/.test(text);
  const vipRef = (p: A.Prop<string> | undefined) => {
    if (p && !isAddress(p.text)) add(p.span, 'variable', 'readonly');
  };
  const ssh = (s: A.SshSettings | undefined) => add(s?.user?.span, 'string');
  const host = (h: A.Host) => {
    add(h.name.span, 'variable', 'declaration');
    add(h.iface?.span, 'parameter');
    add(h.targetOs?.span, 'enumMember');
    for (const s of h.sysctls) add(s.key.span, 'property');
    for (const l of h.links) add(l.iface.span, 'parameter');
    ssh(h.ssh);
    if (h.kind === 'director') add(h.role?.span, 'enumMember');
    else {
      for (const v of h.vipOn) {
        add(v.label.span, 'parameter');
        vipRef(v.vip);
      }
    }
  };
  for (const c of file.clusters) {
    add(c.name.span, 'namespace', 'declaration');
    for (const v of c.vips) {
      add(v.name?.span, 'variable', 'declaration', 'readonly');
      add(v.iface?.span, 'parameter');
    }
    c.directors.forEach(host);
    c.servers.forEach(host);
    for (const s of c.services) {
      add(s.name.span, 'function', 'declaration');
      vipRef(s.vip);
      add(s.protocol?.span, 'enumMember');
      add(s.scheduler?.span, 'enumMember');
      add(s.onFailure?.span, 'enumMember');
      for (const ch of s.checks) add(ch.type.span, 'enumMember');
      for (const r of s.reals) {
        add(r.name.span, 'variable');
        // `real web1:8080`: the port part of the label token.
        if (r.port && r.port.span.start > r.name.span.start && r.port.span.start < r.span.end && r.port.span.start >= r.name.span.end) add(r.port.span, 'number');
      }
    }
    ssh(c.ssh);
    add(c.targetOs?.span, 'enumMember');
    for (const cl of c.clients) if (!isAddress(cl.value.text)) add(cl.value.span, 'variable');
    for (const s of c.sysctls) add(s.key.span, 'property');
  }
  return out;
}

/** Names right after these keywords are names, not keywords, even where the AST has nothing. */
const NAME_AFTER = new Set(['cluster', 'director', 'server', 'service', 'real', 'role', 'protocol', 'scheduler', 'on-failure', 'check', 'user', 'interface', 'vip-on']);

export function classify(a: Analysis): Classified[] {
  const astItems = fromAst(a.parse.ast);
  const covered = astItems.map((c) => [c.start, c.end] as const).sort((x, y) => x[0] - y[0]);
  const isCovered = (start: number, end: number) => {
    // Binary search for an AST item overlapping [start, end).
    let lo = 0;
    let hi = covered.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (covered[mid][1] <= start) lo = mid + 1;
      else if (covered[mid][0] >= end) hi = mid - 1;
      else return true;
    }
    return false;
  };
  const out = [...astItems];
  const tokens: IToken[] = [...a.parse.tokens, ...a.parse.comments].sort((x, y) => x.startOffset - y.startOffset);
  let prev: IToken | undefined;
  for (const t of tokens) {
    const start = t.startOffset;
    const end = (t.endOffset ?? start) + 1;
    const typeName = t.tokenType.name;
    if (!isCovered(start, end)) {
      let type: TokenTypeName | undefined = BY_TOKEN_TYPE[typeName];
      if (KEYWORD_TYPES.has(typeName)) {
        const afterNameKeyword = prev && KEYWORD_TYPES.has(prev.tokenType.name) && NAME_AFTER.has(prev.image);
        type = afterNameKeyword ? undefined : 'keyword';
      }
      if (type) out.push({ start, end, type, modifiers: [] });
    }
    if (typeName !== 'Comment') prev = t;
  }
  out.sort((x, y) => x.start - y.start);
  return out;
}

export function semanticTokens(a: Analysis): SemanticTokens {
  const doc = a.doc;
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  let lastEnd = -1;
  for (const c of classify(a)) {
    if (c.start < lastEnd) continue; // never overlap
    const pos = doc.positionAt(c.start);
    const endPos = doc.positionAt(c.end);
    // Tokens never span lines in this language; guard anyway (clients may not support it).
    const length = endPos.line === pos.line ? endPos.character - pos.character : doc.offsetAt({ line: pos.line + 1, character: 0 }) - c.start;
    if (length <= 0) continue;
    const deltaLine = pos.line - prevLine;
    const deltaChar = deltaLine === 0 ? pos.character - prevChar : pos.character;
    const mods = c.modifiers.reduce((m, name) => m | (1 << MODIFIERS.indexOf(name)), 0);
    data.push(deltaLine, deltaChar, length, TYPES.indexOf(c.type), mods);
    prevLine = pos.line;
    prevChar = pos.character;
    lastEnd = c.end;
  }
  return { data };
}
