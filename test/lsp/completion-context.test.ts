// Completion through the built server over stdio: what is offered depends on where the cursor is,
// each word once, and block snippets are filled from the cluster being edited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CompletionItem, CompletionList, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { InsertTextFormat } from 'vscode-languageserver-protocol';
import { LspTestClient } from './lsp-client';

let client: LspTestClient;
let docs = 0;

before(async () => {
  client = new LspTestClient();
  await client.initialize();
});
after(() => client.shutdown());

/** Completion at the `|` of the text, in a document of its own. */
async function completeAt(textWithCursor: string): Promise<CompletionItem[]> {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'no cursor marker');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const before = text.slice(0, offset);
  const position = { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
  const uri = `file:///work/completion-${++docs}.lvs`;
  await client.open(uri, text, 1);
  const r = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
  return Array.isArray(r) ? r : r?.items ?? [];
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const newText = (item: CompletionItem) => (item.textEdit as TextEdit).newText;

const cluster = `cluster web {
  network 10.0.0.0/24
  gateway 10.0.0.1
  vip 10.0.0.100
  director lvs1 { address 10.0.0.2  interface ens33  role master  priority 100 }
  server web1 { address 10.0.0.3  interface ens33  vip-on lo:0 }
  server web2 { address 10.0.0.4  interface ens33  vip-on lo:0 }
  service http { protocol tcp  port 80  scheduler rr  real web1  real web2 }
  |
}
`;

test('the extension contributes no static snippets: VS Code would offer them everywhere', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: Record<string, unknown> };
  assert.equal(pkg.contributes.snippets, undefined);
});

test('at the top level only a cluster may start', async () => {
  for (const text of ['|', 'cluster a { vip 10.0.0.1 }\n|']) {
    const items = await completeAt(text);
    assert.deepEqual(labels(items), ['cluster', 'lvs-cluster'], `in ${JSON.stringify(text)}`);
    for (const kw of ['director', 'server', 'real', 'service']) assert.ok(!labels(items).includes(kw), `${kw} is not offered at top level`);
  }
  const template = (await completeAt('|')).find((i) => i.label === 'lvs-cluster')!;
  assert.equal(template.insertTextFormat, InsertTextFormat.Snippet);
  assert.match(newText(template), /^# \$\{1:web\}.*\ncluster \$\{1:web\} \{/);
});

test('after a keyword that takes a value, only its values: no snippet of a block', async () => {
  const role = await completeAt('cluster w { director d { role | } }');
  assert.deepEqual(labels(role), ['master', 'backup']);
  const iface = await completeAt('cluster w { director d { interface ens33 } server s { interface | } }');
  assert.deepEqual(labels(iface), ['ens33']);
  const real = await completeAt(cluster.replace('real web1  real web2', 'real web1  real |'));
  assert.deepEqual(labels(real).sort(), ['web1', 'web2']);
  for (const items of [role, iface, real]) assert.ok(items.every((i) => i.insertTextFormat !== InsertTextFormat.Snippet), labels(items).join());
});

test('each word is offered once, in every block', async () => {
  const places = [
    '|',
    cluster,
    'cluster w {\n  director d {\n    |\n  }\n}',
    'cluster w {\n  server s {\n    |\n  }\n}',
    'cluster w {\n  service s {\n    |\n  }\n}',
    'cluster w {\n  service s {\n    protocol tcp  port 80  |\n  }\n}',
    'cluster w {\n  service s {\n    real web1 |\n  }\n}',
    'cluster w {\n  service s {\n    check http |\n  }\n}',
    'cluster w {\n  ha { | }\n}',
    'cluster w {\n  ssh { | }\n}',
    'cluster w {\n  server s { vip-on lo:0 | }\n}',
  ];
  for (const text of places) {
    const l = labels(await completeAt(text));
    assert.ok(l.length > 0, `something is offered in ${JSON.stringify(text)}`);
    assert.deepEqual(l.filter((x, i) => l.indexOf(x) !== i), [], `duplicates in ${JSON.stringify(text)}: ${l.join(', ')}`);
  }
});

test('a director snippet proposes a free address of the cluster network, the next name and the role as a choice', async () => {
  const director = (await completeAt(cluster)).find((i) => i.label === 'director')!;
  assert.equal(director.insertTextFormat, InsertTextFormat.Snippet);
  const body = newText(director);
  assert.match(body, /^director \$\{1:lvs2\} \{/);
  const address = /address \$\{2:([\d.]+)\}/.exec(body)?.[1];
  assert.ok(address, body);
  assert.match(address, /^10\.0\.0\.\d+$/, 'in 10.0.0.0/24');
  for (const taken of ['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.100', '10.0.0.255']) assert.notEqual(address, taken);
  assert.match(body, /interface \$\{3:ens33\}/, "the cluster's interface");
  // lvs1 is the master: the new director is offered as backup first, below the master's priority.
  assert.match(body, /role \$\{4\|backup,master\|\}/);
  assert.match(body, /priority \$\{5:90\}/);
  // In a cluster without a master, master comes first.
  const first = (await completeAt('cluster w {\n  network 192.168.5.0/24\n  |\n}')).find((i) => i.label === 'director')!;
  assert.match(newText(first), /^director \$\{1:lvs1\} \{\n\taddress \$\{2:192\.168\.5\.1\}/);
  assert.match(newText(first), /role \$\{4\|master,backup\|\}/);
});

test('server and service snippets take the next name, a free address and the servers of the cluster', async () => {
  const items = await completeAt(cluster);
  const server = newText(items.find((i) => i.label === 'server')!);
  assert.match(server, /^server \$\{1:web3\} \{\n\taddress \$\{2:10\.0\.0\.5\}\n\tinterface \$\{3:ens33\}\n\tvip-on \$\{4:lo:0\}\n\}$/);
  const service = newText(items.find((i) => i.label === 'service')!);
  assert.match(service, /^service \$\{1:service1\} \{/, 'http is taken');
  assert.match(service, /real \$\{5\|web1,web2\|\}/);
});

test('real-server items have a separated detail and a sentence as documentation', async () => {
  const items = await completeAt(cluster.replace('real web1  real web2', 'real web1  real |'));
  const web2 = items.find((i) => i.label === 'web2')!;
  assert.equal(web2.detail, 'real server · 10.0.0.4');
  assert.deepEqual(web2.documentation, { kind: 'markdown', value: 'Real server `web2` at 10.0.0.4.' });
  const web1 = items.find((i) => i.label === 'web1')!;
  assert.equal((web1.documentation as MarkupContent).value, 'Real server `web1` at 10.0.0.3. Already in this service.');
});

async function hoverOn(text: string, needle: string): Promise<string> {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const before = text.slice(0, offset + 1);
  const position = { line: before.split('\n').length - 1, character: offset + 1 - before.lastIndexOf('\n') - 1 };
  const uri = `file:///work/hover-${++docs}.lvs`;
  await client.open(uri, text, 1);
  const h = await client.request<{ contents: MarkupContent } | null>('textDocument/hover', { textDocument: { uri }, position });
  assert.ok(h, `a hover on ${needle}`);
  return h.contents.value;
}

test('keyword hovers list the valid values and link to the language reference and the rules', async () => {
  const text = cluster.replace('|', 'target os rhel9');
  const role = await hoverOn(text, 'role master');
  assert.match(role, /^\*\*role\*\* — /);
  assert.match(role, /\n- `master` — .+\n- `backup` — .+/);
  assert.match(role, /\[Language reference\]\(https:\/\/\S+\/docs\/language\.md#role-masterbackup-priority-n-nopreempt-directors\)/);
  const scheduler = await hoverOn(text, 'scheduler rr');
  for (const s of ['rr', 'wrr', 'wlc', 'mh', 'twos']) assert.match(scheduler, new RegExp(`\\n- \`${s}\` — `));
  assert.match(await hoverOn(text, 'target os'), /\n- `rhel9` — /);
  const vipOn = await hoverOn(text, 'vip-on lo:0');
  assert.match(vipOn, /language\.md#vip-on-label-prefix-n-vip-vip-servers\)/);
  assert.match(vipOn, /\[LVS030\]\(https:\/\/\S+\/docs\/rules\.md#lvs030\)/);
  // A keyword without enumerated values has no value list, but still its link.
  const address = await hoverOn(text, 'address 10.0.0.2');
  assert.doesNotMatch(address, /\n- `/);
  assert.match(address, /language\.md#address-address\)/);
});
