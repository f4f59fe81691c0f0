import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItem, CompletionItemKind, FoldingRangeKind, InsertTextFormat, TextEdit } from 'vscode-languageserver';
import { analyze, Analysis } from '../../server/lsp/analysis';
import { complete } from '../../server/lsp/completion';
import { formatEdits, formatText } from '../../server/lsp/formatting';
import { semanticTokens, semanticTokensLegend } from '../../server/lsp/semantic-tokens';
import { foldingRanges } from '../../server/lsp/folding';
import { SCHEDULERS } from '../../server/model/topology';

const seed = readFileSync('examples/seed.lvs', 'utf8');
let version = 0;

function analysisOf(text: string): Analysis {
  version++;
  return analyze(TextDocument.create(`file:///test/t${version}.lvs`, 'lvs', version, text));
}

/** Completion at the `|` in the text. */
function completeAt(textWithCursor: string): CompletionItem[] {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'no cursor marker');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const a = analysisOf(text);
  return complete(a, a.doc.positionAt(offset));
}

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

function sortedLabels(items: CompletionItem[]): string[] {
  return [...items].sort((x, y) => (x.sortText ?? x.label).localeCompare(y.sortText ?? y.label)).map((i) => i.label);
}

// ----------------------------------------------------------------------------------- completion

test('completion at the top level offers cluster', () => {
  const items = completeAt('|');
  assert.deepEqual(labels(items), ['cluster', 'lvs-cluster']);
  assert.equal(items[0].insertTextFormat, InsertTextFormat.Snippet);
  assert.equal(items[0].kind, CompletionItemKind.Keyword);
  assert.deepEqual(labels(completeAt('cluster a { vip 10.0.0.1 }\n|')), ['cluster', 'lvs-cluster']);
});

test('completion in a cluster body offers the cluster items, with snippets', () => {
  const items = completeAt('cluster web {\n  |\n}\n');
  assert.deepEqual(labels(items), ['network', 'gateway', 'vip', 'director', 'server', 'service', 'ha', 'ssh', 'target os', 'clients', 'timeouts']);
  const director = items.find((i) => i.label === 'director')!;
  assert.equal(director.insertTextFormat, InsertTextFormat.Snippet);
  assert.equal((director.textEdit as TextEdit).newText, 'director ${1:lvs1} {\n\taddress ${2}\n\tinterface ${3:eth0}\n\trole ${4|master,backup|}\n\tpriority ${5:100}\n}');
  // After a complete statement and after a closed block, still the cluster items.
  assert.ok(labels(completeAt('cluster web {\n  network 10.0.0.0/24 |\n}')).includes('director'));
  assert.ok(labels(completeAt('cluster web {\n  director d { address 10.0.0.2 }\n  |\n}')).includes('service'));
});

test('completion in director and server blocks offers the host properties of each kind', () => {
  assert.deepEqual(labels(completeAt('cluster web {\n  director lvs1 {\n    |\n  }\n}')),
    ['address', 'interface', 'gateway', 'role', 'priority', 'nopreempt', 'sysctl', 'link', 'ssh', 'target os']);
  assert.deepEqual(labels(completeAt('cluster web {\n  server web1 { address 10.0.0.4 | }\n}')),
    ['address', 'interface', 'gateway', 'vip-on', 'sysctl', 'link', 'ssh', 'target os']);
});

test('completion in service, ha and ssh blocks', () => {
  assert.deepEqual(labels(completeAt('cluster web {\n  service http {\n    |\n  }\n}')),
    ['vip', 'protocol', 'port', 'ports', 'fwmark', 'quorum', 'hysteresis', 'sorry', 'scheduler', 'persistence', 'on-failure', 'check', 'real']);
  assert.deepEqual(labels(completeAt('cluster web {\n  ha { router-id 51 | }\n}')),
    ['router-id', 'advert', 'auth', 'strict', 'no-accept', 'unicast', 'sync-daemon', 'preempt-delay', 'garp-repeat', 'garp-interval', 'notify', 'track-interface']);
  assert.deepEqual(labels(completeAt('cluster web {\n  timeouts { tcp 15m | }\n}')), ['tcp', 'tcp-fin', 'udp']);
  assert.deepEqual(labels(completeAt('cluster web {\n  ssh { | }\n}')), ['user', 'key', 'known-hosts', 'password', 'port']);
  // ssh inside a director is the ssh block, and the director resumes after it.
  assert.deepEqual(labels(completeAt('cluster web {\n  director d { ssh { user root | } }\n}')), ['user', 'key', 'known-hosts', 'password', 'port']);
  assert.ok(labels(completeAt('cluster web {\n  director d { ssh { user root } | }\n}')).includes('priority'));
});

test('completion after a statement with trailing options offers them first', () => {
  const items = completeAt('cluster web {\n  service http {\n    check http |\n  }\n}');
  assert.deepEqual(sortedLabels(items).slice(0, 9), ['path', 'expect', 'every', 'timeout', 'retry', 'port', 'host', 'name', 'type']);
  assert.ok(labels(items).includes('real'));
  // `real NAME` takes only `weight` (a port is written `real NAME:PORT`); `port` after it is the service's own line.
  const afterReal = sortedLabels(completeAt('cluster w { service s { real web1 | } }'));
  assert.equal(afterReal[0], 'weight');
  assert.equal(afterReal.filter((l) => l === 'port').length, 1);
  assert.ok(afterReal.indexOf('port') > afterReal.indexOf('vip'), 'port is offered among the service statements');
});

test('completion of scheduler names with descriptions', () => {
  const items = completeAt('cluster web {\n  service http {\n    scheduler |\n  }\n}');
  assert.deepEqual(labels(items), [...SCHEDULERS]);
  const detail = Object.fromEntries(items.map((i) => [i.label, i.detail]));
  assert.equal(detail.rr, 'round robin');
  assert.equal(detail.wlc, 'weighted least-connection');
  assert.equal(detail.lblcr, 'locality-based least-connection with replication');
  assert.equal(detail.mh, 'maglev hashing');
  assert.equal(detail.twos, 'weighted random twos choice');
  assert.ok(items.every((i) => i.kind === CompletionItemKind.EnumMember));
});

test('completion of enumerated values: role, protocol, target os, check, on-failure', () => {
  assert.deepEqual(labels(completeAt('cluster w { director d { role | } }')), ['master', 'backup']);
  assert.deepEqual(labels(completeAt('cluster w { service s { protocol | } }')), ['tcp', 'udp']);
  assert.deepEqual(labels(completeAt('cluster w { target |')), ['os']);
  assert.deepEqual(labels(completeAt('cluster w { target os | }')), ['rhel7', 'rhel9', 'debian', 'ubuntu']);
  assert.deepEqual(labels(completeAt('cluster w { server s { target os | } }')), ['rhel7', 'rhel9', 'debian', 'ubuntu']);
  assert.deepEqual(labels(completeAt('cluster w { service s { check | } }')), ['http', 'https', 'tcp', 'udp', 'ping', 'dns', 'script', 'none']);
  assert.deepEqual(labels(completeAt('cluster w { service s { on-failure | } }')), ['remove', 'quiesce']);
  // The value may be on the next line.
  assert.deepEqual(labels(completeAt('cluster w { service s { protocol\n  | } }')), ['tcp', 'udp']);
});

test('completion after real lists the servers of the cluster, unlisted ones first', () => {
  const text = seed.replace('    real web2 weight 1\n', '    real web2 weight 1\n    real |\n');
  const items = completeAt(text);
  assert.deepEqual(labels(items).sort(), ['web1', 'web2']);
  assert.ok(items.every((i) => i.kind === CompletionItemKind.Reference));
  assert.equal(items.find((i) => i.label === 'web1')!.detail, 'real server · 192.168.147.4');
  const three = completeAt(text.replace('  server web2', '  server web3 { address 192.168.147.7 }\n  server web2'));
  assert.deepEqual(sortedLabels(three), ['web3', 'web1', 'web2']);
  // Only this cluster's servers.
  const two = completeAt('cluster a { server x { address 10.0.0.1 } }\ncluster b {\n  server y { address 10.0.1.1 }\n  service s { real | }\n}');
  assert.deepEqual(labels(two), ['y']);
});

test('completion of interfaces, vip-on labels and sysctl keys', () => {
  const text = 'cluster w {\n  director d { interface eth1 }\n  server s { interface | vip-on lo:1 }\n}';
  assert.deepEqual(labels(completeAt(text)), ['eth1', 'lo:1']);
  assert.deepEqual(labels(completeAt('cluster w {\n  director d { interface eth1 }\n  server s { vip-on | }\n}')), ['eth1', 'lo:0']);
  const keys = labels(completeAt('cluster w {\n  director d { interface ens33 sysctl | }\n}'));
  for (const k of ['net.ipv4.conf.all.arp_ignore', 'net.ipv4.conf.all.arp_announce', 'net.ipv4.conf.all.send_redirects', 'net.ipv4.ip_forward',
    'net.ipv4.conf.all.rp_filter', 'net.ipv4.vs.expire_quiescent_template', 'net.ipv4.vs.backup_only', 'net.ipv4.conf.ens33.arp_ignore']) {
    assert.ok(keys.includes(k), k);
  }
  // Slash-style keys are replaced whole.
  const slash = completeAt('cluster w { director d { sysctl net/ipv4/ip| } }');
  assert.deepEqual((slash[0].textEdit as TextEdit).range, { start: { line: 0, character: 32 }, end: { line: 0, character: 43 } });
  // The value of a sysctl is free text.
  assert.deepEqual(completeAt('cluster w { director d { sysctl net.ipv4.ip_forward = | } }'), []);
});

test('completion works in a file with syntax errors elsewhere', () => {
  const broken = seed
    .replace('priority 100', 'priorty 100 {')            // typo and a stray brace in lvs1
    .replace('auth secret:vrrp-web', 'auth @@ secret:vrrp-web');
  assert.ok(analysisOf(broken).findings.some((f) => f.code === 'LVS001'));
  const sched = broken.replace('scheduler rr', 'scheduler |');
  assert.deepEqual(labels(completeAt(sched)), [...SCHEDULERS]);
  const real = broken.replace('    real web2 weight 1\n', '    real |\n');
  assert.deepEqual(sortedLabels(completeAt(real)), ['web2', 'web1']);
  const host = broken.replace('server web2 { address', 'server web2 { | address');
  assert.deepEqual(labels(completeAt(host)), ['address', 'interface', 'gateway', 'vip-on', 'sysctl', 'link', 'ssh', 'target os']);
  // A director left unclosed: the next server block is still recognised.
  const unclosed = 'cluster w {\n  director d {\n    address 10.0.0.2\n  server s {\n    |\n  }\n}';
  assert.ok(labels(completeAt(unclosed)).includes('vip-on'));
});

test('completion replaces the partially typed word and stays quiet in comments and strings', () => {
  const items = completeAt('cluster w {\n  service s {\n    sched|\n  }\n}');
  assert.ok(labels(items).includes('scheduler'));
  const edit = items.find((i) => i.label === 'scheduler')!.textEdit as TextEdit;
  assert.deepEqual(edit.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } });
  assert.equal(edit.newText, 'scheduler ');
  const values = completeAt('cluster w { service s { scheduler wl| } }');
  assert.deepEqual(labels(values), [...SCHEDULERS]);
  assert.deepEqual((values[0].textEdit as TextEdit).range, { start: { line: 0, character: 34 }, end: { line: 0, character: 36 } });
  assert.deepEqual(completeAt('cluster w { # scheduler |\n}'), []);
  assert.deepEqual(completeAt('cluster w { service s { check http path "/ab| } }'), []);
  assert.deepEqual(completeAt('cluster w { ssh { key ~/.ssh/id| } }'), []);
});

// ----------------------------------------------------------------------------------- formatting

const opts = { tabSize: 2, insertSpaces: true };

const messy = [
  '',
  '   ',
  '# header comment   ',
  'cluster web {',
  '\tnetwork 10.0.0.0/24      # keep   this   spacing { not a brace',
  '      vip 10.0.0.100',
  '',
  '',
  '',
  ' director lvs1 { address 10.0.0.6  interface eth0 }',
  'service http {',
  'check http path "/{" expect 200',
  '        real web1 weight 1   ',
  '     }',
  '\t\t',
  '# trailing comment } inside',
  '    }',
  '',
  '',
].join('\n');

const messyFormatted = [
  '# header comment',
  'cluster web {',
  '  network 10.0.0.0/24      # keep   this   spacing { not a brace',
  '  vip 10.0.0.100',
  '',
  '  director lvs1 { address 10.0.0.6  interface eth0 }',
  '  service http {',
  '    check http path "/{" expect 200',
  '    real web1 weight 1',
  '  }',
  '',
  '  # trailing comment } inside',
  '}',
  '',
].join('\n');

test('formatting re-indents by brace depth and tidies whitespace', () => {
  assert.equal(formatText(messy, opts), messyFormatted);
});

test('formatting with tabs and other widths', () => {
  assert.equal(formatText('cluster a {\n    ha {\n  strict\n}\n}', { tabSize: 4, insertSpaces: false }), 'cluster a {\n\tha {\n\t\tstrict\n\t}\n}\n');
  assert.equal(formatText('cluster a {\n\tha { strict }\n}', { tabSize: 4, insertSpaces: true }), 'cluster a {\n    ha { strict }\n}\n');
  // `} }` dedents by both braces; extra closing braces never go below column 0.
  assert.equal(formatText('cluster a {\nserver s {\naddress 1.2.3.4\n} }\n}\nx', opts), 'cluster a {\n  server s {\n    address 1.2.3.4\n} }\n}\nx\n');
  assert.equal(formatText('', opts), '');
  assert.equal(formatText('\n\n  \n', opts), '');
  // CRLF files keep CRLF.
  assert.equal(formatText('cluster a {\r\nvip 1.2.3.4   \r\n}', opts), 'cluster a {\r\n  vip 1.2.3.4\r\n}\r\n');
});

test('formatting is idempotent and leaves the seed byte-identical', () => {
  assert.equal(formatText(seed, opts), seed);
  for (const text of [seed, messy, seed.replace(/^ {2}/gm, '\t').replace(/\n/g, '\n\n\n'), '}\n}\ncluster {{\n"{" # {\n']) {
    const once = formatText(text, opts);
    assert.equal(formatText(once, opts), once);
    assert.equal(formatText(once, { tabSize: 4, insertSpaces: false }), formatText(text, { tabSize: 4, insertSpaces: false }));
  }
});

test('braces inside strings and comments do not change the indentation', () => {
  const text = 'cluster a {\nservice s {\ncheck http path "/}}" # }}}\nreal x\n}\n# {{{\nvip 1.2.3.4\n}\n';
  assert.equal(formatText(text, opts), 'cluster a {\n  service s {\n    check http path "/}}" # }}}\n    real x\n  }\n  # {{{\n  vip 1.2.3.4\n}\n');
});

function applyEdits(doc: TextDocument, edits: TextEdit[]): string {
  return TextDocument.applyEdits(doc, edits);
}

test('formatting edits are minimal and reproduce formatText', () => {
  const seedDoc = TextDocument.create('file:///seed.lvs', 'lvs', 1, seed);
  assert.deepEqual(formatEdits(seedDoc, opts), []);
  const doc = TextDocument.create('file:///messy.lvs', 'lvs', 1, messy);
  const edits = formatEdits(doc, opts);
  assert.equal(applyEdits(doc, edits), messyFormatted);
  // One edit per changed line: unchanged lines are not touched.
  const lines = messy.split('\n');
  const touched = new Set(edits.map((e) => e.range.start.line));
  assert.ok(!touched.has(lines.indexOf('cluster web {')));
  assert.ok(edits.length <= lines.length);
  for (const text of ['cluster a {\r\nvip 1.2.3.4   \r\n\r\n\r\n}', 'x', 'x\n\n\n', '\n\ncluster a {\n}']) {
    const d = TextDocument.create('file:///x.lvs', 'lvs', 1, text);
    assert.equal(applyEdits(d, formatEdits(d, opts)), formatText(text, opts), JSON.stringify(text));
  }
});

// ----------------------------------------------------------------------------------- semantic tokens

interface Decoded {
  line: number;
  char: number;
  length: number;
  type: string;
  modifiers: string[];
  text: string;
}

function decode(a: Analysis): Decoded[] {
  const data = semanticTokens(a).data;
  const out: Decoded[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dl, dc, length, type, mods] = data.slice(i, i + 5);
    line += dl;
    char = dl === 0 ? char + dc : dc;
    const modifiers = semanticTokensLegend.tokenModifiers.filter((_, bit) => mods & (1 << bit));
    const start = a.doc.offsetAt({ line, character: char });
    out.push({ line, char, length, type: semanticTokensLegend.tokenTypes[type], modifiers, text: a.doc.getText().slice(start, start + length) });
  }
  return out;
}

test('semantic tokens of the seed', () => {
  const tokens = decode(analysisOf(seed));
  const find = (line: number, char: number) => tokens.find((t) => t.line === line && t.char === char);
  const expect = (line: number, char: number, length: number, type: string, modifiers: string[] = []) => {
    const t = find(line, char);
    assert.ok(t, `no token at ${line}:${char}`);
    assert.deepEqual({ length: t.length, type: t.type, modifiers: t.modifiers }, { length, type, modifiers }, `${line}:${char} '${t.text}'`);
  };
  expect(0, 0, seed.indexOf('\n'), 'comment');
  expect(1, 0, 7, 'keyword');                       // cluster
  expect(1, 8, 3, 'namespace', ['declaration']);    // web
  expect(2, 2, 7, 'keyword');                       // network
  expect(2, 10, 16, 'number');                      // 192.168.147.0/24
  expect(6, 2, 8, 'keyword');                       // director
  expect(6, 11, 4, 'variable', ['declaration']);    // lvs1
  expect(6, 63, 6, 'enumMember');                   // master
  expect(9, 37, 15, 'macro');                       // secret:vrrp-web
  expect(9, 28, 2, 'number');                       // 1s
  expect(11, 10, 4, 'function', ['declaration']);   // http
  expect(12, 37, 2, 'enumMember');                  // rr
  expect(13, 10, 4, 'enumMember');                  // check http
  expect(13, 20, 3, 'string');                      // "/"
  expect(14, 9, 4, 'variable');                     // real web1
  expect(18, 63, 4, 'parameter');                   // lo:0
  expect(18, 49, 5, 'parameter');                   // ens33
  expect(21, 13, 4, 'string');                      // user root
  expect(21, 23, 17, 'string');                     // ~/.ssh/id_ed25519
  expect(22, 12, 5, 'enumMember');                  // rhel7
  // Tokens are sorted, never overlap and never have a negative delta.
  const data = semanticTokens(analysisOf(seed)).data;
  for (let i = 0; i < data.length; i += 5) assert.ok(data[i] >= 0 && data[i + 1] >= 0 && data[i + 2] > 0);
});

test('semantic tokens: keywords used as names, vip names, and broken text', () => {
  const text = 'cluster ha {\n  vip front 10.0.0.100\n  director ssh { address 10.0.0.2 }\n  service s { vip front  protocol tcp }\n  servr x { sysctl net.ipv4.ip_forward = 0 }\n}\n';
  const tokens = decode(analysisOf(text));
  const at = (text: string) => tokens.filter((t) => t.text === text).map((t) => [t.type, ...t.modifiers].join('+'));
  assert.deepEqual(at('ha'), ['namespace+declaration']);
  assert.deepEqual(at('front'), ['variable+declaration+readonly', 'variable+readonly']);
  assert.deepEqual(at('ssh'), ['variable+declaration']);
  assert.deepEqual(at('protocol'), ['keyword']);
  assert.deepEqual(at('sysctl'), ['keyword']);   // inside the misspelt block the token stream still colours
  assert.deepEqual(at('='), ['operator']);
});

// ----------------------------------------------------------------------------------- folding

test('folding ranges of the seed', () => {
  const ranges = foldingRanges(analysisOf(seed));
  assert.deepEqual(ranges, [
    { startLine: 1, endLine: 22 },   // cluster web { … }
    { startLine: 11, endLine: 15 },  // service http { … }
  ]);
});

test('folding ranges of multi-line blocks and comment runs', () => {
  const text = [
    '# one',           // 0
    '# two',           // 1
    'cluster a {',     // 2
    '  # lone',        // 3
    '  director d {',  // 4
    '    address 1.2.3.4 # trailing',
    '    # x',         // 6
    '    # y',         // 7
    '  }',             // 8
    '  ha { strict',   // 9
    '    unicast }',   // 10
    '  ssh { user "{" }',
    '}',
  ].join('\n');
  assert.deepEqual(foldingRanges(analysisOf(text)), [
    { startLine: 0, endLine: 1, kind: FoldingRangeKind.Comment },
    { startLine: 2, endLine: 11 },
    { startLine: 4, endLine: 7 },
    { startLine: 6, endLine: 7, kind: FoldingRangeKind.Comment },
    { startLine: 9, endLine: 10 },
  ]);
});
