// The TextMate grammar, the language server's snippets and the reference page
// are checked against the real lexer and parser, so highlighting and docs cannot drift from the
// language. Paths are relative to the repository root (where `node --test` is run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Onig from 'vscode-oniguruma';
import type * as Vsctm from 'vscode-textmate';
import { parse } from '../../server/language/parse';
import { tokenize as lexTokens } from '../../server/language/lexer';
import { keywordTokens, keywordWords } from '../../server/language/tokens';
import { validateText } from '../../server/validation/registry';
import { CLUSTER_TEMPLATE, ClusterFacts, directorSnippet, serverSnippet, serviceSnippet } from '../../server/lsp/block-snippets';

// Loaded from node_modules at run time rather than bundled: the oniguruma module loads its
// WebAssembly next to itself, and vscode-textmate is a prebuilt bundle already.
const nodeRequire = createRequire(__filename);
const oniguruma = nodeRequire('vscode-oniguruma') as typeof Onig;
const vsctm = nodeRequire('vscode-textmate') as typeof Vsctm;

const GRAMMAR_PATH = 'syntaxes/lvs.tmLanguage.json';
const seed = readFileSync('examples/seed.lvs', 'utf8');

let grammarPromise: Promise<Vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<Vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(nodeRequire.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === 'source.lvs' ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar('source.lvs');
    assert.ok(grammar, 'the grammar source.lvs loads');
    return grammar;
  })();
  return grammarPromise;
}

interface ScopedToken {
  line: number;
  text: string;
  start: number; // offset in the whole text
  end: number;
  scopes: string[];
}

async function tokenize(text: string): Promise<ScopedToken[]> {
  const grammar = await loadGrammar();
  const out: ScopedToken[] = [];
  let state = vsctm.INITIAL;
  let offset = 0;
  text.split('\n').forEach((line, lineNo) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (end > t.startIndex) out.push({ line: lineNo, text: line.slice(t.startIndex, end), start: offset + t.startIndex, end: offset + end, scopes: t.scopes });
    }
    state = r.ruleStack;
    offset += line.length + 1;
  });
  return out;
}

/** The scopes of the first TextMate token whose text is exactly `text` (optionally on a line containing `onLine`). */
function scopesOf(tokens: ScopedToken[], text: string, source: string, onLine?: string): string[] {
  const lines = source.split('\n');
  const t = tokens.find((x) => x.text === text && (!onLine || lines[x.line].includes(onLine)));
  assert.ok(t, `a token '${text}' exists${onLine ? ` on the line with '${onLine}'` : ''}; tokens: ${JSON.stringify(tokens.slice(0, 30).map((x) => x.text))}`);
  return t.scopes;
}

/** Every TextMate token covering the first `needle` (on a line containing `onLine`) has `prefix`. */
function assertRange(tokens: ScopedToken[], source: string, needle: string, prefix: string, onLine?: string) {
  let offset = 0;
  let start = -1;
  for (const line of source.split('\n')) {
    const i = line.indexOf(needle);
    if (i >= 0 && (!onLine || line.includes(onLine))) { start = offset + i; break; }
    offset += line.length + 1;
  }
  assert.ok(start >= 0, `'${needle}' occurs in the text`);
  const end = start + needle.length;
  const covering = tokens.filter((t) => t.end > start && t.start < end);
  assert.equal(covering.map((t) => t.text).join('').includes(needle), true, `tokens cover '${needle}'`);
  for (const t of covering) assertScope(t.scopes, prefix, `'${t.text}' of '${needle}'`);
}

function hasScope(scopes: string[], prefix: string): boolean {
  return scopes.some((s) => s.startsWith(prefix));
}

function assertScope(scopes: string[], prefix: string, what: string) {
  assert.ok(hasScope(scopes, prefix), `${what}: expected a scope starting with '${prefix}', got ${JSON.stringify(scopes)}`);
}

// ---------------------------------------------------------------------------------------------
// Snippets: `${N:default}`, `${N|a,b|}` (first choice), `$N` / `${N}` (mirror), `$0` (nothing).

function expandSnippet(body: string): string {
  const defaults = new Map<string, string>();
  const run = () => {
    let i = 0;
    const seq = (end?: string): string => {
      let out = '';
      while (i < body.length) {
        const c = body[i];
        if (c === '\\' && i + 1 < body.length && '$}\\,|'.includes(body[i + 1])) { out += body[i + 1]; i += 2; continue; }
        if (end && c === end) return out;
        if (c === '$') {
          const rest = body.slice(i);
          let m = /^\$(\d+)/.exec(rest) ?? /^\$\{(\d+)\}/.exec(rest);
          if (m) { i += m[0].length; out += defaults.get(m[1]) ?? ''; continue; }
          m = /^\$\{(\d+)\|((?:[^|\\]|\\.)*)\|\}/.exec(rest);
          if (m) {
            i += m[0].length;
            const first = m[2].split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
            if (!defaults.has(m[1])) defaults.set(m[1], first);
            out += first;
            continue;
          }
          m = /^\$\{(\d+):/.exec(rest);
          if (m) {
            i += m[0].length;
            const value = seq('}');
            i++; // the closing brace
            if (!defaults.has(m[1])) defaults.set(m[1], value);
            out += value;
            continue;
          }
        }
        out += c;
        i++;
      }
      return out;
    };
    return seq();
  };
  run(); // first pass: learn every tab stop's default, so mirrors before their placeholder work
  return run();
}

// The language server's snippets (completion offers them where their block may start), filled from
// an empty cluster and from one that already has hosts.
const emptyCluster: ClusterFacts = { used: [], directors: [], servers: [], services: [] };
const busyCluster: ClusterFacts = {
  network: '10.0.0.0/24', used: ['10.0.0.1', '10.0.0.2', '10.0.0.100'], services: ['http'],
  directors: [{ name: 'lvs1', address: '10.0.0.2', iface: 'eth0', role: 'master', priority: '100' }],
  servers: [{ name: 'web1', iface: 'eth0' }],
};
const blockSnippets: Record<string, string> = {
  'director (empty cluster)': directorSnippet(emptyCluster),
  'director': directorSnippet(busyCluster),
  'server (empty cluster)': serverSnippet(emptyCluster),
  'server': serverSnippet(busyCluster),
  'service (empty cluster)': serviceSnippet(emptyCluster),
  'service': serviceSnippet(busyCluster),
};

// ---------------------------------------------------------------------------------------------
// Lexer ↔ grammar agreement: every lexer token must be highlighted as what it is.

/** Kitchen sink: every construct of the language once (valid, so it also must parse cleanly). */
const everything = `# Two clusters in one file, several VIPs, UDP, every host property.
cluster web {
  network 10.1.0.0/24
  gateway 10.1.0.1
  vip 10.1.0.100
  vip dns 10.1.0.53 interface eth0:1
  clients 203.0.113.0/24 198.51.100.7 office
  director lb1 {
    address 10.1.0.11
    interface eth0
    role master
    priority 150
    sysctl net.ipv4.conf.all.send_redirects = 0
    ssh { user admin port 2222 }
  }
  director lb2 { address 10.1.0.12 interface eth0 role backup priority 100 nopreempt target os rhel9 }
  ha { router-id 7 advert 1s auth secret:vrrp-web unicast }
  service www {
    vip 10.1.0.100
    protocol tcp port 443 scheduler wlc
    persistence 30m netmask 255.255.255.0
    on-failure quiesce
    check https path "/health?full=1" expect 200 every 5s timeout 500ms retry 3
    real app1:443 weight 10
    real app2 weight 0
  }
  service resolver {
    vip dns
    protocol udp port 53 scheduler sh
    check udp every 10s
    real app1
  }
  server app1 {
    address 10.1.0.21
    interface eth0
    gateway 10.1.0.1
    vip-on lo:0
    vip-on lo:1 vip dns prefix 32
    link eth1 192.168.50.21/24
    sysctl net.ipv4.conf.all.arp_ignore 1
    sysctl net/ipv4/conf/all/arp_announce = 2
    ssh { key ./keys/app1 known-hosts "/etc/ssh/ssh_known_hosts" password env:APP1_PASS }
  }
  server app2 { address 10.1.0.22 interface eth0 vip-on lo:0 target os debian }
  ssh { user root key ~/.ssh/id_ed25519 known-hosts ~/.ssh/known_hosts password file:/run/secrets/ssh }
  target os ubuntu
}

cluster mail {
  network 10.2.0.0/24
  vip 10.2.0.25
  director mx-lb { address 10.2.0.10 interface ens3 }
  service smtp { protocol tcp port 25 scheduler fo check tcp timeout 2s on-failure remove real mx1 }
  server mx1 { address 10.2.0.11 interface ens3 vip-on lo:0 }
}
`;

/** Acceptable scope prefixes for each lexer token type (any one of them, on every character). */
const expectedScopes: Record<string, string[]> = {
  Comment: ['comment.line.number-sign.lvs'],
  StringLit: ['string.quoted.double.lvs'],
  SecretRef: ['variable.other.secret-reference.lvs'],
  PathLit: ['string.unquoted.path.lvs'],
  Ipv4: ['constant.numeric.ipv4.lvs', 'constant.numeric.cidr.lvs'],
  Ipv6: ['constant.numeric.ipv6.lvs'],
  Duration: ['constant.numeric.duration.lvs'],
  NumberLit: ['constant.numeric'],
  DottedName: ['support.variable.sysctl.lvs'],
  // An interface label, or `real NAME:PORT` (a server reference with a port).
  Label: ['variable.other.interface.lvs', 'variable.other.server.lvs', 'constant.numeric.port.lvs', 'punctuation.separator.port.lvs'],
  LCurly: ['punctuation.section.block.begin.lvs'],
  RCurly: ['punctuation.section.block.end.lvs'],
  Equals: ['keyword.operator.assignment.lvs'],
};
const keywordTypeNames = new Set(keywordTokens.map((t) => t.name));

/** Checks every lexer token of `text` against the grammar's scopes. */
async function assertLexerAgreement(text: string, where: string) {
  const lexed = lexTokens(text);
  assert.deepEqual(lexed.errors.map((e) => text.substr(e.offset, e.length)), [], `${where}: lexes without errors`);
  const tm = await tokenize(text);
  const scopesAt = (offset: number) => tm.find((t) => t.start <= offset && offset < t.end)?.scopes ?? [];
  const all = [...lexed.tokens, ...((lexed.groups.comments as typeof lexed.tokens | undefined) ?? [])];
  const declaring = new Set(['ClusterKw', 'DirectorKw', 'ServerKw', 'ServiceKw']);
  lexed.tokens.forEach((tok, i) => {
    // The word after cluster/director/server/service is a declared name; after real, a reference.
    const prev = lexed.tokens[i - 1]?.tokenType.name;
    if (tok.tokenType.name !== 'Identifier' || !prev) return;
    const want = declaring.has(prev) ? 'entity.name.type.lvs' : prev === 'RealKw' ? 'variable.other.server.lvs' : undefined;
    if (want) assertScope(scopesAt(tok.startOffset), want, `${where}: name '${tok.image}' after ${prev}`);
  });
  for (const tok of all) {
    const type = tok.tokenType.name;
    const line = text.slice(0, tok.startOffset).split('\n').length;
    for (let o = tok.startOffset; o <= (tok.endOffset ?? tok.startOffset); o++) {
      const scopes = scopesAt(o);
      const what = `${where}:${line}: ${type} '${tok.image}' (char '${text[o]}')`;
      if (keywordTypeNames.has(type)) assertScope(scopes, 'keyword', what);
      else if (type === 'Identifier') assert.ok(!scopes.some((s) => s.startsWith('keyword.') && !s.startsWith('keyword.other.unit')), `${what}: a name is not highlighted as a keyword: ${JSON.stringify(scopes)}`);
      else {
        const want = expectedScopes[type];
        assert.ok(want, `${what}: no expectation for this token type`);
        assert.ok(want.some((p) => hasScope(scopes, p)), `${what}: expected one of ${JSON.stringify(want)}, got ${JSON.stringify(scopes)}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

test('grammar: the seed is highlighted as expected', async () => {
  const tm = await tokenize(seed);
  assertRange(tm, seed, '# LVS-DR cluster of the classic guide: two directors in hot standby, two web servers.', 'comment.line.number-sign.lvs');
  assertRange(tm, seed, '# the one L2 segment directors and real servers share', 'comment.line.number-sign.lvs');
  assertRange(tm, seed, '# secrets are references, never inline', 'comment.line.number-sign.lvs');
  assertScope(scopesOf(tm, 'cluster', seed), 'keyword', 'cluster');
  assertScope(scopesOf(tm, 'web', seed, 'cluster web'), 'entity.name', 'cluster name web');
  assertScope(scopesOf(tm, 'director', seed), 'keyword', 'director');
  assertScope(scopesOf(tm, 'lvs1', seed), 'entity.name', 'director name lvs1');
  assertScope(scopesOf(tm, 'web1', seed, 'server web1'), 'entity.name', 'server name web1');
  assertScope(scopesOf(tm, 'http', seed, 'service http'), 'entity.name', 'service name http');
  assertScope(scopesOf(tm, '192.168.147.6', seed), 'constant.numeric', 'address 192.168.147.6');
  assertScope(scopesOf(tm, '192.168.147.0', seed), 'constant.numeric.cidr', 'network CIDR');
  assertRange(tm, seed, 'secret:vrrp-web', 'variable.other.secret-reference.lvs');
  assertScope(scopesOf(tm, 'secret', seed), 'support.type.secret-source.lvs', 'the source of the reference');
  assertRange(tm, seed, '"/"', 'string.quoted.double.lvs');
  assertRange(tm, seed, '5s', 'constant.numeric.duration.lvs');
  assertRange(tm, seed, '3s', 'constant.numeric.duration.lvs');
  assertScope(scopesOf(tm, '100', seed, 'priority 100'), 'constant.numeric.integer.lvs', 'priority value');
  assertScope(scopesOf(tm, 'rr', seed), 'support.constant.scheduler.lvs', 'scheduler rr');
  assertScope(scopesOf(tm, 'master', seed), 'support.constant.role.lvs', 'role master');
  assertScope(scopesOf(tm, 'tcp', seed), 'support.constant.protocol.lvs', 'protocol tcp');
  assertScope(scopesOf(tm, 'rhel7', seed, 'target os'), 'support.constant.os.lvs', 'target os rhel7');
  assertRange(tm, seed, 'lo:0', 'variable.other.interface.lvs');
  assertScope(scopesOf(tm, 'ens33', seed), 'variable.other.interface.lvs', 'interface ens33');
  assertScope(scopesOf(tm, '~/.ssh/id_ed25519', seed), 'string.unquoted.path.lvs', 'key path');
  assertScope(scopesOf(tm, 'router-id', seed), 'keyword', 'router-id');
  assertScope(scopesOf(tm, 'vip-on', seed), 'keyword', 'vip-on');
  assertScope(scopesOf(tm, '{', seed, 'cluster web'), 'punctuation.section.block.begin.lvs', 'opening brace');
});

test('grammar: every lexer token of the seed and of a file using every construct gets the right scope', async () => {
  assert.deepEqual(parse(everything).issues, [], 'the kitchen-sink example parses cleanly');
  await assertLexerAgreement(seed, 'seed.lvs');
  await assertLexerAgreement(everything, 'kitchen sink');
});

test('grammar: sysctl keys, labels, durations, flags and invalid characters', async () => {
  const text = 'sysctl net.ipv4.conf.all.arp_ignore = 1\nvip-on lo:0 prefix 32\nadvert 500ms\nstrict no-accept unicast nopreempt\nport 80;';
  const tm = await tokenize(text);
  assertScope(scopesOf(tm, 'net.ipv4.conf.all.arp_ignore', text), 'support.variable.sysctl.lvs', 'sysctl key');
  assertScope(scopesOf(tm, '=', text), 'keyword.operator.assignment.lvs', '=');
  assertScope(scopesOf(tm, '500', text), 'constant.numeric.duration.lvs', '500ms');
  assertScope(scopesOf(tm, 'ms', text), 'keyword.other.unit.lvs', 'unit ms');
  for (const f of ['strict', 'no-accept', 'unicast', 'nopreempt']) assertScope(scopesOf(tm, f, text), 'keyword.other.flag.lvs', f);
  assertScope(scopesOf(tm, ';', text), 'invalid.illegal', 'a character no token contains');
  // Keywords are only keywords where they stand alone: not inside names or labels.
  const names = 'server web-vip { interface vip:1 }';
  const nt = await tokenize(names);
  assertScope(scopesOf(nt, 'web-vip', names), 'entity.name', 'a name containing a keyword');
  assertRange(nt, names, 'vip:1', 'variable.other.interface.lvs');
});

test('grammar: every keyword of the lexer gets a keyword scope', async () => {
  assert.ok(keywordWords.length > 40, 'keywordWords is populated');
  for (const word of keywordWords) {
    for (const line of [word, `  ${word}  # trailing`, `{ ${word} }`]) {
      const tm = await tokenize(line);
      const t = tm.find((x) => x.text === word);
      assert.ok(t, `'${word}' is one token in ${JSON.stringify(line)}: ${JSON.stringify(tm.map((x) => x.text))}`);
      assertScope(t.scopes, 'keyword', `keyword '${word}' in ${JSON.stringify(line)}`);
    }
  }
});

test('grammar: its keyword lists are exactly the lexer keywords', () => {
  const raw = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8'));
  assert.equal(raw.scopeName, 'source.lvs');
  const words = new Set<string>();
  for (const p of raw.repository.keywords.patterns as { match: string }[]) {
    const m = /\(\?:([^()]+)\)/.exec(p.match);
    assert.ok(m, `keyword pattern ${p.match}`);
    for (const w of m[1].split('|')) words.add(w.replace(/\\-/g, '-'));
  }
  assert.deepEqual([...words].sort(), [...keywordWords].sort());
});

test('snippets: the whole-cluster snippet expands to a valid cluster', () => {
  const text = expandSnippet(CLUSTER_TEMPLATE);
  assert.doesNotMatch(text, /\$/, 'no tab stop is left');
  const parsed = parse(text);
  assert.deepEqual(parsed.issues, [], `parses cleanly:\n${text}`);
  const c = parsed.ast.clusters[0];
  assert.deepEqual(c.directors.map((d) => d.role?.value), ['master', 'backup']);
  assert.deepEqual(c.servers.map((s) => s.name.text), ['web1', 'web2']);
  assert.deepEqual(c.services[0].reals.map((r) => r.name.text), ['web1', 'web2']);
  assert.deepEqual(c.servers.map((s) => s.vipOn[0]?.label.value), ['lo:0', 'lo:0']);
  assert.ok(c.ha && c.ssh && c.services[0].checks[0], 'ha, ssh and a health check are present');
  assert.equal(c.targetOs?.value, 'rhel7');
  const findings = validateText(text).findings;
  assert.deepEqual(findings.filter((f) => f.code === 'LVS001'), [], 'no syntax findings');
  assert.deepEqual(findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`), [], 'no error findings');
});

test('snippets: every snippet expands to text the lexer accepts and the grammar agrees with', async () => {
  await assertLexerAgreement(expandSnippet(CLUSTER_TEMPLATE), 'the cluster template');
  for (const [name, body] of Object.entries(blockSnippets)) {
    const text = `cluster c {\n${expandSnippet(body)}\n}`;
    await assertLexerAgreement(text, `snippet ${name}`);
    // With nothing to draw from, an address or a real server is left for the user to type.
    if (!name.includes('empty')) assert.deepEqual(parse(text).issues, [], `the ${name} snippet parses inside a cluster:\n${text}`);
  }
});

test('docs: every lvs example of docs/language.md lexes and is highlighted consistently', async () => {
  const md = readFileSync('docs/language.md', 'utf8');
  const blocks = [...md.matchAll(/```lvs\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 20, `docs/language.md has lvs examples (${blocks.length})`);
  for (const [i, block] of blocks.entries()) {
    await assertLexerAgreement(block, `docs example ${i + 1}`);
    // Complete examples (starting with a cluster) must also parse without syntax errors.
    if (/^(?:\s*#.*\n)*\s*cluster\b/.test(block)) assert.deepEqual(parse(block).issues, [], `docs example ${i + 1} parses:\n${block}`);
  }
});
